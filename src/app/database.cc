#include "app/database.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "store/legacy_files.h"

namespace datenwerk::app {

std::unique_ptr<sql::Connection> OpenDatabase(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec && config.database.empty()) {
    spdlog::error("cannot create data directory {}: {}", config.data_dir, ec.message());
    return nullptr;
  }
  auto db = config.database.empty() ? sql::OpenSqlite(config.data_dir + "/datenwerk.db", "database")
                                    : sql::OpenPostgres(config.database);
  if (!db.ok()) {
    spdlog::error("{}", db.status().message());
    return nullptr;
  }
  auto merged = MergeLegacyFiles(config.data_dir, **db, LegacyFilesOfOneDatabase());
  if (!merged.ok()) {
    spdlog::error("cannot merge the files of the earlier release into datenwerk.db: {}", merged.status().message());
    return nullptr;
  }
  for (const MergeReport& m : *merged) {
    spdlog::info("merged {} into datenwerk.db: {} tables, {} rows, counts compared; the file is removed", m.file,
                 m.tables, m.rows);
  }
  return std::move(db).value();
}

}  // namespace datenwerk::app
