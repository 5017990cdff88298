#include "review/plan.h"

#include <cstdio>

#include "core/dates.h"

namespace datenwerk::review {

const char* CadenceName(Cadence c) {
  switch (c) {
    case Cadence::kMonthly: return "monthly";
    case Cadence::kQuarterly: return "quarterly";
    case Cadence::kYearly: return "yearly";
  }
  return "yearly";
}

const char* CadenceLabel(Cadence c) {
  switch (c) {
    case Cadence::kMonthly: return "monatlich";
    case Cadence::kQuarterly: return "vierteljährlich";
    case Cadence::kYearly: return "jährlich";
  }
  return "jährlich";
}

std::optional<Cadence> ParseCadence(std::string_view s) {
  for (Cadence c : {Cadence::kMonthly, Cadence::kQuarterly, Cadence::kYearly}) {
    if (s == CadenceName(c)) return c;
  }
  return std::nullopt;
}

std::string AddCadence(const std::string& date, Cadence cadence) {
  if (!IsIsoDate(date)) return "";
  int year = std::stoi(date.substr(0, 4)), month = std::stoi(date.substr(5, 2)), day = std::stoi(date.substr(8, 2));
  int months = cadence == Cadence::kMonthly ? 1 : cadence == Cadence::kQuarterly ? 3 : 12;
  int index = year * 12 + (month - 1) + months;
  year = index / 12;
  month = index % 12 + 1;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > last) day = last;
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  std::string result(out);
  return IsIsoDate(result) ? result : "";
}

std::string DueState(const KpiPlan& plan, const std::string& today, int soon_days) {
  auto due = DaysFromIsoDate(plan.next_due);
  auto now = DaysFromIsoDate(today);
  if (!due || !now) return "";
  if (*due < *now) return "overdue";
  if (*due - *now <= soon_days) return "due";
  return "";
}

}  // namespace datenwerk::review
