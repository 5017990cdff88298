// The SensorThings document store on PostgreSQL 15: the same tables as the SQLite store (jsonb
// documents, links both ways, a sequence per entity type), for cities whose catalogue is on
// PostgreSQL. Lists order as the SQLite store does (NULL, then numbers, then text), so merged
// lists (tiered_store.h) keep one order.
#include <mutex>

#include "sta/entity_store.h"
#include "store/pg_db.h"

namespace datenwerk::sta {

namespace json = boost::json;
using pg::Param;

namespace {

constexpr const char* kSchema = R"sql(
SET client_min_messages TO warning;
CREATE TABLE IF NOT EXISTS sta_entity (type SMALLINT NOT NULL, id BIGINT NOT NULL,
  doc JSONB NOT NULL, PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS sta_link (from_type SMALLINT NOT NULL, from_id BIGINT NOT NULL,
  nav TEXT NOT NULL, to_type SMALLINT NOT NULL, to_id BIGINT NOT NULL,
  PRIMARY KEY (from_type, from_id, nav, to_id));
CREATE INDEX IF NOT EXISTS sta_link_to ON sta_link (to_type, to_id);
CREATE TABLE IF NOT EXISTS sta_sequence (type SMALLINT PRIMARY KEY, last_id BIGINT NOT NULL);
)sql";

std::string T(EntityType t) { return std::to_string(static_cast<int>(t)); }
std::string N(int64_t v) { return std::to_string(v); }

// A PostgreSQL text[] literal of an $orderby path: {"a","b"}, quotes and backslashes escaped.
std::string PathArray(const std::vector<std::string>& path) {
  std::string out = "{";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : path[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

json::object Parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

class PostgresEntityStore final : public EntityStore {
 public:
  explicit PostgresEntityStore(pg::ConnHandle conn) : conn_(std::move(conn)) {}

  Status Init() { return pg::Exec(conn_.get(), kSchema); }

  Status Write(const std::function<Status()>& work) override {
    std::lock_guard lock(mu_);
    if (auto s = pg::Exec(conn_.get(), "BEGIN"); !s.ok()) return s;
    Status result;
    try {
      result = work();
    } catch (const std::exception& e) {
      // Nothing half-written: the transaction goes, the fault becomes an answer.
      IgnoreError(pg::Exec(conn_.get(), "ROLLBACK"));
      return Internal(std::string("write failed: ") + e.what());
    }
    if (!result.ok()) {
      IgnoreError(pg::Exec(conn_.get(), "ROLLBACK"));
      return result;
    }
    return pg::Exec(conn_.get(), "COMMIT");
  }

  Result<int64_t> Insert(EntityType type, const json::object& doc) override {
    std::lock_guard lock(mu_);
    auto next = Query("INSERT INTO sta_sequence VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET "
                      "last_id = sta_sequence.last_id + 1 RETURNING last_id",
                      {T(type)});
    if (!next.ok()) return next.status();
    const int64_t id = next->Int(0, 0);
    auto inserted = Query("INSERT INTO sta_entity VALUES ($1, $2, $3::jsonb)",
                          {T(type), N(id), json::serialize(doc)});
    if (!inserted.ok()) return inserted.status();
    return id;
  }

  Status InsertWithId(EntityType type, int64_t id, const json::object& doc) override {
    std::lock_guard lock(mu_);
    auto inserted = Query("INSERT INTO sta_entity VALUES ($1, $2, $3::jsonb)",
                          {T(type), N(id), json::serialize(doc)});
    if (!inserted.ok() && inserted.status().code() == ErrorCode::kConflict) {
      return Status(ErrorCode::kConflict, "the id is taken: " + N(id), "id");
    }
    return inserted.status();
  }

  Status Replace(EntityType type, int64_t id, const json::object& doc) override {
    std::lock_guard lock(mu_);
    return Query("UPDATE sta_entity SET doc=$1::jsonb WHERE type=$2 AND id=$3",
                 {json::serialize(doc), T(type), N(id)})
        .status();
  }

  Status Remove(EntityType type, int64_t id) override {
    std::lock_guard lock(mu_);
    for (const char* sql : {"DELETE FROM sta_entity WHERE type=$1 AND id=$2",
                            "DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2",
                            "DELETE FROM sta_link WHERE to_type=$1 AND to_id=$2"}) {
      if (auto r = Query(sql, {T(type), N(id)}); !r.ok()) return r.status();
    }
    return Status::Ok();
  }

  Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
              int64_t to_id) override {
    std::lock_guard lock(mu_);
    return Query("INSERT INTO sta_link VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
                 {T(from), N(from_id), std::string(nav), T(to), N(to_id)})
        .status();
  }

  Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                std::optional<int64_t> to_id) override {
    std::lock_guard lock(mu_);
    if (to_id) {
      return Query("DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 AND to_id=$4",
                   {T(from), N(from_id), std::string(nav), N(*to_id)})
          .status();
    }
    return Query("DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3",
                 {T(from), N(from_id), std::string(nav)})
        .status();
  }

  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override {
    std::lock_guard lock(mu_);
    auto r = Query("SELECT doc::text FROM sta_entity WHERE type=$1 AND id=$2", {T(type), N(id)});
    if (!r.ok()) return r.status();
    if (r->size() == 0) return std::optional<StoredEntity>();
    return std::optional<StoredEntity>(StoredEntity{id, Parse(r->Text(0, 0))});
  }

  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override {
    std::lock_guard lock(mu_);
    auto r = Query("SELECT to_id FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 "
                   "ORDER BY to_id",
                   {T(from), N(id), std::string(nav)});
    if (!r.ok()) return r.status();
    std::vector<int64_t> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(r->Int(i, 0));
    return out;
  }

  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                        int64_t to_id) override {
    std::lock_guard lock(mu_);
    auto r = Query("SELECT 1 FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 AND "
                   "to_id=$4",
                   {T(from), N(from_id), std::string(nav), N(to_id)});
    if (!r.ok()) return r.status();
    return r->size() > 0;
  }

