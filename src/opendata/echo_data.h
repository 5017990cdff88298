// BürgerEcho's reports as open data: the dataset "buergerecho-meldungen" and its downloads
// /daten/buergerecho.csv, .json and .geojson, streamed oldest first in pages, so any number of
// reports downloads in bounded memory. What the public pages show, no more: category, state,
// dates, district, office, position, address and description (empty where staff hid it); never
// e-mail or name. The city's own data: published once it has a licence (curation.h).
#pragma once

#include <optional>
#include <string_view>

#include "echo/report_store.h"
#include "echo/services.h"
#include "http/message.h"
#include "opendata/dcat.h"
#include "opendata/inventory.h"

namespace datenwerk::opendata {

inline constexpr std::string_view kReportsDatasetId = "buergerecho-meldungen";

// The dataset, or nothing before the first report. Pure.
std::optional<Dataset> ReportsDataset(const echo::ReportsSummary& summary, const InventoryOptions& options);

bool IsReportsDownload(std::string_view name);  // "buergerecho.csv", ".json", ".geojson"

// The answer to GET /daten/buergerecho.{csv,json,geojson}. CSV columns: id, category_code,
// category, state, state_label, open311_status, requested, updated (RFC 3339, UTC), district,
// office, lat, lon, address, description. `store` and `services` must outlive the body stream.
http::Response ReportsDownload(echo::ReportStore& store, std::shared_ptr<const echo::Services> services,
                               const http::Request& request);

}  // namespace datenwerk::opendata
