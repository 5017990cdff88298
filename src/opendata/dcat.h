// The open-data catalogue as DCAT-AP.de 3.0: what the city publishes (datasets and their
// distributions, described in German) becomes one RDF graph per catalogue page, as GovData's
// harvester (CKAN with ckanext-dcatde) and the EU data portal read it. Pure and transport-free;
// values in, a Graph out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "opendata/rdf.h"

namespace datenwerk::opendata {

// Who publishes, and for which place. Every string German where people read it.
struct CatalogMetadata {
  std::string base_url;         // how clients reach the server, e.g. "https://daten.bochum.de"
  std::string title;            // "Offene Daten der Smart City Bochum"
  std::string description;
  std::string publisher_name;   // "Stadt Bochum"
  std::string contact_name;     // the unit that answers questions
  std::string contact_email;    // without "mailto:"; may be empty when contact_url is given
  std::string contact_url;      // a path ("/daten") is on this server
  // GovData's list of data providers (dcatde:contributorID): a city's data reaches GovData
  // through its state's portal, so Bochum's default is Open.NRW.
  std::string contributor_id = "http://dcat-ap.de/def/contributors/openNRW";
  std::string municipality_key;  // Amtlicher Gemeindeschlüssel, e.g. "05911000"
  std::string place_name;        // "Bochum": the label of the municipality's location
  // The area's bounding box in WGS 84 (from the city's boundary), if known.
  struct Box {
    double west, south, east, north;
  };
  std::optional<Box> bbox;
};

// URLs below that start with "/" are on this server: the graph makes them absolute with
// CatalogMetadata::base_url.
struct Distribution {
  std::string id;            // unique within the dataset: part of its IRI
  std::string title;         // German
  std::string description;
  std::string access_url;    // required
  std::string download_url;  // when a file can be fetched as such
  std::string format;        // code of the EU file-type vocabulary: "CSV", "JSON", "GEOJSON"
  std::string media_type;    // IANA: "text/csv"
  std::optional<int64_t> byte_size;
  std::string license;       // an IRI of http://dcat-ap.de/def/licenses/
  std::string license_attribution;  // dcatde:licenseAttributionByText, where the licence asks for it
  std::string modified;      // xsd:dateTime or xsd:date text; empty: unknown
};

struct Dataset {
  std::string id;           // stable slug, unique in the catalogue: "sensor-thing-12"
  std::string title;        // German
  std::string description;  // German
  std::vector<std::string> keywords;
  std::vector<std::string> themes;  // codes of the EU data-theme vocabulary: "ENVI", "GOVE"
  std::string issued, modified;     // xsd:dateTime or xsd:date text; empty: unknown
  std::string temporal_start, temporal_end;  // coverage in time (xsd:date or xsd:dateTime)
  std::string accrual_periodicity;  // EU frequency code: "CONT", "IRREG", "ANNUAL"
  std::string landing_page;         // the page for people
  std::string provenance;           // where the data comes from, in words (imported data)
  std::string source_url;           // the original source's page, if any
  std::vector<Distribution> distributions;
  // For the dataset's page (not in the graph): what its preview shows.
  std::vector<int64_t> datastreams;  // a station's Datastreams
  std::string kpi_id;                // a KPI series' KPI
};

// One page of the catalogue: the datasets [first, first + count) of `total`.
struct Page {
  int64_t number = 1;     // 1-based
  int64_t size = 0;       // datasets per page; 0: everything on one page
  int64_t total = 0;
  std::string self_url;   // this page's URL without the page parameter, e.g. ".../catalog.ttl"
};

// The graph of the catalogue node, its publisher and contact, the given datasets (one page) with
// their distributions, and (when there is more than one page) a Hydra PagedCollection node as
// ckanext-dcat writes and reads it.
Graph BuildCatalogGraph(const CatalogMetadata& meta, const std::vector<Dataset>& datasets,
                        const Page& page);

// The prefixes the serialisations use.
const Prefixes& CatalogPrefixes();

// The IRIs of a dataset and a distribution: stable, under the server's base URL.
std::string DatasetIri(const CatalogMetadata& meta, const Dataset& d);

}  // namespace datenwerk::opendata
