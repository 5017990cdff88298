#include "store/legacy_files.h"

#include <filesystem>
#include <map>

namespace datenwerk {

namespace {

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string NameNow(const LegacyFile& f, const std::string& name) {
  for (const auto& [old_name, new_name] : f.renames) {
    if (old_name == name) return new_name;
  }
  return name;
}

// "CREATE TABLE x (…" / "CREATE INDEX i ON x (…" as SQLite keeps them, for the one database.
Result<std::string> Recreated(const LegacyFile& f, const std::string& type, const std::string& name,
                              const std::string& table, const std::string& sql) {
  const std::string head = type == "table" ? "CREATE TABLE " + name : "CREATE INDEX " + name + " ON " + table;
  const std::string unique_head = "CREATE UNIQUE INDEX " + name + " ON " + table;
  std::string rest;
  std::string verb = type == "table" ? "CREATE TABLE" : "CREATE INDEX";
  if (sql.rfind(head, 0) == 0) {
    rest = sql.substr(head.size());
  } else if (type == "index" && sql.rfind(unique_head, 0) == 0) {
    rest = sql.substr(unique_head.size());
    verb = "CREATE UNIQUE INDEX";
  } else {
    return Internal("cannot read the definition of " + name + " in " + f.file + ": " + sql);
  }
  if (type == "table") return verb + " IF NOT EXISTS main." + NameNow(f, name) + rest;
  return verb + " IF NOT EXISTS main." + NameNow(f, name) + " ON " + NameNow(f, table) + rest;
}

Result<int64_t> Count(sql::Tx& tx, const std::string& table) {
  auto rows = tx.Query("SELECT COUNT(*) FROM " + table);
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}


// Copies the tables of the attached "legacy" database into main within `tx`; compares counts.
Result<MergeReport> CopyTables(sql::Tx& tx, const LegacyFile& f) {
  MergeReport report{f.file, 0, 0};
  auto objects = tx.Query(
      "SELECT type, name, tbl_name, sql FROM legacy.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
      "'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name");
  if (!objects.ok()) return objects.status();
  std::map<std::string, int64_t> before;  // table now -> rows it had
  for (const sql::Row& o : *objects) {
    if (o.Text(0) != "table" && o.Text(0) != "index") continue;
    auto create = Recreated(f, o.Text(0), o.Text(1), o.Text(2), o.Text(3));
    if (!create.ok()) return create.status();
    if (Status s = tx.Exec(*create); !s.ok()) return s;
    if (o.Text(0) != "table") continue;
    const std::string now = "main." + NameNow(f, o.Text(1));
    auto had = Count(tx, now);
    if (!had.ok()) return had.status();
    before[o.Text(1)] = *had;
    auto copied = tx.Query("INSERT INTO " + now + " SELECT * FROM legacy." + o.Text(1));
    if (!copied.ok()) return Status(copied.status().code(), "copying " + o.Text(1) + " of " + f.file + ": " + copied.status().message(), f.file);
  }
  for (const auto& [table, had] : before) {
    auto there = Count(tx, "legacy." + table);
    auto here = Count(tx, "main." + NameNow(f, table));
    if (!there.ok()) return there.status();
    if (!here.ok()) return here.status();
    if (*here != had + *there) {
      return Internal(f.file + ": table " + table + " has " + std::to_string(*there) + " rows, " +
                      std::to_string(*here - had) + " arrived; nothing was merged");
    }
    ++report.tables;
    report.rows += *there;
  }
  // AUTOINCREMENT counters, so ids are never given twice.
  auto counters = tx.Query("SELECT name FROM legacy.sqlite_master WHERE name = 'sqlite_sequence'");
  if (!counters.ok()) return counters.status();
  if (!counters->empty()) {
    auto seqs = tx.Query("SELECT name, seq FROM legacy.sqlite_sequence");
    if (!seqs.ok()) return seqs.status();
    for (const sql::Row& r : *seqs) {
      const std::string name = NameNow(f, r.Text(0));
      auto del = tx.Query("DELETE FROM main.sqlite_sequence WHERE name = $1", {name});
      if (!del.ok()) return del.status();
      auto add = tx.Query("INSERT INTO main.sqlite_sequence (name, seq) VALUES ($1, $2)", {name, r.Int(1)});
      if (!add.ok()) return add.status();
    }
  }
  auto noted = tx.Query("INSERT INTO datenwerk_migration (file, tables, rows) VALUES ($1, $2, $3)",
                        {f.file, report.tables, report.rows});
  if (!noted.ok()) return noted.status();
  return report;
}

// A file merged before whose removal did not happen: every table's rows are in main.
Status CheckMerged(sql::Tx& tx, const LegacyFile& f) {
  auto tables = tx.Query("SELECT name FROM legacy.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!tables.ok()) return tables.status();
  for (const sql::Row& t : *tables) {
    auto there = Count(tx, "legacy." + t.Text(0));
    auto here = Count(tx, "main." + NameNow(f, t.Text(0)));
    if (!there.ok()) return there.status();
    if (!here.ok()) return here.status();
    if (*here < *there) {
      return Internal(f.file + " was merged, but table " + t.Text(0) + " has more rows there than here; "
                      "the file is kept");
    }
  }
  return Status::Ok();
}

}  // namespace

Status RemoveDatabaseFile(const std::string& path) {
  for (const char* suffix : {"-wal", "-shm", ""}) {
    std::error_code ec;
    std::filesystem::remove(path + suffix, ec);
    if (ec) return Internal("cannot remove " + path + suffix + ": " + ec.message());
  }
  return Status::Ok();
}

std::vector<LegacyFile> LegacyFilesOfOneDatabase() {
  return {
      {"sensorthings.db",
       {{"entity", "sta_entity"}, {"link", "sta_link"}, {"sequence", "sta_sequence"}, {"link_to", "sta_link_to"}}},
      {"observations.db", {}},
      {"devices.db", {}},
      {"backoffice.db", {}},
      {"alerts.db", {}},
  };
}

Result<std::vector<MergeReport>> MergeLegacyFiles(const std::string& data_dir, sql::Connection& db,
                                                  const std::vector<LegacyFile>& files) {
  std::vector<MergeReport> merged;
  if (std::string_view(db.Dialect()) != "sqlite") return merged;
  if (Status s = db.Exec("CREATE TABLE IF NOT EXISTS datenwerk_migration (file TEXT PRIMARY KEY, "
                         "tables INTEGER NOT NULL, rows INTEGER NOT NULL, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
      !s.ok()) {
    return s;
  }
  for (const LegacyFile& f : files) {
    const std::string path = data_dir + "/" + f.file;
    if (!std::filesystem::exists(path)) continue;
    if (Status s = db.Exec("ATTACH DATABASE " + Quoted(path) + " AS legacy"); !s.ok()) return s;
    std::optional<MergeReport> report;
    Status s = db.Write([&](sql::Tx& tx) -> Status {
      auto done = tx.Query("SELECT 1 FROM datenwerk_migration WHERE file = $1", {f.file});
      if (!done.ok()) return done.status();
      if (!done->empty()) return CheckMerged(tx, f);
      auto copied = CopyTables(tx, f);
      if (!copied.ok()) return copied.status();
      report = *copied;
      return Status::Ok();
    });
    Status detached = db.Exec("DETACH DATABASE legacy");
    if (!s.ok()) return s;
    if (!detached.ok()) return detached;
    if (Status removed = RemoveDatabaseFile(path); !removed.ok()) return removed;
    if (report) merged.push_back(*report);
  }
  return merged;
}

}  // namespace datenwerk
