#include "opendata/dcat.h"

#include <fmt/format.h>

#include <algorithm>

namespace datenwerk::opendata {

namespace {

constexpr char kRdf[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr char kRdfs[] = "http://www.w3.org/2000/01/rdf-schema#";
constexpr char kDcat[] = "http://www.w3.org/ns/dcat#";
constexpr char kDct[] = "http://purl.org/dc/terms/";
constexpr char kDcatde[] = "http://dcat-ap.de/def/dcatde/";
constexpr char kFoaf[] = "http://xmlns.com/foaf/0.1/";
constexpr char kVcard[] = "http://www.w3.org/2006/vcard/ns#";
constexpr char kXsd[] = "http://www.w3.org/2001/XMLSchema#";
constexpr char kHydra[] = "http://www.w3.org/ns/hydra/core#";
constexpr char kGsp[] = "http://www.opengis.net/ont/geosparql#";
constexpr char kEuAuthority[] = "http://publications.europa.eu/resource/authority/";

std::string P(const char* ns, const char* local) { return std::string(ns) + local; }

// xsd:date for "2024-05-01", xsd:dateTime for anything longer.
Term When(const std::string& text) {
  return Term::Typed(text, P(kXsd, text.size() == 10 ? "date" : "dateTime"));
}

std::string PageUrl(const Page& page, int64_t number) {
  return page.self_url + (page.self_url.find('?') == std::string::npos ? "?" : "&") +
         "page=" + std::to_string(number);
}

// A URL on this server ("/daten") made absolute; others as they are.
Term Url(const CatalogMetadata& meta, const std::string& url) {
  return Term::Iri(url.starts_with('/') ? meta.base_url + url : url);
}

void AddDistribution(Graph& g, const CatalogMetadata& meta, const Term& dataset, const Term& self,
                     const Distribution& d) {
  g.Add(dataset, P(kDcat, "distribution"), self);
  g.Add(self, P(kRdf, "type"), Term::Iri(P(kDcat, "Distribution")));
  g.Add(self, P(kDct, "title"), Term::Text(d.title, "de"));
  if (!d.description.empty()) g.Add(self, P(kDct, "description"), Term::Text(d.description, "de"));
  g.Add(self, P(kDcat, "accessURL"), Url(meta, d.access_url));
  if (!d.download_url.empty()) g.Add(self, P(kDcat, "downloadURL"), Url(meta, d.download_url));
  if (!d.format.empty()) {
    g.Add(self, P(kDct, "format"), Term::Iri(std::string(kEuAuthority) + "file-type/" + d.format));
  }
  if (!d.media_type.empty()) {
    g.Add(self, P(kDcat, "mediaType"),
          Term::Iri("http://www.iana.org/assignments/media-types/" + d.media_type));
  }
  g.Add(self, P(kDct, "license"), Term::Iri(d.license));
  if (!d.license_attribution.empty()) {
    g.Add(self, P(kDcatde, "licenseAttributionByText"), Term::Text(d.license_attribution, "de"));
  }
  if (d.byte_size) {
    g.Add(self, P(kDcat, "byteSize"), Term::Typed(std::to_string(*d.byte_size), P(kXsd, "nonNegativeInteger")));
  }
  if (!d.modified.empty()) g.Add(self, P(kDct, "modified"), When(d.modified));
}

}  // namespace

const Prefixes& CatalogPrefixes() {
  static const Prefixes kPrefixes = {
      {"rdf", kRdf},     {"rdfs", kRdfs},   {"dcat", kDcat},   {"dct", kDct},
      {"dcatde", kDcatde}, {"foaf", kFoaf}, {"vcard", kVcard}, {"xsd", kXsd},
      {"hydra", kHydra}, {"gsp", kGsp},
  };
  return kPrefixes;
}

std::string DatasetIri(const CatalogMetadata& meta, const Dataset& d) {
  return meta.base_url + "/daten/" + d.id;
}

Graph BuildCatalogGraph(const CatalogMetadata& meta, const std::vector<Dataset>& datasets,
                        const Page& page) {
  Graph g;
  const Term type = Term::Iri(P(kRdf, "type"));
  const Term catalog = Term::Iri(meta.base_url + "/catalog");
  const Term publisher = Term::Iri(meta.base_url + "/#herausgeber");
  const Term contact = Term::Iri(meta.base_url + "/#kontakt");
  const Term area = Term::Iri(meta.base_url + "/#gebiet");
  const Term german = Term::Iri(std::string(kEuAuthority) + "language/DEU");

  g.Add(catalog, type.value, Term::Iri(P(kDcat, "Catalog")));
  g.Add(catalog, P(kDct, "title"), Term::Text(meta.title, "de"));
  g.Add(catalog, P(kDct, "description"), Term::Text(meta.description, "de"));
  g.Add(catalog, P(kDct, "publisher"), publisher);
  g.Add(catalog, P(kFoaf, "homepage"), Term::Iri(meta.base_url + "/daten"));
  g.Add(catalog, P(kDct, "language"), german);
  g.Add(catalog, P(kDcat, "themeTaxonomy"), Term::Iri(std::string(kEuAuthority) + "data-theme"));
  if (meta.bbox) g.Add(catalog, P(kDct, "spatial"), area);
  std::string latest;
  for (const Dataset& d : datasets) latest = std::max(latest, d.modified);
  if (!latest.empty()) g.Add(catalog, P(kDct, "modified"), When(latest));

  g.Add(publisher, type.value, Term::Iri(P(kFoaf, "Organization")));
  g.Add(publisher, type.value, Term::Iri(P(kFoaf, "Agent")));
  g.Add(publisher, P(kFoaf, "name"), Term::Text(meta.publisher_name, "de"));

  g.Add(contact, type.value, Term::Iri(P(kVcard, "Organization")));
  g.Add(contact, type.value, Term::Iri(P(kVcard, "Kind")));
  g.Add(contact, P(kVcard, "fn"), Term::Text(meta.contact_name, "de"));
  if (!meta.contact_email.empty()) g.Add(contact, P(kVcard, "hasEmail"), Term::Iri("mailto:" + meta.contact_email));
  if (!meta.contact_url.empty()) g.Add(contact, P(kVcard, "hasURL"), Url(meta, meta.contact_url));

  if (meta.bbox) {
    const auto& b = *meta.bbox;
    g.Add(area, type.value, Term::Iri(P(kDct, "Location")));
    g.Add(area, P(kDcat, "bbox"),
          Term::Typed(fmt::format("POLYGON(({0} {1}, {2} {1}, {2} {3}, {0} {3}, {0} {1}))", b.west,
                                  b.south, b.east, b.north),
                      P(kGsp, "wktLiteral")));
  }

  std::optional<Term> municipality;
  if (!meta.municipality_key.empty()) {
    municipality = Term::Iri("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/" + meta.municipality_key);
    g.Add(*municipality, type.value, Term::Iri(P(kDct, "Location")));
    if (!meta.place_name.empty()) g.Add(*municipality, P(kRdfs, "label"), Term::Text(meta.place_name, "de"));
  }
  for (const Dataset& d : datasets) {
    const Term self = Term::Iri(DatasetIri(meta, d));
    g.Add(catalog, P(kDcat, "dataset"), self);
    g.Add(self, type.value, Term::Iri(P(kDcat, "Dataset")));
    g.Add(self, P(kDct, "title"), Term::Text(d.title, "de"));
    g.Add(self, P(kDct, "description"), Term::Text(d.description, "de"));
    g.Add(self, P(kDct, "identifier"), Term::Text(self.value));
    for (const std::string& k : d.keywords) g.Add(self, P(kDcat, "keyword"), Term::Text(k, "de"));
    for (const std::string& t : d.themes) {
      g.Add(self, P(kDcat, "theme"), Term::Iri(std::string(kEuAuthority) + "data-theme/" + t));
    }
    g.Add(self, P(kDct, "publisher"), publisher);
    g.Add(self, P(kDcat, "contactPoint"), contact);
    g.Add(self, P(kDct, "language"), german);
    g.Add(self, P(kDct, "accessRights"), Term::Iri(std::string(kEuAuthority) + "access-right/PUBLIC"));
    if (!meta.contributor_id.empty()) g.Add(self, P(kDcatde, "contributorID"), Term::Iri(meta.contributor_id));
    if (municipality) {
      // DCAT-AP.de 3.0 names the municipality in dct:spatial; dcatde:politicalGeocodingURI (2.0,
      // deprecated in 3.0: a warning, no violation) stays for harvesters that still read it.
      g.Add(self, P(kDct, "spatial"), *municipality);
      g.Add(self, P(kDcatde, "politicalGeocodingURI"), *municipality);
      g.Add(self, P(kDcatde, "politicalGeocodingLevelURI"),
            Term::Iri("http://dcat-ap.de/def/politicalGeocoding/Level/municipality"));
    }
    if (meta.bbox) g.Add(self, P(kDct, "spatial"), area);
    if (!d.temporal_start.empty() || !d.temporal_end.empty()) {
      const Term period = Term::Blank("zeitraum-" + std::to_string(&d - datasets.data()));
      g.Add(self, P(kDct, "temporal"), period);
      g.Add(period, type.value, Term::Iri(P(kDct, "PeriodOfTime")));
      if (!d.temporal_start.empty()) g.Add(period, P(kDcat, "startDate"), When(d.temporal_start));
      if (!d.temporal_end.empty()) g.Add(period, P(kDcat, "endDate"), When(d.temporal_end));
    }
    if (!d.issued.empty()) g.Add(self, P(kDct, "issued"), When(d.issued));
    if (!d.modified.empty()) g.Add(self, P(kDct, "modified"), When(d.modified));
    if (!d.accrual_periodicity.empty()) {
      g.Add(self, P(kDct, "accrualPeriodicity"),
            Term::Iri(std::string(kEuAuthority) + "frequency/" + d.accrual_periodicity));
    }
    if (!d.landing_page.empty()) g.Add(self, P(kDcat, "landingPage"), Url(meta, d.landing_page));
    if (!d.source_url.empty()) g.Add(self, P(kFoaf, "page"), Url(meta, d.source_url));
    if (!d.provenance.empty()) {
      const Term statement = Term::Blank("herkunft-" + std::to_string(&d - datasets.data()));
      g.Add(self, P(kDct, "provenance"), statement);
      g.Add(statement, type.value, Term::Iri(P(kDct, "ProvenanceStatement")));
      g.Add(statement, P(kRdfs, "label"), Term::Text(d.provenance, "de"));
    }
    for (const Distribution& dist : d.distributions) {
      AddDistribution(g, meta, self, Term::Iri(self.value + "#" + dist.id), dist);
    }
  }

  if (page.size > 0 && page.total > page.size) {
    const int64_t last = (page.total + page.size - 1) / page.size;
    const Term view = Term::Iri(PageUrl(page, page.number));
    const std::string integer = P(kXsd, "integer");
    g.Add(view, type.value, Term::Iri(P(kHydra, "PagedCollection")));
    g.Add(view, P(kHydra, "totalItems"), Term::Typed(std::to_string(page.total), integer));
    g.Add(view, P(kHydra, "itemsPerPage"), Term::Typed(std::to_string(page.size), integer));
    g.Add(view, P(kHydra, "firstPage"), Term::Text(PageUrl(page, 1)));
    g.Add(view, P(kHydra, "lastPage"), Term::Text(PageUrl(page, last)));
    if (page.number < last) g.Add(view, P(kHydra, "nextPage"), Term::Text(PageUrl(page, page.number + 1)));
    if (page.number > 1) g.Add(view, P(kHydra, "previousPage"), Term::Text(PageUrl(page, page.number - 1)));
  }
  return g;
}

}  // namespace datenwerk::opendata
