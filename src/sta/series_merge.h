// One page of a list of Observations that come from two places: documents (few, any order) and
// time-series points (many, read in the order asked). Only the points that land on the page are
// made into documents, so a page deep into a long series costs the reading of its points, not
// the building of them. Part of the query planner; pure; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "series/point.h"
#include "sta/entity_store.h"
#include "sta/query_options.h"

namespace datenwerk::sta {

// The orders a series can be read in: by id (a series point's id grows with its time) or by
// phenomenonTime, each either way. nullopt for any other $orderby.
struct SeriesOrder {
  bool by_time = false;     // else by id
  bool descending = false;
};
std::optional<SeriesOrder> SeriesOrderOf(const std::vector<OrderBy>& order);

struct SeriesRef {
  int64_t id = 0;
  series::Point point;
};

// Positions [skip, skip + top) of `docs` and `points` merged in `order` as OrderedBefore would
// sort them (`points` are in that order already; `docs` in any). `make` builds a point's
// document.
std::vector<StoredEntity> MergePage(std::vector<StoredEntity> docs,
                                    const std::vector<SeriesRef>& points,
                                    const std::vector<OrderBy>& order, SeriesOrder series_order,
                                    int64_t skip, int64_t top,
                                    const std::function<StoredEntity(const SeriesRef&)>& make);

}  // namespace datenwerk::sta
