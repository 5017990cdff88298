#include "sta/entity_store.h"

#include <cmath>

#include "core/dates.h"

namespace datenwerk::sta {

namespace json = boost::json;

json::object MeasurementDoc(const Measurement& m) {
  json::value result = m.result;
  if (std::trunc(m.result) == m.result && std::abs(m.result) < 9007199254740992.0) {
    result = static_cast<int64_t>(m.result);
  }
  return json::object{{"phenomenonTime", FormatRfc3339Ms(m.time_ms)},
                      {"result", std::move(result)},
                      {"resultTime", nullptr}};
}

}  // namespace datenwerk::sta
