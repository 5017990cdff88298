// Storage of SensorThings entities: one JSON document per entity and directed links for the
// navigation properties (each relation is stored in both directions). The implementation is
// tiered_store.h: plain numeric Observations as time series beside documents (document_store.h),
// both in the deployment's one database. Thread-safe; Write() is one transaction.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/model.h"
#include "sta/query_options.h"

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
  int64_t skip = 0;
  int64_t top = kDefaultTop;
  bool count = false;
};

struct InsertedObservation {
  int64_t id = 0;
  bool created = true;   // false: an equal one was stored already (same id)
  bool series = false;   // kept as a time-series point: its Datastream's phenomenonTime covers
                         // it without being written (the store adds the series' span on reads)
};

// A plain numeric Observation: phenomenonTime (an instant) and a finite number as result.
struct Measurement {
  int64_t time_ms = 0;
  double result = 0;
};

struct ListResult {
  std::vector<StoredEntity> entities;
  std::optional<int64_t> total;  // when counted
};

class EntityStore {
 public:
  virtual ~EntityStore() = default;

  // Runs `work` in one transaction: committed when it returns Ok, rolled back otherwise. The
  // other methods may be called inside it (same thread) and outside it.
  virtual Status Write(const std::function<Status()>& work) = 0;

  virtual Result<int64_t> Insert(EntityType type, const boost::json::object& doc) = 0;
  // Inserts under an id the caller knows to be free (kConflict otherwise).
  virtual Status InsertWithId(EntityType type, int64_t id, const boost::json::object& doc) = 0;
  // Creates an Observation of `datastream` about `feature`, linked both ways. A store may keep it
  // as a time-series point; one with the Datastream and phenomenonTime of a stored point then
  // answers that point's id and stores nothing (idempotent ingest).
  virtual Result<InsertedObservation> InsertObservation(const boost::json::object& doc,
                                                        int64_t datastream, int64_t feature);
  // Many plain Observations of one Datastream at once (bulk ingest), in order; as
  // InsertObservation for each, without building documents where the store needs none.
  virtual Result<std::vector<InsertedObservation>> InsertMeasurements(
      int64_t datastream, int64_t feature, const std::vector<Measurement>& rows);
  virtual Status Replace(EntityType type, int64_t id, const boost::json::object& doc) = 0;
  // Removes the entity and every link from or to it.
  virtual Status Remove(EntityType type, int64_t id) = 0;
  // Removes the Observations of a Datastream whose phenomenonTime (its start, for an interval)
  // lies in [from_ms, to_ms); returns how many.
  virtual Result<int64_t> RemoveObservations(int64_t datastream, int64_t from_ms, int64_t to_ms);
  // Adds from --nav--> to (one direction; callers add the inverse too).
  virtual Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
                      int64_t to_id) = 0;
  // Removes the links from --nav--> to_id, or from --nav--> * without `to_id`.
  virtual Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                        std::optional<int64_t> to_id = std::nullopt) = 0;

  virtual Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) = 0;
  // The targets of from --nav-->, ascending. Observations a store keeps as time series are not
  // listed under Datastreams/FeaturesOfInterest here (there may be millions): List() and
  // IsLinked() see them, and removing the Datastream or FeatureOfInterest removes them.
  virtual Result<std::vector<int64_t>> Linked(EntityType from, int64_t id,
                                              std::string_view nav) = 0;
  virtual Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                                int64_t to_id) = 0;
  virtual Result<ListResult> List(const ListRequest& request) = 0;
};

// The document of a plain Observation: integral results as integers.
boost::json::object MeasurementDoc(const Measurement& m);

}  // namespace datenwerk::sta
