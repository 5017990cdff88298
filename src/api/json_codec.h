// Catalogue entities as JSON. Public output only: no `entered_by`.
#pragma once

#include <boost/json.hpp>

#include "core/catalogue.h"
#include "http/message.h"

namespace datenwerk::api {

boost::json::object ThemeJson(const Catalogue& c, const Theme& t);
boost::json::object FieldJson(const Catalogue& c, const Field& f);
boost::json::object MeasureJson(const Catalogue& c, const Measure& m);
boost::json::object KpiJson(const Catalogue& c, const Kpi& k);
boost::json::object KpiValueJson(const KpiValue& v);
boost::json::object StagesJson(const StageCounts& counts);
boost::json::object ProgressJson(const ProgressResult& p);
boost::json::object PublicIndicatorJson(const Catalogue& c, const PublicIndicator& p);
boost::json::object ContextFactJson(const ContextFact& f);

// 200 (or `status`) with the serialised JSON body.
http::Response JsonResponse(const boost::json::value& body, int status = 200);

}  // namespace datenwerk::api
