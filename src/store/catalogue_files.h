// Reads the catalogue CSV files of a directory (e.g. data/bochum) for ParseCatalogue.
#pragma once

#include <string>

#include "core/catalogue_import.h"

namespace datenwerk {

// Fails with the missing or unreadable file's name in the status field.
Result<CatalogueFiles> ReadCatalogueDirectory(const std::string& directory);

}  // namespace datenwerk
