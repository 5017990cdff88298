// Responsibility areas uploaded as GeoJSON: checked whole (a refusal names the feature), routed
// before the district rule, the first area in the file wins on a shared border and where areas
// overlap, and kept in the one database on SQLite and PostgreSQL alike. The rectangles here are
// made-up areas around the test positions, not real boundaries.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "echo/office_areas.h"
#include "echo/routing.h"
#include "database_test.h"

namespace datenwerk::echo {
namespace {

using testing::ReadTextFile;

std::shared_ptr<const Services> Shipped() {
  return Services::Load(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/buergerecho").value();
}

CityArea Bochum() {
  const std::string geo = std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/geo/";
  return {geo::Districts::Load(ReadTextFile(geo + "bochum_boundary.geojson")).value(),
          geo::Districts::Load(ReadTextFile(geo + "bochum_stadtbezirke.geojson")).value(),
          std::make_shared<OfficeAreaSet>()};
}

// A rectangle [lon0, lon1] × [lat0, lat1] as a feature.
std::string Box(const std::string& properties, double lon0, double lat0, double lon1, double lat1) {
  std::ostringstream f;
  f.precision(10);
  f << R"({"type": "Feature", "properties": )" << properties << R"(, "geometry": {"type": "Polygon", "coordinates": [[[)"
    << lon0 << "," << lat0 << "],[" << lon1 << "," << lat0 << "],[" << lon1 << "," << lat1 << "],[" << lon0 << ","
    << lat1 << "],[" << lon0 << "," << lat0 << "]]]}}";
  return f.str();
}

std::string Collection(const std::vector<std::string>& features) {
  std::string out = R"({"type": "FeatureCollection", "features": [)";
  for (size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + "]}";
}

TEST(OfficeAreasTest, AreasComeBeforeTheDistrictRuleAndTheFirstOneWins) {
  auto services = Shipped();
  CityArea area = Bochum();
  // Around the town hall (51.4818, 7.2162): the parks office takes rubbish there; a second,
  // overlapping area further east takes everything for the coordination office.
  auto areas = OfficeAreas::Parse(
      Collection({Box(R"({"name": "Park Mitte", "stelle": "gruen", "kategorien": "muell, papierkorb"})", 7.21, 51.47,
                      7.22, 51.49),
                  Box(R"({"name": "Ost", "stelle": "koordination"})", 7.22, 51.47, 7.24, 51.49),
                  Box(R"({"name": "Überlappung", "stelle": "tiefbau", "kategorien": ["muell"]})", 7.215, 51.47, 7.23,
                      51.49)}),
      *services);
  ASSERT_TRUE(areas.ok()) << areas.status().message() << " " << areas.status().field();
  ASSERT_EQ((*areas)->Areas().size(), 3u);
  EXPECT_EQ((*areas)->Areas()[0].categories, (std::vector<std::string>{"muell", "papierkorb"}));
  EXPECT_TRUE((*areas)->Areas()[1].categories.empty());
  area.office_areas->Set(*areas);
  const Category& muell = *services->FindCategory("muell");
  const Category& strasse = *services->FindCategory("strasse");
  const Category& spielplatz = *services->FindCategory("spielplatz");

  auto routed = Route(muell, 7.2162, 51.4818, area).value();
  EXPECT_EQ(routed.office, "gruen");
  EXPECT_EQ(routed.area, "Park Mitte");
  EXPECT_EQ(routed.district, "Mitte");
  EXPECT_EQ(Route(strasse, 7.2162, 51.4818, area)->office, "tiefbau") << "not its category: the category's office";
  // On the border of the first two areas: the first's (for its categories), else the second's.
  EXPECT_EQ(Route(muell, 7.22, 51.48, area)->office, "gruen");
  EXPECT_EQ(Route(strasse, 7.22, 51.48, area)->office, "koordination");
  // Inside the second and third: the second takes everything, so the third never gets muell there.
  EXPECT_EQ(Route(muell, 7.225, 51.48, area)->office, "koordination");
  // A playground in Wattenscheid, outside every area: the district rule as before.
  EXPECT_EQ(Route(spielplatz, 7.1268, 51.4826, area)->office, "bv-wat");
  // Removed: everything as before.
  area.office_areas->Set(nullptr);
  EXPECT_EQ(Route(muell, 7.2162, 51.4818, area)->office, "usb");
  EXPECT_EQ(Route(muell, 7.2162, 51.4818, area)->area, "");
}

TEST(OfficeAreasTest, AnUploadIsRefusedWholeNamingTheFeature) {
  auto services = Shipped();
  const std::string good = Box(R"({"name": "A", "stelle": "usb"})", 7.2, 51.4, 7.3, 51.5);
  struct Case {
    std::string text, field, message;
  } cases[] = {
      {Collection({good, Box(R"({"name": "B", "stelle": "keine"})", 7.2, 51.4, 7.3, 51.5)}), "features[1]", "stelle"},
      {Collection({good, Box(R"({"name": "B", "stelle": "usb", "kategorien": ["muell", "raumschiff"]})", 7.2, 51.4, 7.3,
                             51.5)}),
       "features[1]", "raumschiff"},
      {Collection({Box(R"({"name": "B", "stelle": "usb", "kategorien": 7})", 7.2, 51.4, 7.3, 51.5)}), "features[0]",
       "kategorien"},
      {Collection({good, Box(R"({"stelle": "usb"})", 7.2, 51.4, 7.3, 51.5)}), "features[1]", "name"},
      // A bow tie crosses itself: no valid polygon.
      {Collection({good, R"({"type": "Feature", "properties": {"name": "X", "stelle": "usb"}, "geometry": {"type":
        "Polygon", "coordinates": [[[7.2, 51.4], [7.3, 51.5], [7.3, 51.4], [7.2, 51.5], [7.2, 51.4]]]}})"}),
       "features[1]", "valid"},
      {Collection({R"({"type": "Feature", "properties": {"name": "P", "stelle": "usb"}, "geometry": {"type": "Point",
        "coordinates": [7.2, 51.4]}})"}),
       "features[0]", "Polygon"},
      {Collection({R"({"type": "Feature", "properties": {"name": "P", "stelle": "usb"}, "geometry": {"type": "Polygon",
        "coordinates": "nein"}})"}),
       "features[0]", "rings"},
      // Positions GEOS 3.11 would read unchecked (an empty one crashed it under the fuzzer).
      {Collection({R"({"type": "Feature", "properties": {"name": "P", "stelle": "usb"}, "geometry": {"type": "Polygon",
        "coordinates": [[[7.2, 51.4], [7.3, 51.4], [7.3, 51.5], []]]}})"}),
       "features[0]", "rings"},
      {Collection({R"({"type": "Feature", "properties": {"name": "P", "stelle": "usb"}, "geometry": {"type": "MultiPolygon",
        "coordinates": [[[[7.2], [7.3, 51.4], [7.3, 51.5], [7.2, 51.4]]]]}})"}),
       "features[0]", "rings"},
      {"kein JSON", "datei", ""},
      {"[]", "datei", ""},
      {"{\"type\": \"FeatureCollection\", \"features\": []}", "datei", ""},
      {std::string("{\"features\": [\xff]}"), "datei", "UTF-8"},
      {std::string(500, '[') + std::string(500, ']'), "datei", ""},
  };
  for (const Case& c : cases) {
    auto parsed = OfficeAreas::Parse(c.text, *services);
    ASSERT_FALSE(parsed.ok()) << c.text.substr(0, 120);
    EXPECT_EQ(parsed.status().field(), c.field) << c.text.substr(0, 120);
    EXPECT_NE(parsed.status().message().find(c.message), std::string::npos) << parsed.status().message();
  }
  std::vector<std::string> many(1001, good);
  EXPECT_EQ(OfficeAreas::Parse(Collection(many), *services).status().field(), "datei");
  many.resize(1000);
  EXPECT_TRUE(OfficeAreas::Parse(Collection(many), *services).ok());
}

