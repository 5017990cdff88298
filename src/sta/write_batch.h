// A SensorThings write as a value (style.md 16; LevelDB's WriteBatch): every change of one
// logical write in order. Entities it creates carry ids reserved beforehand
// (EntityStore::ReserveId); Observations get theirs when applied (a series point's id follows
// from its Datastream and time). EntityStore::Apply applies a batch in one transaction and calls
// nothing back. Batches concatenate: a $batch change set or an import is one batch.
// A value: copyable, not thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sta/model.h"
#include "store/sql_connection.h"

namespace datenwerk::sta {

// A plain numeric Observation: phenomenonTime (an instant) and a finite number as result.
struct Measurement {
  int64_t time_ms = 0;
  double result = 0;
};

struct WriteOp {
  enum class Kind {
    kRequire,             // (type, id) must exist, else kInvalidArgument "<where>"
    kInsert,              // (type, id) with doc; id reserved
    kInsertUnlessLinked,  // as kInsert plus the link owner --nav--> it, unless owner has a nav
                          // link already: then `id` stands for that target in later ops
    kReplace,             // (type, id) gets doc
    kRemove,              // (type, id) with every link from or to it
    kLink,                // (type, id) --nav--> (to_type, to_id), one direction
    kUnlink,              // (type, id) --nav--> to_id, or --nav--> * without to_id
    kObservation,         // doc, of stream (to_type, to_id) about FeatureOfInterest `feature`;
                          // id: 0, or the document's reserved id
    kMeasurements,        // rows of Datastream to_id about `feature`
    kRemoveObservations,  // of Datastream to_id with phenomenonTime in [from_ms, to_ms)
    kStatement,           // another module's row in the same database: `statement` must
                          // change a row, else the batch fails with kConflict at `where`
  };
  Kind kind = Kind::kRequire;
  EntityType type = EntityType::kThing;
  int64_t id = 0;
  std::string nav;
  EntityType to_type = EntityType::kThing;
  std::optional<int64_t> to_id;
  int64_t feature = 0;
  EntityType owner_type = EntityType::kThing;  // kInsertUnlessLinked
  int64_t owner_id = 0;
  boost::json::object doc;
  std::vector<Measurement> rows;
  int64_t from_ms = 0, to_ms = 0;
  std::string where;  // kRequire: the request member that named the entity
  sql::Statement statement;
};

struct InsertedObservation {
  int64_t id = 0;
  bool created = true;   // false: an equal one was stored already (same id)
  bool series = false;   // kept as a time-series point: its Datastream's phenomenonTime covers
                         // it without being written (the store adds the series' span on reads)
};

// What applying one op produced.
struct OpResult {
  std::vector<InsertedObservation> observations;  // kObservation (one), kMeasurements (per row)
  int64_t removed = 0;                            // kRemoveObservations
  int64_t id = 0;       // kInsertUnlessLinked: the target (reserved or existing)
  bool created = false;  // kInsertUnlessLinked: the entity was inserted
};

// What a batch that changes entities (not only Observations) announces to the other nodes.
inline constexpr char kSensorThingsTopic[] = "sensorthings";

class WriteBatch {
 public:
  // The index of the op each call appends (its OpResult's index).
  size_t Require(EntityType type, int64_t id, std::string where);
  size_t Insert(EntityType type, int64_t id, boost::json::object doc);
  size_t InsertUnlessLinked(EntityType owner_type, int64_t owner_id, std::string nav,
                            EntityType type, int64_t id, boost::json::object doc);
  size_t Replace(EntityType type, int64_t id, boost::json::object doc);
  size_t Remove(EntityType type, int64_t id);
  size_t Link(EntityType from, int64_t from_id, std::string nav, EntityType to, int64_t to_id);
  size_t Unlink(EntityType from, int64_t from_id, std::string nav, std::optional<int64_t> to_id);
  // Of a Datastream or MultiDatastream (`stream`): linked both ways to it and to `feature`; the
  // stream's phenomenonTime and resultTime widen to cover it. With a (reserved) `id` other than
  // 0 it is kept as a document under that id; else the store chooses.
  size_t Observation(boost::json::object doc, EntityType stream, int64_t stream_id,
                     int64_t feature, int64_t id = 0);
  size_t Measurements(int64_t datastream, int64_t feature, std::vector<Measurement> rows);
  size_t RemoveObservations(int64_t datastream, int64_t from_ms, int64_t to_ms);
  // E.g. an uplink's sighting, "INSERT … ON CONFLICT DO NOTHING RETURNING …": a repeat (no row)
  // undoes the whole batch.
  size_t Statement(sql::Statement statement, std::string where);

  // Appends `other`'s ops; returns the index `other`'s first op has here.
  size_t Append(WriteBatch other);

  const std::vector<WriteOp>& ops() const { return ops_; }
  // Whether it adds Observations (and checks, and other modules' rows) only: no entity changes.
  bool OnlyObservations() const;
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }

 private:
  size_t Add(WriteOp op);
  std::vector<WriteOp> ops_;
};

}  // namespace datenwerk::sta
