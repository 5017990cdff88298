#include "sta/document_store.h"

#include <algorithm>
#include <string_view>

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

constexpr std::string_view kSqliteSchema = R"sql(
CREATE TABLE IF NOT EXISTS sta_entity (type INTEGER NOT NULL, id INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (type, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sta_link (from_type INTEGER NOT NULL, from_id INTEGER NOT NULL,
  nav TEXT NOT NULL, to_type INTEGER NOT NULL, to_id INTEGER NOT NULL,
  PRIMARY KEY (from_type, from_id, nav, to_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sta_link_to ON sta_link (to_type, to_id);
CREATE TABLE IF NOT EXISTS sta_sequence (type INTEGER PRIMARY KEY, last_id INTEGER NOT NULL);
)sql";

constexpr std::string_view kPostgresSchema = R"sql(
SET client_min_messages TO warning;
CREATE TABLE IF NOT EXISTS sta_entity (type SMALLINT NOT NULL, id BIGINT NOT NULL,
  doc JSONB NOT NULL, PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS sta_link (from_type SMALLINT NOT NULL, from_id BIGINT NOT NULL,
  nav TEXT NOT NULL, to_type SMALLINT NOT NULL, to_id BIGINT NOT NULL,
  PRIMARY KEY (from_type, from_id, nav, to_id));
CREATE INDEX IF NOT EXISTS sta_link_to ON sta_link (to_type, to_id);
CREATE TABLE IF NOT EXISTS sta_sequence (type SMALLINT PRIMARY KEY, last_id BIGINT NOT NULL);
)sql";

int64_t T(EntityType t) { return static_cast<int64_t>(t); }

bool IsSqlite(const sql::Connection& db) { return std::string_view(db.Dialect()) == "sqlite"; }

json::object Parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

// An $orderby path as SQLite's json_extract path: $."a"."b" (names are checked against the model
// before they get here, and quoted anyway).
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

// The same as a PostgreSQL text[] literal: {"a","b"}, quotes and backslashes escaped.
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

// The ORDER BY terms for one $orderby path whose value is parameter $n. PostgreSQL orders as
// SQLite orders json_extract values (NULL, then numbers with booleans as 0/1, then text), so both
// databases list in one order (tiered lists merge on it).
std::string OrderTerms(bool sqlite, size_t n, const char* dir) {
  const std::string p = "$" + std::to_string(n);
  if (sqlite) return "json_extract(e.doc, " + p + ")" + dir;
  const std::string v = "(e.doc #> " + p + "::text[])";
  return "(CASE COALESCE(jsonb_typeof(" + v + "), 'null') WHEN 'null' THEN 0 " +
         "WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 ELSE 2 END)" + dir + "(CASE jsonb_typeof(" + v +
         ") WHEN 'number' THEN (" + v + ")::text::float8 " + "WHEN 'boolean' THEN (CASE WHEN " + v +
         " = 'true'::jsonb THEN 1 ELSE 0 END) END)" + dir + "(CASE WHEN jsonb_typeof(" + v +
         ") IN ('string', 'object', 'array') THEN (e.doc #>> " + p + "::text[]) END) COLLATE \"C\"" + dir;
}

}  // namespace

Result<std::unique_ptr<DocumentStore>> DocumentStore::Open(sql::Connection& db) {
  Status s = db.Write([&](sql::Tx& tx) { return tx.Exec(std::string(IsSqlite(db) ? kSqliteSchema : kPostgresSchema)); });
  if (!s.ok()) return s;
  return std::make_unique<DocumentStore>(db);
}

Result<int64_t> DocumentStore::ReserveId(EntityType type) {
  MutexLock lock(mu_);
  Block& block = blocks_[type];
  if (block.next == block.end) {
    int64_t last = 0;
    Status s = db_.Write([&](sql::Tx& tx) -> Status {
      auto rows = tx.Query("INSERT INTO sta_sequence VALUES ($1, $2) ON CONFLICT (type) DO UPDATE SET "
                           "last_id = sta_sequence.last_id + $2 RETURNING last_id",
                           {T(type), block.size});
      if (!rows.ok()) return rows.status();
      if (rows->empty()) return Internal("no id");
      last = rows->front().Int(0);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    block.next = last - block.size + 1;
    block.end = last + 1;
    block.size = std::min(block.size * 2, kMaxBlock);
  }
  return block.next++;
}

Result<int64_t> DocumentStore::NextId(sql::Tx& tx, EntityType type) {
  auto next = tx.Query("INSERT INTO sta_sequence VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET "
                       "last_id = sta_sequence.last_id + 1 RETURNING last_id",
                       {T(type)});
  if (!next.ok()) return next.status();
  if (next->empty()) return Internal("no id");
  return next->front().Int(0);
}

Result<sql::Rows> DocumentStore::Query(sql::Tx* tx, const std::string& sql,
                                       const std::vector<sql::Value>& params) {
  if (tx) return tx->Query(sql, params);
  return db_.ReadOne(sql, params);
}

Status DocumentStore::Insert(sql::Tx& tx, EntityType type, int64_t id, const json::object& doc) {
  Status s = tx.Query("INSERT INTO sta_entity VALUES ($1, $2, $3)", {T(type), id, json::serialize(doc)}).status();
  if (s.code() == ErrorCode::kConflict) return Status(ErrorCode::kConflict, "the id is taken: " + std::to_string(id), "id");
  return s;
}

Status DocumentStore::Replace(sql::Tx& tx, EntityType type, int64_t id, const json::object& doc) {
  return tx.Query("UPDATE sta_entity SET doc=$1 WHERE type=$2 AND id=$3", {json::serialize(doc), T(type), id}).status();
}

Status DocumentStore::Remove(sql::Tx& tx, EntityType type, int64_t id) {
  for (const char* sql : {"DELETE FROM sta_entity WHERE type=$1 AND id=$2",
                          "DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2",
                          "DELETE FROM sta_link WHERE to_type=$1 AND to_id=$2"}) {
    if (auto r = tx.Query(sql, {T(type), id}); !r.ok()) return r.status();
  }
  return Status::Ok();
}

Status DocumentStore::Link(sql::Tx& tx, EntityType from, int64_t from_id, std::string_view nav, EntityType to,
                           int64_t to_id) {
  return tx.Query("INSERT INTO sta_link VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
                  {T(from), from_id, std::string(nav), T(to), to_id})
      .status();
}

Status DocumentStore::Unlink(sql::Tx& tx, EntityType from, int64_t from_id, std::string_view nav,
                             std::optional<int64_t> to_id) {
  if (to_id) {
    return tx.Query("DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 AND to_id=$4",
                    {T(from), from_id, std::string(nav), *to_id})
        .status();
  }
  return tx.Query("DELETE FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3", {T(from), from_id, std::string(nav)})
      .status();
}

Result<std::optional<StoredEntity>> DocumentStore::Get(sql::Tx* tx, EntityType type, int64_t id) {
  auto rows = Query(tx,
                    IsSqlite(db_) ? "SELECT doc FROM sta_entity WHERE type=$1 AND id=$2"
                                  : "SELECT doc::text FROM sta_entity WHERE type=$1 AND id=$2",
                    {T(type), id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredEntity>();
  return std::optional<StoredEntity>(StoredEntity{id, Parse(rows->front().Text(0))});
}

Result<bool> DocumentStore::Exists(sql::Tx* tx, EntityType type, int64_t id) {
  auto rows = Query(tx, "SELECT 1 FROM sta_entity WHERE type=$1 AND id=$2", {T(type), id});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<std::vector<int64_t>> DocumentStore::Linked(sql::Tx* tx, EntityType from, int64_t id, std::string_view nav) {
  auto rows = Query(tx, "SELECT to_id FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 ORDER BY to_id",
                    {T(from), id, std::string(nav)});
  if (!rows.ok()) return rows.status();
  std::vector<int64_t> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(r.Int(0));
  return out;
}

Result<bool> DocumentStore::IsLinked(sql::Tx* tx, EntityType from, int64_t from_id, std::string_view nav,
                                     int64_t to_id) {
  auto rows = Query(tx, "SELECT 1 FROM sta_link WHERE from_type=$1 AND from_id=$2 AND nav=$3 AND to_id=$4",
                    {T(from), from_id, std::string(nav), to_id});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<ListResult> DocumentStore::List(const ListRequest& r) {
  const bool sqlite = IsSqlite(db_);
  std::vector<sql::Value> params{T(r.type)};
  std::string from = " FROM sta_entity e";
  std::string where = " WHERE e.type=$1";
  if (r.from_type) {
    // From the few links of one entity to their targets; left to itself, SQLite would walk every
    // entity of the type in id order and probe the links for each.
    from = sqlite ? " FROM sta_link l CROSS JOIN sta_entity e ON l.to_type=e.type AND l.to_id=e.id"
                  : " FROM sta_link l JOIN sta_entity e ON l.to_type=e.type AND l.to_id=e.id";
    where += " AND l.from_type=$2 AND l.from_id=$3 AND l.nav=$4";
    params.insert(params.end(), {T(*r.from_type), r.from_id, std::string(r.via)});
  }
  ListResult out;
  if (r.count) {
    auto c = db_.ReadOne("SELECT COUNT(*)" + from + where, params);
    if (!c.ok()) return c.status();
    out.total = c->empty() ? 0 : c->front().Int(0);
  }
  std::string order = " ORDER BY ";
  for (const OrderBy& o : r.order) {
    const char* dir = o.descending ? " DESC, " : " ASC, ";
    if (o.path.size() == 1 && (o.path[0] == "id" || o.path[0] == "@iot.id")) {
      order += std::string("e.id") + dir;
      continue;
    }
    params.emplace_back(sqlite ? JsonPath(o.path) : PathArray(o.path));
    order += OrderTerms(sqlite, params.size(), dir);
  }
  order += "e.id ASC";
  params.emplace_back(r.top);
  params.emplace_back(r.skip);
  const std::string limit =
      " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
  auto rows = db_.ReadOne(std::string(sqlite ? "SELECT e.id, e.doc" : "SELECT e.id, e.doc::text") + from + where + order +
                          limit,
                      params);
  if (!rows.ok()) return rows.status();
  out.entities.reserve(rows->size());
  for (const sql::Row& row : *rows) out.entities.push_back({row.Int(0), Parse(row.Text(1))});
  return out;
}

}  // namespace datenwerk::sta
