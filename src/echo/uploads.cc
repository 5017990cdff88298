#include "echo/uploads.h"

#include "echo/open311.h"
#include "echo/report.h"

namespace datenwerk::echo {

Result<http::FormData> ParseFiling(std::string_view content_type, std::string_view body) {
  if (content_type.find("multipart/form-data") != std::string_view::npos) {
    return http::ParseFormData(content_type, body);
  }
  if (content_type.find("application/x-www-form-urlencoded") == std::string_view::npos) {
    return InvalidArgument("must be application/x-www-form-urlencoded or multipart/form-data", "body");
  }
  auto fields = ParseFormFields(body);
  if (!fields.ok()) return fields.status();
  http::FormData out;
  out.fields = std::move(fields).value();
  return out;
}

Result<std::vector<photo::Photo>> PhotosOf(const http::FormData& form, const std::string& field,
                                           const photo::Limits& limits) {
  size_t count = 0;
  for (const http::FilePart& f : form.files) {
    if (f.field != field) return InvalidArgument("Dateien nimmt nur das Feld „" + field + "“ an.", f.field.substr(0, 60));
    ++count;
  }
  if (count > kMaxPhotos) return InvalidArgument("Bitte höchstens drei Fotos anhängen.", field);
  std::vector<photo::Photo> out;
  for (const http::FilePart& f : form.files) {
    auto photo = photo::Reencode(f.content, limits, field);
    if (!photo.ok()) return photo.status();
    out.push_back(std::move(photo).value());
  }
  return out;
}

}  // namespace datenwerk::echo
