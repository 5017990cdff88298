// Value types of KPIs shared by the catalogue and the progress computation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datenwerk {

enum class Direction { kUnset, kUp, kDown };
enum class Qualifier { kExact, kApprox, kAtLeast, kAtMost };

const char* DirectionName(Direction d);  // "unset", "up", "down"
std::optional<Direction> ParseDirection(std::string_view s);
const char* QualifierName(Qualifier q);  // "exact", "approx", "at_least", "at_most"
std::optional<Qualifier> ParseQualifier(std::string_view s);

// What the city steers a KPI by; all parts optional.
struct KpiSettings {
  std::optional<double> baseline_value;
  std::string baseline_date;
  std::optional<double> target_value;
  std::string target_date;
  Direction direction = Direction::kUnset;
  std::string unit;
};

// One data point of a KPI. `value` empty means "not reported" for that date.
struct KpiValue {
  int64_t id = 0;
  std::string kpi_id;
  std::string date;    // ISO date the value refers to (end of the period)
  std::string period;  // optional label, e.g. "2023" or "Q2/2024"
  std::optional<double> value;
  std::string unit;
  Qualifier qualifier = Qualifier::kExact;
  std::string source;
  std::string note;
  std::string entered_at;  // UTC timestamp
  std::string entered_by;  // API key label; internal, never in public output
};

}  // namespace datenwerk
