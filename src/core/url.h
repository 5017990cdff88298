// Percent-encoding (RFC 3986) and query strings ("a=1&b=x%20y"), shared by the HTTP server and
// the MQTT subscription topics that carry query options. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace datenwerk {

// Decodes %XX (and '+' as a space when `plus_is_space`); sets *ok to false on a malformed
// escape and returns "".
std::string PercentDecode(std::string_view text, bool plus_is_space, bool* ok);
// Encodes every byte but the unreserved ones (ALPHA DIGIT - _ . ~).
std::string PercentEncode(std::string_view text);
// Adds the decoded pairs of `query` to `out` (the first occurrence of a name wins; empty names
// are skipped); false when an escape is malformed.
bool ParseQueryString(std::string_view query, std::map<std::string, std::string>& out);

}  // namespace datenwerk
