// Page renderers, private to the web module. Each takes the snapshot and the request and
// returns a complete response.
#pragma once

#include "core/catalogue.h"
#include "http/message.h"
#include "web/layout.h"

namespace datenwerk::web {

using PageFn = http::Response (*)(const Catalogue&, const http::Request&, const PortalOptions&);

http::Response StartPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response ThemePage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response FieldPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response MeasurePage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response MeasureListPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response KpiPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response KpiListPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);
http::Response FactsPage(const Catalogue& c, const http::Request& r, const PortalOptions& o);

// Shared fragments.
// Opens a GET filter form at `action` with the theme select ("thema"); the caller adds its own
// fields, the submit button and </form>.
std::string FilterFormStart(const Catalogue& c, const std::string& action,
                            const std::string& selected_theme);
std::string StageTable(const Catalogue& c, const std::string& caption,
                       const std::vector<std::pair<std::string, StageCounts>>& rows,
                       const std::string& first_column);
std::string KpiTable(const Catalogue& c, const std::vector<const Kpi*>& kpis,
                     const std::string& caption);
std::string MeasureTable(const Catalogue& c, const std::vector<const Measure*>& measures,
                         const std::string& caption);

}  // namespace datenwerk::web
