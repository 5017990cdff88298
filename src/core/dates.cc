#include "core/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace datenwerk {

namespace {

bool TwoDigits(std::string_view s, size_t at, int& out) {
  if (s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

}  // namespace

std::optional<int64_t> DaysFromIsoDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int hi, lo, month, day;
  if (!TwoDigits(iso, 0, hi) || !TwoDigits(iso, 2, lo) || !TwoDigits(iso, 5, month) ||
      !TwoDigits(iso, 8, day)) {
    return std::nullopt;
  }
  int year = hi * 100 + lo;
  if (year < 1900 || year > 2999) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::string GermanDate(std::string_view iso) {
  if (!IsIsoDate(iso)) return std::string(iso);
  std::string out;
  out.append(iso.substr(8, 2)).append(".").append(iso.substr(5, 2)).append(".");
  out.append(iso.substr(0, 4));
  return out;
}

std::string SystemClock::NowUtc() const {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace datenwerk
