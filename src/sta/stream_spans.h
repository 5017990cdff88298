// Private to sta/tiered_store.cc: keeps the phenomenonTime and resultTime of (Multi)Datastreams
// spanning their Observations kept as documents, while a batch is applied (a Datastream's series
// points add their span on reads). Collected per batch, written once at its end. A value of one
// Apply; not thread-safe.
#pragma once

#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "sta/document_store.h"

namespace datenwerk::sta {

class StreamSpans {
 public:
  // Widens the stream's spans to cover the Observation's phenomenonTime and resultTime.
  void Widen(EntityType type, int64_t id, const boost::json::object& observation);
  // which: 0 phenomenonTime, 1 resultTime.
  void Widen(EntityType type, int64_t id, int which, const std::string& start, const std::string& end);
  // The stream lost Observations: its spans are recomputed from the documents left.
  void Shrunk(EntityType type, int64_t id) { shrunk_.insert({type, id}); }

  // Writes what changed into the stream documents, in `tx`: recomputed spans first, then the
  // widened ones.
  Status Flush(sql::Tx& tx, DocumentStore& docs);

 private:
  using Key = std::pair<EntityType, int64_t>;
  Status Recompute(sql::Tx& tx, DocumentStore& docs, const Key& key);
  std::map<Key, std::array<std::string, 4>> widened_;  // start/end of both times
  std::set<Key> shrunk_;
};

}  // namespace datenwerk::sta
