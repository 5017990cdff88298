#include "importer/rain.h"

#include <cmath>

#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::importer {

namespace {

int64_t LocalMs(const Reading& r) { return r.time_ms + int64_t{r.offset_min} * 60'000; }
int64_t LocalDay(const Reading& r) {
  const int64_t local = LocalMs(r);
  return local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
}
// A rain amount in the counter's resolution (0.1 mm): differences of decimals are not exact.
double Tidy(double mm) { return std::round(mm * 1000) / 1000; }

std::string Since(int64_t utc_ms) { return FormatRfc3339Ms(utc_ms).substr(0, 16) + "Z"; }

}  // namespace

std::vector<Reading> RainAmounts(const std::vector<Reading>& counter, int64_t max_gap_ms) {
  std::vector<Reading> out;
  const Reading* previous = nullptr;
  for (const Reading& r : counter) {
    const int64_t midnight_utc = LocalDay(r) * kDayMs - int64_t{r.offset_min} * 60'000;
    Reading amount{r.time_ms, 0, {}, r.offset_min};
    int64_t from = 0;  // the start of the interval the amount covers
    if (previous && LocalDay(*previous) == LocalDay(r)) {
      from = previous->time_ms;
      if (r.value >= previous->value) {
        amount.value = Tidy(r.value - previous->value);
      } else {
        amount.quality = "Zähler fiel von " + JsonNumberText(previous->value) + " auf " +
                         JsonNumberText(r.value) +
                         " mm zurück (Rücksetzung oder Korrektur): kein Regen gezählt";
      }
    } else {
      from = previous ? std::max(previous->time_ms, midnight_utc) : midnight_utc;
      if (!previous && r.time_ms - midnight_utc > max_gap_ms) {
        previous = &r;
        continue;  // unknown since when: no amount
      }
      amount.value = Tidy(r.value);
    }
    if (amount.quality.empty() && r.time_ms - from > max_gap_ms) {
      amount.quality = "Menge seit " + Since(from) + " (Datenlücke)";
    }
    out.push_back(std::move(amount));
    previous = &r;
  }
  return out;
}

}  // namespace datenwerk::importer
