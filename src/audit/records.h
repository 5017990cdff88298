// What the audit trail records of catalogue objects: KPI values and KPI settings as JSON text
// (the "before" and "after" of an entry). Pure.
#pragma once

#include <string>

#include "core/kpi_types.h"

namespace datenwerk::audit {

std::string ValueAuditJson(const KpiValue& value);
std::string SettingsAuditJson(const KpiSettings& settings);

}  // namespace datenwerk::audit
