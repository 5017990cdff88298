#include "api/listing.h"

#include <charconv>
#include <string>

namespace datenwerk::api {

namespace json = boost::json;

namespace {

Result<size_t> ParseCount(const std::string& text, const char* name, size_t min, size_t max) {
  size_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < min ||
      value > max) {
    return InvalidArgument("must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max),
                           name);
  }
  return value;
}

std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // UTF-8 Ä Ö Ü are C3 84, C3 96, C3 9C; their lower-case forms are 0x20 higher.
    if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d == 0x84 || d == 0x96 || d == 0x9C) d = static_cast<unsigned char>(d + 0x20);
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(d));
      ++i;
      continue;
    }
    out.push_back(c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c));
  }
  return out;
}

}  // namespace

Result<Page> ParsePage(const http::Request& request) {
  Page page;
  if (auto it = request.query.find("limit"); it != request.query.end()) {
    auto limit = ParseCount(it->second, "limit", 1, kMaxPageSize);
    if (!limit.ok()) return limit.status();
    page.limit = *limit;
  }
  if (auto it = request.query.find("offset"); it != request.query.end()) {
    auto offset = ParseCount(it->second, "offset", 0, 1'000'000'000);
    if (!offset.ok()) return offset.status();
    page.offset = *offset;
  }
  return page;
}

Status CheckQueryParams(const http::Request& request,
                        std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : request.query) {
    if (name == "limit" || name == "offset") continue;
    bool known = false;
    for (std::string_view a : allowed) known = known || name == a;
    if (!known) return InvalidArgument("unknown query parameter", name);
  }
  return Status::Ok();
}

json::object PageJson(json::array all, const Page& page, const http::Request& request) {
  const size_t total = all.size();
  json::array items;
  for (size_t i = page.offset; i < total && i < page.offset + page.limit; ++i) {
    items.push_back(std::move(all[i]));
  }
  json::value next = nullptr;
  if (page.offset + page.limit < total) {
    std::string link = request.path + "?";
    for (const auto& [name, value] : request.query) {
      if (name == "limit" || name == "offset") continue;
      link += http::PercentEncode(name) + "=" + http::PercentEncode(value) + "&";
    }
    link += "limit=" + std::to_string(page.limit) +
            "&offset=" + std::to_string(page.offset + page.limit);
    next = json::value(link);
  }
  return {{"items", std::move(items)},
          {"total", total},
          {"limit", page.limit},
          {"offset", page.offset},
          {"next", std::move(next)}};
}

bool ContainsFolded(std::string_view haystack, std::string_view needle) {
  return Fold(haystack).find(Fold(needle)) != std::string::npos;
}

}  // namespace datenwerk::api
