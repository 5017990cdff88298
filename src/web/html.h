// Small helpers for server-rendered HTML in German.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue.h"

namespace datenwerk::web {

// Escapes &, <, >, " and ' for text and attribute values.
std::string Escape(std::string_view text);
// Path segment for a link: ids are percent-encoded.
std::string Url(std::string_view prefix, std::string_view id);
// 25000000 -> "25.000.000", 1.5 -> "1,5", -0.25 -> "-0,25" (at most 3 decimals).
std::string GermanNumber(double value);
// "ca. 14.000 Meldungen/Jahr", "mindestens 9 Hotspots"; "nicht berichtet" without a value.
std::string ValueText(const std::optional<double>& value, Qualifier qualifier,
                      std::string_view unit);
// "U4SSC (UN)", "CITYkeys (EU)", "Eigener Indikator".
std::string ReferenceLabel(std::string_view reference);
// A status badge with text (never colour alone): class by progress status.
std::string ProgressBadge(const ProgressResult& progress);

}  // namespace datenwerk::web
