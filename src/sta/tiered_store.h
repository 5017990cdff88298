// An EntityStore in two tiers: plain numeric Observations live in a series::ObservationStore
// (Gorilla-coded chunks, rollups kept at ingest, latest value in constant time); everything else
// lives in a document store. The service above sees one store.
//
// An Observation is kept as a series point when its result is a finite number, its
// phenomenonTime an instant from 1970 on, it has no resultTime, resultQuality, validTime or
// parameters, its Datastream id is below 2^20, and its FeatureOfInterest is the one of its
// Datastream's series (the first series point fixes it). Series keep one point per Datastream and
// second: the same phenomenonTime again is the same Observation (idempotent ingest); another
// time within that second is kept as a document. Series Observation ids are
// datastream * 2^33 + seconds since 1970, below 2^53 so JavaScript clients read them exactly.
// A PATCH that makes a series Observation non-plain, or relinks it, moves it to the documents
// under the same id.
//
// Documents and series live in the same database (the series store's): Apply() makes a batch's
// documents, links, series points and Datastream spans in one transaction, so an Observation's
// document, its series point and its Datastream's span commit together or not at all.
// Thread-safe; reads run beside a batch being applied and see what is committed.
#pragma once

#include <memory>

#include "series/observation_store.h"
#include "sta/entity_store.h"

namespace datenwerk::sta {

inline constexpr int kSeriesSecondBits = 33;
inline constexpr int64_t kMaxSeriesDatastream = (int64_t{1} << 20) - 1;

// The id of the series Observation of `datastream` at `time_ms`.
inline int64_t SeriesObservationId(int64_t datastream, int64_t time_ms) {
  return (datastream << kSeriesSecondBits) | (time_ms / 1000);
}

// The documents in the series store's database (tables created when missing); borrows `series`
// (must outlive the returned store).
Result<std::unique_ptr<EntityStore>> MakeTieredEntityStore(series::ObservationStore& series);

}  // namespace datenwerk::sta
