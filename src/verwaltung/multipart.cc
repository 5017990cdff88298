#include "verwaltung/multipart.h"

namespace datenwerk::verwaltung {

namespace {

Status Broken() {
  return InvalidArgument("Das Formular kam beschädigt an. Bitte wählen Sie die Datei erneut aus und senden Sie es noch einmal.",
                         "datei");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The value of `name="…"` in a header value such as `form-data; name="datei"; filename="a.csv"`.
std::string Parameter(std::string_view header, std::string_view name) {
  const std::string lower = Lower(header);
  const std::string key = std::string(name) + "=";
  for (size_t at = lower.find(key); at != std::string::npos; at = lower.find(key, at + 1)) {
    if (at > 0 && lower[at - 1] != ' ' && lower[at - 1] != ';') continue;
    size_t start = at + key.size();
    if (start < header.size() && header[start] == '"') {
      size_t end = header.find('"', start + 1);
      if (end == std::string_view::npos) return "";
      return std::string(header.substr(start + 1, end - start - 1));
    }
    size_t end = header.find(';', start);
    return std::string(header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  }
  return "";
}

}  // namespace

Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body) {
  if (Lower(content_type).rfind("multipart/form-data", 0) != 0) return Broken();
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return Broken();
  const std::string delimiter = "--" + boundary;
  MultipartForm out;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Broken();
  for (int parts = 0;; ++parts) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return out;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Broken();
    pos += 2;
    if (parts >= 20) return InvalidArgument("Das Formular hat zu viele Teile.", "datei");
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos || headers_end - pos > 8192) return Broken();
    std::string_view headers = body.substr(pos, headers_end - pos);
    std::string disposition;
    for (size_t line_start = 0; line_start <= headers.size();) {
      size_t line_end = headers.find("\r\n", line_start);
      std::string_view line = headers.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                             : line_end - line_start);
      if (Lower(line.substr(0, 20)).rfind("content-disposition:", 0) == 0) disposition = std::string(line.substr(20));
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    const size_t content_start = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return Broken();
    std::string_view content = body.substr(content_start, next - content_start);
    const std::string name = Parameter(disposition, "name");
    if (name.empty() || name.size() > 100 || !IsCleanText(name)) return Broken();
    if (Lower(disposition).find("filename=") != std::string::npos) {
      std::string file_name = Parameter(disposition, "filename");
      if (!IsCleanText(file_name) || file_name.size() > 255) file_name = "Datei";
      out.files.push_back({name, std::move(file_name), std::string(content)});
    } else {
      if (content.size() > 65536) return InvalidArgument("Ein Formularfeld ist zu lang.", name);
      if (!IsCleanText(content)) {
        return InvalidArgument("Das Formular enthält Zeichen, die kein gültiger Text sind (kein UTF-8).", name);
      }
      out.fields.emplace(name, std::string(content));
    }
    pos = next + 2;
  }
}

}  // namespace datenwerk::verwaltung
