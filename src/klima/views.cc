#include "klima/views.h"

#include <cmath>

#include "web/html.h"

namespace datenwerk::klima {

const std::vector<Range>& Ranges() {
  static const std::vector<Range> ranges = {
      {"24h", "24 Stunden", 24 * series::kHourMs, "15m"},
      {"7d", "7 Tage", 7 * series::kDayMs, "1h"},
      {"30d", "30 Tage", 30 * series::kDayMs, "6h"},
      {"1j", "1 Jahr", 365 * series::kDayMs, "1d"},
  };
  return ranges;
}

const Range& RangeOf(const std::string& key) {
  for (const Range& r : Ranges()) {
    if (r.key == key) return r;
  }
  return Ranges().front();
}

Result<SeriesView> ViewOf(series::ObservationStore& store, const StreamState& stream,
                          const Range& range) {
  SeriesView view;
  view.range = &range;
  if (!stream.latest) return view;
  auto spec = series::ParseBucket(range.bucket);
  if (!spec.ok()) return spec.status();
  view.to_ms = stream.latest->time_ms + 1;
  view.from_ms = view.to_ms - range.length_ms;
  auto buckets = store.Aggregate(stream.id, view.from_ms, view.to_ms, *spec);
  if (!buckets.ok()) return buckets.status();
  view.buckets = std::move(buckets).value();
  return view;
}

std::string OriginNotice(bool simulated, bool replay) {
  std::string out;
  if (replay) {
    out += "<p class=\"hinweis\"><strong>Wiedergabe:</strong> echte Messwerte der Stadt Bochum aus "
           "einem früheren Zeitraum, in die Gegenwart verschoben abgespielt.</p>\n";
  }
  if (simulated) {
    out += "<p class=\"hinweis\"><strong>Simulierte Daten:</strong> diese Werte stammen nicht von "
           "echten Sensoren, sondern aus Datenwerks Simulation.</p>\n";
  }
  return out;
}

std::string ValueText(const StreamState& stream) {
  if (!stream.latest) return "–";
  std::string text = web::GermanNumber(stream.latest->value);
  if (!stream.unit.empty()) text += " " + stream.unit;
  return text;
}

}  // namespace datenwerk::klima
