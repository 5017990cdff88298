// The JSON API under /api/v1: reads are public, writes need an API key (Authorization: Bearer
// <key>, or X-API-Key). Handlers only convert between HTTP and the CatalogueService.
#pragma once

#include <optional>
#include <string_view>

#include "audit/audit_log.h"
#include "http/router.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Adds every /api/v1 route. Borrows the service, which must outlive the router.
void RegisterReadRoutes(http::Router& router, const CatalogueService& service);
// Writes are recorded in `audit` (borrowed; may be null where no audit trail is kept).
void RegisterWriteRoutes(http::Router& router, CatalogueService& service, audit::AuditLog* audit);
// CSV and JSON downloads of measures, KPIs and values under /api/v1/downloads/.
void RegisterDownloadRoutes(http::Router& router, const CatalogueService& service);
// The size in bytes of what a download route answers for this catalogue: for
// "/api/v1/downloads/<dataset>.<csv|json>" and "/api/v1/kpis/<id>/values.csv"; nullopt for
// any other path (the open-data catalogue's dcat:byteSize).
std::optional<size_t> DownloadSize(const Catalogue& catalogue, std::string_view path);

}  // namespace datenwerk::api
