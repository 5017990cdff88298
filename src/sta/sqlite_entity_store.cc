#include <cmath>
#include <mutex>

#include "core/dates.h"
#include "sta/entity_store.h"
#include "store/sqlite_db.h"

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

using sqlite::Exec;
using sqlite::Statement;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entity (type INTEGER NOT NULL, id INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (type, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link (from_type INTEGER NOT NULL, from_id INTEGER NOT NULL,
  nav TEXT NOT NULL, to_type INTEGER NOT NULL, to_id INTEGER NOT NULL,
  PRIMARY KEY (from_type, from_id, nav, to_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS link_to ON link (to_type, to_id);
CREATE TABLE IF NOT EXISTS sequence (type INTEGER PRIMARY KEY, last_id INTEGER NOT NULL);
)sql";

int64_t T(EntityType t) { return static_cast<int64_t>(t); }

Status Run(Statement& q) {
  q.Step();
  return q.status();
}

// A JSON path for json_extract from an $orderby path; names are checked against the model
// before they get here, and quoted anyway.
std::string JsonPath(const std::vector<std::string>& path) {
  std::string out = "$";
  for (const std::string& part : path) {
    out += ".\"";
    for (char c : part) {
      if (c != '"' && c != '\\') out.push_back(c);
    }
    out += "\"";
  }
  return out;
}

class SqliteEntityStore final : public EntityStore {
 public:
  explicit SqliteEntityStore(sqlite::DbHandle db) : db_(std::move(db)) {}

  Status Init() { return Exec(db_.get(), kSchema); }

  Status Write(const std::function<Status()>& work) override {
    std::lock_guard lock(mu_);
    if (auto s = Exec(db_.get(), "BEGIN IMMEDIATE"); !s.ok()) return s;
    Status result;
    try {
      result = work();
    } catch (const std::exception& e) {
      // Nothing half-written: the transaction goes, the fault becomes an answer.
      IgnoreError(Exec(db_.get(), "ROLLBACK"));
      return Internal(std::string("write failed: ") + e.what());
    }
    if (!result.ok()) {
      IgnoreError(Exec(db_.get(), "ROLLBACK"));
      return result;
    }
    return Exec(db_.get(), "COMMIT");
  }

  Result<int64_t> Insert(EntityType type, const json::object& doc) override {
    std::lock_guard lock(mu_);
    Statement next(db_.get(),
                   "INSERT INTO sequence VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET "
                   "last_id = last_id + 1 RETURNING last_id");
    next.Bind(1, T(type));
    if (!next.Step()) return next.status().ok() ? Internal("no id") : next.status();
    const int64_t id = next.Int(0);
    next.Step();  // finish the statement
    Statement q(db_.get(), "INSERT INTO entity VALUES (?,?,?)");
    q.Bind(1, T(type)).Bind(2, id).Bind(3, json::serialize(doc));
    if (auto s = Run(q); !s.ok()) return s;
    return id;
  }

  Status InsertWithId(EntityType type, int64_t id, const json::object& doc) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "INSERT INTO entity VALUES (?,?,?)");
    q.Bind(1, T(type)).Bind(2, id).Bind(3, json::serialize(doc));
    q.Step();
    if (!q.status().ok()) {
      return Status(ErrorCode::kConflict, "the id is taken: " + std::to_string(id), "id");
    }
    return Status::Ok();
  }

  Status Replace(EntityType type, int64_t id, const json::object& doc) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "UPDATE entity SET doc=? WHERE type=? AND id=?");
    q.Bind(1, json::serialize(doc)).Bind(2, T(type)).Bind(3, id);
    return Run(q);
  }

  Status Remove(EntityType type, int64_t id) override {
    std::lock_guard lock(mu_);
    for (const char* sql : {"DELETE FROM entity WHERE type=?1 AND id=?2",
                            "DELETE FROM link WHERE from_type=?1 AND from_id=?2",
                            "DELETE FROM link WHERE to_type=?1 AND to_id=?2"}) {
      Statement q(db_.get(), sql);
      q.Bind(1, T(type)).Bind(2, id);
      if (auto s = Run(q); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
              int64_t to_id) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "INSERT OR IGNORE INTO link VALUES (?,?,?,?,?)");
    q.Bind(1, T(from)).Bind(2, from_id).Bind(3, nav).Bind(4, T(to)).Bind(5, to_id);
    return Run(q);
  }

  Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                std::optional<int64_t> to_id) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), to_id ? "DELETE FROM link WHERE from_type=? AND from_id=? AND nav=? "
                                   "AND to_id=?"
                                 : "DELETE FROM link WHERE from_type=? AND from_id=? AND nav=?");
    q.Bind(1, T(from)).Bind(2, from_id).Bind(3, nav);
    if (to_id) q.Bind(4, *to_id);
    return Run(q);
  }

  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "SELECT doc FROM entity WHERE type=? AND id=?");
    q.Bind(1, T(type)).Bind(2, id);
    if (!q.Step()) {
      if (!q.status().ok()) return q.status();
      return std::optional<StoredEntity>();
    }
    return std::optional<StoredEntity>(StoredEntity{id, Parse(q.Text(0))});
  }

  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(),
                "SELECT to_id FROM link WHERE from_type=? AND from_id=? AND nav=? ORDER BY to_id");
    q.Bind(1, T(from)).Bind(2, id).Bind(3, nav);
    std::vector<int64_t> out;
    while (q.Step()) out.push_back(q.Int(0));
    if (!q.status().ok()) return q.status();
    return out;
  }

  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                        int64_t to_id) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(),
                "SELECT 1 FROM link WHERE from_type=? AND from_id=? AND nav=? AND to_id=?");
    q.Bind(1, T(from)).Bind(2, from_id).Bind(3, nav).Bind(4, to_id);
    const bool found = q.Step();
    if (!q.status().ok()) return q.status();
    return found;
  }

  Result<ListResult> List(const ListRequest& r) override {
    std::lock_guard lock(mu_);
    std::string from = " FROM entity e";
    std::string where = " WHERE e.type=?1";
    if (r.from_type) {
      // From the few links of one entity to their targets; left to itself, SQLite would walk
      // every entity of the type in id order and probe the links for each.
      from = " FROM link l CROSS JOIN entity e ON l.to_type=e.type AND l.to_id=e.id";
      where += " AND l.from_type=?2 AND l.from_id=?3 AND l.nav=?4";
    }
    std::string order = " ORDER BY ";
    for (const OrderBy& o : r.order) {
      const bool by_id = o.path.size() == 1 && (o.path[0] == "id" || o.path[0] == "@iot.id");
      order += by_id ? std::string("e.id") : "json_extract(e.doc, '" + JsonPath(o.path) + "')";
      order += o.descending ? " DESC, " : " ASC, ";
    }
    order += "e.id ASC";
    ListResult out;
    auto bind = [&](Statement& q) {
      q.Bind(1, T(r.type));
      if (r.from_type) q.Bind(2, T(*r.from_type)).Bind(3, r.from_id).Bind(4, r.via);
    };
    if (r.count) {
      Statement c(db_.get(), "SELECT COUNT(*)" + from + where);
      bind(c);
      if (!c.Step()) return c.status().ok() ? Internal("count failed") : c.status();
      out.total = c.Int(0);
    }
    Statement q(db_.get(), "SELECT e.id, e.doc" + from + where + order + " LIMIT ?5 OFFSET ?6");
    bind(q);
    q.Bind(5, r.top).Bind(6, r.skip);
    while (q.Step()) out.entities.push_back({q.Int(0), Parse(q.Text(1))});
    if (!q.status().ok()) return q.status();
    return out;
  }

 private:
  static json::object Parse(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
  }

  std::recursive_mutex mu_;  // Write() holds it while `work` calls the other methods
  sqlite::DbHandle db_;
};

}  // namespace

