// One data-access layer for SQLite and PostgreSQL: the same statement text runs on both.
// Parameters are written $1, $2, … and must first appear in ascending order (SQLite numbers
// named parameters by first appearance); "RETURNING" and "ON CONFLICT" work on both.
//
// Statements run through a transaction handle (Tx), so a call site shows whether it is inside
// one: Write() runs its work in a write transaction on the one writer connection (writes are
// serialised, and grouped into shared commits); Read() runs its work in a read transaction (a
// snapshot) on a reader connection, beside writes. A work must not call Write() (it has its Tx):
// that answers kInternal instead of deadlocking.
//
// Thread-safe. Query(), Exec() and Transaction() without a handle are the older style still used
// by the back-office stores: each statement alone is its own transaction, and statements inside
// Transaction()'s work (same thread) join it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace datenwerk::sql {

// Bytes stored as a BLOB (SQLite) or bytea (PostgreSQL).
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;  // monostate: NULL

// A statement as a value, for a module that hands its row to another's transaction.
struct Statement {
  std::string text;
  std::vector<Value> params;
};

// One row of a result. SQLite's cells keep their type (an integer or a real is not turned into
// text and parsed back); PostgreSQL's arrive as text. Text() gives any cell as text (numbers in a
// form that reads back exactly; blobs as their bytes), "" for NULL; Int() and Real() any cell as
// a number (0 for NULL or text that is not one). A value, used by one thread at a time.
class Row {
 public:
  using Cell = std::variant<std::monostate, int64_t, double, std::string>;  // monostate: NULL
  explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cells_[i]); }
  const std::string& Text(size_t i) const;
  const std::string& Bytes(size_t i) const { return Text(i); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;

 private:
  mutable std::vector<Cell> cells_;  // a number becomes its text when Text() asks for it
};

using Rows = std::vector<Row>;

// A running transaction. Valid only inside the work it was handed to; not thread-safe.
class Tx {
 public:
  // Runs `sql` with `params`; the rows it returns (SELECT, or RETURNING). A unique violation is
  // kConflict.
  virtual Result<Rows> Query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Runs an INSERT, UPDATE or DELETE; how many rows it changed (0: an INSERT ... ON CONFLICT DO
  // NOTHING that met a conflict). Cheaper than RETURNING on SQLite (which collects the rows
  // returned in a table of their own first): 3 against 7 µs for a small insert.
  virtual Result<int64_t> Change(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters.
  virtual Status Exec(const std::string& sql) = 0;
  // Runs a SELECT and hands `each` its rows one by one (it may take them), without holding them
  // all (a cursor on PostgreSQL); stops at the first error `each` returns.
  virtual Status Each(const std::string& sql, const std::vector<Value>& params,
                      const std::function<Status(Row&)>& each) = 0;
  // "sqlite" or "postgresql", for the few words that differ.
  virtual const char* Dialect() const = 0;

 protected:
  ~Tx() = default;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs `work` in a write transaction: its changes are committed when it returns Ok, and undone
  // when it fails or throws (the exception goes on, on the caller's thread). Nothing is
  // half-written either way, and Write returns only after the commit is durable.
  //
  // Group commit: writes that arrive while another group commits wait and then run together, in
  // arrival order, each in a savepoint of one transaction, with one commit for all (LevelDB's
  // DBImpl::Write), on the connection's one writer thread. On SQLite a sync thread makes the
  // group durable while the writer goes on with the next group; one sync covers every commit
  // before it (store/wal_sync.h): a read may see a commit a moment before it is durable; no
  // caller hears of success before. A write that finds nothing else being written runs and
  // syncs on its caller's thread. So `work` may run on another thread than the caller's, and
  // must reach the database only through its Tx. `after`, if set, runs once the group has ended for a work that
  // returned Ok, with the outcome (Ok: committed; else: the commit failed and it was undone),
  // before any later write begins (so caches that follow the database see commits in order).
  virtual Status Write(const std::function<Status(Tx&)>& work,
                       const std::function<void(const Status&)>& after = {}) = 0;
  // Runs `work` in one read-only transaction beside writes (it sees a snapshot).
  virtual Status Read(const std::function<Status(Tx&)>& work) = 0;
  // One statement on a reader, without a transaction around it (one statement sees one state).
  virtual Result<Rows> ReadOne(const std::string& sql, const std::vector<Value>& params = {}) = 0;

  // The older style (see above).
  virtual Result<Rows> Query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  virtual Status Exec(const std::string& sql) = 0;
  // `work` gets the running transaction; statements through the connection on the same thread
  // join it too (the older stores' methods).
  virtual Status Transaction(const std::function<Status(Tx&)>& work) = 0;

  // Writes run and the groups they were committed in, since the connection was opened.
  struct WriteStats {
    uint64_t writes = 0;
    uint64_t groups = 0;
    uint64_t syncs = 0;  // SQLite: syncs of the log, each covering the commits before it
  };
  virtual WriteStats Stats() const = 0;

  // "sqlite" or "postgresql", for the few DDL words that differ.
  virtual const char* Dialect() const = 0;
  // The SQLite file's path ("" on PostgreSQL).
  virtual const std::string& Path() const = 0;
};

// The database's clock in milliseconds since 1970, as an SQL expression of `dialect`: the one
// clock every node of a deployment shares (leases, shared rate limits).
const char* DatabaseNowMs(const char* dialect);

// One statement on a reader of `db` (see Connection::ReadOne).
inline Result<Rows> ReadQuery(Connection& db, const std::string& sql, const std::vector<Value>& params = {}) {
  return db.ReadOne(sql, params);
}

// The SQLite file at `path` (created when missing; WAL, synchronous commits), or the PostgreSQL
// database at `conninfo`. Readers are opened when first needed, at most `readers` of them.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const std::string& what,
                                               int readers = 4);
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo, int readers = 4);
// SQLite for a path, PostgreSQL for a conninfo ("postgresql://…", "host=…").
Result<std::unique_ptr<Connection>> Open(const std::string& path_or_conninfo, const std::string& what);

// For a store in a database of its own (tests, benchmarks, tools): opens `path_or_conninfo` and
// hands `make` the connection and its ownership, `make(Connection&, std::unique_ptr<Connection>)`.
template <typename Make>
auto OpenOwned(const std::string& path_or_conninfo, const std::string& what, Make&& make)
    -> decltype(make(std::declval<Connection&>(), std::unique_ptr<Connection>())) {
  auto db = Open(path_or_conninfo, what);
  if (!db.ok()) return db.status();
  Connection& borrowed = **db;
  return make(borrowed, std::move(db).value());
}

}  // namespace datenwerk::sql
