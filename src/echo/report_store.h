// The reports and their history in the deployment's one database (SQLite or PostgreSQL, one SQL
// text): tables echo_reports and echo_report_events. A new report and its first history entry
// are one write. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/kpis.h"
#include "echo/report_map.h"
#include "echo/report.h"
#include "echo/routing.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

struct ReportEvent {
  int64_t at_ms = 0;
  ReportStatus status = ReportStatus::kReceived;
  std::string note;  // public
  std::string who;   // staff member or "" (the citizen, the system); never shown publicly
  int64_t id = 0;         // numbered across all reports (Open311's update_id)
  int64_t report_id = 0;
};

struct ReportQuery {
  std::vector<int64_t> ids;             // when set, only these (and the rest is ignored)
  std::vector<std::string> service_codes;
  std::optional<bool> open;             // Open311 status: open or closed
  std::string district;                 // only this district (name)
  std::string office;                   // only this office (id)
  std::vector<std::string> offices;     // only these offices (ids), when set
  bool oldest_first = false;            // the staff's inbox: the longest waiting first
  std::optional<int64_t> requested_from_ms, requested_to_ms;  // [from, to]
  std::optional<int64_t> updated_from_ms, updated_to_ms;
  int64_t limit = 1000, offset = 0;
  // Keyset paging for exports: only ids above, oldest first (offset and order ignored).
  std::optional<int64_t> after_id;
};

// The open reports of one office by how long they wait (the staff's overview).
struct OfficeBacklog {
  std::string office;
  int64_t up_to_week = 0, up_to_month = 0, older = 0;  // waiting at most 7 days, 8 to 30, longer
  int64_t oldest_requested_ms = 0;
};

// How many reports there are and when the first came and the last changed (the open data).
struct ReportsSummary {
  int64_t count = 0;
  int64_t first_requested_ms = 0;
  int64_t last_updated_ms = 0;
};

// How long after "done" the reporter may confirm it or reopen the report.
inline constexpr int64_t kAnswerWindowMs = 14LL * 86'400'000;

// What an Open311 app (FixMyStreet) sends for a citizen through mySociety's
// servicerequestupdates: a public note, and whether the citizen says the report is still open.
struct CitizenUpdate {
  std::string note;         // public, plain text of at most 2,000 characters
  bool still_open = false;  // "OPEN": a report done within the answer window goes back to received
  std::string source;       // the sending app ("schluessel:3")
  std::string external_id;  // its id of the update (update_id_ext), at most 100 bytes; may be ""
};

// A change staff make to a report (ReportStore::Apply): what is not set stays as it is.
struct ReportChange {
  std::optional<ReportStatus> status;
  std::optional<std::string> office;   // an office id: another office takes the report over
  std::string note;                    // public, with a new state or office
  std::optional<bool> text_hidden;     // moderation of the description
  std::map<int, bool> photos_hidden;   // photo number -> hidden
  std::string reason;                  // why something is hidden (internal)
  // Staff merge: this report repeats that one (state duplicate unless `status` says otherwise;
  // the original gains a supporter).
  std::optional<int64_t> duplicate_of;
  // Run inside the write on the report as it is; a refusal writes nothing.
  std::function<datenwerk::Status(const Report& before)> check;
};

class ReportStore {
 public:
  // Creates the tables when missing. Borrows `db`.
  static Result<std::unique_ptr<ReportStore>> Open(sql::Connection& db);
  explicit ReportStore(sql::Connection& db) : db_(db) {}  // an empty map index (Open fills it)

