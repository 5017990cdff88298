// The geocoder client without a network: both answer shapes (Nominatim's list, GeoJSON from
// Photon or Pelias), hostile answers, the URL template, and the bounds (cache, LRU, one request
// at a time, failures not cached). The HTTP black-box test runs it against a local server.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "geocode/geocoder.h"

namespace datenwerk::geocode {
namespace {

TEST(GeocodeTest, ReadsNominatimAndGeoJsonAnswers) {
  // Nominatim (format=json/jsonv2): lat and lon as text, best first.
  auto nominatim = ParseAnswer(R"([
    {"place_id": 100149, "lat": "51.4818445", "lon": "7.2162363", "display_name": "Rathaus, Willy-Brandt-Platz, Bochum"},
    {"place_id": 2, "lat": 51.5, "lon": 7.3, "display_name": "Zwei"},
    {"lat": "nicht", "lon": "7"}, {"lat": "95", "lon": "7"}, 17, null])");
  ASSERT_TRUE(nominatim.ok()) << nominatim.status().message();
  ASSERT_EQ(nominatim->size(), 2u);
  EXPECT_DOUBLE_EQ((*nominatim)[0].lat, 51.4818445);
  EXPECT_DOUBLE_EQ((*nominatim)[0].lon, 7.2162363);
  EXPECT_EQ((*nominatim)[0].label, "Rathaus, Willy-Brandt-Platz, Bochum");
  EXPECT_DOUBLE_EQ((*nominatim)[1].lon, 7.3);
  // GeoJSON: [lon, lat].
  auto photon = ParseAnswer(R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.2162, 51.4818]}, "properties": {"name": "Rathaus"}},
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[7, 51], [7.1, 51], [7, 51.1], [7, 51]]]}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.3]}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.25, 51.47]}, "properties": {"label": "Pelias"}}]})");
  ASSERT_TRUE(photon.ok());
  ASSERT_EQ(photon->size(), 2u);
  EXPECT_DOUBLE_EQ((*photon)[0].lat, 51.4818);
  EXPECT_EQ((*photon)[0].label, "Rathaus");
  EXPECT_EQ((*photon)[1].label, "Pelias");
  EXPECT_TRUE(ParseAnswer("[]")->empty());
  EXPECT_EQ(ParseAnswer(R"([{"lat": "51", "lon": "7"}, {"lat": "51", "lon": "7"}])", 1)->size(), 1u);
}

TEST(GeocodeTest, RefusesWhatIsNoAnswer) {
  for (const char* body : {"", "<html>Fehler</html>", "{\"error\": \"Unable to geocode\"}", "\"text\"", "[1, 2"}) {
    EXPECT_EQ(ParseAnswer(body).status().code(), ErrorCode::kInvalidArgument) << body;
  }
  // Nesting beyond any answer's depth is refused, not recursed into.
  EXPECT_FALSE(ParseAnswer(std::string(100000, '[') + std::string(100000, ']')).ok());
}

TEST(GeocodeTest, TheTemplateIsAnHttpUrlWithTheQuery) {
  EXPECT_TRUE(CheckTemplate("https://nominatim.stadt.de/search?format=jsonv2&q={q}").ok());
  EXPECT_TRUE(CheckTemplate("http://127.0.0.1:2322/api?q={q}&lang=de").ok());
  EXPECT_FALSE(CheckTemplate("https://nominatim.stadt.de/search?format=jsonv2").ok());
  EXPECT_FALSE(CheckTemplate("file:///etc/passwd?{q}").ok());
  EXPECT_FALSE(CheckTemplate("gopher://x/{q}").ok());
  EXPECT_FALSE(CheckTemplate("https://x.de/ {q}").ok());
  EXPECT_FALSE(CheckTemplate("https://x.de/" + std::string(2100, 'a') + "{q}").ok());
}

// Answers from a function instead of the network, counting what it is asked.
class FakeGeocoder : public Geocoder {
 public:
  FakeGeocoder(GeocoderOptions options, std::function<Result<std::string>(const std::string&)> answer)
      : Geocoder(std::move(options)), answer_(std::move(answer)) {}
  std::vector<std::string> urls;
  std::mutex mu;

 protected:
  Result<std::string> Fetch(const std::string& url) override {
    {
      std::lock_guard lock(mu);
      urls.push_back(url);
    }
    return answer_(url);
  }

 private:
  std::function<Result<std::string>(const std::string&)> answer_;
};

GeocoderOptions Options() {
  GeocoderOptions o;
  o.url_template = "http://geo.test/search?format=jsonv2&q={q}";
  return o;
}

TEST(GeocodeTest, CachesAnswersButNotFailures) {
  bool fail = true;
  FakeGeocoder g(Options(), [&](const std::string&) -> Result<std::string> {
    if (fail) return Unavailable("connection refused", "geocoder");
    return std::string(R"([{"lat": "51.48", "lon": "7.21"}])");
  });
  EXPECT_TRUE(g.Search("Kortumstraße 1, Bochum").empty());
  fail = false;
  ASSERT_EQ(g.Search("Kortumstraße 1, Bochum").size(), 1u);
  ASSERT_EQ(g.Search("Kortumstraße 1, Bochum").size(), 1u);
  EXPECT_EQ(g.RequestsSent(), 2) << "the failure was not cached, the answer was";
  ASSERT_EQ(g.urls.size(), 2u);
  EXPECT_EQ(g.urls[1], "http://geo.test/search?format=jsonv2&q=Kortumstra%C3%9Fe%201%2C%20Bochum");
  // At most 200 bytes are sent.
  g.Search(std::string(5000, 'a'));
  EXPECT_EQ(g.urls.back().size(), std::string("http://geo.test/search?format=jsonv2&q=").size() + 200);
}

TEST(GeocodeTest, TheCacheForgetsTheLeastRecentlyUsed) {
  GeocoderOptions o = Options();
  o.cache_entries = 3;
  FakeGeocoder g(o, [](const std::string&) { return Result<std::string>(std::string("[]")); });
  for (const char* q : {"a", "b", "c", "a", "d", "a", "b"}) g.Search(q);
  // a b c sent; a cached; d sent (b goes); a cached; b sent again.
  EXPECT_EQ(g.RequestsSent(), 5);
}

TEST(GeocodeTest, OneRequestAtATimeAndNoLongerThanTheTimeout) {
  GeocoderOptions o = Options();
  o.timeout = std::chrono::milliseconds(200);
  std::atomic<int> in_flight{0}, most{0};
  FakeGeocoder g(o, [&](const std::string&) {
    const int now = ++in_flight;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    --in_flight;
    return Result<std::string>(std::string(R"([{"lat": "51", "lon": "7"}])"));
  });
  std::vector<std::thread> callers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&, i] { answered += !g.Search("Adresse " + std::to_string(i)).empty(); });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(most.load(), 1);
  EXPECT_EQ(answered.load(), 1) << "the others waited 200 ms and got nothing";
}

}  // namespace
}  // namespace datenwerk::geocode
