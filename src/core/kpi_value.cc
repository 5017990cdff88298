#include "core/kpi_value.h"

#include <charconv>
#include <cmath>
#include <string>

#include "core/dates.h"

namespace datenwerk {

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double out = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return std::nullopt;
  return out;
}

namespace {

Status CheckText(const std::string& text, const char* field) {
  if (text.size() > kMaxTextLength) {
    return InvalidArgument("longer than " + std::to_string(kMaxTextLength) + " bytes", field);
  }
  return Status::Ok();
}

}  // namespace

Status ValidateKpiValue(const KpiValue& v) {
  if (!IsIsoDate(v.date)) return InvalidArgument("must be a date YYYY-MM-DD", "date");
  if (v.value && !std::isfinite(*v.value)) return InvalidArgument("must be finite", "value");
  for (auto [text, name] : {std::pair{&v.period, "period"}, {&v.unit, "unit"},
                            {&v.source, "source"}, {&v.note, "note"}}) {
    if (auto s = CheckText(*text, name); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ValidateKpiSettings(const KpiSettings& s) {
  if (s.baseline_value && !std::isfinite(*s.baseline_value)) {
    return InvalidArgument("must be finite", "baseline.value");
  }
  if (s.target_value && !std::isfinite(*s.target_value)) {
    return InvalidArgument("must be finite", "target.value");
  }
  if (s.baseline_value.has_value() != !s.baseline_date.empty()) {
    return InvalidArgument("baseline needs both value and date", "baseline");
  }
  if (s.target_value.has_value() != !s.target_date.empty()) {
    return InvalidArgument("target needs both value and date", "target");
  }
  if (!s.baseline_date.empty() && !IsIsoDate(s.baseline_date)) {
    return InvalidArgument("must be a date YYYY-MM-DD", "baseline.date");
  }
  if (!s.target_date.empty() && !IsIsoDate(s.target_date)) {
    return InvalidArgument("must be a date YYYY-MM-DD", "target.date");
  }
  if (!s.baseline_date.empty() && !s.target_date.empty() && s.target_date <= s.baseline_date) {
    return InvalidArgument("target date must be after the baseline date", "target.date");
  }
  if (s.target_value && s.direction == Direction::kUnset) {
    return InvalidArgument("a target needs a direction (up or down)", "direction");
  }
  return CheckText(s.unit, "unit");
}

}  // namespace datenwerk
