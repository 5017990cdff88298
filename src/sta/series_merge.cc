#include "sta/series_merge.h"

#include <algorithm>
#include <limits>

#include "core/dates.h"
#include "sta/entity_order.h"

namespace datenwerk::sta {

namespace json = boost::json;

std::optional<SeriesOrder> SeriesOrderOf(const std::vector<OrderBy>& order) {
  if (order.empty()) return SeriesOrder{};
  if (order[0].path.size() != 1) return std::nullopt;
  const std::string& p = order[0].path[0];
  if (p == "id" || p == "@iot.id") return SeriesOrder{false, order[0].descending};
  if (p == "phenomenonTime") return SeriesOrder{true, order[0].descending};
  return std::nullopt;
}

namespace {

// A document's place among series points: its id, or the start of its phenomenonTime.
struct DocKey {
  int64_t id;
  std::optional<int64_t> start;  // nullopt: no (readable) phenomenonTime, ordered as null
  bool interval;                 // its text is longer than an instant's with the same start
};

DocKey KeyOf(const StoredEntity& e) {
  const json::value* t = e.doc.if_contains("phenomenonTime");
  if (!t || !t->is_string()) return {e.id, std::nullopt, false};
  const std::string_view text = t->get_string();
  const size_t slash = text.find('/');
  return {e.id, ParseRfc3339Ms(text.substr(0, slash)), slash != std::string_view::npos};
}

// Whether document `d` comes before point `p` (OrderedBefore's rules: null first ascending and
// last descending; ties by id ascending either way).
bool DocFirst(const DocKey& d, const SeriesRef& p, SeriesOrder o) {
  if (!o.by_time) return o.descending ? d.id > p.id : d.id < p.id;
  if (!d.start) return !o.descending;
  if (*d.start != p.point.time_ms) return o.descending ? *d.start > p.point.time_ms : *d.start < p.point.time_ms;
  if (d.interval) return o.descending;  // "start/end" sorts after "start"
  return d.id < p.id;
}

}  // namespace

std::vector<StoredEntity> MergePage(std::vector<StoredEntity> docs,
                                    const std::vector<SeriesRef>& points,
                                    const std::vector<OrderBy>& order, SeriesOrder series_order,
                                    int64_t skip, int64_t top,
                                    const std::function<StoredEntity(const SeriesRef&)>& make) {
  std::sort(docs.begin(), docs.end(),
            [&](const StoredEntity& a, const StoredEntity& b) { return OrderedBefore(a, b, order); });
  std::vector<DocKey> keys;
  keys.reserve(docs.size());
  for (const StoredEntity& d : docs) keys.push_back(KeyOf(d));
  std::vector<StoredEntity> page;
  const int64_t end = skip + top;
  size_t di = 0, pi = 0;
  for (int64_t position = 0; position < end && (di < docs.size() || pi < points.size()); ++position) {
    const bool take_doc =
        di < docs.size() && (pi == points.size() || DocFirst(keys[di], points[pi], series_order));
    if (position < skip) {
      take_doc ? ++di : ++pi;
      continue;
    }
    if (take_doc) {
      page.push_back(std::move(docs[di++]));
    } else {
      page.push_back(make(points[pi++]));
    }
  }
  return page;
}

}  // namespace datenwerk::sta
