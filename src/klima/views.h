// Private to klima/*.cc: the views the dashboard's pages and downloads share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "klima/snapshot.h"
#include "series/buckets.h"
#include "series/observation_store.h"

namespace datenwerk::klima {

inline constexpr char kAttributionGeo[] = "© OpenStreetMap contributors, ODbL 1.0";
inline constexpr char kLicenceNote[] =
    "Messdaten der Stadt Bochum: Open Data, CC0 1.0 (Quelle: Stadt Bochum). Simulierte Daten: "
    "von Datenwerk erzeugt, CC0 1.0. Bezirksgrenzen: © OpenStreetMap contributors, ODbL 1.0.";

// A time range of a series page: "24h", "7d", "30d", "1j".
struct Range {
  std::string key;
  std::string label;      // "24 Stunden"
  int64_t length_ms = 0;
  std::string bucket;     // "15m", "1h", "6h", "1d"
};
const std::vector<Range>& Ranges();
// The range `key` names; the first (24 h) for anything else.
const Range& RangeOf(const std::string& key);

// The buckets of `stream` over `range`, ending with its latest reading.
struct SeriesView {
  const Range* range = nullptr;
  int64_t from_ms = 0, to_ms = 0;
  std::vector<series::Bucket> buckets;
};
Result<SeriesView> ViewOf(series::ObservationStore& store, const StreamState& stream,
                          const Range& range);

// "Simulierte Daten" / "Wiedergabe" notices for what a page shows; "" when neither.
std::string OriginNotice(bool simulated, bool replay);
// "12,3 °C" or "–".
std::string ValueText(const StreamState& stream);

}  // namespace datenwerk::klima
