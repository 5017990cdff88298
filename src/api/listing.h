// Pagination, query-parameter checks and text search shared by the list endpoints.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace datenwerk::api {

struct Page {
  size_t limit = 50;  // 1..500
  size_t offset = 0;
};
inline constexpr size_t kMaxPageSize = 500;

// Reads `limit` and `offset`; kInvalidArgument naming the parameter when malformed.
Result<Page> ParsePage(const http::Request& request);
// Every query parameter must be in `allowed` (plus limit and offset).
Status CheckQueryParams(const http::Request& request,
                        std::initializer_list<std::string_view> allowed);
// {"items": [...page of items...], "total", "limit", "offset", "next": link or null}.
// `all` is the full filtered list in stable order; only the page is kept.
boost::json::object PageJson(boost::json::array all, const Page& page,
                             const http::Request& request);
// Case-insensitive substring test that also folds German umlauts (Ä/ä, Ö/ö, Ü/ü).
bool ContainsFolded(std::string_view haystack, std::string_view needle);

}  // namespace datenwerk::api
