// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2, frozen spec) as pure functions: the
// answers in JSON and in XML (XML is the spec's required format, what FixMyStreet reads), the
// spec's error list, and the form-encoded body of POST requests. No HTTP here (routes.h).
//
// Public answers never carry personal data: no e-mail, name or phone, in either format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "echo/report.h"
#include "echo/report_store.h"
#include "echo/services.h"

namespace datenwerk::echo {

enum class Format { kJson, kXml };

// "services.json" -> ("services", kJson), "requests.xml" -> ("requests", kXml); nullopt
// without one of the two extensions.
std::optional<std::pair<std::string, Format>> SplitFormat(std::string_view segment);

struct Rendered {
  int status = 200;
  std::string content_type;
  std::string body;
};

// W3C date-time in UTC without fractions: "2026-12-06T21:05:00Z".
std::string W3cDateTime(int64_t ms);

struct Discovery {
  std::string changeset;  // when the service list last changed (W3C date-time)
  std::string contact;
  std::string endpoint_url;  // absolute URL of /open311/v2
};
Rendered DiscoveryAnswer(Format format, const Discovery& discovery);
Rendered ServiceList(Format format, const Services& services);
Rendered ServiceDefinition(Format format, const Category& category);

struct RequestsOptions {
  bool extensions = false;   // extended_attributes: the fine status, its German label, district
  std::string base_url;      // of this server, for media_url (the first photo the public may see)
};
Rendered RequestList(Format format, const std::vector<Report>& reports, const Services& services,
                     const RequestsOptions& options);
// mySociety's extension GET servicerequestupdates: each change with its update_id, the request,
// the state in mySociety's names (FIXED, IN_PROGRESS, …), when, and the public note.
Rendered UpdateList(Format format, const std::vector<ReportEvent>& updates);

// The answer to POST requests: the new id and the service notice.
Rendered CreatedAnswer(Format format, const Report& report, const std::string& service_notice);
Rendered TokenAnswer(Format format, const Report& report);
// The answer to POST servicerequestupdates: the update's id.
Rendered UpdateCreatedAnswer(Format format, int64_t update_id);
// The spec's error list with one error: HTTP `code` and a description for people that names the
// parameter at fault.
Rendered ErrorAnswer(Format format, int code, const std::string& description);
// A Status as the spec's error list: 404 for kNotFound, 403 for missing or wrong keys, else 400.
Rendered ErrorAnswer(Format format, const datenwerk::Status& status);

// An application/x-www-form-urlencoded body as (name, value) pairs in order, repeated names
// kept (attribute[code][]=a&attribute[code][]=b). At most 200 fields; kInvalidArgument for a
// malformed escape or text that is not UTF-8.
Result<std::vector<std::pair<std::string, std::string>>> ParseFormFields(std::string_view body);

// The report a POST requests form describes: service_code, lat, long, address_string, email,
// first_name, last_name, description, attribute[...]. Phone, device_id, account_id and media_url
// are read and dropped (not kept). Not yet checked against the category (CheckNewReport).
Result<NewReport> NewReportFromForm(const std::vector<std::pair<std::string, std::string>>& fields);

// The update a POST servicerequestupdates form describes (the fields FixMyStreet sends):
// service_request_id and description required; status OPEN (the citizen says it is not fixed)
// or another of mySociety's names; update_id_ext; updated_datetime (W3C, checked, the server's
// own time is kept). The citizen's e-mail, names, title, phone, account and alert wishes and a
// media_url are read and dropped. kInvalidArgument naming the field; an unknown field too.
struct PostedUpdate {
  int64_t service_request_id = 0;
  CitizenUpdate update;  // without its source
};
Result<PostedUpdate> UpdateFromForm(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace datenwerk::echo
