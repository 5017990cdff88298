#include "verwaltung/multipart.h"

namespace datenwerk::verwaltung {

Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body) {
  auto parsed = http::ParseFormData(content_type, body);
  if (!parsed.ok()) return parsed.status();
  MultipartForm out;
  for (auto& [name, value] : parsed->fields) out.fields.emplace(std::move(name), std::move(value));
  out.files = std::move(parsed->files);
  return out;
}

}  // namespace datenwerk::verwaltung
