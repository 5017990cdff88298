// Turns the catalogue CSV files (themes, fields, measures, kpis, known_values,
// public_indicators) into CatalogueData, validating every row and every reference. Pure: the
// caller reads the files; nothing here touches disk or the store.
#pragma once

#include <map>
#include <string>

#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk {

// File name (e.g. "kpis.csv") -> its text.
using CatalogueFiles = std::map<std::string, std::string>;

// The file names an import reads; all are required.
inline constexpr const char* kCatalogueFileNames[] = {
    "themes.csv", "fields.csv", "measures.csv", "kpis.csv", "known_values.csv",
    "public_indicators.csv"};

// On failure the status field is "<file>:<line>" and the message says what is wrong; the first
// problem found is reported. Known values with a KPI become KpiValue rows (source and note kept),
// the others become ContextFacts.
Result<CatalogueData> ParseCatalogue(const CatalogueFiles& files);

}  // namespace datenwerk
