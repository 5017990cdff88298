// Whole tables moved between two databases of either kind (SQLite, PostgreSQL) through the shared
// data-access layer, and compared afterwards: a city moving from SQLite to PostgreSQL and back
// (`datenwerk copy`), and a PostgreSQL city's local files of the release before the one database.
//
// Values travel as text, typed by the target's column: bytea/BLOB as bytes, booleans as 0/1, the
// rest as text the target reads in its column's type. A comparison counts the rows on both sides
// and sums a digest of every row, independent of order, with numbers, booleans and JSON documents
// in one canonical form (jsonb reorders keys; float texts differ between the engines).
// Not thread-safe; start-up and command-line use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk {

struct TableCopy {
  std::string from;  // table in the source
  std::string to;    // table in the target
};

struct TableReport {
  std::string table;
  int64_t rows = 0;
  uint64_t digest = 0;
};

// The tables of `db` in its current schema, by name, without SQLite's own and without the
// bookkeeping of versions and merges (datenwerk_meta, datenwerk_migration).
Result<std::vector<std::string>> ListTables(sql::Connection& db);

// Copies each table's rows from `source` (one read transaction) into `target` (the caller's write
// transaction `tx`). The target tables must exist with every source column, and be empty
// (kFailedPrecondition otherwise, naming the table). Then moves PostgreSQL's id sequences past the
// copied ids. Returns rows and digests as read from the source.
Result<std::vector<TableReport>> CopyTables(sql::Connection& source, sql::Connection& target, sql::Tx& tx,
                                            const std::vector<TableCopy>& tables);

// Counts and digests the `to` tables of `target` as `tx` (of target) sees them, typed by their own
// columns, and compares them with `expected` (from CopyTables); kInternal naming the first table
// that differs. Inside the copying transaction, a difference rolls the copy back.
Status CompareTables(sql::Connection& target, sql::Tx& tx, const std::vector<TableCopy>& tables,
                     const std::vector<TableReport>& expected);

}  // namespace datenwerk
