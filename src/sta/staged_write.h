// Private to sta/service*.cc: one SensorThings write being built (style.md 16). Its reads see
// the store's committed state with this write's own changes laid over it; its changes go into a
// WriteBatch, and nothing is written until the batch is handed to EntityStore::Apply. Entities it
// inserts get ids reserved from the store at once; Observations get theirs when the batch is
// applied (their ops' results), so they are not visible to its reads.
// Not thread-safe: one request (or one $batch change set) builds it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "sta/entity_store.h"
#include "sta/write_batch.h"

namespace datenwerk::sta {

class StagedWrite final : public EntityReader {
 public:
  // Borrows `store` (must outlive this).
  explicit StagedWrite(EntityStore& store) : store_(store) {}

  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override;
  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override;
  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                        int64_t to_id) override;

  Result<int64_t> Insert(EntityType type, const boost::json::object& doc);
  // Inserts an entity linked from owner --nav--> unless the owner has such a link when the batch
  // is applied; the op's result says which entity it is. Returns the reserved id and the op.
  Result<std::pair<int64_t, size_t>> InsertUnlessLinked(EntityType owner_type, int64_t owner_id,
                                                        std::string_view nav, EntityType type,
                                                        const boost::json::object& doc);
  void Replace(EntityType type, int64_t id, const boost::json::object& doc);
  void Remove(EntityType type, int64_t id);
  void Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to, int64_t to_id);
  void Unlink(EntityType from, int64_t from_id, std::string_view nav,
              std::optional<int64_t> to_id = std::nullopt);
  // The entity must still exist when the batch is applied (kInvalidArgument at `where` else).
  void Require(EntityType type, int64_t id, std::string where);
  // Another module's row in the same transaction (see WriteOp::Kind::kStatement).
  void Statement(sql::Statement statement, std::string where) { batch_.Statement(std::move(statement), std::move(where)); }
  // With `id` (reserved), the Observation is a document under it and visible to reads here.
  size_t Observation(const boost::json::object& doc, EntityType stream, int64_t stream_id,
                     int64_t feature, std::optional<int64_t> id = std::nullopt);
  size_t Measurements(int64_t datastream, int64_t feature, std::vector<Measurement> rows) {
    return batch_.Measurements(datastream, feature, std::move(rows));
  }
  size_t RemoveObservations(int64_t datastream, int64_t from_ms, int64_t to_ms) {
    return batch_.RemoveObservations(datastream, from_ms, to_ms);
  }

  const WriteBatch& batch() const { return batch_; }

 private:
  using Key = std::pair<EntityType, int64_t>;
  struct LinkChanges {
    bool cleared = false;  // every link that was there is gone
    std::set<int64_t> added, removed;
  };
  LinkChanges& Changes(EntityType from, int64_t id, std::string_view nav);
  const LinkChanges* FindChanges(EntityType from, int64_t id, std::string_view nav) const;
  bool Gone(EntityType type, int64_t id) const { return removed_.contains({type, id}); }

  EntityStore& store_;
  WriteBatch batch_;
  std::map<Key, boost::json::object> docs_;  // inserted or replaced here
  std::set<Key> inserted_;
  std::set<Key> removed_;
  std::map<std::tuple<EntityType, int64_t, std::string>, LinkChanges, std::less<>> links_;
};

// The type of the entities from --nav--> leads to (internal links included).
EntityType NavigationTarget(EntityType from, std::string_view nav);

}  // namespace datenwerk::sta
