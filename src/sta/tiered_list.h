// Private to sta/tiered_*.cc: the lists of the tiered store. Observations come from two places,
// documents and time series, merged into one order (the planner's series_merge); Datastreams
// carry their series' span. Thread-safe as its two stores are.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "series/observation_store.h"
#include "sta/document_store.h"
#include "sta/series_merge.h"

namespace datenwerk::sta {

// Internal links between a FeatureOfInterest and the Datastreams whose series points it is of.
inline constexpr std::string_view kSeriesDatastreams = "_SeriesDatastreams";

// The document of a series point.
inline boost::json::object SeriesDoc(const series::Point& p) {
  return MeasurementDoc({p.time_ms, p.value});
}

class TieredLists {
 public:
  // Borrows both stores; they must outlive it.
  TieredLists(DocumentStore& docs, series::ObservationStore& series);

  // As EntityStore::List, over both tiers.
  Result<ListResult> List(const ListRequest& r);
  // A Datastream's phenomenonTime spans its series too (kept in memory, not written per point).
  void AddSeriesSpan(StoredEntity& datastream) const;

 private:
  // Points sorted in memory for one list, at most.
  static constexpr int64_t kMaxCandidates = 200'000;

  Result<ListResult> ListDatastreams(const ListRequest& r);
  // Every document `r` addresses (no skip, no top), at most kMaxCandidates; kNotImplemented
  // "<before>N<after>" at `field` otherwise.
  Result<ListResult> AllDocuments(const ListRequest& r, bool count, std::string_view before,
                                  std::string_view after, std::string_view field);
  Result<ListResult> DocumentObservations(const ListRequest& r, int64_t need);
  Result<std::vector<int64_t>> SeriesSources(const ListRequest& r);
  Result<std::vector<SeriesRef>> ReadPoints(const std::vector<int64_t>& sources, SeriesOrder order,
                                            int64_t need,
                                            const std::optional<std::pair<int64_t, int64_t>>& window);
  Status CollectSeries(const std::vector<int64_t>& sources,
                       const std::optional<std::pair<int64_t, int64_t>>& window,
                       std::vector<StoredEntity>& out);

  DocumentStore& docs_;
  series::ObservationStore& series_;
};

}  // namespace datenwerk::sta
