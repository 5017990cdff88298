#include "audit/records.h"

#include <boost/json.hpp>

#include "core/json_text.h"

namespace datenwerk::audit {

std::string ValueAuditJson(const KpiValue& v) {
  boost::json::object o{{"kpi", v.kpi_id},       {"date", v.date},     {"period", v.period},
                        {"unit", v.unit},        {"qualifier", QualifierName(v.qualifier)},
                        {"source", v.source},    {"note", v.note}};
  if (v.id) o["id"] = v.id;
  if (v.value) {
    o["value"] = *v.value;
  } else {
    o["value"] = nullptr;
  }
  return ToJsonText(o);
}

std::string SettingsAuditJson(const KpiSettings& s) {
  auto point = [](const std::optional<double>& value, const std::string& date) -> boost::json::value {
    if (!value) return nullptr;
    return boost::json::object{{"value", *value}, {"date", date}};
  };
  return ToJsonText(boost::json::object{{"baseline", point(s.baseline_value, s.baseline_date)},
                                        {"target", point(s.target_value, s.target_date)},
                                        {"direction", DirectionName(s.direction)},
                                        {"unit", s.unit}});
}

}  // namespace datenwerk::audit
