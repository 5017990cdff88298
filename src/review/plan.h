// When a KPI is surveyed: an owner (an account), a cadence and the next due date. The due date
// moves on by one cadence when a value for the KPI is published. Pure date rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace datenwerk::review {

enum class Cadence { kMonthly, kQuarterly, kYearly };
const char* CadenceName(Cadence c);   // "monthly", "quarterly", "yearly"
const char* CadenceLabel(Cadence c);  // "monatlich", "vierteljährlich", "jährlich"
std::optional<Cadence> ParseCadence(std::string_view s);

struct KpiPlan {
  std::string kpi_id;
  int64_t owner_id = 0;  // 0: nobody
  Cadence cadence = Cadence::kYearly;
  std::string next_due;  // ISO date; "" when not planned
};

// `date` (ISO) plus one cadence; the day is clamped to the month's length (31 Jan + 1 month =
// 28/29 Feb). "" for a malformed date.
std::string AddCadence(const std::string& date, Cadence cadence);

// "overdue" (before today), "due" (within `soon_days`), or "" (later or unplanned).
std::string DueState(const KpiPlan& plan, const std::string& today, int soon_days = 14);

}  // namespace datenwerk::review
