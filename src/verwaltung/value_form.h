// The form for a KPI value: reading it into a KpiValue with German errors next to each field,
// and writing it back with what was entered. Private to the module.
#pragma once

#include <string>

#include "core/catalogue.h"
#include "verwaltung/form.h"

namespace datenwerk::verwaltung {

// Fields: datum (ISO or TT.MM.JJJJ), zeitraum, wert (German or plain decimal), nicht_berichtet,
// einheit, angabe (exact/approx/at_least/at_most), quelle, anmerkung.
FieldErrors ReadValueForm(const FormData& form, KpiValue& out);
// The fields, filled from `form` (after an error) or `value` (a first correction form).
std::string ValueFields(const FormData& form, const FieldErrors& errors);
FormData FormOf(const KpiValue& value);
// The field order for the error summary.
const std::vector<std::string>& ValueFieldOrder();

}  // namespace datenwerk::verwaltung
