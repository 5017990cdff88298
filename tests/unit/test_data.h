// Helpers shared by the unit tests: the shipped catalogue files and temporary directories.
#pragma once

#include <filesystem>
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

}  // namespace datenwerk::testing
