#include "store/pg_db.h"

#include <cstring>

namespace datenwerk::pg {

Result<ConnHandle> Connect(const std::string& conninfo) {
  ConnHandle conn(PQconnectdb(conninfo.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status(ErrorCode::kUnavailable,
                  std::string("cannot connect to PostgreSQL: ") +
                      (conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  return conn;
}

Status Exec(PGconn* conn, const char* sql) {
  ResultHandle r(PQexec(conn, sql));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Internal(std::string("postgres: ") + PQerrorMessage(conn));
  }
  return Status::Ok();
}

Result<Rows> Query(PGconn* conn, const char* sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultHandle r(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
    const ErrorCode code = state && std::strcmp(state, "23505") == 0 ? ErrorCode::kConflict
                                                                     : ErrorCode::kInternal;
    return Status(code, std::string("postgres: ") + PQerrorMessage(conn), "");
  }
  return Rows(std::move(r));
}

}  // namespace datenwerk::pg
