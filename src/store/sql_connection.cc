#include "store/sql_connection.h"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace datenwerk::sql {

const std::string& Row::Text(size_t i) const {
  static const std::string kEmpty;
  return cells_[i] ? *cells_[i] : kEmpty;
}

int64_t Row::Int(size_t i) const {
  int64_t v = 0;
  if (cells_[i]) std::from_chars(cells_[i]->data(), cells_[i]->data() + cells_[i]->size(), v);
  return v;
}

double Row::Real(size_t i) const {
  double v = 0;
  if (cells_[i]) std::from_chars(cells_[i]->data(), cells_[i]->data() + cells_[i]->size(), v);
  return v;
}

namespace {

// The lock every statement takes, except those of a running transaction's own thread.
class Guard {
 public:
  Guard(std::mutex& mu, const std::atomic<std::thread::id>& owner) {
    if (owner.load() != std::this_thread::get_id()) lock_ = std::unique_lock(mu);
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite::DbHandle db) : db_(std::move(db)) {}

  Result<std::vector<Row>> Query(const std::string& text, const std::vector<Value>& params) override {
    Guard guard(mu_, owner_);
    sqlite3_stmt* raw = Prepared(text);
    if (!raw) return Internal(std::string("sqlite prepare: ") + sqlite3_errmsg(db_.get()));
    // Reset when done, whatever the way out: a statement left stepping would hold its read lock.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{raw};
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(raw, index, *n);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        sqlite3_bind_double(raw, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(raw, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(raw, index);
      }
    }
    std::vector<Row> rows;
    const int columns = sqlite3_column_count(raw);
    for (;;) {
      const int rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        const int extended = sqlite3_extended_errcode(db_.get());
        const std::string detail = std::string("sqlite: ") + sqlite3_errmsg(db_.get());
        if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
          return Status(ErrorCode::kConflict, detail, "");
        }
        if (rc == SQLITE_FULL) return Status(ErrorCode::kStorageFull, "the disk is full", "database");
        if (rc == SQLITE_BUSY) return Unavailable("the database is busy; send again shortly", "database");
        return Internal(detail);
      }
      std::vector<std::optional<std::string>> cells(columns);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(raw, c) == SQLITE_NULL) continue;
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(raw, c));
        cells[c] = std::string(p, sqlite3_column_bytes(raw, c));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  Status Exec(const std::string& text) override {
    Guard guard(mu_, owner_);
    return sqlite::Exec(db_.get(), text);
  }

  Status Transaction(const std::function<Status()>& work) override {
    if (owner_.load() == std::this_thread::get_id()) return work();  // joins the running one
    std::lock_guard lock(mu_);
    owner_ = std::this_thread::get_id();
    sqlite::Transaction tx(db_.get());
    Status s = tx.status();
    if (s.ok()) s = work();
    if (s.ok()) s = tx.Commit();
    owner_ = std::thread::id();
    return s;
  }

  const char* Dialect() const override { return "sqlite"; }

 private:
  // The prepared statement for `text`, kept for the next use (at most kMaxStatements: the
  // statements are the store's own few, but a caller building SQL could make many).
  sqlite3_stmt* Prepared(const std::string& text) {
    if (auto it = statements_.find(text); it != statements_.end()) return it->second.get();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), text.c_str(), static_cast<int>(text.size()), &raw, nullptr) != SQLITE_OK) {
      return nullptr;
    }
    if (statements_.size() >= kMaxStatements) statements_.clear();
    return statements_.emplace(text, std::unique_ptr<sqlite3_stmt, sqlite::StmtFinalizer>(raw)).first->second.get();
  }
  static constexpr size_t kMaxStatements = 128;

  std::mutex mu_;
  std::atomic<std::thread::id> owner_;
  sqlite::DbHandle db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, sqlite::StmtFinalizer>> statements_;  // declared after db_: finalized before it closes
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(pg::ConnHandle conn) : conn_(std::move(conn)) {}

  Result<std::vector<Row>> Query(const std::string& text, const std::vector<Value>& params) override {
    Guard guard(mu_, owner_);
    std::vector<pg::Param> texts;
    texts.reserve(params.size());
    for (const Value& v : params) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        texts.emplace_back(std::to_string(*n));
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts.emplace_back(fmt::format("{}", *d));
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        texts.emplace_back(*s);
      } else {
        texts.emplace_back(std::nullopt);
      }
    }
    auto result = pg::Query(conn_.get(), text.c_str(), texts);
    if (!result.ok()) return result.status();
    std::vector<Row> rows;
    rows.reserve(result->size());
    for (int r = 0; r < result->size(); ++r) {
      std::vector<std::optional<std::string>> cells(result->columns());
      for (int c = 0; c < result->columns(); ++c) {
        if (!result->IsNull(r, c)) cells[c] = result->Text(r, c);
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  Status Exec(const std::string& text) override {
    Guard guard(mu_, owner_);
    return pg::Exec(conn_.get(), text.c_str());
  }

  Status Transaction(const std::function<Status()>& work) override {
    if (owner_.load() == std::this_thread::get_id()) return work();  // joins the running one
    std::lock_guard lock(mu_);
    owner_ = std::this_thread::get_id();
    Status s = pg::Exec(conn_.get(), "BEGIN");
    if (s.ok()) {
      s = work();
      if (s.ok()) s = pg::Exec(conn_.get(), "COMMIT");
      if (!s.ok()) IgnoreError(pg::Exec(conn_.get(), "ROLLBACK"));
    }
    owner_ = std::thread::id();
    return s;
  }

  const char* Dialect() const override { return "postgresql"; }

 private:
  std::mutex mu_;
  std::atomic<std::thread::id> owner_;
  pg::ConnHandle conn_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const std::string& what) {
  auto db = sqlite::Open(path, what);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(std::move(db).value()));
}

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo) {
  auto conn = pg::Connect(conninfo);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(std::move(conn).value()));
}

}  // namespace datenwerk::sql
