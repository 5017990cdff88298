// The open-data pages for people, in German: /daten lists every published dataset with a search
// and filters (theme, format, licence) that work without JavaScript, and /daten/<id> shows one
// dataset with its description, licence, coverage, files and a preview, marked up as a
// schema.org Dataset for dataset search engines. Pure renderers: the route supplies the datasets
// and the preview rows.
#pragma once

#include <string>
#include <vector>

#include "http/message.h"
#include "opendata/dcat.h"
#include "web/layout.h"

namespace datenwerk::opendata {

// A row of a dataset's preview table, already in German ("20.04.2024, 14:05", "21,5 °C").
struct PreviewRow {
  std::vector<std::string> cells;
};
struct Preview {
  std::string caption;
  std::vector<std::string> columns;
  std::vector<PreviewRow> rows;
};

// Query parameters: q (words in title, description or keywords), thema (EU theme code),
// format (CSV, JSON, GEOJSON), lizenz (a licence IRI).
http::Response DatasetListPage(const std::vector<Dataset>& datasets, const http::Request& request,
                               const web::PortalOptions& options);

http::Response DatasetPage(const Dataset& dataset, const CatalogMetadata& meta, const Preview& preview,
                           const web::PortalOptions& options);

// The German name of a licence of the DCAT-AP.de list, or the IRI for one it does not know.
std::string LicenseLabel(const std::string& iri);

}  // namespace datenwerk::opendata
