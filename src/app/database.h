// The deployment's one database: the SQLite file DATA_DIR/datenwerk.db, into which the files of
// earlier releases (one per module) are merged first, or the PostgreSQL database of --database.
// Every module keeps its tables in it.
#pragma once

#include <memory>

#include "app/config.h"
#include "store/sql_connection.h"

namespace datenwerk::app {

// nullptr (logged) when it cannot be opened or an earlier release's file cannot be merged. On
// PostgreSQL, the local files a city on PostgreSQL had before the one database (observations.db
// with its time series, devices.db) are copied into it, compared row by row in the copying
// transaction, and removed.
std::unique_ptr<sql::Connection> OpenDatabase(const Config& config);

// Creates every module's tables in `db` (and nothing else).
Status CreateAllTables(sql::Connection& db);

// `datenwerk migrate`: OpenDatabase's upgrade on its own.
int Migrate(const Config& config);
// `datenwerk copy --to TARGET`: the whole city into an empty database of either kind, every table
// compared in the copying transaction and again after its commit.
int CopyDatabase(const Config& config);

}  // namespace datenwerk::app
