#include "store/table_copy.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

namespace datenwerk {

namespace {

enum class Kind { kText, kInt, kReal, kBool, kBlob, kJson };

struct Column {
  std::string name;
  Kind kind = Kind::kText;
};

bool IsSqlite(const sql::Connection& db) { return std::string_view(db.Dialect()) == "sqlite"; }

Kind KindOf(std::string type, const std::string& table, const std::string& column) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::toupper(c); });
  if (type == "JSONB" || type == "JSON" || (table == "sta_entity" && column == "doc")) return Kind::kJson;
  if (type == "BOOLEAN") return Kind::kBool;
  if (type.find("INT") != std::string::npos) return Kind::kInt;
  if (type.find("REAL") != std::string::npos || type.find("DOUBLE") != std::string::npos ||
      type.find("FLOA") != std::string::npos || type == "NUMERIC") {
    return Kind::kReal;
  }
  if (type.find("BLOB") != std::string::npos || type == "BYTEA") return Kind::kBlob;
  return Kind::kText;
}

Result<std::vector<Column>> Columns(sql::Connection& db, const std::string& table) {
  auto rows = IsSqlite(db) ? db.ReadOne("SELECT name, type FROM pragma_table_info($1) ORDER BY cid", {table})
                           : db.ReadOne("SELECT column_name, data_type FROM information_schema.columns WHERE "
                                        "table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                                        {table});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status(ErrorCode::kNotFound, "no table " + table, table);
  std::vector<Column> out;
  for (const sql::Row& r : *rows) out.push_back({r.Text(0), KindOf(r.Text(1), table, r.Text(0))});
  return out;
}

// A JSON value with its object keys sorted, recursively.
boost::json::value Canonical(const boost::json::value& v) {
  if (v.is_array()) {
    boost::json::array out;
    for (const auto& e : v.as_array()) out.push_back(Canonical(e));
    return out;
  }
  if (!v.is_object()) return v;
  std::map<std::string, boost::json::value> sorted;
  for (const auto& [k, e] : v.as_object()) sorted[std::string(k)] = Canonical(e);
  boost::json::object out;
  for (auto& [k, e] : sorted) out[k] = std::move(e);
  return out;
}

bool IsTrue(const std::string& text) { return text == "t" || text == "1" || text == "true"; }

// One cell in the form both engines agree on, for the digest.
std::string Normal(const sql::Row& row, size_t i, Kind kind) {
  if (row.IsNull(i)) return std::string("\x01N", 2);
  const std::string& text = row.Text(i);
  switch (kind) {
    case Kind::kBool: return IsTrue(text) ? "1" : "0";
    case Kind::kInt: {
      if (text == "t" || text == "f") return IsTrue(text) ? "1" : "0";
      int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) return std::to_string(n);
      return text;
    }
    case Kind::kReal: {
      double d = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec == std::errc() && end == text.data() + text.size()) return fmt::format("{}", d);
      return text;
    }
    case Kind::kJson: {
      boost::system::error_code ec;
      auto v = boost::json::parse(text, ec);
      return ec ? text : boost::json::serialize(Canonical(v));
    }
    default: return text;
  }
}

// FNV-1a over the row's normal cells, each with its length; summed over rows, so order does not count.
uint64_t RowDigest(const sql::Row& row, const std::vector<Column>& columns) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string cell = Normal(row, i, columns[i].kind);
    const std::string size = std::to_string(cell.size()) + ":";
    mix(size);
    mix(cell);
  }
  return h;
}

sql::Value ToTarget(const sql::Row& row, size_t i, Kind kind) {
  if (row.IsNull(i)) return sql::Value();
  const std::string& text = row.Text(i);
  switch (kind) {
    case Kind::kBlob: return sql::Blob{text};
    case Kind::kBool: return int64_t{IsTrue(text)};
    case Kind::kInt:
      if (text == "t" || text == "f") return int64_t{IsTrue(text)};
      return text;
    default: return text;
  }
}

std::string ColumnList(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& c : columns) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

