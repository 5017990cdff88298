#include "web/portal.h"

#include "web/assets.h"
#include "web/pages.h"

namespace datenwerk::web {

void RegisterPortalRoutes(http::Router& router, const CatalogueService& service,
                          const PortalOptions& options) {
  struct Route {
    const char* pattern;
    PageFn render;
  };
  static const Route kRoutes[] = {
      {"/", StartPage},
      {"/themen/{id}", ThemePage},
      {"/handlungsfelder/{id}", FieldPage},
      {"/massnahmen", MeasureListPage},
      {"/massnahmen/{id}", MeasurePage},
      {"/indikatoren", KpiListPage},
      {"/indikatoren/{id}", KpiPage},
      {"/zahlen-und-fakten", FactsPage},
  };
  for (const Route& route : kRoutes) {
    router.Add("GET", route.pattern, [&service, &options, &route](const http::Request& r) {
      // Unknown query parameters (e.g. campaign tags) are ignored, as browsers expect.
      return route.render(*service.Snapshot(), r, options);
    });
  }
  RegisterAssetRoutes(router);
}

}  // namespace datenwerk::web
