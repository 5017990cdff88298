// Times as people in Germany read them: Europe/Berlin (CET, and CEST from the last Sunday of
// March 01:00 UTC to the last Sunday of October 01:00 UTC, the EU rule since 1996), written
// "20.04.2024, 14:05". Pure.
#pragma once

#include <cstdint>
#include <string>

namespace datenwerk {

// The UTC offset in minutes at `utc_ms` (60 or 120).
int BerlinOffsetMinutes(int64_t utc_ms);
// "20.04.2024, 14:05"
std::string BerlinTime(int64_t utc_ms);
// When the day `days` after 1970-01-01 begins in Berlin, in Unix ms (DST changes at 01:00 UTC,
// never near midnight, so the offset at 00:00 UTC is the day's).
int64_t BerlinMidnightMs(int64_t days);

}  // namespace datenwerk