  // Stores a checked report (CheckNewReport) routed to `routed`, with a fresh token; returns it.
  Result<Report> Create(const NewReport& report, const Routed& routed, int64_t now_ms);
  Result<std::optional<Report>> Get(int64_t id);
  Result<std::optional<Report>> ByToken(const std::string& token);
  // Newest request first.
  Result<std::vector<Report>> List(const ReportQuery& query);
  Result<ReportsSummary> Summary();
  // How many the query finds, limit and offset aside.
  Result<int64_t> Count(const ReportQuery& query);
  // The open reports per office by waiting time at `now_ms`, offices with the most first.
  Result<std::vector<OfficeBacklog>> Backlog(int64_t now_ms);
  // The reports `filter` finds with a position in `view`, grouped into the cells of `grid`
  // (report_map.h): from memory, kept in step with this store's commits. Only the category,
  // open, district and office filters apply. Another node's writes are not seen here.
  Result<std::vector<MapCell>> MapCells(const ReportQuery& filter, const MapView& view, const Grid& grid);
  Result<std::vector<ReportEvent>> History(int64_t id);
  // The JPEG of photo `n` (or its thumbnail) while the public may see it; nullopt when there is
  // none or staff hid it.
  Result<std::optional<std::string>> PhotoBytes(int64_t id, int n, bool thumbnail);
  // The open reports of the category within `radius_m` of the position, nearest first, at most
  // `limit` (from the map's index): shown before a citizen files the same defect again.
  Result<std::vector<Report>> Nearby(const std::string& service_code, double lat, double lon, double radius_m,
                                     size_t limit);
  // A citizen supports an open report ("me too"). kNotFound, or kConflict when it is closed.
  Result<Report> Support(int64_t id, int64_t now_ms);
  // Privacy: the e-mail address and name of every report closed before `closed_before_ms` are
  // erased (the report, its history and its photos stay). How many reports it cleared.
  Result<int64_t> ForgetPersonalData(int64_t closed_before_ms);
  // The photos a report has, by number, and whether staff hid each (for the back office).
  Result<std::vector<std::pair<int, bool>>> PhotoNumbers(int64_t id);
  // The changes after filing in [from_ms, to_ms], oldest first, at most `limit`: mySociety's
  // servicerequestupdates.
  Result<std::vector<ReportEvent>> Updates(int64_t from_ms, int64_t to_ms, int64_t limit);

  // What the KPIs of [from_ms, to_ms) are computed from (kpis.h); the kinds by category code.
  Result<KpiBasis> KpiBasisOf(int64_t from_ms, int64_t to_ms, const std::vector<std::string>& suggestion_codes,
                              const std::vector<std::string>& defect_codes);

  // Runs in the write of a change, after it: the audit entry, the reporter's mail. `before` and
  // `after` are the report on either side of the change.
  using AlsoFn = std::function<datenwerk::Status(sql::Tx&, const Report& before, const Report& after)>;

  // Staff change a report in one write, with `also` in the same transaction: a new state and/or
  // office with a public note (plain text, at most 2,000 characters; an entry in the history),
  // the description or photos hidden from the public or shown again (with a reason, at most 500
  // characters, kept with a hidden photo). kNotFound for an unknown report or photo,
  // kInvalidArgument naming "note", "reason", "office", "photo", "duplicate_of" or "change"
  // (nothing to change); kNotFound naming "duplicate_of" for an unknown original;
  // whatever `change.check` or `also` answer (nothing is written then).
  Result<Report> Apply(int64_t id, ReportChange change, const std::string& who, int64_t now_ms,
                       const AlsoFn& also = {});
  // Apply with a new state and its note.
  Result<Report> ChangeStatus(int64_t id, ReportStatus to, std::string note, const std::string& who, int64_t now_ms,
                              const AlsoFn& also = {});
  // The reporter, through the private link (the report's token), within `window_ms` after it was
  // set to done: confirms it (stays done, noted in the history) or reopens it (back to received,
  // with the reporter's note). kConflict when it is not done or the window has passed (checked
  // inside the write); kNotFound for an unknown token.
  Result<Report> ConfirmDone(const std::string& token, int64_t now_ms, int64_t window_ms);
  Result<Report> Reopen(const std::string& token, std::string note, int64_t now_ms, int64_t window_ms);
  // A citizen's update through an app (report_updates.cc): an entry in the history with the
  // note (the state stays, except that "still open" reopens a report done within `window_ms`),
  // in one write. The same (source, external_id) again answers the first update's id and writes
  // nothing. The update's id (Open311's update_id). kNotFound for an unknown report;
  // kInvalidArgument naming "description" or "update_id_ext".
  Result<int64_t> AddCitizenUpdate(int64_t id, const CitizenUpdate& update, int64_t now_ms, int64_t window_ms);

 private:
  sql::Connection& db_;
  MapIndex map_;
};

}  // namespace datenwerk::echo
