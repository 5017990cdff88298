#include "http/multipart.h"

#include <algorithm>
#include <cctype>

namespace datenwerk::http {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The next line of `text` from `at` without its line break; `at` moves past the break.
std::string_view NextLine(std::string_view text, size_t& at) {
  const size_t end = text.find('\n', at);
  std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  at = end == std::string_view::npos ? text.size() : end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Header lines up to an empty line; `at` moves past it.
Result<std::map<std::string, std::string>> ReadHeaders(std::string_view text, size_t& at, const std::string& where) {
  std::map<std::string, std::string> headers;
  while (at < text.size()) {
    const std::string_view line = NextLine(text, at);
    if (line.empty()) return headers;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return InvalidArgument("a header line needs 'Name: value'", where);
    }
    if (headers.size() == kMaxPartHeaders) {
      return InvalidArgument("more than " + std::to_string(kMaxPartHeaders) + " headers", where);
    }
    headers[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
  }
  return headers;  // no body follows
}

}  // namespace

std::string MediaType(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

std::optional<std::string> BoundaryOf(std::string_view content_type) {
  size_t at = content_type.find(';');
  while (at != std::string_view::npos) {
    const size_t next = content_type.find(';', at + 1);
    std::string_view param = Trim(content_type.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
    const size_t eq = param.find('=');
    if (eq != std::string_view::npos && Lower(Trim(param.substr(0, eq))) == "boundary") {
      std::string_view value = Trim(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      // RFC 2046: 1 to 70 characters.
      if (value.empty() || value.size() > 70) return std::nullopt;
      return std::string(value);
    }
    at = next;
  }
  return std::nullopt;
}

Result<std::vector<MimePart>> SplitMultipart(std::string_view body, std::string_view boundary,
                                             const std::string& where) {
  const std::string delimiter = "--" + std::string(boundary);
  // Delimiter lines: "--boundary" (or "--boundary--") at the start of a line.
  auto is_delimiter = [&](std::string_view line, bool& close) {
    if (!line.starts_with(delimiter)) return false;
    std::string_view rest = line.substr(delimiter.size());
    close = rest.starts_with("--");
    if (close) rest.remove_prefix(2);
    return Trim(rest).empty();
  };
  std::vector<MimePart> parts;
  size_t at = 0;
  size_t part_start = std::string_view::npos;  // where the current part's text begins
  size_t line_start = 0;
  while (at < body.size()) {
    line_start = at;
    const std::string_view line = NextLine(body, at);
    bool close = false;
    if (!is_delimiter(line, close)) continue;
    if (part_start != std::string_view::npos) {
      // The line break before a delimiter belongs to it.
      size_t end = line_start;
      if (end > part_start && body[end - 1] == '\n') --end;
      if (end > part_start && body[end - 1] == '\r') --end;
      const std::string_view text = body.substr(part_start, end - part_start);
      if (parts.size() == kMaxParts) return InvalidArgument("more than " + std::to_string(kMaxParts) + " parts", where);
      size_t inner = 0;
      auto headers = ReadHeaders(text, inner, where + "[" + std::to_string(parts.size()) + "]");
      if (!headers.ok()) return headers.status();
      parts.push_back({std::move(headers).value(), text.substr(std::min(inner, text.size()))});
    }
    if (close) return parts;
    part_start = at;
  }
  return InvalidArgument("the closing delimiter --" + std::string(boundary) + "-- is missing", where);
}

Result<EmbeddedRequest> ParseEmbeddedRequest(std::string_view text, const std::string& where) {
  size_t at = 0;
  std::string_view first = NextLine(text, at);
  while (first.empty() && at < text.size()) first = NextLine(text, at);  // blank lines before it
  const size_t a = first.find(' ');
  const size_t b = a == std::string_view::npos ? a : first.find(' ', a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos || !first.substr(b + 1).starts_with("HTTP/1.")) {
    return InvalidArgument("needs a request line 'METHOD url HTTP/1.1'", where);
  }
  EmbeddedRequest out;
  out.method = std::string(first.substr(0, a));
  out.target = std::string(first.substr(a + 1, b - a - 1));
  auto headers = ReadHeaders(text, at, where);
  if (!headers.ok()) return headers.status();
  out.headers = std::move(headers).value();
  out.body = text.substr(std::min(at, text.size()));
  return out;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

}  // namespace datenwerk::http
