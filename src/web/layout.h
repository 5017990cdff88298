// The page frame shared by every portal page: skip link, header, navigation, breadcrumbs, main,
// footer. German, lang="de", landmarks for screen readers.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"
#include "web/basemap.h"

namespace datenwerk::web {

struct PortalOptions {
  std::string city_name = "Bochum";
  std::string site_name = "Smart City Bochum";
  // KPIs Datenwerk computes from its own data (livekpi/): KPI id -> how, in German.
  std::map<std::string, std::string> automatic_kpis;
  // The public maps' base map (none by default); its origin is allowed as an image source.
  Basemap basemap;
};

struct Page {
  std::string title;  // becomes <title> and, unless `heading` is set, the <h1>
  std::vector<std::pair<std::string, std::string>> breadcrumbs;  // (label, href) before the page
  std::string body;   // HTML inside <main>, after the <h1>
  std::string lead;   // optional intro paragraph under the <h1>
  std::string head_extra;  // e.g. chart stylesheet
  std::string scripts;     // script tags at the end of <body>
  std::string current_nav;  // href of the active navigation entry
  // Another navigation than the portal's (the back office has its own), and HTML after it in
  // the header (e.g. the sign-out button).
  std::vector<std::pair<std::string, std::string>> nav;
  std::string header_extra;
};

// A complete HTML document with status 200 (or `status`).
http::Response RenderPage(const PortalOptions& options, const Page& page, int status = 200);

}  // namespace datenwerk::web
