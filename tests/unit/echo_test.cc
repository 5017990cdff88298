// BürgerEcho without a server: states, the city's service files, routing on Bochum's real
// district polygons (the boundary rule included), the checks of a new report, Open311's form
// bodies and answers in JSON and XML (escaped, no personal data).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "echo/open311.h"
#include "echo/rate_limit.h"
#include "echo/report_map.h"
#include "echo/report.h"
#include "echo/routing.h"
#include "echo/services.h"
#include "echo/status.h"
#include "test_data.h"

namespace datenwerk::echo {
namespace {

using testing::ReadTextFile;

const std::string kGeo = std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/geo/";

CityArea Bochum() {
  return {geo::Districts::Load(ReadTextFile(kGeo + "bochum_boundary.geojson")).value(),
          geo::Districts::Load(ReadTextFile(kGeo + "bochum_stadtbezirke.geojson")).value()};
}

std::shared_ptr<const Services> Shipped() {
  auto s = Services::Load(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/buergerecho");
  EXPECT_TRUE(s.ok()) << s.status().message() << " " << s.status().field();
  return *s;
}

TEST(ReportStatusTest, EveryStateHasACodeALabelAndAnOpenOrClosed) {
  std::set<std::string> codes;
  int open = 0;
  for (ReportStatus s : kAllStatuses) {
    EXPECT_EQ(StatusFromCode(StatusCode(s)), s);
    EXPECT_FALSE(std::string(StatusLabel(s)).empty());
    codes.insert(StatusCode(s));
    open += IsOpen(s);
  }
  EXPECT_EQ(codes.size(), 8u);
  EXPECT_EQ(open, 3);  // received, in progress, scheduled
  EXPECT_FALSE(IsOpen(ReportStatus::kDone));
  EXPECT_STREQ(ExtendedStatus(ReportStatus::kNotResponsible), "NOT_COUNCILS_RESPONSIBILITY");
  EXPECT_FALSE(StatusFromCode("fixed"));
}

TEST(ServicesTest, TheShippedFilesAndWhatIsWrongWithBadOnes) {
  auto services = Shipped();
  ASSERT_TRUE(services);
  EXPECT_EQ(services->Categories().size(), 12u);
  const Category* road = services->FindCategory("strasse");
  ASSERT_TRUE(road);
  ASSERT_EQ(road->attributes.size(), 1u);
  EXPECT_TRUE(road->attributes[0].required);
  EXPECT_EQ(services->FindCategory("idee")->kind, Kind::kIdea);
  EXPECT_EQ(services->FindCategory("spielplatz")->office_by_district.at("Wattenscheid"), "bv-wat");

  const std::string offices = "stelle;name;email\ntiefbau;Tiefbauamt;\n";
  const std::string head = "code;name;gruppe;art;stelle;beschreibung;schlagwoerter\n";
  struct Case {
    std::string offices, categories, attributes, routing, field;
  };
  for (const Case& c : std::vector<Case>{
           {offices, head + "a;A;G;mangel;nirgends;;\n", "", "", "kategorien.csv:2"},
           {offices, head + "a;A;G;mangel;tiefbau;;\na;B;G;mangel;tiefbau;;\n", "", "", "kategorien.csv:3"},
           {offices, head + "a b;A;G;mangel;tiefbau;;\n", "", "", "kategorien.csv:2"},
           {offices, head + "a;A;G;wunsch;tiefbau;;\n", "", "", "kategorien.csv:2"},
           {offices, head, "", "", "kategorien.csv"},
           {offices, head + "a;A;G;mangel;tiefbau;;\n",
            "kategorie;code;datentyp;pflicht;reihenfolge;beschreibung;werte\na;x;farbe;ja;1;;\n", "", "merkmale.csv:2"},
           {offices, head + "a;A;G;mangel;tiefbau;;\n",
            "kategorie;code;datentyp;pflicht;reihenfolge;beschreibung;werte\na;x;singlevaluelist;ja;1;;\n", "", "merkmale.csv:2"},
           {offices, head + "a;A;G;mangel;tiefbau;;\n", "", "kategorie;stadtbezirk;stelle\na;Mitte;keine\n",
            "zustaendigkeiten.csv:2"},
           {"stelle;name\nx;y\n", head, "", "", "stellen.csv"},
           {offices, std::string("code;name;gruppe;art;stelle;beschreibung;schlagwoerter\na;\xff;G;mangel;tiefbau;;\n"), "", "",
            "kategorien.csv"},
       }) {
    auto parsed = Services::Parse(c.offices, c.categories, c.attributes, c.routing);
    ASSERT_FALSE(parsed.ok()) << c.field;
    EXPECT_EQ(parsed.status().field(), c.field) << parsed.status().message();
  }
  EXPECT_EQ(Services::Load("/nicht/da").status().code(), ErrorCode::kNotFound);
}

TEST(RoutingTest, ByCategoryAndDistrictOnBochumsPolygonsWithOneOfficePerBoundaryPoint) {
  const CityArea area = Bochum();
  auto services = Shipped();
  const Category& road = *services->FindCategory("strasse");
  const Category& playground = *services->FindCategory("spielplatz");
  // The town hall (Mitte) and Wattenscheid's town centre, from places.csv's neighbourhood.
  auto mitte = Route(road, 7.2162, 51.4818, area);
  ASSERT_TRUE(mitte.ok());
  EXPECT_EQ(mitte->district, "Mitte");
  EXPECT_EQ(mitte->office, "tiefbau");
  auto wattenscheid = Route(playground, 7.1268, 51.4826, area);
  ASSERT_TRUE(wattenscheid.ok());
  EXPECT_EQ(wattenscheid->district, "Wattenscheid");
  EXPECT_EQ(wattenscheid->office, "bv-wat");
  EXPECT_EQ(Route(road, 13.4, 52.5, area).status().field(), "lat");  // Berlin
  EXPECT_EQ(Route(road, 7.2, 91, area).status().field(), "lat");
  EXPECT_EQ(Route(road, std::nan(""), 51.48, area).status().field(), "lat");

  // Every vertex two districts share lies on both borders: it goes to exactly one of them, the
  // first in the file (the lower Stadtbezirk number), and never to none.
  const auto doc = boost::json::parse(ReadTextFile(kGeo + "bochum_stadtbezirke.geojson"));
  std::vector<std::set<std::pair<double, double>>> vertices;
  for (const auto& f : doc.at("features").as_array()) {
    std::set<std::pair<double, double>> points;
    for (const auto& ring : f.at("geometry").at("coordinates").as_array()) {
      for (const auto& p : ring.as_array()) points.insert({p.as_array()[0].to_number<double>(), p.as_array()[1].to_number<double>()});
    }
    vertices.push_back(std::move(points));
  }
  int shared = 0;
  for (size_t a = 0; a < vertices.size(); ++a) {
    for (size_t b = a + 1; b < vertices.size(); ++b) {
      for (const auto& p : vertices[a]) {
        if (!vertices[b].count(p)) continue;
        ++shared;
        const auto index = area.districts->IndexAt(p.first, p.second, kSnapMetres);
        ASSERT_TRUE(index) << p.first << "," << p.second;
        EXPECT_LE(*index, a) << "a shared vertex of districts " << a << " and " << b;
      }
    }
  }
  EXPECT_GT(shared, 50);
}

TEST(NewReportTest, ChecksTextPositionContactAndAttributes) {
  auto services = Shipped();
  const Category& road = *services->FindCategory("strasse");
  const Category& rubbish = *services->FindCategory("muell");
  NewReport ok;
  ok.service_code = "strasse";
  ok.description = "  Tiefes Loch\r\nvor Hausnummer 5  ";
  ok.lat = 51.48;
  ok.lon = 7.21;
  ok.attributes["gefahr"] = {"ja"};
  auto checked = CheckNewReport(ok, road);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->description, "Tiefes Loch\nvor Hausnummer 5");

  auto refused = [&](NewReport r, const Category& c) { return CheckNewReport(std::move(r), c).status().field(); };
  NewReport r = ok;
  r.description = std::string(4000, 'x');
  EXPECT_TRUE(CheckNewReport(r, road).ok());
  r.description = "";
  for (int i = 0; i < 4000; ++i) r.description += "ä";  // characters, not bytes
  EXPECT_TRUE(CheckNewReport(r, road).ok());
  r.description += "x";
  EXPECT_EQ(refused(r, road), "description");
  r = ok, r.description = "a\x01b";
  EXPECT_EQ(refused(r, road), "description");
  r = ok, r.description = "\xc3\x28";
  EXPECT_EQ(refused(r, road), "description");
  r = ok, r.lon.reset();
  EXPECT_EQ(refused(r, road), "long");
  r = ok, r.lat.reset(), r.lon.reset();
  EXPECT_EQ(refused(r, road), "lat");
  r.address = "Rathausplatz 1";
  EXPECT_TRUE(CheckNewReport(r, road).ok());
  r = ok, r.email = "keine-adresse";
  EXPECT_EQ(refused(r, road), "email");
  r = ok, r.attributes.clear();
  EXPECT_EQ(refused(r, road), "attribute[gefahr]");
  r = ok, r.attributes["gefahr"] = {"vielleicht"};
  EXPECT_EQ(refused(r, road), "attribute[gefahr]");
  r = ok, r.attributes["gefahr"] = {"ja", "nein"};
  EXPECT_EQ(refused(r, road), "attribute[gefahr]");
  r = ok, r.attributes["farbe"] = {"rot"};
  EXPECT_EQ(refused(r, road), "attribute[farbe]");
  r = ok, r.service_code = "muell", r.attributes = {{"art", {"sperrmuell", "bauschutt"}}};
  EXPECT_TRUE(CheckNewReport(r, rubbish).ok());
  r.name = "", r.show_name = true;
  EXPECT_FALSE(CheckNewReport(r, rubbish)->show_name);
}

TEST(Open311Test, FormBodiesWithRepeatedAttributesAndHostileOnes) {
  auto fields = ParseFormFields(
      "api_key=k&service_code=muell&lat=51.48&long=7.21&description=Sperrm%C3%BCll+am+Weg&"
      "attribute[art][]=sperrmuell&attribute%5Bart%5D%5B%5D=bauschutt&first_name=Anna&last_name=Muster&phone=0234&"
      "media_url=http%3A%2F%2Fx&&");
  ASSERT_TRUE(fields.ok());
  auto report = NewReportFromForm(*fields);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->description, "Sperrmüll am Weg");
  EXPECT_EQ(report->attributes.at("art"), (std::vector<std::string>{"sperrmuell", "bauschutt"}));
  EXPECT_EQ(report->name, "Anna Muster");
  EXPECT_DOUBLE_EQ(*report->lat, 51.48);

