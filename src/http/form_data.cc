#include "http/form_data.h"

#include "core/utf8.h"

namespace datenwerk::http {

namespace {

Status Broken(const std::string& field = {}) {
  return InvalidArgument("Das Formular kam beschädigt an. Bitte senden Sie es noch einmal.", field);
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

// The Content-Disposition value among a part's header lines.
std::string Disposition(std::string_view headers) {
  for (size_t line_start = 0; line_start <= headers.size();) {
    const size_t line_end = headers.find("\r\n", line_start);
    std::string_view line = headers.substr(
        line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
    if (Lower(line.substr(0, 20)) == "content-disposition:") return std::string(line.substr(20));
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 2;
  }
  return "";
}

}  // namespace

bool IsCleanText(std::string_view text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
  }
  return IsUtf8(text);
}

Result<FormData> ParseFormData(std::string_view content_type, std::string_view body) {
  if (Lower(content_type).rfind("multipart/form-data", 0) != 0) return Broken();
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return Broken();
  const std::string delimiter = "--" + boundary;
  const std::string next_delimiter = "\r\n" + delimiter;
  FormData out;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Broken();
  for (size_t parts = 0;; ++parts) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return out;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Broken();
    pos += 2;
    if (parts >= kMaxFormParts) return InvalidArgument("Das Formular hat zu viele Teile.", "");
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos || headers_end - pos > 8192) return Broken();
    const std::string disposition = Disposition(body.substr(pos, headers_end - pos));
    const size_t content_start = headers_end + 4;
    const size_t next = body.find(next_delimiter, content_start);
    if (next == std::string_view::npos) return Broken();
    std::string_view content = body.substr(content_start, next - content_start);
    std::string name = Parameter(disposition, "name");
    if (name.empty() || name.size() > 100 || !IsCleanText(name)) return Broken();
    if (Lower(disposition).find("filename=") != std::string::npos) {
      std::string file_name = Parameter(disposition, "filename");
      if (!IsCleanText(file_name) || file_name.size() > 255) file_name = "Datei";
      if (!content.empty() || !file_name.empty()) {
        out.files.push_back({std::move(name), std::move(file_name), content});
      }
    } else {
      if (content.size() > 65536) return InvalidArgument("Ein Formularfeld ist zu lang.", name);
      if (!IsCleanText(content)) {
        return InvalidArgument("Das Formular enthält Zeichen, die kein gültiger Text sind (kein UTF-8).", name);
      }
      out.fields.emplace_back(std::move(name), std::string(content));
    }
    pos = next + 2;
  }
}

}  // namespace datenwerk::http
