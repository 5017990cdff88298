// The KPIs Datenwerk computes from its own data (livekpi/job.h) over HTTP:
//   GET  /api/v1/kpis-automatisch          the KPIs and their methods (public)
//   POST /api/v1/kpis-automatisch/berechnen[?monat=YYYY-MM]  the month so far, or a finished
//        month (editor key); answers the report: values written, KPIs skipped and why
#pragma once

#include "http/router.h"
#include "livekpi/job.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows both; they must outlive the router.
void RegisterLiveKpiRoutes(http::Router& router, livekpi::LiveKpiJob& job, CatalogueService& keys);

}  // namespace datenwerk::api
