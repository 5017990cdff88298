// Helpers shared by the unit tests: the shipped catalogue files, temporary directories and
// fresh PostgreSQL schemas.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <optional>
#include <string>

#include "store/catalogue_files.h"

namespace datenwerk::testing {

inline CatalogueFiles BochumFiles() {
  auto files = ReadCatalogueDirectory(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum");
  if (!files.ok()) throw std::runtime_error("test data missing: " + files.status().field());
  return *files;
}

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "datenwerk-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A whole file ("" when it cannot be read).
inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A connection string to a fresh schema in the throw-away cluster of scripts/with-postgres.sh
// (DATENWERK_TEST_POSTGRES), or nullopt without one.
inline std::optional<std::string> FreshPostgresSchema() {
  const char* conninfo = std::getenv("DATENWERK_TEST_POSTGRES");
  if (!conninfo) return std::nullopt;
  static std::atomic<int> counter{0};
  const std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  PGconn* admin = PQconnectdb(conninfo);
  PGresult* r = PQexec(admin, ("CREATE SCHEMA " + schema).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(admin);
  if (!ok) return std::nullopt;
  return std::string(conninfo) + " options='-c search_path=" + schema + "'";
}

// Skips a PostgreSQL variant of a test outside scripts/with-postgres.sh (fails it in CI).
#define DATENWERK_REQUIRE_POSTGRES()                                                      \
  do {                                                                                    \
    if (!std::getenv("DATENWERK_TEST_POSTGRES")) {                                        \
      if (std::getenv("CI")) FAIL() << "CI runs the PostgreSQL suite: use scripts/with-postgres.sh"; \
      GTEST_SKIP() << "no PostgreSQL: run through scripts/with-postgres.sh";              \
    }                                                                                     \
  } while (false)

}  // namespace datenwerk::testing
