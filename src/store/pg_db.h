// Private to store: a thin RAII layer over libpq under sql_connection.cc (the one data-access layer).
// Not thread-safe: one connection per owner, used under the owner's lock.
// When the server goes away (a restart, a failover), statements answer kUnavailable and the next
// statement reconnects, at most once per backoff interval (0.1 s doubling to 5 s): a statement
// is never re-run on a new connection, so a transaction cut off is simply not committed.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace datenwerk::pg {

struct ConnCloser {
  void operator()(PGconn* c) const;  // also forgets the connection's reconnect backoff
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ConnHandle = std::unique_ptr<PGconn, ConnCloser>;
using ResultHandle = std::unique_ptr<PGresult, ResultClearer>;

// A query parameter: text or SQL NULL.
using Param = std::optional<std::string>;

class Rows {
 public:
  explicit Rows(ResultHandle r) : r_(std::move(r)) {}
  int size() const { return PQntuples(r_.get()); }
  int columns() const { return PQnfields(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col); }
  std::string Text(int row, int col) const {
    return PQgetisnull(r_.get(), row, col) ? "" : PQgetvalue(r_.get(), row, col);
  }
  // PostgreSQL's own text for float8 (subnormals, -0, ±max read back exactly); NaN and
  // infinities, which Datenwerk never writes, read as null.
  std::optional<double> Real(int row, int col) const;
  int64_t Int(int row, int col) const;
  int64_t Affected() const;
  // Whether the column is bytea (its text is "\\x" and hex digits).
  bool IsBytea(int col) const { return PQftype(r_.get(), col) == 17; }

 private:
  ResultHandle r_;
};

// kUnavailable when the server cannot be reached.
Result<ConnHandle> Connect(const std::string& conninfo);
// Runs statements without parameters (several, separated by semicolons).
Status Exec(PGconn* conn, const char* sql);
// One statement with $1, $2, ... parameters as text. A unique violation is kConflict.
Result<Rows> Query(PGconn* conn, const char* sql, const std::vector<Param>& params);

// The statements a connection has prepared (by text), for the session they were prepared in (a
// reconnect starts a new one without them). Owned by the connection's user; not thread-safe.
struct PreparedStatements {
  int backend_pid = 0;
  int64_t made = 0;
  std::unordered_map<std::string, std::string> names;  // text -> name
};
// As Query, but a SELECT, INSERT, UPDATE, DELETE or WITH is prepared on first use and executed
// as prepared afterwards (parsed and planned once per session); other statements, and more than
// a few hundred distinct texts, go as Query does.
Result<Rows> QueryPrepared(PGconn* conn, PreparedStatements& prepared, const std::string& sql,
                           const std::vector<Param>& params);

}  // namespace datenwerk::pg