Result<InsertedObservation> EntityStore::InsertObservation(const json::object& doc,
                                                           int64_t datastream, int64_t feature) {
  auto id = Insert(EntityType::kObservation, doc);
  if (!id.ok()) return id.status();
  const std::pair<EntityType, int64_t> owners[] = {{EntityType::kDatastream, datastream},
                                                   {EntityType::kFeatureOfInterest, feature}};
  for (const auto& [type, owner] : owners) {
    const std::string_view nav =
        type == EntityType::kDatastream ? "Datastream" : "FeatureOfInterest";
    if (auto s = Link(EntityType::kObservation, *id, nav, type, owner); !s.ok()) return s;
    if (auto s = Link(type, owner, "Observations", EntityType::kObservation, *id); !s.ok()) return s;
  }
  return InsertedObservation{*id, true};
}

Result<int64_t> EntityStore::RemoveObservations(int64_t datastream, int64_t from_ms,
                                               int64_t to_ms) {
  auto ids = Linked(EntityType::kDatastream, datastream, "Observations");
  if (!ids.ok()) return ids.status();
  int64_t removed = 0;
  for (int64_t id : *ids) {
    auto observation = Get(EntityType::kObservation, id);
    if (!observation.ok()) return observation.status();
    const json::value* time = *observation ? (*observation)->doc.if_contains("phenomenonTime") : nullptr;
    if (!time || !time->is_string()) continue;
    const std::string_view text = time->get_string();
    auto ms = ParseRfc3339Ms(text.substr(0, text.find('/')));
    if (!ms || *ms < from_ms || *ms >= to_ms) continue;
    if (auto s = Remove(EntityType::kObservation, id); !s.ok()) return s;
    ++removed;
  }
  return removed;
}

json::object MeasurementDoc(const Measurement& m) {
  json::value result = m.result;
  if (std::trunc(m.result) == m.result && std::abs(m.result) < 9007199254740992.0) {
    result = static_cast<int64_t>(m.result);
  }
  return json::object{{"phenomenonTime", FormatRfc3339Ms(m.time_ms)},
                      {"result", std::move(result)},
                      {"resultTime", nullptr}};
}

Result<std::vector<InsertedObservation>> EntityStore::InsertMeasurements(
    int64_t datastream, int64_t feature, const std::vector<Measurement>& rows) {
  std::vector<InsertedObservation> out;
  out.reserve(rows.size());
  for (const Measurement& m : rows) {
    auto inserted = InsertObservation(MeasurementDoc(m), datastream, feature);
    if (!inserted.ok()) return inserted.status();
    out.push_back(*inserted);
  }
  return out;
}

Result<std::unique_ptr<EntityStore>> OpenSqliteEntityStore(const std::string& path) {
  auto db = sqlite::Open(path, "SensorThings store");
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteEntityStore>(std::move(db).value());
  if (auto s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<EntityStore>(std::move(store));
}

}  // namespace datenwerk::sta
