// MIME multipart bodies (RFC 2046, section 5.1) and HTTP requests embedded in them
// (application/http, RFC 9112's message syntax), as OData 4.0 batch requests carry them
// (OData 4.0 Part 1, section 11.7). Lines may end in CRLF or a bare LF. Pure; thread-safe.
// The parts and requests returned view the caller's text: it must outlive them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datenwerk::http {

// A part's header names are lower case; at most kMaxPartHeaders of them.
struct MimePart {
  std::map<std::string, std::string> headers;
  std::string_view body;
};

inline constexpr size_t kMaxParts = 1000;
inline constexpr size_t kMaxPartHeaders = 100;

// The media type of a Content-Type value in lower case, without parameters.
std::string MediaType(std::string_view content_type);
// The "boundary" parameter of a Content-Type value (quotes removed), or nullopt.
std::optional<std::string> BoundaryOf(std::string_view content_type);

// The parts between "--boundary" lines up to "--boundary--"; what precedes the first delimiter
// (the preamble) and follows the last (the epilogue) is ignored. kInvalidArgument (field
// `where`) when the close delimiter is missing, a part's headers are malformed, or there are
// more than kMaxParts parts.
Result<std::vector<MimePart>> SplitMultipart(std::string_view body, std::string_view boundary,
                                             const std::string& where);

struct EmbeddedRequest {
  std::string method;  // as written ("GET")
  std::string target;  // "/sta/v1.1/Things(1)?$select=name", or absolute, or relative
  std::map<std::string, std::string> headers;  // lower-case names
  std::string_view body;
};

// "METHOD target HTTP/1.1", header lines, an empty line, the body (its trailing line break
// belongs to the delimiter that follows and is removed).
Result<EmbeddedRequest> ParseEmbeddedRequest(std::string_view text, const std::string& where);

// "HTTP/1.1 201 Created": the reason phrase of a status code.
std::string_view ReasonPhrase(int status);

}  // namespace datenwerk::http
