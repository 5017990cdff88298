// The reports and their history in the deployment's one database (SQLite or PostgreSQL, one SQL
// text): tables echo_reports and echo_report_events. A new report and its first history entry
// are one write. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/report.h"
#include "echo/routing.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

struct ReportEvent {
  int64_t at_ms = 0;
  ReportStatus status = ReportStatus::kReceived;
  std::string note;  // public
  std::string who;   // staff member or "" (the citizen, the system); never shown publicly
};

struct ReportQuery {
  std::vector<int64_t> ids;             // when set, only these (and the rest is ignored)
  std::vector<std::string> service_codes;
  std::optional<bool> open;             // Open311 status: open or closed
  std::optional<int64_t> requested_from_ms, requested_to_ms;  // [from, to]
  std::optional<int64_t> updated_from_ms, updated_to_ms;
  int64_t limit = 1000, offset = 0;
};

class ReportStore {
 public:
  // Creates the tables when missing. Borrows `db`.
  static Result<std::unique_ptr<ReportStore>> Open(sql::Connection& db);
  explicit ReportStore(sql::Connection& db) : db_(db) {}

  // Stores a checked report (CheckNewReport) routed to `routed`, with a fresh token; returns it.
  Result<Report> Create(const NewReport& report, const Routed& routed, int64_t now_ms);
  Result<std::optional<Report>> Get(int64_t id);
  Result<std::optional<Report>> ByToken(const std::string& token);
  // Newest request first.
  Result<std::vector<Report>> List(const ReportQuery& query);
  Result<std::vector<ReportEvent>> History(int64_t id);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::echo
