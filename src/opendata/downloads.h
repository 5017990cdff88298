// Downloads of sensor data at any size: the numeric readings of one or more Datastreams in a
// time range, as CSV (international: comma and decimal point; German: semicolon and decimal
// comma, as spreadsheet programs set to German read it), JSON or GeoJSON, streamed from the
// observation store in pages so that memory stays bounded however many readings there are.
// Rows are ordered by Datastream, then time; a download that broke off is restarted from the
// last time it received (`from`).
//
// Columns (CSV, international): datastream_id, datastream, unit, phenomenon_time (RFC 3339, UTC,
// milliseconds), result. German: Messreihe;Bezeichnung;Einheit;Zeitpunkt (UTC);Messwert.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "series/observation_store.h"

namespace datenwerk::opendata {

enum class DownloadFormat { kCsv, kCsvGerman, kJson, kGeoJson };

struct DownloadSeries {
  int64_t id = 0;
  std::string name;
  std::string unit;  // the unit's symbol
};

struct DownloadRequest {
  std::vector<DownloadSeries> series;
  int64_t from_ms = 0;                // inclusive
  int64_t to_ms = INT64_MAX;          // exclusive
  DownloadFormat format = DownloadFormat::kCsv;
  std::optional<std::pair<double, double>> point;  // the station's position (lon, lat), GeoJSON
};

// Downloads running at once in this process (their bodies alive): each holds a piece of memory
// and, while it makes a piece, a server thread. Beyond it a download is refused (503) until one ends.
inline constexpr int kMaxConcurrentDownloads = 32;

// The body of a download, or nullptr while kMaxConcurrentDownloads others run; reads `store`
// (which must outlive it) as the server asks for pieces. Thread-safe.
std::shared_ptr<http::BodyStream> SeriesDownload(series::ObservationStore& store, DownloadRequest request);

// Formatting, pure: one number as the format writes it ("21.5" or "21,5"; empty for NaN).
std::string FormatResult(double value, DownloadFormat format);

}  // namespace datenwerk::opendata
