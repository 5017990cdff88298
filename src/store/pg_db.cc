#include "store/pg_db.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace datenwerk::pg {

namespace {

int64_t ParseInt(const char* text) {
  int64_t v = 0;
  std::from_chars(text, text + std::strlen(text), v);
  return v;
}

// When each connection that lost its server may try to reconnect next.
struct Backoff {
  std::chrono::steady_clock::time_point next_try{};
  std::chrono::milliseconds delay{100};
  bool read_only = false;  // the server became a standby (a failover): connect afresh
  std::string last_error;  // why the last reconnect failed, for the log of every request meanwhile
};
std::mutex backoff_mu;
std::unordered_map<const PGconn*, Backoff> backoffs;  // guarded by backoff_mu

// Settings every session of ours starts with: on connecting and again after a reconnect, which
// starts a new session. The text form of float8 with every digit (the default since
// PostgreSQL 12, set for older servers).
void PrepareSession(PGconn* conn) {
  ResultHandle r(PQexec(conn, "SET extra_float_digits = 3"));
}

Status Unreachable() {
  return Unavailable("the database is not reachable at the moment; send again shortly", "database");
}

// A connection whose server went away is reset here, not in the middle of a transaction's
// statements: kUnavailable until the reconnect succeeds.
Status EnsureConnected(PGconn* conn) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(backoff_mu);
  if (PQstatus(conn) == CONNECTION_OK) {
    auto it = backoffs.find(conn);
    if (it == backoffs.end() || !it->second.read_only) return Status::Ok();
  }
  Backoff& b = backoffs[conn];
  if (now < b.next_try) return Unreachable().WithDetail(b.last_error);
  PQreset(conn);
  if (PQstatus(conn) == CONNECTION_OK) {
    spdlog::info("PostgreSQL: reconnected");
    backoffs.erase(conn);
    PrepareSession(conn);
    return Status::Ok();
  }
  spdlog::warn("PostgreSQL: reconnect failed, next try in {} ms: {}", b.delay.count(),
               PQerrorMessage(conn));
  b.next_try = now + b.delay;
  b.delay = std::min<std::chrono::milliseconds>(b.delay * 2, std::chrono::seconds(5));
  b.last_error = std::string("postgres: reconnect failed: ") + PQerrorMessage(conn);
  return Unreachable().WithDetail(b.last_error);
}

// What a failed statement means for the client (SQLSTATE classes of the PostgreSQL manual,
// appendix A). The detail stays in the message for the log.
Status Failure(PGconn* conn, const PGresult* r) {
  const std::string detail = std::string("postgres: ") + PQerrorMessage(conn);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view code = state ? state : "";
  if (PQstatus(conn) != CONNECTION_OK || code.starts_with("08") || code.starts_with("57P")) {
    return Unreachable().WithDetail(detail);
  }
  if (code == "25006") {
    // A read-only transaction: the primary was demoted (a switchover) and this session now talks
    // to a standby. The next statement reconnects, and libpq's target_session_attrs=read-write
    // finds the new primary among the hosts of a multi-host conninfo.
    std::lock_guard lock(backoff_mu);
    backoffs[conn].read_only = true;
    return Unreachable().WithDetail(detail);
  }
  if (code == "23505") return Status(ErrorCode::kConflict, detail, "");
  if (code == "53100") {
    return Status(ErrorCode::kStorageFull, "the database's disk is full", "database").WithDetail(detail);
  }
  if (code.starts_with("53") || code == "40001" || code == "40P01") {
    return Unavailable("the database is busy; send again shortly", "database").WithDetail(detail);
  }
  return Internal(detail);
}

}  // namespace

void ConnCloser::operator()(PGconn* c) const {
  {
    // A later connection may get the same address: it must not inherit this one's backoff.
    std::lock_guard lock(backoff_mu);
    backoffs.erase(c);
  }
  PQfinish(c);
}

std::optional<double> Rows::Real(int row, int col) const {
  if (PQgetisnull(r_.get(), row, col)) return std::nullopt;
  const char* text = PQgetvalue(r_.get(), row, col);
  double v = 0;
  auto [end, ec] = std::from_chars(text, text + std::strlen(text), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  return v;
}

int64_t Rows::Int(int row, int col) const { return ParseInt(PQgetvalue(r_.get(), row, col)); }
int64_t Rows::Affected() const { return ParseInt(PQcmdTuples(r_.get())); }

Result<ConnHandle> Connect(const std::string& conninfo) {
  ConnHandle conn(PQconnectdb(conninfo.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status(ErrorCode::kUnavailable,
                  std::string("cannot connect to PostgreSQL: ") +
                      (conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  PrepareSession(conn.get());
  return conn;
}

Status Exec(PGconn* conn, const char* sql) {
  if (auto s = EnsureConnected(conn); !s.ok()) return s;
  ResultHandle r(PQexec(conn, sql));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(conn, r.get());
  return Status::Ok();
}

Result<Rows> Query(PGconn* conn, const char* sql, const std::vector<Param>& params) {
  if (auto s = EnsureConnected(conn); !s.ok()) return s;
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultHandle r(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(conn, r.get());
  return Rows(std::move(r));
}

Result<Rows> QueryPrepared(PGconn* conn, PreparedStatements& prepared, const std::string& sql,
                           const std::vector<Param>& params) {
  constexpr size_t kMaxPrepared = 256;
  static constexpr std::string_view kPreparable[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"};
  bool preparable = false;
  for (std::string_view verb : kPreparable) preparable = preparable || sql.compare(0, verb.size(), verb) == 0;
  if (auto s = EnsureConnected(conn); !s.ok()) return s;
  if (PQbackendPID(conn) != prepared.backend_pid) {  // a new session: nothing prepared in it
    prepared.names.clear();
    prepared.backend_pid = PQbackendPID(conn);
  }
  auto it = prepared.names.find(sql);
  if (it == prepared.names.end()) {
    if (!preparable || prepared.names.size() >= kMaxPrepared) return Query(conn, sql.c_str(), params);
    const std::string name = "dw_" + std::to_string(++prepared.made);
    ResultHandle made(PQprepare(conn, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr));
    if (PQresultStatus(made.get()) != PGRES_COMMAND_OK) return Failure(conn, made.get());
    it = prepared.names.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultHandle r(PQexecPrepared(conn, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                nullptr, 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(conn, r.get());
  return Rows(std::move(r));
}

}  // namespace datenwerk::pg
