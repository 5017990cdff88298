#include "core/berlin_time.h"

#include <chrono>

namespace datenwerk {

namespace {

using namespace std::chrono;

// 01:00 UTC on the last Sunday of `month` in `year`, in ms since 1970.
int64_t LastSundayOneUtc(int year, unsigned month) {
  const sys_days last{year_month_day_last{std::chrono::year{year}, month_day_last{std::chrono::month{month}}}};
  const weekday wd{last};
  const sys_days sunday = last - days{wd.c_encoding()};  // Sunday is 0
  return duration_cast<milliseconds>((sunday + hours{1}).time_since_epoch()).count();
}

std::string TwoDigits(unsigned v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); }

}  // namespace

int BerlinOffsetMinutes(int64_t utc_ms) {
  const sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{utc_ms}});
  const int year = static_cast<int>(year_month_day{day}.year());
  const bool summer = utc_ms >= LastSundayOneUtc(year, 3) && utc_ms < LastSundayOneUtc(year, 10);
  return summer ? 120 : 60;
}

int64_t BerlinMidnightMs(int64_t days) {
  const int64_t utc_midnight = days * 86'400'000;
  return utc_midnight - int64_t{BerlinOffsetMinutes(utc_midnight)} * 60'000;
}

std::string BerlinTime(int64_t utc_ms) {
  const sys_time<milliseconds> local{milliseconds{utc_ms + int64_t{BerlinOffsetMinutes(utc_ms)} * 60'000}};
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> time{local - day};
  return TwoDigits(static_cast<unsigned>(ymd.day())) + "." + TwoDigits(static_cast<unsigned>(ymd.month())) +
         "." + std::to_string(static_cast<int>(ymd.year())) + ", " +
         TwoDigits(static_cast<unsigned>(time.hours().count())) + ":" +
         TwoDigits(static_cast<unsigned>(time.minutes().count()));
}

}  // namespace datenwerk
