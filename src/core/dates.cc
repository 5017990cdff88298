#include "core/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <algorithm>

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

std::optional<int64_t> ParseRfc3339Ms(std::string_view t) {
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't' && t[10] != ' ')) return std::nullopt;
  auto days = DaysFromIsoDate(t.substr(0, 10));
  int hh, mm, ss;
  if (!days || t[13] != ':' || t[16] != ':' || !TwoDigits(t, 11, hh) || !TwoDigits(t, 14, mm) ||
      !TwoDigits(t, 17, ss) || hh > 23 || mm > 59 || ss > 60) {
    return std::nullopt;
  }
  size_t at = 19;
  int64_t millis = 0;
  if (at < t.size() && t[at] == '.') {
    ++at;
    int digits = 0;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') {
      if (digits < 3) millis = millis * 10 + (t[at] - '0');
      ++digits;
      ++at;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 3; ++d) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
    ++at;
  } else if (at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && t[at + 3] == ':') {
    int oh, om;
    if (!TwoDigits(t, at + 1, oh) || !TwoDigits(t, at + 4, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (t[at] == '+' ? 1 : -1) * (oh * 60 + om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != t.size()) return std::nullopt;
  const int64_t seconds = *days * 86400 + hh * 3600 + mm * 60 + std::min(ss, 59);
  return (seconds - offset_minutes * 60) * 1000 + millis;
}

std::string FormatRfc3339Ms(int64_t ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{ms}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{tp - day};
  const int year = int(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  int(hms.subseconds().count()));
    return buf;
  }
  // By hand: this runs for every series point a list shows (snprintf was a third of a page).
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&](size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, int(unsigned(ymd.month())), 2);
  put(8, int(unsigned(ymd.day())), 2);
  put(11, int(hms.hours().count()), 2);
  put(14, int(hms.minutes().count()), 2);
  put(17, int(hms.seconds().count()), 2);
  put(20, int(hms.subseconds().count()), 3);
  return out;
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

int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> ParseGermanOrIsoDate(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::string iso(text);
  size_t first = text.find('.'), second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second != std::string_view::npos) {
    std::string_view day = text.substr(0, first), month = text.substr(first + 1, second - first - 1),
                     year = text.substr(second + 1);
    if (day.empty() || day.size() > 2 || month.empty() || month.size() > 2 || year.size() != 4) return std::nullopt;
    iso = std::string(year) + "-" + (month.size() == 1 ? "0" : "") + std::string(month) + "-" +
          (day.size() == 1 ? "0" : "") + std::string(day);
  }
  if (!IsIsoDate(iso)) return std::nullopt;
  return iso;
}

std::string FormatHttpDate(int64_t ms) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_time<milliseconds> t{milliseconds{ms}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{floor<seconds>(t - day)};
  char out[40];
  std::snprintf(out, sizeof out, "%s, %02u %s %d %02d:%02d:%02d GMT", kDays[weekday{day}.c_encoding()],
                unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return out;
}

}  // namespace datenwerk
