#include "store/catalogue_files.h"

#include <fstream>
#include <sstream>

namespace datenwerk {

Result<CatalogueFiles> ReadCatalogueDirectory(const std::string& directory) {
  CatalogueFiles files;
  for (const char* name : kCatalogueFileNames) {
    std::string path = directory + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) return InvalidArgument("cannot read file", path);
    std::ostringstream text;
    text << in.rdbuf();
    files[name] = std::move(text).str();
  }
  return files;
}

}  // namespace datenwerk