// The target's columns named like the source's, in the source's order.
Result<std::vector<Column>> Matching(sql::Connection& source, sql::Connection& target, const TableCopy& t) {
  auto from = Columns(source, t.from);
  if (!from.ok()) return from.status();
  auto to = Columns(target, t.to);
  if (!to.ok()) return to.status();
  std::vector<Column> out;
  for (const Column& c : *from) {
    auto it = std::find_if(to->begin(), to->end(), [&](const Column& d) { return d.name == c.name; });
    if (it == to->end()) return Internal("table " + t.to + " has no column " + c.name);
    out.push_back(*it);
  }
  return out;
}

Status AdvanceSequences(sql::Tx& tx, const std::string& table) {
  auto serial = tx.Query("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = $1 AND column_default LIKE 'nextval%'",
                         {table});
  if (!serial.ok()) return serial.status();
  for (const sql::Row& c : *serial) {
    const std::string column = c.Text(0);
    auto set = tx.Query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" + column + ") FROM " +
                            table + "), 0) + 1, false)",
                        {table, column});
    if (!set.ok()) return set.status();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> ListTables(sql::Connection& db) {
  auto rows = IsSqlite(db) ? db.ReadOne("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                        "ORDER BY name")
                           : db.ReadOne("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                        "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (const sql::Row& r : *rows) {
    if (r.Text(0) == "datenwerk_meta" || r.Text(0) == "datenwerk_migration") continue;
    out.push_back(r.Text(0));
  }
  return out;
}

Result<std::vector<TableReport>> CopyTables(sql::Connection& source, sql::Connection& target, sql::Tx& tx,
                                            const std::vector<TableCopy>& tables) {
  std::vector<TableReport> reports;
  Status s = source.Read([&](sql::Tx& from) -> Status {
    for (const TableCopy& t : tables) {
      auto columns = Matching(source, target, t);
      if (!columns.ok()) return columns.status();
      auto present = tx.Query("SELECT COUNT(*) FROM " + t.to);
      if (!present.ok()) return present.status();
      if (present->front().Int(0) != 0) {
        return Status(ErrorCode::kConflict, "table " + t.to + " of the target is not empty; nothing was copied", t.to);
      }
      std::string placeholders;
      for (size_t i = 0; i < columns->size(); ++i) placeholders += (i ? ", $" : "$") + std::to_string(i + 1);
      const std::string insert = "INSERT INTO " + t.to + " (" + ColumnList(*columns) + ") VALUES (" + placeholders + ")";
      TableReport report{t.to, 0, 0};
      std::vector<sql::Value> params(columns->size());
      Status copied = from.Each("SELECT " + ColumnList(*columns) + " FROM " + t.from, {}, [&](sql::Row& row) -> Status {
        for (size_t i = 0; i < columns->size(); ++i) params[i] = ToTarget(row, i, (*columns)[i].kind);
        if (auto r = tx.Query(insert, params); !r.ok()) return r.status();
        ++report.rows;
        report.digest += RowDigest(row, *columns);
        return Status::Ok();
      });
      if (!copied.ok()) return Status(copied.code(), "copying " + t.from + ": " + copied.message(), t.from);
      if (!IsSqlite(target)) {
        if (Status a = AdvanceSequences(tx, t.to); !a.ok()) return a;
      }
      reports.push_back(report);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return reports;
}

Status CompareTables(sql::Connection& target, sql::Tx& tx, const std::vector<TableCopy>& tables,
                     const std::vector<TableReport>& expected) {
  {
    for (size_t k = 0; k < tables.size() && k < expected.size(); ++k) {
      auto columns = Matching(target, target, {tables[k].to, tables[k].to});
      if (!columns.ok()) return columns.status();
      TableReport here{tables[k].to, 0, 0};
      Status read = tx.Each("SELECT " + ColumnList(*columns) + " FROM " + tables[k].to, {}, [&](sql::Row& row) {
        ++here.rows;
        here.digest += RowDigest(row, *columns);
        return Status::Ok();
      });
      if (!read.ok()) return read;
      if (here.rows != expected[k].rows || here.digest != expected[k].digest) {
        return Internal("table " + tables[k].to + ": " + std::to_string(expected[k].rows) + " rows copied, " +
                        std::to_string(here.rows) + " there, " +
                        (here.digest == expected[k].digest ? "same contents" : "contents differ"));
      }
    }
    return Status::Ok();
  }
}

}  // namespace datenwerk
