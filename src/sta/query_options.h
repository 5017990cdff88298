// System query options of the SensorThings API (18-088, 9.3): $top, $skip, $count, $select,
// $orderby and $expand with nested options, e.g.
// $expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc)).
// $filter is parsed here (sta/filter.h); $resultFormat and $orderby across navigation
// properties are recognised and answered 501 until implemented, as the standard asks. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/filter.h"
#include "sta/model.h"

namespace datenwerk::sta {

inline constexpr int64_t kDefaultTop = 100;
inline constexpr int64_t kMaxTop = 10'000;
inline constexpr int64_t kMaxSkip = 1'000'000'000'000'000;  // 10^15

struct OrderBy {
  std::vector<std::string> path;  // "phenomenonTime", or "unitOfMeasurement/name" as two parts
  bool descending = false;
};

struct ExpandItem;

struct QueryOptions {
  std::optional<int64_t> top;
  int64_t skip = 0;
  bool count = false;
  std::vector<std::string> select;  // empty: every property
  std::vector<OrderBy> orderby;
  std::vector<ExpandItem> expand;
  std::shared_ptr<const Filter> filter;  // none: every entity
  bool data_array = false;  // $resultFormat=dataArray (Observations)
  // The options as given but $top and $skip (decoded), for the links to the next page.
  std::map<std::string, std::string> given;

  int64_t EffectiveTop() const { return top ? std::min(*top, kMaxTop) : kDefaultTop; }
};

struct ExpandItem {
  const NavigationDef* navigation = nullptr;
  QueryOptions options;
};

// Options of a request on entities of `def`. `query` holds the decoded URL parameters;
// parameters not starting with '$' are ignored. Errors name the option: kInvalidArgument for
// malformed or unknown ones, kNotImplemented for recognised ones not offered yet.
Result<QueryOptions> ParseQueryOptions(const EntityDef& def,
                                       const std::map<std::string, std::string>& query);

}  // namespace datenwerk::sta
