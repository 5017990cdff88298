// The alerts as open data: the dataset "warnmeldungen" (every alert that has fired: when, which
// rule, how severe, on which Datastream, the value and its peak, how it ended) and its downloads
// /daten/warnmeldungen.csv and .json, streamed oldest first in pages, so any number of them
// downloads in bounded memory.
//
// Privacy: what staff wrote when they acknowledged or resolved an alert, and who they were, stays
// in the back office; only the rule's name (which staff choose for the public) and the numbers go
// out. The dataset is the city's own: like its other datasets it is published once it has a
// licence (curation.h).
#pragma once

#include <optional>
#include <string_view>

#include "alerts/alert_store.h"
#include "http/message.h"
#include "opendata/dcat.h"
#include "opendata/inventory.h"

namespace datenwerk::opendata {

inline constexpr std::string_view kAlertsDatasetId = "warnmeldungen";

// The dataset, or nothing before the first alert has fired. Pure.
std::optional<Dataset> AlertsDataset(const alerts::PublishedAlerts& published, const InventoryOptions& options);

// Whether /daten/<name> is one of the alerts' downloads ("warnmeldungen.csv", ".json").
bool IsAlertsDownload(std::string_view name);

// The answer to GET /daten/warnmeldungen.{csv,json}: CSV columns id, rule, severity,
// datastream_id, state, started, fired, acknowledged, resolved (RFC 3339, UTC), value, peak; the
// JSON is {"alerts": [objects with the same members]}. With an ETag from the alerts' count and
// newest change. `store` must outlive the answer's body stream.
http::Response AlertsDownload(alerts::AlertStore& store, const http::Request& request);

}  // namespace datenwerk::opendata
