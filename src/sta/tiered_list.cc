#include "sta/tiered_list.h"

#include <algorithm>
#include <limits>

#include "core/dates.h"
#include "sta/entity_order.h"
#include "sta/tiered_store.h"

namespace datenwerk::sta {

namespace json = boost::json;
using series::Point;

TieredLists::TieredLists(DocumentStore& docs, series::ObservationStore& series)
    : docs_(docs), series_(series) {}

Result<ListResult> TieredLists::List(const ListRequest& r) {
  if (r.type == EntityType::kDatastream) return ListDatastreams(r);
  if (r.type != EntityType::kObservation) return docs_.List(r);
  auto sources = SeriesSources(r);
  if (!sources.ok()) return sources.status();
  if (sources->empty()) return docs_.List(r);
  const int64_t need = r.skip + r.top;
  auto docs = DocumentObservations(r, need);
  if (!docs.ok()) return docs.status();
  ListResult out;
  if (r.count) {
    int64_t total = docs->total.value_or(0);
    for (int64_t ds : *sources) {
      auto n = r.window ? series_.CountRange(ds, std::max<int64_t>(0, r.window->first),
                                             r.window->second)
                        : series_.Count(ds);
      if (!n.ok()) return n.status();
      total += *n;
    }
    out.total = total;
  }
  if (auto order = SeriesOrderOf(r.order)) {
    // The series' own order: read the points up to the page, build only the page.
    auto points = ReadPoints(*sources, *order, need, r.window);
    if (!points.ok()) return points.status();
    out.entities = MergePage(std::move(docs->entities), *points, r.order, *order, r.skip, r.top,
                             [](const SeriesRef& p) {
                               return StoredEntity{p.id, SeriesDoc(p.point)};
                             });
    return out;
  }
  // Any other order: every point (bounded) is made a document and sorted here.
  std::vector<StoredEntity> all = std::move(docs->entities);
  if (auto s = CollectSeries(*sources, r.window, all); !s.ok()) return s;
  SortInOrder(all, r.order);
  out.entities = TakePage(all, r.skip, r.top);
  return out;
}

// Datastreams with their phenomenonTime spanning their series. Ordered by it, they are sorted
// here: the stored documents do not have the series' part of the span.
Result<ListResult> TieredLists::ListDatastreams(const ListRequest& r) {
  const bool by_span = std::any_of(r.order.begin(), r.order.end(), [](const OrderBy& o) {
    return !o.path.empty() && o.path[0] == "phenomenonTime";
  });
  if (!by_span) {
    auto list = docs_.List(r);
    if (list.ok()) {
      for (StoredEntity& e : list->entities) AddSeriesSpan(e);
    }
    return list;
  }
  auto list = AllDocuments(r, r.count, "ordering more than ",
                          " Datastreams by phenomenonTime is not supported; narrow the set",
                          "$orderby");
  if (!list.ok()) return list.status();
  for (StoredEntity& e : list->entities) AddSeriesSpan(e);
  SortInOrder(list->entities, r.order);
  ListResult out;
  out.total = list->total;
  out.entities = TakePage(list->entities, r.skip, r.top);
  return out;
}

Result<ListResult> TieredLists::AllDocuments(const ListRequest& r, bool count,
                                            std::string_view before, std::string_view after,
                                            std::string_view field) {
  ListRequest all = r;
  all.skip = 0;
  all.top = kMaxCandidates + 1;
  all.count = count;
  auto list = docs_.List(all);
  if (!list.ok()) return list.status();
  if (static_cast<int64_t>(list->entities.size()) > kMaxCandidates) {
    return Status(ErrorCode::kNotImplemented,
                  std::string(before) + std::to_string(kMaxCandidates) + std::string(after),
                  std::string(field));
  }
  return list;
}

// The Observations kept as documents that can be among the first `need` of `r`: within its
// window only, when it has one (documents are few; they are filtered here by the start of
// their phenomenonTime, a superset of what the window's $filter matches).
Result<ListResult> TieredLists::DocumentObservations(const ListRequest& r, int64_t need) {
  ListRequest docs_request = r;
  docs_request.skip = 0;
  docs_request.top = need;
  if (!r.window) return docs_.List(docs_request);
  auto docs = AllDocuments(r, /*count=*/false, "more than ",
                           " Observations kept as documents; address fewer", "$filter");
  if (!docs.ok()) return docs.status();
  std::erase_if(docs->entities, [&](const StoredEntity& e) {
    const json::value* time = e.doc.if_contains("phenomenonTime");
    if (!time || !time->is_string()) return true;
    const std::string_view text = time->get_string();
    auto start = ParseRfc3339Ms(text.substr(0, text.find('/')));
    return !start || *start < r.window->first || *start >= r.window->second;
  });
  if (r.count) docs->total = static_cast<int64_t>(docs->entities.size());
  if (static_cast<int64_t>(docs->entities.size()) > need) {
    SortInOrder(docs->entities, r.order);
    docs->entities.resize(static_cast<size_t>(need));
  }
  return docs;
}

// A Datastream's phenomenonTime spans its series too (kept in memory, not written per point).
void TieredLists::AddSeriesSpan(StoredEntity& datastream) const {
  auto first = series_.FirstTime(datastream.id);
  auto latest = series_.Latest(datastream.id);
  if (!first || !latest) return;
  std::string lo = FormatRfc3339Ms(*first), hi = FormatRfc3339Ms(latest->time_ms);
  if (const json::value* stored = datastream.doc.if_contains("phenomenonTime");
      stored && stored->is_string()) {
    const std::string_view span = stored->get_string();
    const size_t slash = span.find('/');
    if (slash != std::string_view::npos) {
      lo = std::min(lo, std::string(span.substr(0, slash)));
      hi = std::max(hi, std::string(span.substr(slash + 1)));
    }
  }
  datastream.doc["phenomenonTime"] = lo + "/" + hi;
}

// The datastreams whose series points belong in the list.
Result<std::vector<int64_t>> TieredLists::SeriesSources(const ListRequest& r) {
  if (!r.from_type && r.datastreams) {
    std::vector<int64_t> some;
    for (int64_t ds : *r.datastreams) {
      if (series_.Latest(ds)) some.push_back(ds);
    }
    std::sort(some.begin(), some.end());
    some.erase(std::unique(some.begin(), some.end()), some.end());
    return some;
  }
  if (!r.from_type) return series_.Datastreams();
  if (r.via != "Observations") return std::vector<int64_t>{};
  if (*r.from_type == EntityType::kDatastream) {
    if (!series_.Latest(r.from_id)) return std::vector<int64_t>{};
    return std::vector<int64_t>{r.from_id};
  }
  if (*r.from_type != EntityType::kFeatureOfInterest) return std::vector<int64_t>{};
  return docs_.Linked(nullptr, EntityType::kFeatureOfInterest, r.from_id, kSeriesDatastreams);
}

// The first `need` points of `sources` within `window` in `order` (series ids grow with time
// within a Datastream and with the Datastream across them).
Result<std::vector<SeriesRef>> TieredLists::ReadPoints(const std::vector<int64_t>& sources, SeriesOrder order,
                                          int64_t need,
                                          const std::optional<std::pair<int64_t, int64_t>>& window) {
  const int64_t from = window ? std::max<int64_t>(0, window->first) : 0;
  const int64_t to = window ? window->second : std::numeric_limits<int64_t>::max();
  std::vector<int64_t> streams = sources;
  if (!order.by_time && order.descending) std::reverse(streams.begin(), streams.end());
  std::vector<SeriesRef> out;
  for (int64_t ds : streams) {
    // By id, once `need` points are in, later Datastreams cannot come before them.
    if (from >= to || (!order.by_time && static_cast<int64_t>(out.size()) >= need)) break;
    auto points = series_.Range(ds, from, to, static_cast<size_t>(need), order.descending);
    if (!points.ok()) return points.status();
    for (const Point& p : *points) out.push_back({SeriesObservationId(ds, p.time_ms), p});
  }
  if (order.by_time && streams.size() > 1) {
    std::sort(out.begin(), out.end(), [&](const SeriesRef& a, const SeriesRef& b) {
      if (a.point.time_ms != b.point.time_ms) {
        return order.descending ? a.point.time_ms > b.point.time_ms : a.point.time_ms < b.point.time_ms;
      }
      return a.id < b.id;
    });
    if (static_cast<int64_t>(out.size()) > need) out.resize(static_cast<size_t>(need));
  }
  return out;
}

// Adds every point of `sources` within `window` to `out`, for orders the series do not have.
Status TieredLists::CollectSeries(const std::vector<int64_t>& sources,
                     const std::optional<std::pair<int64_t, int64_t>>& window,
                     std::vector<StoredEntity>& out) {
  const int64_t from = window ? std::max<int64_t>(0, window->first) : 0;
  const int64_t to = window ? window->second : std::numeric_limits<int64_t>::max();
  for (int64_t ds : sources) {
    if (from >= to) break;
    auto points = series_.Range(ds, from, to, kMaxCandidates + 1, false);
    if (!points.ok()) return points.status();
    if (points->size() + out.size() > kMaxCandidates) {
      return Status(ErrorCode::kNotImplemented,
                    "ordering more than " + std::to_string(kMaxCandidates) +
                        " Observations by this property is not supported; order by "
                        "phenomenonTime or narrow the set",
                    "$orderby");
    }
    for (const Point& p : *points) {
      out.push_back({SeriesObservationId(ds, p.time_ms), SeriesDoc(p)});
    }
  }
  return Status::Ok();
}

}  // namespace datenwerk::sta
