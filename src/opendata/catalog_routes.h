// HTTP for the open-data catalogue: GET /catalog by content negotiation (Turtle, JSON-LD,
// RDF/XML), and /catalog.ttl, /catalog.jsonld, /catalog.rdf; ?page=N pages of kPageSize datasets
// with Hydra links. Handlers only convert: the graph comes from dcat.h and inventory.h.
#pragma once

#include <string_view>

#include "http/router.h"
#include "opendata/dcat.h"
#include "opendata/inventory.h"
#include "store/catalogue_service.h"

namespace datenwerk::opendata {

enum class Syntax { kTurtle, kJsonLd, kRdfXml };

// The syntax an Accept header prefers among the three (q-values honoured; "*/*" and anything
// unknown: Turtle). Pure.
Syntax ChooseSyntax(std::string_view accept);

// The base URL of the catalogue's IRIs: the configured public URL, else the request's host (as
// the SensorThings selfLinks do).
std::string BaseUrl(const CatalogMetadata& meta, const http::Request& request);

inline constexpr int64_t kPageSize = 100;  // ckanext-dcat's page size

// Borrows everything; they must outlive the router.
void RegisterCatalogRoutes(http::Router& router, const CatalogueService& catalogue,
                           Inventory& inventory, const CatalogMetadata& meta);

}  // namespace datenwerk::opendata
