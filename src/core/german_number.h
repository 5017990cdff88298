// Numbers as city staff type them: "1.234,5" (German), "1234,5", "1234.5" and "-0,25". Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace datenwerk {

// A finite number, or nullopt. A comma is the decimal sign; dots are thousands separators when
// they group digits by three ("1.234.567", "1.234,5"), else a dot is the decimal sign ("12.5").
// Spaces around are ignored, and so are narrow no-break spaces as thousands separators.
std::optional<double> ParseLocalNumber(std::string_view text);

// The exact number with a decimal comma and no grouping, as forms and German spreadsheets read
// it back: 1234.5 -> "1234,5", 0.125 -> "0,125" (up to 15 significant digits).
std::string FormatLocalNumber(double value);

}  // namespace datenwerk