  Result<ListResult> List(const ListRequest& r) override {
    std::lock_guard lock(mu_);
    std::vector<Param> params{T(r.type)};
    std::string from = " FROM sta_entity e";
    std::string where = " WHERE e.type=$1";
    if (r.from_type) {
      from += " JOIN sta_link l ON l.to_type=e.type AND l.to_id=e.id";
      where += " AND l.from_type=$2 AND l.from_id=$3 AND l.nav=$4";
      params.insert(params.end(), {T(*r.from_type), N(r.from_id), std::string(r.via)});
    }
    ListResult out;
    if (r.count) {
      auto c = Query(("SELECT COUNT(*)" + from + where).c_str(), params);
      if (!c.ok()) return c.status();
      out.total = c->Int(0, 0);
    }
    std::string order = " ORDER BY ";
    for (const OrderBy& o : r.order) {
      const bool by_id = o.path.size() == 1 && (o.path[0] == "id" || o.path[0] == "@iot.id");
      const char* dir = o.descending ? " DESC, " : " ASC, ";
      if (by_id) {
        order += std::string("e.id") + dir;
        continue;
      }
      params.push_back(PathArray(o.path));
      const std::string v = "(e.doc #> $" + std::to_string(params.size()) + "::text[])";
      // As SQLite orders json_extract values: NULL, then numbers (booleans as 0/1), then text.
      order += "(CASE COALESCE(jsonb_typeof(" + v + "), 'null') WHEN 'null' THEN 0 " +
               "WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 ELSE 2 END)" + dir;
      order += "(CASE jsonb_typeof(" + v + ") WHEN 'number' THEN (" + v + ")::text::float8 " +
               "WHEN 'boolean' THEN (CASE WHEN " + v + " = 'true'::jsonb THEN 1 ELSE 0 END) END)" +
               dir;
      order += "(CASE WHEN jsonb_typeof(" + v + ") IN ('string', 'object', 'array') THEN " +
               "(e.doc #>> $" + std::to_string(params.size()) + "::text[]) END) COLLATE \"C\"" +
               dir;
    }
    order += "e.id ASC";
    params.push_back(N(r.top));
    params.push_back(N(r.skip));
    const std::string limit = " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" +
                              std::to_string(params.size());
    auto rows = Query(("SELECT e.id, e.doc::text" + from + where + order + limit).c_str(), params);
    if (!rows.ok()) return rows.status();
    for (int i = 0; i < rows->size(); ++i) {
      out.entities.push_back({rows->Int(i, 0), Parse(rows->Text(i, 1))});
    }
    return out;
  }

 private:
  Result<pg::Rows> Query(const char* sql, const std::vector<Param>& params) {
    return pg::Query(conn_.get(), sql, params);
  }

  std::recursive_mutex mu_;  // Write() holds it while `work` calls the other methods
  pg::ConnHandle conn_;
};

}  // namespace

Result<std::unique_ptr<EntityStore>> OpenPostgresEntityStore(const std::string& conninfo) {
  auto conn = pg::Connect(conninfo);
  if (!conn.ok()) return conn.status();
  auto store = std::make_unique<PostgresEntityStore>(std::move(conn).value());
  if (auto s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<EntityStore>(std::move(store));
}

}  // namespace datenwerk::sta
