// Private to sta: the SensorThings documents in the deployment's one database (SQLite or
// PostgreSQL, one implementation): one JSON document per entity (jsonb on PostgreSQL) and
// directed links, in the tables sta_entity, sta_link and sta_sequence.
//
// Every statement runs through a transaction handle the caller names: the methods taking a
// sql::Tx& run in that transaction (the tiered store's Apply); the reads without one run alone on
// a reader, beside writes, and see the committed state. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "core/thread_annotations.h"
#include "sta/entity_store.h"
#include "store/sql_connection.h"

namespace datenwerk::sta {

class DocumentStore {
 public:
  // Creates the tables when missing. Borrows `db`.
  static Result<std::unique_ptr<DocumentStore>> Open(sql::Connection& db);
  explicit DocumentStore(sql::Connection& db) : db_(db) {}
  DocumentStore(const DocumentStore&) = delete;
  DocumentStore& operator=(const DocumentStore&) = delete;

  sql::Connection& database() { return db_; }

  // An id of `type` no one else gets: taken from blocks that a transaction of their own moves
  // sta_sequence past (several processes on one database never share one).
  Result<int64_t> ReserveId(EntityType type);

  // In the caller's write transaction.
  Result<int64_t> NextId(sql::Tx& tx, EntityType type);
  // kConflict when the id is taken.
  Status Insert(sql::Tx& tx, EntityType type, int64_t id, const boost::json::object& doc);
  Status Replace(sql::Tx& tx, EntityType type, int64_t id, const boost::json::object& doc);
  // Removes the entity and every link from or to it.
  Status Remove(sql::Tx& tx, EntityType type, int64_t id);
  Status Link(sql::Tx& tx, EntityType from, int64_t from_id, std::string_view nav, EntityType to,
              int64_t to_id);
  Status Unlink(sql::Tx& tx, EntityType from, int64_t from_id, std::string_view nav,
                std::optional<int64_t> to_id);

  // Reads in `tx`, or alone on a reader without it.
  Result<std::optional<StoredEntity>> Get(sql::Tx* tx, EntityType type, int64_t id);
  // Whether the entity is stored (without reading its document).
  Result<bool> Exists(sql::Tx* tx, EntityType type, int64_t id);
  Result<std::vector<int64_t>> Linked(sql::Tx* tx, EntityType from, int64_t id, std::string_view nav);
  Result<bool> IsLinked(sql::Tx* tx, EntityType from, int64_t from_id, std::string_view nav, int64_t to_id);
  Result<ListResult> List(const ListRequest& request);

 private:
  Result<sql::Rows> Query(sql::Tx* tx, const std::string& sql, const std::vector<sql::Value>& params);

  sql::Connection& db_;
  struct Block {
    int64_t next = 0, end = 0;  // [next, end) reserved and not handed out
    int64_t size = 1;           // the next block's size: doubles up to kMaxBlock
  };
  static constexpr int64_t kMaxBlock = 64;
  Mutex mu_;
  std::map<EntityType, Block> blocks_ GUARDED_BY(mu_);
};

}  // namespace datenwerk::sta
