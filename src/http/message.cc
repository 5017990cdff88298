#include "http/message.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace datenwerk::http {

namespace {
const std::string kEmpty;

const std::string& Find(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? kEmpty : it->second;
}

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629), 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
  if (c == 0xED && b(i + 1) > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;  // above U+10FFFF
  return n;
}

// A JSON string of `s`; bytes that are not UTF-8 (a raw path, say) become U+FFFD.
void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}
}  // namespace

const std::string& Request::Header(const std::string& lower_name) const {
  return Find(headers, lower_name);
}
const std::string& Request::Query(const std::string& name) const { return Find(query, name); }
const std::string& Request::Param(const std::string& name) const {
  return Find(path_params, name);
}

bool ParseTarget(std::string_view target, Request& out) {
  bool ok = true;
  size_t q = target.find('?');
  out.path = PercentDecode(target.substr(0, q), false, &ok);
  if (!ok || out.path.empty() || out.path.front() != '/') return false;
  if (out.path.find('\0') != std::string::npos) return false;
  if (q == std::string_view::npos) return true;
  return ParseQueryString(target.substr(q + 1), out.query);
}

std::vector<QualityItem> ParseQualityList(std::string_view header) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  std::vector<QualityItem> items;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const size_t semicolon = item.find(';');
    QualityItem out{trim(item.substr(0, semicolon)), 1};
    for (std::string_view params = semicolon == std::string_view::npos ? "" : item.substr(semicolon + 1);
         !params.empty();) {
      const size_t next = params.find(';');
      const std::string_view param = trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.starts_with("q=")) out.q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    items.push_back(out);
  }
  return items;
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kStorageFull: return 507;
    case ErrorCode::kDeadlineExceeded: return 503;
    case ErrorCode::kNotImplemented: return 501;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  Response r;
  r.status = HttpStatusFor(status.code());
  // What a client can act on; the detail of a server-side fault goes to the log, not to them.
  std::string message = status.message();
  if (r.status >= 500) {
    r.log_detail = status.detail().empty() ? status.message() : status.message() + ": " + status.detail();
  }
  if (status.code() == ErrorCode::kInternal) {
    message = "internal error; the server logged the details";
  } else if (status.code() == ErrorCode::kStorageFull) {
    message = "the server's disk is full; nothing was stored; send again later";
    r.With("Retry-After", "60");
  } else if (status.code() == ErrorCode::kUnavailable ||
             status.code() == ErrorCode::kDeadlineExceeded) {
    r.With("Retry-After", "1");
  }
  r.body = "{\"error\":{\"code\":";
  AppendJsonString(r.body, ErrorCodeName(status.code()));
  r.body += ",\"message\":";
  AppendJsonString(r.body, message);
  r.body += ",\"field\":";
  if (status.field().empty()) {
    r.body += "null";
  } else {
    AppendJsonString(r.body, status.field());
  }
  r.body += "}}";
  if (status.code() == ErrorCode::kUnauthenticated) r.With("WWW-Authenticate", "Bearer");
  return r;
}

namespace {

bool IsTrusted(std::string_view address, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

bool LooksLikeIp(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
  });
}

}  // namespace

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  std::string client = peer;
  if (!IsTrusted(peer, trusted_proxies)) return client;
  // Rightmost first: each entry was added by the hop after it.
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (!LooksLikeIp(entry)) break;
    client = std::string(entry);
    if (!IsTrusted(client, trusted_proxies)) break;
  }
  return client;
}

}  // namespace datenwerk::http
