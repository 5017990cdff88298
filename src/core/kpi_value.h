// Validation of what staff write: KPI values and KPI settings (baseline, target, direction).
// Pure functions; the field in a failed Status names the offending JSON member.
#pragma once

#include <optional>
#include <string_view>

#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk {

// Longest text accepted in a free-text member (source, note, unit, period).
inline constexpr size_t kMaxTextLength = 2000;

// A finite decimal number ("23", "-0.5", "1e6"); nullopt for anything else, NaN and inf included.
std::optional<double> ParseNumber(std::string_view text);

// Checks a value before it is stored: a real date, a finite value, bounded texts.
Status ValidateKpiValue(const KpiValue& value);

// Checks settings: dates real, baseline date before target date, a target needs a direction.
Status ValidateKpiSettings(const KpiSettings& settings);

}  // namespace datenwerk
