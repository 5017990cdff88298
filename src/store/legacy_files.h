// Upgrade without loss: earlier releases kept each module in a SQLite file of its own
// (sensorthings.db, observations.db, devices.db, backoffice.db, alerts.db beside datenwerk.db).
// MergeLegacyFiles moves each
// such file's tables into the one database file, in one transaction per file, and removes the
// file only after the rows of every table were counted on both sides and found equal. Each merged
// file is recorded (table datenwerk_migration) so an interrupted upgrade resumes: a file merged
// but not yet removed is checked again and removed, never copied twice.
// Run before the stores that cache what they read are opened. Not thread-safe (start-up only).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk {

// A legacy file and the names its tables get in the one database ("entity" -> "sta_entity").
struct LegacyFile {
  std::string file;  // name within the data directory
  std::vector<std::pair<std::string, std::string>> renames;  // legacy name -> name now
};

// Removes a SQLite file with its -wal and -shm files (after its rows are safely elsewhere).
Status RemoveDatabaseFile(const std::string& path);

// The files earlier releases wrote beside datenwerk.db whose modules live in it now.
std::vector<LegacyFile> LegacyFilesOfOneDatabase();

struct MergeReport {
  std::string file;
  int64_t tables = 0;
  int64_t rows = 0;
};

// Merges every existing file of `files` from `data_dir` into `db` (the SQLite file
// data_dir/datenwerk.db). Returns what was merged; an error names the file and table.
Result<std::vector<MergeReport>> MergeLegacyFiles(const std::string& data_dir, sql::Connection& db,
                                                  const std::vector<LegacyFile>& files);

}  // namespace datenwerk
