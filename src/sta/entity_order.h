// The order the SQLite document store lists entities in ($orderby, then id), for merging lists
// that come from elsewhere (the time series) with its pages. Pure; thread-safe.
#pragma once

#include <vector>

#include "sta/entity_store.h"
#include "sta/query_options.h"

namespace datenwerk::sta {

// Whether `a` comes before `b`: by each $orderby path (values compared as SQLite compares
// json_extract results: NULL, then numbers, then text; objects as their JSON text), then by id.
bool OrderedBefore(const StoredEntity& a, const StoredEntity& b, const std::vector<OrderBy>& order);

// Sorts `all` in `order` (stable: equal entities keep their places).
void SortInOrder(std::vector<StoredEntity>& all, const std::vector<OrderBy>& order);

// Positions [skip, skip + top) of `all`, moved out of it.
std::vector<StoredEntity> TakePage(std::vector<StoredEntity>& all, int64_t skip, int64_t top);

}  // namespace datenwerk::sta
