// One SQL dialect for the small stores that need nothing beyond portable SQL (alerts): the same
// statement text runs on SQLite and on PostgreSQL. Parameters are written $1, $2, … and must
// first appear in ascending order (SQLite numbers named parameters by first appearance);
// "RETURNING" works on both. Thread-safe: the connection is used under its own lock, and
// Transaction() holds that lock for all of its work's statements.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace datenwerk::sql {

using Value = std::variant<std::monostate, int64_t, double, std::string>;  // monostate: NULL

// One row of a result: each column as text, nullopt for NULL.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  bool IsNull(size_t i) const { return !cells_[i]; }
  const std::string& Text(size_t i) const;  // "" for NULL
  int64_t Int(size_t i) const;              // 0 for NULL or not a number
  double Real(size_t i) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs `sql` with `params`; the rows it returns (SELECT, or RETURNING). A unique violation is
  // kConflict.
  virtual Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (schemas).
  virtual Status Exec(const std::string& sql) = 0;
  // Runs `work` in one transaction (committed when it returns Ok); Query and Transaction calls
  // from `work` on this thread join it (a nested Transaction neither commits nor rolls back).
  virtual Status Transaction(const std::function<Status()>& work) = 0;
  // "sqlite" or "postgresql", for the few DDL words that differ.
  virtual const char* Dialect() const = 0;
};

// The SQLite file at `path` (created when missing), or the PostgreSQL database at `conninfo`.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const std::string& what);
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo);

}  // namespace datenwerk::sql
