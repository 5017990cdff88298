// Storage of SensorThings entities: one JSON document per entity and directed links for the
// navigation properties (each relation is stored in both directions). The implementation is
// tiered_store.h: plain numeric Observations as time series beside documents (document_store.h),
// both in the deployment's one database. Writes arrive as values (write_batch.h), each applied
// in one transaction. Thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/model.h"
#include "sta/query_options.h"
#include "sta/write_batch.h"

namespace datenwerk::sta {

struct StoredEntity {
  int64_t id = 0;
  boost::json::object doc;  // the entity's properties, without @iot annotations
};

struct ListRequest {
  EntityType type;
  // Restrict to the entities reached from (type, id) over a navigation property.
  std::optional<EntityType> from_type;
  int64_t from_id = 0;
  std::string_view via;  // navigation property name on the "from" side
  std::vector<OrderBy> order;  // default: by id
  // Observations only: a span [first, second) of ms that holds the phenomenonTime start of every
  // Observation wanted (a superset of what a $filter matches). A store may leave out the others
  // and count only those in it; it may also ignore it.
  std::optional<std::pair<int64_t, int64_t>> window;
  // Observations only: the Datastreams whose Observations can match (a superset, from the
  // $filter); a store may read the time series of these only.
  std::optional<std::vector<int64_t>> datastreams;
  int64_t skip = 0;
  int64_t top = kDefaultTop;
  bool count = false;
};

struct ListResult {
  std::vector<StoredEntity> entities;
  std::optional<int64_t> total;  // when counted
};

// Reads of entities: a store's committed state, or a write being built over it.
class EntityReader {
 public:
  virtual ~EntityReader() = default;
  virtual Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) = 0;
  // The targets of from --nav-->, ascending. Observations a store keeps as time series are not
  // listed under Datastreams/FeaturesOfInterest here (there may be millions): List() and
  // IsLinked() see them, and removing the Datastream or FeatureOfInterest removes them.
  virtual Result<std::vector<int64_t>> Linked(EntityType from, int64_t id,
                                              std::string_view nav) = 0;
  virtual Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                                int64_t to_id) = 0;
};

class EntityStore : public EntityReader {
 public:

  // An id for an entity a batch will insert, never handed out again (a batch that fails leaves
  // a gap, as a database sequence does). Not for Observations: Apply gives them theirs.
  virtual Result<int64_t> ReserveId(EntityType type) = 0;
  // Applies `batch` in one transaction, all or nothing, and answers one OpResult per op. A
  // failed kRequire answers kInvalidArgument at its `where`; an insert under a taken id
  // kConflict. Runs nothing of the caller's while the transaction is open.
  virtual Result<std::vector<OpResult>> Apply(const WriteBatch& batch) = 0;

  // Reads (Get, Linked, IsLinked, List) see the committed state and run beside writes.
  virtual Result<ListResult> List(const ListRequest& request) = 0;
};

// The document of a plain Observation: integral results as integers.
boost::json::object MeasurementDoc(const Measurement& m);

}  // namespace datenwerk::sta
