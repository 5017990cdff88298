// The open-data module without a server: RDF serialisations, the DCAT-AP.de graph, the area from
// the boundary file, content negotiation. (That the three syntaxes parse to one graph and pass
// GovData's shapes is checked with real parsers in tests/http/catalog.test.mjs.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "alerts/alert_store.h"
#include "opendata/alerts_data.h"
#include "opendata/echo_data.h"
#include "opendata/area.h"
#include "opendata/catalog_routes.h"
#include "opendata/curation.h"
#include "opendata/downloads.h"
#include "opendata/inventory.h"
#include "series/observation_store.h"
#include "test_data.h"
#include "opendata/dcat.h"
#include "opendata/rdf.h"

namespace datenwerk::opendata {
namespace {

const Prefixes kPrefixes = {{"dct", "http://purl.org/dc/terms/"}, {"ex", "http://example.org/"}};

Graph Sample(std::string text) {
  Graph g;
  const Term s = Term::Iri("http://example.org/a");
  g.Add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", Term::Iri("http://example.org/Thing"));
  g.Add(s, "http://purl.org/dc/terms/title", Term::Text(std::move(text), "de"));
  g.Add(s, "http://purl.org/dc/terms/issued", Term::Typed("2024-05-01", "http://www.w3.org/2001/XMLSchema#date"));
  g.Add(s, "http://example.org/link", Term::Blank("b1"));
  g.Add(Term::Blank("b1"), "http://example.org/odd-name.x", Term::Iri("http://example.org/with space"));
  return g;
}

TEST(RdfTest, TurtleEscapesLiteralsAndIris) {
  const std::string ttl = ToTurtle(Sample("a \"b\" \\ c\nd\re\tf\x01g"), kPrefixes);
  EXPECT_NE(ttl.find("@prefix dct: <http://purl.org/dc/terms/> ."), std::string::npos);
  EXPECT_NE(ttl.find("ex:a\n    a ex:Thing ;"), std::string::npos) << ttl;
  EXPECT_NE(ttl.find(R"(dct:title "a \"b\" \\ c\nd\re\tfg"@de)"), std::string::npos) << ttl;
  EXPECT_NE(ttl.find(R"("2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date>)"), std::string::npos) << ttl;
  EXPECT_NE(ttl.find("<http://example.org/with%20space>"), std::string::npos) << ttl;
  // A local name with a dot is written as a full IRI, not as a prefixed name.
  EXPECT_NE(ttl.find("<http://example.org/odd-name.x>"), std::string::npos) << ttl;
}

TEST(RdfTest, JsonLdGroupsBySubjectAndTypesLiterals) {
  const std::string j = ToJsonLd(Sample("Ü"), kPrefixes);
  EXPECT_NE(j.find(R"("@context":{"dct":"http://purl.org/dc/terms/","ex":"http://example.org/"})"), std::string::npos) << j;
  EXPECT_NE(j.find(R"({"@id":"http://example.org/a","@type":["ex:Thing"],"dct:title":[{"@value":"Ü","@language":"de"}])"),
            std::string::npos) << j;
  EXPECT_NE(j.find(R"({"@id":"_:b1","http://example.org/odd-name.x":[{"@id":"http://example.org/with%20space"}]})"),
            std::string::npos) << j;
}

TEST(RdfTest, RdfXmlEscapesAndDeclaresUnknownNamespaces) {
  const std::string x = ToRdfXml(Sample("<&> \r ]]>"), kPrefixes);
  EXPECT_NE(x.find(R"(<dct:title xml:lang="de">&lt;&amp;&gt; &#13; ]]&gt;</dct:title>)"), std::string::npos) << x;
  EXPECT_NE(x.find(R"(<rdf:Description rdf:nodeID="b1">)"), std::string::npos) << x;
  EXPECT_NE(x.find(R"(<ns0:odd-name.x xmlns:ns0="http://example.org/" rdf:resource=)"), std::string::npos) << x;
}

TEST(RdfTest, BrokenUtf8BecomesReplacementCharacters) {
  const std::string ttl = ToTurtle(Sample(std::string("ok \xC3\xA4 bad \xC3 end \xFF")), kPrefixes);
  EXPECT_NE(ttl.find("\"ok \xC3\xA4 bad \xEF\xBF\xBD end \xEF\xBF\xBD\"@de"), std::string::npos) << ttl;
}

CatalogMetadata Meta() {
  CatalogMetadata m;
  m.base_url = "https://daten.example.de";
  m.title = "Offene Daten";
  m.description = "Beschreibung";
  m.publisher_name = "Stadt Beispiel";
  m.contact_name = "Team";
  m.contact_url = "/daten";
  m.municipality_key = "05911000";
  m.place_name = "Beispiel";
  m.bbox = CatalogMetadata::Box{7.1, 51.4, 7.3, 51.5};
  return m;
}

Dataset OneDataset(const std::string& id) {
  Dataset d;
  d.id = id;
  d.title = "Titel " + id;
  d.description = "Beschreibung";
  d.themes = {"ENVI"};
  d.temporal_start = "2024-01-01";
  d.modified = "2024-05-01T10:00:00Z";
  Distribution dist;
  dist.id = "csv";
  dist.title = "CSV";
  dist.access_url = "/api/v1/x.csv";
  dist.format = "CSV";
  dist.media_type = "text/csv";
  dist.license = "http://dcat-ap.de/def/licenses/cc-zero";
  dist.byte_size = 1234;
  d.distributions.push_back(dist);
  return d;
}

bool Has(const Graph& g, const std::string& s, const std::string& p, const std::string& o) {
  for (const Triple& t : g.triples()) {
    if (t.subject.value == s && t.predicate == p && t.object.value == o) return true;
  }
  return false;
}

TEST(DcatTest, DatasetsWithDistributionsUnderTheBaseUrl) {
  const Graph g = BuildCatalogGraph(Meta(), {OneDataset("a"), OneDataset("b")}, {1, 0, 2, ""});
  const std::string dataset = "https://daten.example.de/daten/a";
  EXPECT_TRUE(Has(g, "https://daten.example.de/catalog", "http://www.w3.org/ns/dcat#dataset", dataset));
  EXPECT_TRUE(Has(g, dataset + "#csv", "http://www.w3.org/ns/dcat#accessURL", "https://daten.example.de/api/v1/x.csv"));
  EXPECT_TRUE(Has(g, dataset + "#csv", "http://www.w3.org/ns/dcat#byteSize", "1234"));
  EXPECT_TRUE(Has(g, dataset, "http://purl.org/dc/terms/spatial",
                  "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05911000"));
  EXPECT_TRUE(Has(g, dataset, "http://www.w3.org/ns/dcat#theme",
                  "http://publications.europa.eu/resource/authority/data-theme/ENVI"));
  EXPECT_TRUE(Has(g, "https://daten.example.de/catalog", "http://purl.org/dc/terms/modified", "2024-05-01T10:00:00Z"));
  for (const Triple& t : g.triples()) EXPECT_FALSE(t.predicate.starts_with("http://www.w3.org/ns/hydra/"));
}

TEST(DcatTest, PagesLinkLikeCkan) {
  const Graph g = BuildCatalogGraph(Meta(), {OneDataset("c")}, {2, 100, 250, "https://daten.example.de/catalog.ttl"});
  const std::string view = "https://daten.example.de/catalog.ttl?page=2";
  const std::string hydra = "http://www.w3.org/ns/hydra/core#";
  EXPECT_TRUE(Has(g, view, hydra + "totalItems", "250"));
  EXPECT_TRUE(Has(g, view, hydra + "nextPage", "https://daten.example.de/catalog.ttl?page=3"));
  EXPECT_TRUE(Has(g, view, hydra + "previousPage", "https://daten.example.de/catalog.ttl?page=1"));
  EXPECT_TRUE(Has(g, view, hydra + "lastPage", "https://daten.example.de/catalog.ttl?page=3"));
  const Graph last = BuildCatalogGraph(Meta(), {}, {3, 100, 250, "https://daten.example.de/catalog.ttl"});
  for (const Triple& t : last.triples()) EXPECT_NE(t.predicate, hydra + "nextPage");
}

TEST(AreaTest, BochumsBoundaryNamesItsKeyAndBox) {
  std::ifstream in(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/geo/bochum_boundary.geojson");
  std::stringstream text;
  text << in.rdbuf();
  auto area = AreaFromBoundary(text.str());
  ASSERT_TRUE(area);
  EXPECT_EQ(area->municipality_key, "05911000");
  EXPECT_EQ(area->name, "Bochum");
  ASSERT_TRUE(area->bbox);
  EXPECT_DOUBLE_EQ(area->bbox->west, 7.1020817);
  EXPECT_DOUBLE_EQ(area->bbox->north, 51.5313721);
}

TEST(AreaTest, BoxFromCoordinatesAndNonsense) {
  auto area = AreaFromBoundary(
      R"({"type":"Feature","properties":{"ags":"123"},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,-4],[0,5],[1,2]]]}})");
  ASSERT_TRUE(area);
  EXPECT_EQ(area->municipality_key, "");  // not 8 digits
  EXPECT_DOUBLE_EQ(area->bbox->west, 0);
  EXPECT_DOUBLE_EQ(area->bbox->south, -4);
  EXPECT_DOUBLE_EQ(area->bbox->east, 3);
  EXPECT_DOUBLE_EQ(area->bbox->north, 5);
  EXPECT_FALSE(AreaFromBoundary("not json"));
  EXPECT_FALSE(AreaFromBoundary(R"({"features":[]})"));
  EXPECT_FALSE(AreaFromBoundary(std::string(100000, '[')));
}

TEST(NegotiationTest, QValuesAndWildcards) {
  EXPECT_EQ(ChooseSyntax(""), Syntax::kTurtle);
  EXPECT_EQ(ChooseSyntax("application/ld+json"), Syntax::kJsonLd);
  EXPECT_EQ(ChooseSyntax("text/turtle;q=0.5, application/rdf+xml;q=0.9"), Syntax::kRdfXml);
  EXPECT_EQ(ChooseSyntax("*/*;q=0.8, application/json"), Syntax::kJsonLd);
  EXPECT_EQ(ChooseSyntax("text/html, */*;q=0.1"), Syntax::kTurtle);
  EXPECT_EQ(ChooseSyntax("application/rdf+xml;q=0, text/turtle;q=0.1"), Syntax::kTurtle);
  EXPECT_EQ(ChooseSyntax(",,;;q=,garbage/x"), Syntax::kTurtle);
}

TEST(CurationTest, NothingOwnIsPublishedWithoutALicence) {
  InventoryOptions o;
  o.city_name = "Beispiel";
  Dataset own = OneDataset("smart-city-massnahmen");
  own.distributions[0].license.clear();
  Dataset station = OneDataset("station-3");
  std::map<std::string, Curation> none;
  auto out = Curated({own}, {station}, none, o);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, "station-3");

  std::map<std::string, Curation> curations;
  curations[kDefaults] = {kDefaults, "", "", {}, "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "", ""};
  curations["station-3"] = {"station-3", "Pegel", "", {"Wasser"}, "http://dcat-ap.de/def/licenses/cc-by/4.0", "Stadt Beispiel", ""};
  out = Curated({own}, {station}, curations, o);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].distributions[0].license, "http://dcat-ap.de/def/licenses/dl-by-de/2.0");
  EXPECT_EQ(out[0].distributions[0].license_attribution, "Stadt Beispiel");  // the default attribution
  EXPECT_EQ(out[1].title, "Pegel");
  EXPECT_EQ(out[1].keywords, std::vector<std::string>{"Wasser"});
  EXPECT_EQ(out[1].distributions[0].license, "http://dcat-ap.de/def/licenses/cc-by/4.0");
}

TEST(DownloadTest, StreamsEveryReadingInPiecesAndBoundsHowManyRunAtOnce) {
  testing::TempDir dir;
  auto db = sql::OpenSqlite(dir.File("series.db"), "test").value();
  auto store = series::OpenObservationStore(*db).value();
  std::vector<series::Point> points;
  for (int i = 0; i < 25'000; ++i) points.push_back({1'700'000'000'000 + i * 1000LL, i * 0.5});
  ASSERT_TRUE(store->Append({{7, points}}).ok());
  DownloadRequest request{{{7, "Pegel; \"Ölbach\"", "cm"}}, 0, INT64_MAX, DownloadFormat::kCsvGerman, std::nullopt};
  auto body = SeriesDownload(*store, request);
  ASSERT_TRUE(body);
  std::string all;
  int pieces = 0;
  for (;;) {
    std::string piece;
    auto more = body->Next(piece);
    ASSERT_TRUE(more.ok());
    all += piece;
    ++pieces;
    if (!*more) break;
  }
  EXPECT_GT(pieces, 1);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 25'001);
  EXPECT_NE(all.find("7;\"Pegel; \"\"Ölbach\"\"\";cm;2023-11-14T22:13:21.000Z;0,5\r\n"), std::string::npos) << all.substr(0, 300);

  std::vector<std::shared_ptr<http::BodyStream>> running;
  body.reset();
  for (int i = 0; i < kMaxConcurrentDownloads; ++i) {
    running.push_back(SeriesDownload(*store, request));
    ASSERT_TRUE(running.back());
  }
  EXPECT_FALSE(SeriesDownload(*store, request));
  running.pop_back();
  EXPECT_TRUE(SeriesDownload(*store, request));
}

TEST(AlertsDataTest, ADatasetOnceOneHasFiredAndEveryFiredAlertDownloadedOldestFirst) {
  InventoryOptions o{"Bochum"};
  EXPECT_FALSE(AlertsDataset({0, 0, 0}, o));
  auto d = AlertsDataset({3, 1714564800000, 1714651200000}, o);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->id, "warnmeldungen");
  EXPECT_EQ(d->issued, "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(d->modified, "2024-05-02T12:00:00.000Z");
  ASSERT_EQ(d->distributions.size(), 2u);
  EXPECT_EQ(d->distributions[0].download_url, "/daten/warnmeldungen.csv");
  EXPECT_TRUE(d->distributions[0].license.empty());  // the city's own: licensed by the curation
  EXPECT_TRUE(IsAlertsDownload("warnmeldungen.json"));
  EXPECT_FALSE(IsAlertsDownload("warnmeldungen.xml"));

  testing::TempDir dir;
  auto db = sql::OpenSqlite(dir.File("alerts.db"), "test").value();
  auto store = alerts::AlertStore::Open(*db).value();
  // 2,500 alerts, every fifth still pending (not yet an alert for the public); more than one
  // page of the download.
  for (int i = 0; i < 2500; ++i) {
    alerts::Alert a;
    a.rule_id = 1;
    a.rule_name = i == 7 ? "Pegel \"Ölbach\", hoch" : "Starkregen";
    a.datastream = 1 + i % 3;
    a.state = i % 5 == 0 ? "pending" : i % 5 == 1 ? "firing" : "resolved";
    a.severity = "warnung";
    a.started_ms = 1714564800000 + i * 60'000LL;
    if (a.state != "pending") a.fired_ms = a.started_ms + 1000;
    if (a.state == "resolved") a.resolved_ms = a.started_ms + 2000;
    a.value = a.peak = i * 0.25;
    ASSERT_TRUE(store->InsertAlert(a).ok());
  }
  auto published = store->Published();
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->count, 2000);
  EXPECT_EQ(published->first_started_ms, 1714564800000 + 60'000);
  EXPECT_EQ(published->last_change_ms, 1714564800000 + 2499 * 60'000LL + 2000);

  for (const char* file : {"warnmeldungen.json", "warnmeldungen.csv"}) {
    http::Request r;
    r.path = std::string("/daten/") + file;
    r.path_params["file"] = file;
    http::Response response = AlertsDownload(*store, r);
    ASSERT_TRUE(response.stream);
    std::string all;
    for (bool more = true; more;) {
      std::string piece;
      auto next = response.stream->Next(piece);
      ASSERT_TRUE(next.ok());
      more = *next;
      all += piece;
    }
    if (std::string_view(file).ends_with(".csv")) {
      EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 2001);
      EXPECT_NE(all.find("\"Pegel \"\"Ölbach\"\", hoch\""), std::string::npos);
      continue;
    }
    const boost::json::array alerts = boost::json::parse(all).at("alerts").as_array();
    ASSERT_EQ(alerts.size(), 2000u);
    int64_t previous = 0;
    for (const auto& a : alerts) {
      EXPECT_GT(a.at("id").as_int64(), previous);
      previous = a.at("id").as_int64();
      EXPECT_NE(a.at("state").as_string(), "pending");
    }
    EXPECT_TRUE(alerts[0].at("resolved").is_null());
    EXPECT_EQ(alerts[1].at("resolved").as_string(), "2024-05-01T12:02:02.000Z");
  }
}

TEST(ReportsDataTest, ADatasetOnceTheFirstReportCameWithThreeFiles) {
  InventoryOptions o{"Bochum"};
  EXPECT_FALSE(ReportsDataset({0, 0, 0}, o));
  auto d = ReportsDataset({12, 1714564800000, 1714651200000}, o);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->id, "buergerecho-meldungen");
  EXPECT_NE(d->description.find("12 Meldungen"), std::string::npos);
  ASSERT_EQ(d->distributions.size(), 3u);
  EXPECT_EQ(d->distributions[2].download_url, "/daten/buergerecho.geojson");
  EXPECT_EQ(d->distributions[2].media_type, "application/geo+json");
  EXPECT_TRUE(IsReportsDownload("buergerecho.csv"));
  EXPECT_FALSE(IsReportsDownload("buergerecho.xml"));
}

TEST(CurationTest, ValidationNamesTheField) {
  Curation c{"kennzahl-x", "", "", {}, "", "", ""};
  EXPECT_TRUE(Validate(c).ok());
  c.license = "http://example.org/x";
  EXPECT_EQ(Validate(c).field(), "license");
  c.license = "http://dcat-ap.de/def/licenses/cc-zero";
  c.keywords = {"a", ""};
  EXPECT_EQ(Validate(c).field(), "keywords[1]");
  c.keywords = {"a"};
  c.title = std::string("a\x01");
  EXPECT_EQ(Validate(c).field(), "title");
  c.title = std::string("\xC3");
  EXPECT_EQ(Validate(c).field(), "title");
  c.title = "";
  c.dataset_id = "";
  EXPECT_EQ(Validate(c).field(), "dataset");
}

}  // namespace
}  // namespace datenwerk::opendata
