// Private to store: a thin RAII layer over the SQLite C API under sql_connection.cc (the one
// data-access layer). Not thread-safe: one connection per owner, used under the owner's lock.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// A prepared statement. Bind indexes are 1-based as in SQLite; columns 0-based.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  bool valid() const { return stmt_ != nullptr; }

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t number);
  Statement& Bind(int index, std::optional<double> number);  // NULL when empty
  Statement& BindBlob(int index, std::string_view bytes);
  // Clears bindings' results so the statement can run again with new bindings.
  void Reset();
  // SQLITE_ROW -> true, SQLITE_DONE -> false; an error sets `status()`.
  bool Step();
  const Status& status() const { return status_; }

  std::string Text(int column) const;
  int64_t Int(int column) const;
  std::optional<double> Real(int column) const;
  // Valid until the next Step or Reset.
  std::string_view Blob(int column) const;

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
  Status status_;
};

// Runs SQL with no results (may be several statements).
Status Exec(sqlite3* db, std::string_view sql);

// Opens the database file at `path` as every store here keeps its data: created when missing,
// WAL journal, synchronous commits, a 5 s busy timeout. Read-only connections only get the
// timeout. `what` names the file in errors ("device registry"); `threading` is
// SQLITE_OPEN_NOMUTEX (the owner locks) or SQLITE_OPEN_FULLMUTEX.
Result<DbHandle> Open(const std::string& path, std::string_view what, bool read_only = false,
                      int threading = SQLITE_OPEN_NOMUTEX);

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return begin_; }
  Status Commit();

 private:
  sqlite3* db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace datenwerk::sqlite
