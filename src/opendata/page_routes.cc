#include "opendata/page_routes.h"

#include <algorithm>

#include "core/berlin_time.h"
#include "core/dates.h"
#include "opendata/alerts_data.h"
#include "opendata/echo_data.h"
#include "opendata/catalog_routes.h"
#include "opendata/download_routes.h"
#include "opendata/pages.h"
#include "web/html.h"
#include "web/portal.h"

namespace datenwerk::opendata {

namespace {

constexpr size_t kPreviewRows = 10;

// The newest reading of each of a station's Datastreams (as many as the preview shows).
Preview StationPreview(const Dataset& d, series::ObservationStore& store) {
  Preview p{"Die neuesten Messwerte je Messgröße", {"Messgröße", "Zeitpunkt", "Wert"}, {}};
  for (size_t i = 0; i < d.datastreams.size() && p.rows.size() < kPreviewRows; ++i) {
    const auto latest = store.Latest(d.datastreams[i]);
    if (!latest) continue;
    const auto dist = std::find_if(d.distributions.begin(), d.distributions.end(), [&](const Distribution& x) {
      return x.id == "messreihe-" + std::to_string(d.datastreams[i]);
    });
    p.rows.push_back({{dist == d.distributions.end() ? std::to_string(d.datastreams[i]) : dist->title,
                       BerlinTime(latest->time_ms) + " Uhr", web::GermanNumber(latest->value)}});
  }
  return p;
}

Preview CataloguePreview(const Dataset& d, const Catalogue& c) {
  if (!d.kpi_id.empty()) {
    Preview p{"Die neuesten Werte der Kennzahl", {"Stichtag", "Wert"}, {}};
    const auto& values = c.ValuesOf(d.kpi_id);
    for (auto it = values.rbegin(); it != values.rend() && p.rows.size() < kPreviewRows; ++it) {
      const KpiValue& v = **it;
      p.rows.push_back({{GermanDate(v.date), web::ValueText(v.value, v.qualifier, v.unit)}});
    }
    return p;
  }
  if (d.id == "smart-city-massnahmen") {
    Preview p{"Die ersten Maßnahmen", {"Kennung", "Maßnahme", "Status"}, {}};
    for (const Measure& m : c.data().measures) {
      if (p.rows.size() >= kPreviewRows) break;
      p.rows.push_back({{m.id, m.name, m.status}});
    }
    return p;
  }
  if (d.id == "smart-city-kennzahlen") {
    Preview p{"Die ersten Kennzahlen", {"Kennung", "Kennzahl", "Einheit"}, {}};
    for (const Kpi& k : c.data().kpis) {
      if (p.rows.size() >= kPreviewRows) break;
      p.rows.push_back({{k.id, k.name, k.settings.unit}});
    }
    return p;
  }
  return {};
}

// The newest alerts, as the dataset's files have them.
Preview AlertsPreview(alerts::AlertStore& store) {
  Preview p{"Die neuesten Warnmeldungen", {"Regel", "Schwere", "Beginn", "Stand"}, {}};
  alerts::AlertQuery q;
  q.states.assign(std::begin(alerts::kPublishedStates), std::end(alerts::kPublishedStates));
  q.limit = kPreviewRows;
  auto newest = store.ListAlerts(q);
  if (!newest.ok()) return p;
  for (const alerts::Alert& a : *newest) {
    p.rows.push_back({{a.rule_name, a.severity, BerlinTime(a.started_ms) + " Uhr",
                       a.state == "resolved" ? "beendet" : a.state == "acknowledged" ? "bestätigt" : "ausgelöst"}});
  }
  return p;
}

// The newest reports, as the dataset's files have them.
Preview ReportsPreview(echo::ReportStore& store, const echo::Services& services) {
  Preview p{"Die neuesten Meldungen", {"Nummer", "Kategorie", "Stand", "Gemeldet am"}, {}};
  echo::ReportQuery q;
  q.limit = kPreviewRows;
  auto newest = store.List(q);
  if (!newest.ok()) return p;
  for (const echo::Report& r : *newest) {
    const echo::Category* c = services.FindCategory(r.service_code);
    p.rows.push_back({{std::to_string(r.id), c ? c->name : r.service_code, echo::StatusLabel(r.status),
                       BerlinTime(r.requested_ms) + " Uhr"}});
  }
  return p;
}

}  // namespace

void RegisterDataPages(http::Router& router, const CatalogueService& catalogue, Inventory& inventory,
                       const CatalogMetadata& meta, sta::SensorThingsService& sensorthings,
                       series::ObservationStore& store, alerts::AlertStore* alerts,
                       const web::PortalOptions& portal, echo::ReportStore* reports,
                       std::shared_ptr<const echo::Services> services) {
  router.Add("GET", "/daten", [&catalogue, &inventory, &portal](const http::Request& r) {
    auto all = inventory.All(*catalogue.Snapshot());
    if (!all.ok()) return http::ErrorResponse(all.status());
    return DatasetListPage(**all, r, portal);
  });
  router.Add("GET", "/daten/{file}", [&, alerts, reports, services, &meta = meta](const http::Request& r) {
    if (IsDownloadName(r.Param("file"))) return DownloadResponse(sensorthings, store, r);
    if (alerts && IsAlertsDownload(r.Param("file"))) return AlertsDownload(*alerts, r);
    if (reports && services && IsReportsDownload(r.Param("file"))) return ReportsDownload(*reports, services, r);
    const CatalogueSnapshot snapshot = catalogue.Snapshot();
    auto all = inventory.All(*snapshot);
    if (!all.ok()) return http::ErrorResponse(all.status());
    const auto it = std::find_if((*all)->begin(), (*all)->end(), [&](const Dataset& d) { return d.id == r.Param("file"); });
    if (it == (*all)->end()) return web::NotFoundPage(portal);
    CatalogMetadata here = meta;
    here.base_url = BaseUrl(meta, r);
    const Preview preview = !it->datastreams.empty()                              ? StationPreview(*it, store)
                            : alerts && it->id == kAlertsDatasetId                ? AlertsPreview(*alerts)
                            : reports && services && it->id == kReportsDatasetId ? ReportsPreview(*reports, *services)
                                                                                  : CataloguePreview(*it, *snapshot);
    return DatasetPage(*it, here, preview, portal);
  });
}

}  // namespace datenwerk::opendata
