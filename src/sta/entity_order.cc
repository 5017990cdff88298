#include "sta/entity_order.h"

#include <algorithm>
#include <iterator>

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

// SQLite's order for json_extract values, which the document store sorts by: NULL, numbers,
// text; objects and arrays compare as their JSON text.
int CompareValues(const json::value* a, const json::value* b) {
  auto rank = [](const json::value* v) {
    if (!v || v->is_null()) return 0;
    if (v->is_number() || v->is_bool()) return 1;
    return 2;
  };
  const int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 1) {
    auto num = [](const json::value* v) {
      return v->is_bool() ? (v->get_bool() ? 1.0 : 0.0) : v->to_number<double>();
    };
    const double x = num(a), y = num(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  auto text = [](const json::value* v) {
    return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
  };
  const int c = text(a).compare(text(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

const json::value* Lookup(const StoredEntity& e, const std::vector<std::string>& path,
                          json::value& scratch) {
  if (path.size() == 1 && (path[0] == "id" || path[0] == "@iot.id")) {
    scratch = e.id;
    return &scratch;
  }
  const json::value* v = e.doc.if_contains(path[0]);
  for (size_t i = 1; v && i < path.size(); ++i) {
    v = v->is_object() ? v->as_object().if_contains(path[i]) : nullptr;
  }
  return v;
}

}  // namespace

void SortInOrder(std::vector<StoredEntity>& all, const std::vector<OrderBy>& order) {
  std::stable_sort(all.begin(), all.end(), [&](const StoredEntity& a, const StoredEntity& b) {
    return OrderedBefore(a, b, order);
  });
}

std::vector<StoredEntity> TakePage(std::vector<StoredEntity>& all, int64_t skip, int64_t top) {
  const size_t begin = std::min(all.size(), static_cast<size_t>(skip));
  const size_t end = std::min(all.size(), begin + static_cast<size_t>(top));
  return {std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(begin)),
          std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end))};
}

bool OrderedBefore(const StoredEntity& a, const StoredEntity& b,
                   const std::vector<OrderBy>& order) {
  for (const OrderBy& o : order) {
    json::value sa, sb;
    const int c = CompareValues(Lookup(a, o.path, sa), Lookup(b, o.path, sb));
    if (c != 0) return o.descending ? c > 0 : c < 0;
  }
  return a.id < b.id;
}

}  // namespace datenwerk::sta
