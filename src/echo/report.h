// A citizen's report (Open311 "service request") as a value, and the checks a new one passes
// before it is stored. Pure.
//
// Personal data is kept apart: `email` and `name` are never shown in public answers (Open311, the
// map, the open data); the name only on the report's page, and only when `show_name` is set.
// Phone numbers, device and account ids that Open311 clients may send are not kept at all.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/services.h"
#include "echo/status.h"
#include "photo/photo.h"

namespace datenwerk::echo {

inline constexpr size_t kMaxDescriptionChars = 4000;  // Open311's limit
inline constexpr size_t kMaxPhotos = 3;

struct NewReport {
  std::string service_code;
  std::string description;
  std::optional<double> lat, lon;  // WGS 84; both or neither
  std::string address;             // as typed (Open311 address_string)
  std::string email;
  std::string name;
  bool show_name = false;
  std::map<std::string, std::vector<std::string>> attributes;  // code -> values
  std::string source = "open311";  // "open311" or "formular"
  std::vector<photo::Photo> photos;  // re-encoded (photo::Reencode), at most kMaxPhotos
};

struct Report {
  int64_t id = 0;
  std::string token;  // Open311 token (also a service_request_id's alias for batch clients)
  std::string service_code;
  std::string description;
  std::optional<double> lat, lon;
  std::string address;
  std::string district;  // name, "" when unknown
  std::string office;    // office id
  ReportStatus status = ReportStatus::kReceived;
  std::string status_note;  // the public note of the last change
  std::string email, name;
  bool show_name = false;
  std::map<std::string, std::vector<std::string>> attributes;
  std::string source;
  int64_t requested_ms = 0, updated_ms = 0;
  bool text_hidden = false;  // moderation: the description is withheld from the public
  uint32_t photo_mask = 0;   // bit n-1 set: photo n exists and is not hidden
  int64_t supporters = 0;    // people who said "me too" instead of filing it again (and merged duplicates)
};

// The numbers (1, 2, 3) of the photos the public may see.
std::vector<int> VisiblePhotos(const Report& report);
// Where photo `n` of report `id` is served: "/buergerecho/fotos/7/1.jpg", its thumbnail
// "/buergerecho/fotos/7/1-klein.jpg".
std::string PhotoPath(int64_t id, int n, bool thumbnail);

// Checks and normalises a new report against its category: description plain UTF-8 text of at
// most 4,000 characters (CR LF become LF; other control characters are refused), a position or an
// address, e-mail and name short and sane, every required attribute given, list values among the
// category's keys, numbers and datetimes readable. kInvalidArgument naming the field (the Open311
// parameter name: "description", "lat", "email", "attribute[gefahr]", …).
Result<NewReport> CheckNewReport(NewReport report, const Category& category);

// Plain text as reports keep it: UTF-8, CR LF and lone CR as LF, no other control characters than
// LF and tab, trimmed, at most `max_chars` characters; `one_line` refuses LF too.
// kInvalidArgument naming `field`.
datenwerk::Status CleanPlainText(std::string& text, size_t max_chars, const std::string& field, bool one_line);

// A decimal number with a comma or a point ("51,4818", "51.4818"), as forms take coordinates;
// nullopt for anything else.
std::optional<double> ParseDecimal(std::string text);

// One @ with something before it and a dot after it, no blanks, at most 254 bytes: a sanity
// check, not a proof (the confirmation mail is).
bool LooksLikeEmail(const std::string& s);

// Attributes as JSON text for storage ({"code": ["v", …]}) and back.
std::string AttributesJson(const std::map<std::string, std::vector<std::string>>& attributes);
std::map<std::string, std::vector<std::string>> AttributesFromJson(const std::string& text);

}  // namespace datenwerk::echo
