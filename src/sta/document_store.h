// Private to sta: the SensorThings documents in the deployment's one database (SQLite or
// PostgreSQL, one implementation): one JSON document per entity (jsonb on PostgreSQL) and
// directed links, in the tables sta_entity, sta_link and sta_sequence.
//
// Write() runs its work in one write transaction of the database. The other methods, called by
// that work on its thread, run in that transaction; called anywhere else they run alone (reads
// on a reader, beside writes; a write in a transaction of its own).
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "sta/entity_store.h"
#include "store/sql_connection.h"

namespace datenwerk::sta {

class DocumentStore final : public EntityStore {
 public:
  // Creates the tables when missing. Borrows `db`.
  static Result<std::unique_ptr<DocumentStore>> Open(sql::Connection& db);
  explicit DocumentStore(sql::Connection& db) : db_(db) {}

  Status Write(const std::function<Status()>& work) override { return WriteThen(work, {}); }
  // Write() with `after` as sql::Connection::Write has it (the outcome of the commit of the
  // group the work ran in, for a work that returned Ok).
  Status WriteThen(const std::function<Status()>& work, const std::function<void(const Status&)>& after);
  // The transaction of the Write() running on this thread, or nullptr.
  sql::Tx* CurrentTx() const { return writer_.load() == std::this_thread::get_id() ? current_ : nullptr; }
  sql::Connection& database() { return db_; }

  Result<int64_t> Insert(EntityType type, const boost::json::object& doc) override;
  Status InsertWithId(EntityType type, int64_t id, const boost::json::object& doc) override;
  Status Replace(EntityType type, int64_t id, const boost::json::object& doc) override;
  Status Remove(EntityType type, int64_t id) override;
  Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to, int64_t to_id) override;
  Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                std::optional<int64_t> to_id = std::nullopt) override;
  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override;
  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override;
  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav, int64_t to_id) override;
  Result<ListResult> List(const ListRequest& request) override;

 private:
  // Runs `f` in the running Write()'s transaction, or in one of its own.
  Result<sql::Rows> Reading(const std::string& sql, const std::vector<sql::Value>& params);
  Status Writing(const std::function<Status(sql::Tx&)>& f);

  sql::Connection& db_;
  std::atomic<std::thread::id> writer_;  // the thread running Write()'s work
  sql::Tx* current_ = nullptr;           // its transaction; read only by that thread
};

}  // namespace datenwerk::sta
