#include "echo/report_store.h"

#include "accounts/password.h"

namespace datenwerk::echo {

namespace {

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS echo_reports (id BIGINT PRIMARY KEY, token TEXT NOT NULL UNIQUE, "
    "service_code TEXT NOT NULL, description TEXT NOT NULL, lat DOUBLE PRECISION, lon DOUBLE PRECISION, "
    "address TEXT NOT NULL, district TEXT NOT NULL, office TEXT NOT NULL, status TEXT NOT NULL, "
    "status_note TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL, show_name BIGINT NOT NULL, "
    "attributes TEXT NOT NULL, source TEXT NOT NULL, requested BIGINT NOT NULL, updated BIGINT NOT NULL, "
    "text_hidden BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS echo_reports_requested ON echo_reports (requested)",
    "CREATE INDEX IF NOT EXISTS echo_reports_updated ON echo_reports (updated)",
    // The public list's filters (district, open or closed), newest first.
    "CREATE INDEX IF NOT EXISTS echo_reports_district ON echo_reports (district, requested)",
    "CREATE INDEX IF NOT EXISTS echo_reports_district_status ON echo_reports (district, status)",  // counts
    "CREATE INDEX IF NOT EXISTS echo_reports_status ON echo_reports (status, requested)",
    "CREATE TABLE IF NOT EXISTS echo_report_events (id BIGINT PRIMARY KEY, report_id BIGINT NOT NULL, "
    "at BIGINT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL, who TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS echo_report_events_at ON echo_report_events (at)",
    "CREATE INDEX IF NOT EXISTS echo_report_events_report ON echo_report_events (report_id, at)",
    // Photos as re-encoded (photo/photo.h); `bit` is 1 << (n - 1), so a report's visible photos
    // are one sum.
    "CREATE TABLE IF NOT EXISTS echo_photos (report_id BIGINT NOT NULL, n BIGINT NOT NULL, bit BIGINT NOT NULL, "
    "jpeg BYTEA NOT NULL, thumbnail BYTEA NOT NULL, width BIGINT NOT NULL, height BIGINT NOT NULL, "
    "hidden BIGINT NOT NULL, hidden_reason TEXT NOT NULL, PRIMARY KEY (report_id, n))",
    // "Me too": a citizen supports a report instead of filing it again; a merged duplicate counts too.
    "CREATE TABLE IF NOT EXISTS echo_supports (report_id BIGINT NOT NULL, at BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS echo_supports_report ON echo_supports (report_id)",
    // Updates apps sent, by their own ids: a repeated POST is answered, not stored twice.
    "CREATE TABLE IF NOT EXISTS echo_update_refs (source TEXT NOT NULL, external_id TEXT NOT NULL, "
    "event_id BIGINT NOT NULL, PRIMARY KEY (source, external_id))",
};

constexpr const char* kColumns =
    "id, token, service_code, description, lat, lon, address, district, office, status, status_note, email, name, "
    "show_name, attributes, source, requested, updated, text_hidden";
// What a report is read with: its columns and which of its photos the public may see.
const std::string kSelect = std::string("SELECT ") + kColumns +
                            ", (SELECT COALESCE(SUM(bit), 0) FROM echo_photos p WHERE p.report_id = echo_reports.id "
                            "AND p.hidden = 0), (SELECT COUNT(*) FROM echo_supports s WHERE s.report_id = echo_reports.id) "
                            "FROM echo_reports";

Report ReportOf(const sql::Row& r) {
  Report out;
  out.id = r.Int(0);
  out.token = r.Text(1);
  out.service_code = r.Text(2);
  out.description = r.Text(3);
  if (!r.IsNull(4) && !r.IsNull(5)) {
    out.lat = r.Real(4);
    out.lon = r.Real(5);
  }
  out.address = r.Text(6);
  out.district = r.Text(7);
  out.office = r.Text(8);
  out.status = StatusFromCode(r.Text(9)).value_or(ReportStatus::kReceived);
  out.status_note = r.Text(10);
  out.email = r.Text(11);
  out.name = r.Text(12);
  out.show_name = r.Int(13) != 0;
  out.attributes = AttributesFromJson(r.Text(14));
  out.source = r.Text(15);
  out.requested_ms = r.Int(16);
  out.updated_ms = r.Int(17);
  out.text_hidden = r.Int(18) != 0;
  out.photo_mask = static_cast<uint32_t>(r.Int(19));
  out.supporters = r.Int(20);
  return out;
}

sql::Value Optional(const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(); }

// One entry of a report's history, numbered across all reports (the Open311 update_id).
datenwerk::Status AddEvent(sql::Tx& tx, int64_t report, int64_t at_ms, ReportStatus status, const std::string& note,
                           const std::string& who) {
  auto next = tx.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM echo_report_events");
  if (!next.ok()) return next.status();
  return tx.Change("INSERT INTO echo_report_events (id, report_id, at, status, note, who) VALUES ($1,$2,$3,$4,$5,$6)",
                   {next->at(0).Int(0), report, at_ms, StatusCode(status), note, who})
      .status();
}

// The WHERE clause of a query, its parameters appended to `params`.
std::string WhereOf(const ReportQuery& q, std::vector<sql::Value>& params) {
  std::string where = " WHERE 1 = 1";
  auto param = [&](sql::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (!q.ids.empty()) {
    where += " AND id IN (";
    for (size_t i = 0; i < q.ids.size(); ++i) where += (i ? "," : "") + param(q.ids[i]);
    where += ")";
  } else {
    if (!q.service_codes.empty()) {
      where += " AND service_code IN (";
      for (size_t i = 0; i < q.service_codes.size(); ++i) where += (i ? "," : "") + param(q.service_codes[i]);
      where += ")";
    }
    if (q.open) {
      where += *q.open ? " AND status IN (" : " AND status NOT IN (";
      bool first = true;
      for (ReportStatus s : kAllStatuses) {
        if (!IsOpen(s)) continue;
        where += (first ? "" : ",") + param(std::string(StatusCode(s)));
        first = false;
      }
      where += ")";
    }
    if (!q.district.empty()) where += " AND district = " + param(q.district);
    if (!q.office.empty()) where += " AND office = " + param(q.office);
    if (!q.offices.empty()) {
      where += " AND office IN (";
      for (size_t i = 0; i < q.offices.size(); ++i) where += (i ? "," : "") + param(q.offices[i]);
      where += ")";
    }
    if (q.requested_from_ms) where += " AND requested >= " + param(*q.requested_from_ms);
    if (q.requested_to_ms) where += " AND requested <= " + param(*q.requested_to_ms);
    if (q.updated_from_ms) where += " AND updated >= " + param(*q.updated_from_ms);
    if (q.updated_to_ms) where += " AND updated <= " + param(*q.updated_to_ms);
    if (q.after_id) where += " AND id > " + param(*q.after_id);
  }
  return where;
}

}  // namespace

Result<std::unique_ptr<ReportStore>> ReportStore::Open(sql::Connection& db) {
  Status s = db.Write([](sql::Tx& tx) {
    for (const char* statement : kSchema) {
      if (Status e = tx.Exec(statement); !e.ok()) return e;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto store = std::make_unique<ReportStore>(db);
  // The map's index: every located report, as the database holds them now. Only the columns the
  // index keeps (no photo or supporter subqueries per report at start).
  s = db.Read([&](sql::Tx& tx) {
    return tx.Each("SELECT id, lat, lon, status, service_code, district, office, requested FROM echo_reports "
                   "WHERE lat IS NOT NULL",
                   {}, [&](sql::Row& row) {
                     Report r;
                     r.id = row.Int(0);
                     r.lat = row.Real(1);
                     r.lon = row.Real(2);
                     r.status = StatusFromCode(row.Text(3)).value_or(ReportStatus::kReceived);
                     r.service_code = row.Text(4);
                     r.district = row.Text(5);
                     r.office = row.Text(6);
                     r.requested_ms = row.Int(7);
                     store->map_.Put(r);
                     return Status::Ok();
                   });
  });
  if (!s.ok()) return s;
  return store;
}

Result<Report> ReportStore::Create(const NewReport& n, const Routed& routed, int64_t now_ms) {
  Report r;
  r.token = accounts::RandomToken();
  r.service_code = n.service_code;
  r.description = n.description;
  r.lat = n.lat;
  r.lon = n.lon;
  r.address = n.address;
  r.district = routed.district;
  r.office = routed.office;
  r.email = n.email;
  r.name = n.name;
  r.show_name = n.show_name;
  r.attributes = n.attributes;
  r.source = n.source;
  r.requested_ms = r.updated_ms = now_ms;
  Status s = db_.Write([&](sql::Tx& tx) -> Status {
    auto next = tx.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM echo_reports");
    if (!next.ok()) return next.status();
    r.id = next->at(0).Int(0);
    auto inserted = tx.Change(std::string("INSERT INTO echo_reports (") + kColumns +
                                  ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
                              {r.id, r.token, r.service_code, r.description, Optional(r.lat), Optional(r.lon), r.address,
                               r.district, r.office, StatusCode(r.status), r.status_note, r.email, r.name,
                               int64_t{r.show_name}, AttributesJson(r.attributes), r.source, r.requested_ms,
                               r.updated_ms, int64_t{0}});
    if (!inserted.ok()) return inserted.status();
    for (size_t i = 0; i < n.photos.size() && i < kMaxPhotos; ++i) {
      const photo::Photo& p = n.photos[i];
      auto stored = tx.Change(
          "INSERT INTO echo_photos (report_id, n, bit, jpeg, thumbnail, width, height, hidden, hidden_reason) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
          {r.id, int64_t(i + 1), int64_t{1} << i, sql::Blob{p.jpeg}, sql::Blob{p.thumbnail}, int64_t{p.width},
           int64_t{p.height}, int64_t{0}, std::string()});
      if (!stored.ok()) return stored.status();
      r.photo_mask |= 1u << i;
    }
    return AddEvent(tx, r.id, now_ms, r.status, "", "");
  }, [&](const Status& committed) {
    if (committed.ok()) map_.Put(r);
  });
  if (!s.ok()) return s;
  return r;
}

Result<std::vector<MapCell>> ReportStore::MapCells(const ReportQuery& filter, const MapView& view, const Grid& grid) {
  return map_.Cells({filter.service_codes, filter.open, filter.district, filter.office, filter.requested_from_ms,
                     filter.requested_to_ms},
                    view, grid);
}

Result<std::vector<Report>> ReportStore::Nearby(const std::string& service_code, double lat, double lon,
                                                double radius_m, size_t limit) {
  std::vector<Report> out;
  for (int64_t id : map_.Nearby(service_code, lat, lon, radius_m, limit)) {
    auto found = Get(id);
    if (!found.ok()) return found.status();
    if (*found) out.push_back(std::move(**found));
  }
  return out;
}

Result<int64_t> ReportStore::ForgetPersonalData(int64_t closed_before_ms) {
  // Closed, last changed before the cut: the list's own filter (WhereOf), not a second copy of it.
  ReportQuery closed;
  closed.open = false;
  closed.updated_to_ms = closed_before_ms - 1;
  std::vector<sql::Value> params;
  const std::string where = WhereOf(closed, params);
  Result<int64_t> cleared = int64_t{0};
  Status s = db_.Write([&](sql::Tx& tx) -> Status {
    cleared = tx.Change("UPDATE echo_reports SET email = '', name = '', show_name = 0" + where +
                            " AND (email <> '' OR name <> '')",
                        params);
    return cleared.status();
  });
  if (!s.ok()) return s;
  return cleared;
}

Result<Report> ReportStore::Support(int64_t id, int64_t now_ms) {
  Result<Report> out = NotFound("no report " + std::to_string(id), "id");
  Status s = db_.Write([&](sql::Tx& tx) -> Status {
    auto rows = tx.Query(kSelect + " WHERE id = $1", {id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NotFound("no report " + std::to_string(id), "id");
    if (!IsOpen(ReportOf(rows->front()).status)) return Status(ErrorCode::kConflict, "the report is closed", "status");
    auto added = tx.Change("INSERT INTO echo_supports (report_id, at) VALUES ($1, $2)", {id, now_ms});
    if (!added.ok()) return added.status();
    auto after = tx.Query(kSelect + " WHERE id = $1", {id});
    if (!after.ok()) return after.status();
    out = ReportOf(after->front());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<std::string>> ReportStore::PhotoBytes(int64_t id, int n, bool thumbnail) {
  auto rows = sql::ReadQuery(db_,
                             std::string("SELECT ") + (thumbnail ? "thumbnail" : "jpeg") +
                                 " FROM echo_photos WHERE report_id = $1 AND n = $2 AND hidden = 0",
                             {id, int64_t{n}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Bytes(0));
}

Result<std::vector<std::pair<int, bool>>> ReportStore::PhotoNumbers(int64_t id) {
  auto rows = sql::ReadQuery(db_, "SELECT n, hidden FROM echo_photos WHERE report_id = $1 ORDER BY n", {id});
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<int, bool>> out;
  for (const sql::Row& r : *rows) out.emplace_back(static_cast<int>(r.Int(0)), r.Int(1) != 0);
  return out;
}

Result<std::optional<Report>> ReportStore::Get(int64_t id) {
  auto rows = sql::ReadQuery(db_, kSelect + " WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Report>();
  return std::optional<Report>(ReportOf(rows->front()));
}

Result<std::optional<Report>> ReportStore::ByToken(const std::string& token) {
  auto rows = sql::ReadQuery(db_, kSelect + " WHERE token = $1", {token});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Report>();
  return std::optional<Report>(ReportOf(rows->front()));
}

Result<std::vector<Report>> ReportStore::List(const ReportQuery& q) {
  std::vector<sql::Value> params;
  const std::string where = WhereOf(q, params);
  auto param = [&](sql::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  const std::string limit = param(q.limit);
  const std::string order = q.after_id ? " ORDER BY id LIMIT " + limit
                      : q.oldest_first ? " ORDER BY requested, id LIMIT " + limit + " OFFSET " + param(q.offset)
                                       : " ORDER BY requested DESC, id DESC LIMIT " + limit + " OFFSET " + param(q.offset);
  auto rows = sql::ReadQuery(db_, kSelect + "" + where + order, params);
  if (!rows.ok()) return rows.status();
  std::vector<Report> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(ReportOf(r));
  return out;
}

Result<ReportsSummary> ReportStore::Summary() {
  auto rows = sql::ReadQuery(db_, "SELECT COUNT(*), COALESCE(MIN(requested), 0), COALESCE(MAX(updated), 0) FROM echo_reports");
  if (!rows.ok()) return rows.status();
  return ReportsSummary{rows->at(0).Int(0), rows->at(0).Int(1), rows->at(0).Int(2)};
}

Result<int64_t> ReportStore::Count(const ReportQuery& q) {
  std::vector<sql::Value> params;
  const std::string where = WhereOf(q, params);
  auto rows = sql::ReadQuery(db_, "SELECT COUNT(*) FROM echo_reports" + where, params);
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

Result<KpiBasis> ReportStore::KpiBasisOf(int64_t from_ms, int64_t to_ms, const std::vector<std::string>& suggestion_codes,
                                         const std::vector<std::string>& defect_codes) {
  // Parameters are numbered in the order they appear and never reused: SQLite numbers "$n" by
  // first appearance, so a reused or out-of-order "$n" would bind the wrong value there.
  std::vector<sql::Value> p;
  auto param = [&](sql::Value v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  auto in_list = [&](const std::vector<std::string>& codes) {
    std::string list;
    for (const std::string& c : codes) list += (list.empty() ? "" : ",") + param(c);
    return list.empty() ? std::string("''") : list;
  };
  // One parameter per statement: the operands of a chain of + are evaluated in no fixed order.
  std::string sql = "SELECT COALESCE(SUM(CASE WHEN requested >= ";
  sql += param(from_ms);
  sql += " AND service_code IN (";
  sql += in_list(suggestion_codes);
  sql += ") THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN service_code IN (";
  sql += in_list(suggestion_codes);
  sql += ") THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN service_code IN (";
  sql += in_list(suggestion_codes);
  sql += ") AND status = 'done' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN requested >= ";
  sql += param(from_ms);
  sql += " THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN requested >= ";
  sql += param(from_ms);
  sql += " AND service_code IN (";
  sql += in_list(defect_codes);
  sql += ") THEN 1 ELSE 0 END), 0), COUNT(*) FROM echo_reports WHERE requested < ";
  sql += param(to_ms);
  auto counts = sql::ReadQuery(db_, sql, p);
  if (!counts.ok()) return counts.status();
  KpiBasis b;
  const sql::Row& c = counts->at(0);
  b.suggestions = c.Int(0);
  b.suggestions_total = c.Int(1);
  b.suggestions_done = c.Int(2);
  b.concerns = c.Int(3);
  b.defects = c.Int(4);
  b.reports_total = c.Int(5);
  p.clear();
  sql = "SELECT COUNT(*), COALESCE(SUM(first_change - requested), 0) FROM (SELECT r.requested AS requested, "
        "MIN(e.at) AS first_change FROM echo_reports r JOIN echo_report_events e ON e.report_id = r.id AND e.who <> '' "
        "WHERE r.requested >= ";
  sql += param(from_ms);
  sql += " AND r.requested < ";
  sql += param(to_ms);
  sql += " AND r.service_code IN (";
  sql += in_list(defect_codes);
  sql += ") GROUP BY r.id, r.requested) reacted";
  auto reactions = sql::ReadQuery(db_, sql, p);
  if (!reactions.ok()) return reactions.status();
  b.reacted_defects = reactions->at(0).Int(0);
  b.reaction_hours_sum = static_cast<double>(reactions->at(0).Int(1)) / 3'600'000.0;
  return b;
}

Result<std::vector<ReportEvent>> ReportStore::History(int64_t id) {
  auto rows = sql::ReadQuery(db_, "SELECT at, status, note, who, id, report_id FROM echo_report_events WHERE report_id = $1 "
                                  "ORDER BY at, id",
                             {id});
  if (!rows.ok()) return rows.status();
  std::vector<ReportEvent> out;
  for (const sql::Row& r : *rows) {
    out.push_back({r.Int(0), StatusFromCode(r.Text(1)).value_or(ReportStatus::kReceived), r.Text(2), r.Text(3), r.Int(4), r.Int(5)});
  }
  return out;
}

Result<std::vector<OfficeBacklog>> ReportStore::Backlog(int64_t now_ms) {
  constexpr int64_t kDay = 86'400'000;
  std::vector<sql::Value> params{now_ms - 7 * kDay, now_ms - 30 * kDay};
  ReportQuery open;
  open.open = true;
  const std::string where = WhereOf(open, params);  // its parameters follow the two above
  auto rows = sql::ReadQuery(db_,
                             "SELECT office, SUM(CASE WHEN requested >= $1 THEN 1 ELSE 0 END), "
                             "SUM(CASE WHEN requested < $1 AND requested >= $2 THEN 1 ELSE 0 END), "
                             "SUM(CASE WHEN requested < $2 THEN 1 ELSE 0 END), MIN(requested), COUNT(*) "
                             "FROM echo_reports" + where + " GROUP BY office ORDER BY COUNT(*) DESC, office",
                             params);
  if (!rows.ok()) return rows.status();
  std::vector<OfficeBacklog> out;
  for (const sql::Row& r : *rows) out.push_back({r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)});
  return out;
}

Result<std::vector<ReportEvent>> ReportStore::Updates(int64_t from_ms, int64_t to_ms, int64_t limit) {
  // Every change after the filing itself (the first entry of each report is its receipt).
  auto rows = sql::ReadQuery(db_,
                             "SELECT e.at, e.status, e.note, e.who, e.id, e.report_id FROM echo_report_events e "
                             "WHERE e.at >= $1 AND e.at <= $2 AND e.id > (SELECT MIN(f.id) FROM echo_report_events f "
                             "WHERE f.report_id = e.report_id) ORDER BY e.at, e.id LIMIT $3",
                             {from_ms, to_ms, limit});
  if (!rows.ok()) return rows.status();
  std::vector<ReportEvent> out;
  for (const sql::Row& r : *rows) {
    out.push_back({r.Int(0), StatusFromCode(r.Text(1)).value_or(ReportStatus::kReceived), r.Text(2), r.Text(3), r.Int(4), r.Int(5)});
  }
  return out;
}

namespace {

// The public note: plain text like the description, at most 2,000 characters.
Result<std::string> CleanNote(std::string note) {
  if (datenwerk::Status st = CleanPlainText(note, 2000, "note", false); !st.ok()) return st;
  return note;
}

}  // namespace

Result<Report> ReportStore::Apply(int64_t id, ReportChange change, const std::string& who, int64_t now_ms,
                                  const AlsoFn& also) {
  auto note = CleanNote(std::move(change.note));
  if (!note.ok()) return note.status();
  if (datenwerk::Status st = CleanPlainText(change.reason, 500, "reason", false); !st.ok()) return st;
  if (change.office && (change.office->empty() || change.office->size() > 100)) {
    return InvalidArgument("must name an office", "office");
  }
  for (const auto& [n, hidden] : change.photos_hidden) {
    if (n < 1 || n > static_cast<int>(kMaxPhotos)) return InvalidArgument("has no photo " + std::to_string(n), "photo");
  }
  if (!change.status && !change.office && !change.text_hidden && change.photos_hidden.empty() && !change.duplicate_of) {
    return InvalidArgument("changes nothing", "change");
  }
  Result<Report> out = NotFound("no report " + std::to_string(id), "id");
  datenwerk::Status s = db_.Write([&](sql::Tx& tx) -> datenwerk::Status {
    auto rows = tx.Query(kSelect + " WHERE id = $1", {id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NotFound("no report " + std::to_string(id), "id");
    const Report before = ReportOf(rows->front());
    if (change.check) {
      if (datenwerk::Status c = change.check(before); !c.ok()) return c;
    }
    if (change.duplicate_of) {
      // The original gains this report's reporter as a supporter.
      if (*change.duplicate_of == id) return InvalidArgument("cannot be the report itself", "duplicate_of");
      auto original = tx.Query("SELECT id FROM echo_reports WHERE id = $1", {*change.duplicate_of});
      if (!original.ok()) return original.status();
      if (original->empty()) return NotFound("no report " + std::to_string(*change.duplicate_of), "duplicate_of");
      auto supported = tx.Change("INSERT INTO echo_supports (report_id, at) VALUES ($1, $2)", {*change.duplicate_of, now_ms});
      if (!supported.ok()) return supported.status();
      if (!change.status) change.status = ReportStatus::kDuplicate;
    }
    // A new state or office is public: it gets the note and an entry in the history.
    const bool public_change = change.status || (change.office && *change.office != before.office);
    const ReportStatus status = change.status.value_or(before.status);
    auto updated = tx.Change(
        "UPDATE echo_reports SET status = $1, status_note = $2, office = $3, text_hidden = $4, updated = $5 WHERE id = $6",
        {StatusCode(status), public_change ? *note : before.status_note, change.office.value_or(before.office),
         int64_t{change.text_hidden.value_or(before.text_hidden)}, now_ms, id});
    if (!updated.ok()) return updated.status();
    if (public_change) {
      if (datenwerk::Status e = AddEvent(tx, id, now_ms, status, *note, who); !e.ok()) return e;
    }
    for (const auto& [n, hidden] : change.photos_hidden) {
      auto photo = tx.Change("UPDATE echo_photos SET hidden = $1, hidden_reason = $2 WHERE report_id = $3 AND n = $4",
                             {int64_t{hidden}, hidden ? change.reason : std::string(), id, int64_t{n}});
      if (!photo.ok()) return photo.status();
      if (*photo == 0) return NotFound("report " + std::to_string(id) + " has no photo " + std::to_string(n), "photo");
    }
    auto after = tx.Query(kSelect + " WHERE id = $1", {id});
    if (!after.ok()) return after.status();
    out = ReportOf(after->front());
    if (also) {
      if (datenwerk::Status a = also(tx, before, *out); !a.ok()) return a;
    }
    return datenwerk::Status::Ok();
  }, [&](const datenwerk::Status& committed) {
    if (committed.ok() && out.ok()) map_.Put(*out);
  });
  if (!s.ok()) return s;
  return out;
}

Result<Report> ReportStore::ChangeStatus(int64_t id, ReportStatus to, std::string note, const std::string& who,
                                         int64_t now_ms, const AlsoFn& also) {
  ReportChange change;
  change.status = to;
  change.note = std::move(note);
  return Apply(id, std::move(change), who, now_ms, also);
}

namespace {

// The change a private link may make: only while the report is done and within the window,
// checked inside the write (so a staff change in between wins).
ReportChange Answer(ReportStatus to, std::string note, int64_t now_ms, int64_t window_ms) {
  ReportChange change;
  change.status = to;
  change.note = std::move(note);
  change.check = [now_ms, window_ms](const Report& r) {
    if (r.status != ReportStatus::kDone) return datenwerk::Status(ErrorCode::kConflict, "the report is not marked done", "status");
    if (now_ms - r.updated_ms > window_ms) return datenwerk::Status(ErrorCode::kConflict, "the time to answer has passed", "status");
    return datenwerk::Status::Ok();
  };
  return change;
}

}  // namespace

Result<Report> ReportStore::ConfirmDone(const std::string& token, int64_t now_ms, int64_t window_ms) {
  auto found = token.size() <= 100 ? ByToken(token) : Result<std::optional<Report>>(std::nullopt);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no report with this link", "token");
  return Apply((*found)->id, Answer(ReportStatus::kDone, "Von der meldenden Person als erledigt bestätigt.", now_ms, window_ms),
               "", now_ms);
}

Result<Report> ReportStore::Reopen(const std::string& token, std::string note, int64_t now_ms, int64_t window_ms) {
  auto found = token.size() <= 100 ? ByToken(token) : Result<std::optional<Report>>(std::nullopt);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no report with this link", "token");
  auto clean = CleanNote(std::move(note));
  if (!clean.ok()) return clean.status();
  std::string text = "Von der meldenden Person wieder geöffnet";
  text += clean->empty() ? "." : ": " + *clean;
  return Apply((*found)->id, Answer(ReportStatus::kReceived, text, now_ms, window_ms), "", now_ms);
}

}  // namespace datenwerk::echo
