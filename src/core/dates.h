// Calendar dates as ISO 8601 strings ("2024-12-31"), the form they have in files, JSON and SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datenwerk {

// Milliseconds in a day of Unix time (UTC, no leap seconds).
inline constexpr int64_t kDayMs = 86'400'000;

// Days since 1970-01-01 for a valid "YYYY-MM-DD" (real calendar, years 1900-2999), else nullopt.
std::optional<int64_t> DaysFromIsoDate(std::string_view iso);
inline bool IsIsoDate(std::string_view iso) { return DaysFromIsoDate(iso).has_value(); }

// Milliseconds since the Unix epoch for an RFC 3339 timestamp ("2024-05-01T12:00:00Z",
// "2024-05-01T14:00:00.123456+02:00"); fractions beyond milliseconds are cut. nullopt otherwise.
std::optional<int64_t> ParseRfc3339Ms(std::string_view text);
// The reverse, always UTC with milliseconds: "2024-05-01T12:00:00.000Z".
std::string FormatRfc3339Ms(int64_t ms);

// RFC 9110's HTTP-date for Last-Modified: "Sun, 06 Dec 2026 19:00:00 GMT".
std::string FormatHttpDate(int64_t ms);

// A date as people type it, "31.12.2024" (also "1.2.2024") or "2024-12-31", as ISO; nullopt
// when it is no real calendar date.
std::optional<std::string> ParseGermanOrIsoDate(std::string_view text);

// "2024-11-05" -> "05.11.2024", the form German readers expect; other text is returned as is.
std::string GermanDate(std::string_view iso);

// A clock behind an interface so that "entered at" is testable. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // UTC, "YYYY-MM-DDTHH:MM:SSZ".
  virtual std::string NowUtc() const = 0;
  // Milliseconds since the epoch; by default NowUtc() read back (second precision).
  virtual int64_t NowMs() const { return ParseRfc3339Ms(NowUtc()).value_or(0); }
};

class SystemClock final : public Clock {
 public:
  std::string NowUtc() const override;
  int64_t NowMs() const override;  // without formatting: the ingest path asks once per uplink
};

}  // namespace datenwerk
