// HTTP for the curation of the open data (curation.h), for administrators with an API key:
//   GET /api/v1/open-data/curations            every decision (viewer)
//   PUT /api/v1/open-data/curations/{dataset}  {"title","description","keywords","license",
//                                              "attribution"} (administrator); {dataset}
//                                              "standard" sets the defaults of the city's own data
// The same decisions are taken in the back office's forms.
#pragma once

#include "core/dates.h"
#include "http/router.h"
#include "opendata/curation.h"
#include "store/catalogue_service.h"

namespace datenwerk::opendata {

// Borrows everything; it must outlive the router.
void RegisterCurationRoutes(http::Router& router, CatalogueService& keys, CurationStore& curations,
                            const Clock& clock);

}  // namespace datenwerk::opendata