  EXPECT_FALSE(ParseFormFields("a=%zz").ok());
  EXPECT_FALSE(ParseFormFields("a=%ff").ok());
  std::string many;
  for (int i = 0; i < 201; ++i) many += "a=1&";
  EXPECT_FALSE(ParseFormFields(many).ok());
  EXPECT_EQ(NewReportFromForm({{"lat", "1"}}).status().field(), "service_code");
  EXPECT_EQ(NewReportFromForm({{"service_code", "a"}, {"lat", "1e999"}}).status().field(), "lat");
  EXPECT_EQ(NewReportFromForm({{"service_code", "a"}, {"long", "x"}}).status().field(), "long");
  EXPECT_FALSE(NewReportFromForm({{"service_code", "a"}, {"attribute[]", "x"}}).ok());
  EXPECT_FALSE(NewReportFromForm({{"service_code", "a"}, {"attribute[a]x", "x"}}).ok());
}

TEST(Open311Test, AnswersEscapeTextAndCarryNoPersonalData) {
  auto services = Shipped();
  Report r;
  r.id = 7;
  r.token = "tok";
  r.service_code = "strasse";
  r.description = "<script>alert('x')</script> & \"mehr\"";
  r.lat = 51.48;
  r.lon = 7.21;
  r.office = "tiefbau";
  r.email = "anna@example.org";
  r.name = "Anna Muster";
  r.show_name = true;
  r.requested_ms = 1714564800123;
  r.updated_ms = 1714564860000;
  for (Format f : {Format::kJson, Format::kXml}) {
    const Rendered out = RequestList(f, {r}, *services, {true});
    EXPECT_EQ(out.body.find("anna@example.org"), std::string::npos);
    EXPECT_EQ(out.body.find("Anna"), std::string::npos);
    if (f == Format::kXml) {
      EXPECT_EQ(out.body.find("<script>"), std::string::npos);
    }
    EXPECT_NE(out.body.find("2024-05-01T12:00:00Z"), std::string::npos);
  }
  const Rendered xml = RequestList(Format::kXml, {r}, *services, {});
  EXPECT_EQ(xml.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  EXPECT_NE(xml.body.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;mehr&quot;"), std::string::npos);
  EXPECT_EQ(xml.content_type, "text/xml; charset=utf-8");
  const Rendered json = RequestList(Format::kJson, {r}, *services, {});
  const auto parsed = boost::json::parse(json.body).as_array().at(0).as_object();
  EXPECT_EQ(parsed.at("service_request_id").as_string(), "7");
  EXPECT_EQ(parsed.at("agency_responsible").as_string(), "Tiefbauamt");
  EXPECT_FALSE(parsed.contains("extended_attributes"));
  r.text_hidden = true;
  EXPECT_EQ(RequestList(Format::kJson, {r}, *services, {}).body.find("alert"), std::string::npos)
      << RequestList(Format::kJson, {r}, *services, {}).body;

  const Rendered error = ErrorAnswer(Format::kXml, InvalidArgument("is required", "service_code"));
  EXPECT_EQ(error.status, 400);
  EXPECT_NE(error.body.find("<errors><error><code>400</code><description>service_code: is required</description>"),
            std::string::npos);
  EXPECT_EQ(ErrorAnswer(Format::kJson, NotFound("x", "y")).status, 404);
  EXPECT_EQ(SplitFormat("services.json")->first, "services");
  EXPECT_EQ(SplitFormat("requests.xml")->second, Format::kXml);
  EXPECT_FALSE(SplitFormat("requests"));
  EXPECT_FALSE(SplitFormat(".json"));
  EXPECT_EQ(W3cDateTime(-1), "1969-12-31T23:59:59Z");
}

TEST(RateLimiterTest, ABurstThenOnePerIntervalPerKeyWithBoundedMemory) {
  RateLimiter limiter(3, 60'000, 2);
  int64_t wait = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("a", 0));
  EXPECT_FALSE(limiter.Allow("a", 1000, &wait));
  EXPECT_EQ(wait, 59'000);
  EXPECT_TRUE(limiter.Allow("b", 1000));  // another client
  EXPECT_TRUE(limiter.Allow("a", 60'000));
  EXPECT_FALSE(limiter.Allow("a", 60'001));
  EXPECT_TRUE(limiter.Allow("a", 10 * 60'000));
  EXPECT_TRUE(limiter.Allow("a", 10 * 60'000));
  // A third key evicts the longest idle ("b"), which comes back with a full bucket.
  EXPECT_TRUE(limiter.Allow("c", 10 * 60'000));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("b", 10 * 60'000));
}

}  // namespace
}  // namespace datenwerk::echo

namespace datenwerk::echo {
namespace {

TEST(ReportMap, TheGridFollowsTheZoomAndTheLatitude) {
  MapView bochum{7.1, 51.4, 7.35, 51.55, 11};
  const Grid g = GridFor(bochum);
  EXPECT_NEAR(g.cell_lon, 360.0 / (256 * 2048) * 60, 1e-12);
  EXPECT_NEAR(g.cell_lat / g.cell_lon, std::cos((51.4 + 51.55) / 2 * M_PI / 180), 1e-9);
  bochum.zoom = 12;
  EXPECT_NEAR(GridFor(bochum).cell_lon * 2, g.cell_lon, 1e-12);
}

TEST(ReportMap, ViewsAreCheckedNamingTheParameter) {
  auto ok = ParseMapView("7.1,51.4,7.35,51.55", "12");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->zoom, 12);
  EXPECT_DOUBLE_EQ(ok->north, 51.55);
  for (const std::string& bbox : {"", "7.1,51.4,7.35", "7.1,51.4,7.35,51.55,1", "a,b,c,d", "7.35,51.4,7.1,51.55",
                                  "7.1,51.55,7.35,51.4", "-181,0,0,1", "0,0,1,91", "nan,0,1,1", "1e999,0,1,1",
                                  "7.1,,7.35,51.55", " 7.1,51.4,7.35,51.55"}) {
    auto bad = ParseMapView(bbox, "12");
    ASSERT_FALSE(bad.ok()) << bbox;
    EXPECT_EQ(bad.status().field(), "bbox");
  }
  for (const std::string& zoom : {"", "-1", "23", "1.5", "zwölf", "1e3"}) {
    auto bad = ParseMapView("7.1,51.4,7.35,51.55", zoom);
    ASSERT_FALSE(bad.ok()) << zoom;
    EXPECT_EQ(bad.status().field(), "zoom");
  }
  // The whole world at street level would be millions of cells: refused.
  auto huge = ParseMapView("-180,-85,180,85", "18");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().field(), "bbox");
  EXPECT_TRUE(ParseMapView("-180,-85,180,85", "3").ok());
}

TEST(ReportMap, OneReportIsAPointAndMoreAreACluster) {
  auto services = Services::Load(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/buergerecho").value();
  MapCell single{51.48, 7.21, 1, 7, ReportStatus::kDone, "strasse"};
  MapCell many{51.5, 7.2, 42, 1, ReportStatus::kReceived, "muell"};
  auto json = boost::json::parse(MapJson({single, many}, *services)).as_object();
  EXPECT_EQ(json["total"].as_int64(), 43);
  ASSERT_EQ(json["cells"].as_array().size(), 1u);
  EXPECT_EQ(json["cells"].as_array()[0].as_object().at("count").as_int64(), 42);
  const auto& point = json["reports"].as_array().at(0).as_object();
  EXPECT_EQ(point.at("id").as_int64(), 7);
  EXPECT_EQ(point.at("status").as_string(), "Erledigt");
  EXPECT_FALSE(point.at("open").as_bool());
  EXPECT_EQ(point.at("category").as_string(), services->FindCategory("strasse")->name);
}

}  // namespace
}  // namespace datenwerk::echo

#include "echo/notify.h"

namespace datenwerk::echo {
namespace {

TEST(StatusMail, TellsTheReporterWhatChangedWithTheLinksAndOnlyThen) {
  auto services = Services::Load(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/buergerecho").value();
  Report before;
  before.id = 12;
  before.token = "geheim";
  before.service_code = "strasse";
  before.office = "tiefbau";
  before.email = "anna@example.org";
  Report after = before;
  after.status = ReportStatus::kDone;
  after.status_note = "Verfüllt.";
  auto mail = StatusMail(before, after, *services, "https://smartcity.bochum.example", 1000);
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->to, "anna@example.org");
  EXPECT_EQ(mail->subject, "Ihre Meldung 12: Erledigt");
  EXPECT_NE(mail->body.find("Verfüllt."), std::string::npos);
  EXPECT_NE(mail->body.find("https://smartcity.bochum.example/buergerecho/meldungen/12"), std::string::npos);
  EXPECT_NE(mail->body.find("https://smartcity.bochum.example/buergerecho/privat/geheim"), std::string::npos);
  EXPECT_NE(mail->body.find("14 Tagen"), std::string::npos);
  // No address, or nothing public changed (moderation): no mail.
  Report anonymous = after;
  anonymous.email.clear();
  EXPECT_FALSE(StatusMail(before, anonymous, *services, "https://x", 1000));
  Report moderated = before;
  moderated.text_hidden = true;
  EXPECT_FALSE(StatusMail(before, moderated, *services, "https://x", 1000));
  // Another office: named in the mail.
  Report moved = before;
  moved.office = "usb";
  moved.status_note = "Weitergegeben.";
  EXPECT_NE(StatusMail(before, moved, *services, "https://x", 1000)->body.find("Zuständig ist jetzt: USB"), std::string::npos);
}

}  // namespace
}  // namespace datenwerk::echo

#include <cstdio>

#include "echo/addresses.h"

namespace datenwerk::echo {
namespace {

// What PROJ (Debian's cs2cs) makes of a WGS 84 position in ETRS89 / UTM zone 32.
std::pair<double, double> ProjUtm32(double lat, double lon) {
  const std::string command = "echo '" + std::to_string(lon) + " " + std::to_string(lat) +
                              "' | cs2cs +proj=longlat +ellps=GRS80 +to +proj=utm +zone=32 +ellps=GRS80 -f %.4f";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  double east = 0, north = 0;
  EXPECT_EQ(std::fscanf(pipe, "%lf %lf", &east, &north), 2);
  pclose(pipe);
  return {east, north};
}

TEST(Addresses, Utm32ToLatLonAgreesWithProjToTheCentimetre) {
  // The real places of ../shared/geo/places.csv, as given there.
  std::ifstream in(std::string(DATENWERK_SOURCE_DIR) + "/../shared/geo/places.csv");
  ASSERT_TRUE(in) << "../shared/geo/places.csv";
  std::string line;
  std::getline(in, line);
  int checked = 0;
  while (std::getline(in, line) && checked < 12) {
    // kind,"name",lat,lon,source: the two numbers after the quoted name.
    const size_t close = line.find("\",");
    const size_t name_end = close == std::string::npos ? line.find(',', line.find(',') + 1) : close + 1;
    double lat = 0, lon = 0;
    if (std::sscanf(line.c_str() + name_end, ",%lf,%lf", &lat, &lon) != 2) continue;
    const auto [east, north] = ProjUtm32(lat, lon);
    const LatLon back = Utm32ToLatLon(east, north);
    EXPECT_NEAR(back.lat, lat, 1e-7) << line;  // about a centimetre
    EXPECT_NEAR(back.lon, lon, 1e-7) << line;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(Addresses, HouseCoordinatesInTheNationwideLayout) {
  const std::string text =
      "\xEF\xBB\xBF" "A;DENW000000000001;A;05;9;11;000;0001;01234;12;a;376136,715;5704913,893;Prüfweg;44787;Bochum;;Mitte\r\n"
      "A;DENW000000000002;A;05;9;11;000;0001;01234;14;;376160,000;5704950,000;Prüfweg;44787;Bochum;;Mitte\n";
  auto parsed = ParseHouseCoordinates(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].street, "Prüfweg");
  EXPECT_EQ((*parsed)[0].number, "12a");
  EXPECT_EQ((*parsed)[0].Label(), "Prüfweg 12a, 44787 Bochum");
  EXPECT_NEAR((*parsed)[0].lat, 51.4818, 1e-4);
  EXPECT_NEAR((*parsed)[0].lon, 7.2162, 1e-4);
  for (const std::string& bad : {std::string("A;B;C\n"),
                                 std::string("A;1;A;05;9;11;000;0001;1;12;;x;5704913,893;Prüfweg;44787;Bochum;;\n"),
                                 std::string("A;1;A;05;9;11;000;0001;1;12;;376136,715;12;Prüfweg;44787;Bochum;;\n"),
                                 std::string("A;1;A;05;9;11;000;0001;1;;;376136,715;5704913,893;Prüfweg;44787;Bochum;;\n"),
                                 std::string("A;1;A;05;9;11;000;0001;1;12;;376136,715;5704913,893;Pr\xFC" "fweg;1;B;;\n")}) {
    auto refused = ParseHouseCoordinates(bad);
    EXPECT_FALSE(refused.ok()) << bad;
  }
  EXPECT_EQ(ParseHouseCoordinates("\nA;B\n").status().field(), "line 2");
}

TEST(Addresses, KeysIgnoreCaseSpacesDotsAndTheWayStreetIsWritten) {
  EXPECT_EQ(AddressKey("Rathaus-Platz 1 A"), AddressKey("rathausplatz 1a"));
  EXPECT_EQ(AddressKey("Hauptstraße 5"), AddressKey("Hauptstr. 5"));
  EXPECT_EQ(AddressKey("HAUPTSTRASSE 5"), "hauptstr5");
  EXPECT_EQ(AddressKey("Ümminger Straße 3"), "ümmingerstr3");
}

}  // namespace
}  // namespace datenwerk::echo