// The same check guards every reader of polygons (the alert rules' areas go through Load): what
// GEOS would read unchecked is skipped, not handed over.
TEST(OfficeAreasTest, PolygonsWithBrokenPositionsNeverReachGeos) {
  for (const char* coordinates : {"[[[7.2, 51.4], [7.3, 51.4], [7.3, 51.5], []]]", "[[[7.2], [7.3, 51.4], [7.3, 51.5], [7.2]]]",
                                  "[[[7.2, 51.4], [7.3, 51.4], [7.2, 51.4]]]", "[[]]", "[]", "[[[\"a\", \"b\"]]]"}) {
    const std::string text = Collection({std::string(R"({"type": "Feature", "properties": {"name": "A"}, "geometry": )") +
                                         R"({"type": "Polygon", "coordinates": )" + coordinates + "}}"});
    EXPECT_FALSE(geo::Districts::Load(text).ok()) << coordinates;
    EXPECT_FALSE(geo::Districts::LoadChecked(text).ok()) << coordinates;
  }
}

class OfficeAreaStoreTest : public testing::DatabaseTest {};

TEST_P(OfficeAreaStoreTest, KeepsTheLastUploadAndRemovesIt) {
  auto store = OfficeAreaStore::Open(*db_).value();
  EXPECT_FALSE(store->Load().value());
  ASSERT_TRUE(store->Replace({"{\"a\": 1}", "konto:1 anna", 1000}).ok());
  ASSERT_TRUE(store->Replace({"{\"b\": „2“}", "konto:2 ben", 2000}).ok());
  auto stored = store->Load().value();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->geojson, "{\"b\": „2“}");
  EXPECT_EQ(stored->uploaded_by, "konto:2 ben");
  EXPECT_EQ(stored->uploaded_ms, 2000);
  // What fails inside the write leaves the last upload.
  EXPECT_FALSE(store->Replace({"{\"c\": 3}", "konto:3", 3000}, [](sql::Tx&) { return Internal("audit full"); }).ok());
  EXPECT_EQ(store->Load().value()->geojson, "{\"b\": „2“}");
  ASSERT_TRUE(store->Replace({"", "konto:1 anna", 4000}).ok());
  EXPECT_FALSE(store->Load().value());
}

INSTANTIATE_TEST_SUITE_P(Stores, OfficeAreaStoreTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::echo
