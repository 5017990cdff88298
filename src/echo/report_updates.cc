// ReportStore::AddCitizenUpdate: a citizen's word on a report through an Open311 app, as one
// write through Apply, remembered by the app's own id so that a repeated POST changes nothing.
#include "echo/report_store.h"

namespace datenwerk::echo {

namespace {

// The update this app already sent under this id; kInvalidArgument when it was for another report.
Result<std::optional<int64_t>> Known(sql::Connection& db, int64_t report_id, const CitizenUpdate& u) {
  if (u.external_id.empty()) return std::optional<int64_t>();
  auto rows = sql::ReadQuery(db,
                             "SELECT r.event_id, e.report_id FROM echo_update_refs r JOIN echo_report_events e "
                             "ON e.id = r.event_id WHERE r.source = $1 AND r.external_id = $2",
                             {u.source, u.external_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  if (rows->front().Int(1) != report_id) {
    return InvalidArgument("was sent before for another service request", "update_id_ext");
  }
  return std::optional<int64_t>(rows->front().Int(0));
}

}  // namespace

Result<int64_t> ReportStore::AddCitizenUpdate(int64_t id, const CitizenUpdate& u, int64_t now_ms, int64_t window_ms) {
  if (u.external_id.size() > 100) return InvalidArgument("is longer than 100 bytes", "update_id_ext");
  auto known = Known(db_, id, u);
  if (!known.ok()) return known.status();
  if (*known) return **known;
  auto found = Get(id);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("service_request_id " + std::to_string(id) + " is not known", "service_request_id");
  const Report& now = **found;
  const bool reopen =
      u.still_open && now.status == ReportStatus::kDone && now_ms - now.updated_ms <= window_ms;
  ReportChange change;
  change.status = reopen ? ReportStatus::kReceived : now.status;
  change.note = u.note;
  // Decided on the state read above: if staff changed it meanwhile, the app tries again.
  change.check = [seen = now.status](const Report& before) {
    return before.status == seen ? Status::Ok() : Status(ErrorCode::kConflict, "the report changed meanwhile; send again", "service_request_id");
  };
  int64_t event_id = 0;
  auto applied = Apply(id, std::move(change), "", now_ms, [&](sql::Tx& tx, const Report&, const Report&) -> Status {
    auto last = tx.Query("SELECT MAX(id) FROM echo_report_events WHERE report_id = $1", {id});
    if (!last.ok()) return last.status();
    event_id = last->at(0).Int(0);
    if (u.external_id.empty()) return Status::Ok();
    return tx.Change("INSERT INTO echo_update_refs (source, external_id, event_id) VALUES ($1, $2, $3)",
                     {u.source, u.external_id, event_id})
        .status();
  });
  if (!applied.ok()) {
    // The same update sent twice at once: the other write won; answer its id.
    auto again = Known(db_, id, u);
    if (again.ok() && *again) return **again;
    if (applied.status().field() == "note") return InvalidArgument(applied.status().message(), "description");
    return applied.status();
  }
  return event_id;
}

}  // namespace datenwerk::echo
