// The deployment's one database: the SQLite file DATA_DIR/datenwerk.db, into which the files of
// earlier releases (one per module) are merged first, or the PostgreSQL database of --database.
// Every module keeps its tables in it.
#pragma once

#include <memory>

#include "app/config.h"
#include "store/sql_connection.h"

namespace datenwerk::app {

// nullptr (logged) when it cannot be opened or an earlier release's file cannot be merged.
std::unique_ptr<sql::Connection> OpenDatabase(const Config& config);

}  // namespace datenwerk::app
