// The SensorThings service over the tiered store: plain numeric Observations become series
// points, everything else documents, and the API cannot tell the difference.
#include "sta/tiered_store.h"
#include "store/sql_connection.h"

#include <gtest/gtest.h>

#include <map>

#include "core/json_text.h"
#include "series/observation_store.h"

#include "sta/service.h"
#include "test_data.h"

namespace datenwerk::sta {
namespace {

namespace json = boost::json;

constexpr char kBase[] = "http://x/sta/v1.1";

class FixedClock final : public Clock {
 public:
  std::string NowUtc() const override { return "2024-06-01T00:00:00Z"; }
};

// Documents and series in one SQLite file or one PostgreSQL database: one suite for both.
class TieredStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      conninfo_ = datenwerk::testing::FreshPostgresSchema();
      ASSERT_TRUE(conninfo_);
    }
    Open();
    auto thing = Post("/Things", R"({"name":"Station","description":"d",
      "Locations":[{"name":"Westpark","description":"d","encodingType":"application/geo+json",
                    "location":{"type":"Point","coordinates":[7.2,51.5]}}],
      "Datastreams":[{"name":"Feuchte","description":"d","unitOfMeasurement":{"name":"%"},
        "observationType":"OM_Measurement",
        "Sensor":{"name":"s","description":"d","encodingType":"text/html","metadata":"m"},
        "ObservedProperty":{"name":"p","definition":"d","description":"d"}}]})");
    ASSERT_TRUE(thing.ok()) << thing.status().message();
  }

  void Open() {
    service_.reset();
    series_.reset();
    auto series = series::OpenObservationStore(conninfo_ ? *conninfo_ : dir_.File("datenwerk.db"));
    ASSERT_TRUE(series.ok()) << series.status().message();
    series_ = std::move(series).value();
    auto tiered = MakeTieredEntityStore(*series_);
    ASSERT_TRUE(tiered.ok()) << tiered.status().message();
    service_ = std::make_unique<SensorThingsService>(std::move(tiered).value(), clock_);
  }

  Result<Created> Post(const std::string& path, const std::string& body) {
    return service_->Create(*ParseResourcePath(path), json::parse(body), kBase);
  }
  // The @iot.id of a new Observation of Datastream 1.
  int64_t PostObservation(const std::string& body) {
    auto created = Post("/Datastreams(1)/Observations", body);
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? created->entity.at("@iot.id").to_number<int64_t>() : 0;
  }
  json::value Get(const std::string& path, std::map<std::string, std::string> query = {}) {
    auto read = service_->Read(*ParseResourcePath(path), query, kBase);
    EXPECT_TRUE(read.ok()) << path << ": " << read.status().message();
    return read.ok() ? read->json : json::value();
  }
  Status GetStatus(const std::string& path) {
    return service_->Read(*ParseResourcePath(path), {}, kBase).status();
  }

  datenwerk::testing::TempDir dir_;
  std::optional<std::string> conninfo_;
  FixedClock clock_;
  std::unique_ptr<series::ObservationStore> series_;
  std::unique_ptr<SensorThingsService> service_;
};

TEST_P(TieredStoreTest, PlainObservationsAreSeriesPointsWithStableIds) {
  const int64_t id = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":23.5})");
  EXPECT_EQ(id, SeriesObservationId(1, 1714557600000));
  EXPECT_LT(id, int64_t{1} << 53);
  ASSERT_TRUE(series_->Latest(1));
  EXPECT_EQ(series_->Latest(1)->value, 23.5);
  json::value o = Get("/Observations(" + std::to_string(id) + ")");
  EXPECT_EQ(o.at("result"), json::value(23.5));
  EXPECT_EQ(o.at("phenomenonTime"), json::value("2024-05-01T10:00:00.000Z"));
  EXPECT_TRUE(o.at("resultTime").is_null());
  EXPECT_EQ(Get("/Observations(" + std::to_string(id) + ")/Datastream").at("@iot.id"),
            json::value(1));
  EXPECT_EQ(Get("/Observations(" + std::to_string(id) + ")/FeatureOfInterest").at("name"),
            json::value("Westpark"));
  EXPECT_TRUE(GetStatus("/Datastreams(1)/Observations(" + std::to_string(id) + ")").ok());
  EXPECT_EQ(Get("/Datastreams(1)").at("phenomenonTime"),
            json::value("2024-05-01T10:00:00.000Z/2024-05-01T10:00:00.000Z"));
}

// A write is applied in one transaction: a statement failing at any step of a deep insert with
// Observations (the entity, its links, the series chunk, the latest value, injected
// by a trigger on each table in turn) leaves every table exactly as it was, and the next write
// on the same connection is whole. Only sta_sequence may move on: ids reserved for a write that
// failed are not handed out again, as with a database sequence.
TEST_P(TieredStoreTest, AStatementFailingAtAnyStepLeavesEveryTableAsItWas) {
  sql::Connection& db = series_->database();
  const bool sqlite = std::string(db.Dialect()) == "sqlite";
  auto dump = [&] {
    std::map<std::string, std::vector<std::string>> out;
    for (const char* table : {"sta_entity", "sta_link", "chunk", "chunk_open", "latest"}) {
      auto rows = sql::ReadQuery(db, std::string("SELECT * FROM ") + table + " ORDER BY 1, 2").value();
      for (const sql::Row& r : rows) {
        std::string line;
        for (size_t c = 0; c < r.size(); ++c) line += (r.IsNull(c) ? "NULL" : r.Text(c)) + "|";
        out[table].push_back(line);
      }
    }
    return out;
  };
  const std::string body = R"({"name":"Pegel","description":"d",
      "Locations":[{"name":"Ölbach","description":"d","encodingType":"application/geo+json",
                    "location":{"type":"Point","coordinates":[7.25,51.45]}}],
      "Datastreams":[{"name":"Wasserstand","description":"d","unitOfMeasurement":{"name":"cm"},
        "observationType":"OM_Measurement",
        "Sensor":{"name":"s","description":"d","encodingType":"text/html","metadata":"m"},
        "ObservedProperty":{"name":"p","definition":"d","description":"d"},
        "Observations":[{"phenomenonTime":"2024-05-01T10:00:00Z","result":1},
                        {"phenomenonTime":"2024-05-01T10:01:00Z","result":2.5},
                        {"phenomenonTime":"2024-05-01T10:02:00Z","result":"Text"}]}]})";
  const auto before = dump();
  for (const char* table : {"sta_entity", "sta_link", "sta_sequence", "chunk_open", "latest"}) {
    SCOPED_TRACE(table);
    ASSERT_TRUE(db.Write([&](sql::Tx& tx) {
                    return tx.Exec(sqlite ? std::string("CREATE TRIGGER injected BEFORE INSERT ON ") + table +
                                                " BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                                          : std::string("CREATE OR REPLACE FUNCTION injected() RETURNS trigger LANGUAGE "
                                                        "plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
                                                        "CREATE TRIGGER injected BEFORE INSERT ON ") +
                                                table + " FOR EACH ROW EXECUTE FUNCTION injected()");
                  }).ok());
    EXPECT_FALSE(Post("/Things", body).ok());
    EXPECT_EQ(dump(), before);
    ASSERT_TRUE(db.Write([&](sql::Tx& tx) {
                    return tx.Exec(sqlite ? std::string("DROP TRIGGER injected") : std::string("DROP TRIGGER injected ON ") + table);
                  }).ok());
  }
  auto made = Post("/Things", body);
  ASSERT_TRUE(made.ok()) << made.status().message();
  const int64_t ds = Get("/Things(" + std::to_string(made->entity.at("@iot.id").to_number<int64_t>()) + ")/Datastreams")
                         .at("value").at(0).at("@iot.id").to_number<int64_t>();
  json::value list = Get("/Datastreams(" + std::to_string(ds) + ")/Observations", {{"$count", "true"}});
  EXPECT_EQ(list.at("@iot.count"), json::value(3));
  EXPECT_EQ(series_->Count(ds).value(), 2);  // the numbers as series points, the text as a document
  EXPECT_EQ(series_->Latest(ds)->value, 2.5);
}

TEST_P(TieredStoreTest, TheSameObservationTwiceIsStoredOnce) {
  const std::string body = R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})";
  const int64_t first = PostObservation(body);
  const int64_t again = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":2})");
  EXPECT_EQ(first, again);
  json::value list = Get("/Datastreams(1)/Observations", {{"$count", "true"}});
  EXPECT_EQ(list.at("@iot.count"), json::value(1));
  EXPECT_EQ(list.at("value").at(0).at("result"), json::value(1));  // the first one wins
}

TEST_P(TieredStoreTest, OtherObservationsAreDocumentsAndListsMergeBothTiers) {
  const int64_t a = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})");
  // Same second, other milliseconds; text; parameters; an interval: documents.
  const int64_t b = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00.250Z","result":2})");
  const int64_t c = PostObservation(R"({"phenomenonTime":"2024-05-01T09:00:00Z","result":"hoch"})");
  const int64_t d = PostObservation(
      R"({"phenomenonTime":"2024-05-01T11:00:00Z","result":4,"parameters":{"battery":3.1}})");
  const int64_t e = PostObservation(R"({"phenomenonTime":"2024-05-01T12:00:00Z","result":5})");
  EXPECT_GE(a, int64_t{1} << 33);
  EXPECT_GE(e, int64_t{1} << 33);
  for (int64_t doc : {b, c, d}) EXPECT_LT(doc, 100);
  EXPECT_EQ(*series_->Count(1), 2);

  json::value list = Get("/Datastreams(1)/Observations",
                         {{"$orderby", "phenomenonTime desc"}, {"$count", "true"}, {"$top", "3"}});
  EXPECT_EQ(list.at("@iot.count"), json::value(5));
  const json::array& v = list.at("value").as_array();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].at("@iot.id").to_number<int64_t>(), e);
  EXPECT_EQ(v[1].at("@iot.id").to_number<int64_t>(), d);
  EXPECT_EQ(v[2].at("@iot.id").to_number<int64_t>(), b);
  EXPECT_TRUE(list.as_object().contains("@iot.nextLink"));
  json::value rest = Get("/Datastreams(1)/Observations",
                         {{"$orderby", "phenomenonTime desc"}, {"$skip", "3"}});
  ASSERT_EQ(rest.at("value").as_array().size(), 2u);
  EXPECT_EQ(rest.at("value").at(0).at("@iot.id").to_number<int64_t>(), a);
  EXPECT_EQ(rest.at("value").at(1).at("@iot.id").to_number<int64_t>(), c);
  // $filter sees both tiers.
  json::value filtered = Get("/Observations", {{"$filter", "result ge 2"}});
  EXPECT_EQ(filtered.at("value").as_array().size(), 3u);
  json::value by_result = Get("/Datastreams(1)/Observations", {{"$orderby", "result"}});
  EXPECT_EQ(by_result.at("value").at(0).at("result"), json::value(1));
}

TEST_P(TieredStoreTest, PatchKeepsTheIdAndCorrectsTheRollups) {
  const int64_t id = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})");
  const std::string path = "/Observations(" + std::to_string(id) + ")";
  auto patched = service_->Update(*ParseResourcePath(path), json::parse(R"({"result":7})"), kBase);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  EXPECT_EQ(patched->at("result"), json::value(7));
  EXPECT_EQ(series_->Latest(1)->value, 7);
  auto hours = series_->Aggregate(1, 0, INT64_MAX / 2, {series::BucketSpec::Unit::kHour, 1});
  ASSERT_EQ(hours->size(), 1u);
  EXPECT_EQ(hours->front().values.count, 1);
  EXPECT_EQ(hours->front().values.sum, 7);

  // A new time makes it a document under the same id; it survives reopening.
  patched = service_->Update(*ParseResourcePath(path),
                             json::parse(R"({"phenomenonTime":"2024-05-02T00:00:00Z"})"), kBase);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  EXPECT_EQ(*series_->Count(1), 0);
  Open();
  json::value o = Get(path);
  EXPECT_EQ(o.at("phenomenonTime"), json::value("2024-05-02T00:00:00.000Z"));
  EXPECT_EQ(o.at("result"), json::value(7));
  EXPECT_EQ(Get(path + "/Datastream").at("@iot.id"), json::value(1));
  // Its old slot is free for a new series point, which gets a fresh document id instead.
  const int64_t again = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":3})");
  EXPECT_NE(again, id);
  EXPECT_EQ(Get("/Datastreams(1)/Observations", {{"$count", "true"}}).at("@iot.count"),
            json::value(2));
}

TEST_P(TieredStoreTest, DeletesReachSeriesPointsAndCascade) {
  const int64_t a = PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})");
  PostObservation(R"({"phenomenonTime":"2024-05-01T10:01:00Z","result":2})");
  ASSERT_TRUE(service_->Delete(*ParseResourcePath("/Observations(" + std::to_string(a) + ")")).ok());
  EXPECT_EQ(GetStatus("/Observations(" + std::to_string(a) + ")").code(), ErrorCode::kNotFound);
  EXPECT_EQ(*series_->Count(1), 1);
  ASSERT_TRUE(service_->Delete(*ParseResourcePath("/Datastreams(1)")).ok());
  EXPECT_EQ(*series_->Count(1), 0);
  EXPECT_FALSE(series_->Latest(1));
  EXPECT_TRUE(Get("/Observations").at("value").as_array().empty());
}

TEST_P(TieredStoreTest, BulkDeleteRemovesARangeFromBothTiers) {
  for (int m = 0; m < 10; ++m) {
    PostObservation(R"({"phenomenonTime":"2024-05-01T10:0)" + std::to_string(m) +
                    R"(:00Z","result":1})");
  }
  PostObservation(R"({"phenomenonTime":"2024-05-01T10:05:00Z","result":"text"})");
  const int64_t from = *ParseRfc3339Ms("2024-05-01T10:03:00Z");
  const int64_t to = *ParseRfc3339Ms("2024-05-01T10:07:00Z");
  auto removed = service_->DeleteObservations(1, from, to);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 5);  // four points and the text Observation
  EXPECT_EQ(*series_->Count(1), 6);
  EXPECT_EQ(Get("/Datastreams(1)/Observations", {{"$count", "true"}}).at("@iot.count"),
            json::value(6));
  EXPECT_EQ(service_->DeleteObservations(99, from, to).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->DeleteObservations(1, to, from).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_P(TieredStoreTest, AFailedWriteLeavesNoSeriesPoints) {
  // The second row is invalid: the group is all or nothing.
  auto group = service_->CreateObservationGroup(
      {json::parse(R"({"Datastream":{"@iot.id":1},"phenomenonTime":"2024-05-01T10:00:00Z","result":1})").as_object(),
       json::parse(R"({"Datastream":{"@iot.id":99},"result":2})").as_object()},
      kBase);
  EXPECT_EQ(group.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*series_->Count(1), 0);
  EXPECT_TRUE(Get("/Datastreams(1)").at("phenomenonTime").is_null());
}

// A change set (a $batch atomicity group, an import) is a value built with reads only: one that
// is dropped stores nothing, and one whose commit fails because an entity it names went away
// meanwhile stores nothing either.
TEST_P(TieredStoreTest, AChangeSetIsStoredWholeOrNotAtAll) {
  const json::value half = json::parse(R"({"name":"half","description":"d"})");
  {
    ChangeSet dropped = service_->BeginChanges();
    ASSERT_TRUE(service_->Create(*ParseResourcePath("/Things"), half, kBase, true, &dropped).ok());
  }
  EXPECT_EQ(Get("/Things").at("value").as_array().size(), 1u);
  ChangeSet changes = service_->BeginChanges();
  auto thing = service_->Create(*ParseResourcePath("/Things"), half, kBase, true, &changes);
  ASSERT_TRUE(thing.ok()) << thing.status().message();
  auto observation = service_->Create(*ParseResourcePath("/Datastreams(1)/Observations"),
                                      json::parse(R"({"result":1})"), kBase, true, &changes);
  ASSERT_TRUE(observation.ok()) << observation.status().message();
  EXPECT_EQ(Get("/Things").at("value").as_array().size(), 1u);  // staged, not stored
  ASSERT_TRUE(service_->Delete(*ParseResourcePath("/Datastreams(1)")).ok());
  EXPECT_EQ(service_->Commit(changes, kBase).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Get("/Things").at("value").as_array().size(), 1u);  // "half" was not stored
  EXPECT_EQ(Get("/Observations").at("value").as_array().size(), 0u);
  // An invalid deep insert on the same thread stores nothing: not its Thing, not its Location.
  auto invalid = Post("/Things", R"({"name":"t","description":"d",
      "Locations":[{"name":"l","description":"d","encodingType":"application/geo+json",
                    "location":{"type":"Point","coordinates":[7.2,51.5]}}],
      "Datastreams":[{"name":"x"}]})");
  EXPECT_EQ(invalid.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Get("/Things").at("value").as_array().size(), 1u);
  EXPECT_EQ(Get("/Locations").at("value").as_array().size(), 1u);  // the one from SetUp
}

// Writes are built beside each other with reads of the committed state; the first to be applied
// makes the FeatureOfInterest of a Location, and the others take it (kInsertUnlessLinked).
TEST_P(TieredStoreTest, WritesBuiltAtOnceMakeOneDefaultFeature) {
  ChangeSet a = service_->BeginChanges();
  ChangeSet b = service_->BeginChanges();
  const auto path = *ParseResourcePath("/Datastreams(1)/Observations");
  ASSERT_TRUE(service_->Create(path, json::parse(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})"),
                               kBase, false, &a).ok());
  ASSERT_TRUE(service_->Create(path, json::parse(R"({"phenomenonTime":"2024-05-01T10:01:00Z","result":2})"),
                               kBase, false, &b).ok());
  ASSERT_TRUE(service_->Commit(a, kBase).ok());
  ASSERT_TRUE(service_->Commit(b, kBase).ok());
  EXPECT_EQ(Get("/FeaturesOfInterest", {{"$count", "true"}}).at("@iot.count"), json::value(1));
  json::value list = Get("/Datastreams(1)/Observations", {{"$expand", "FeatureOfInterest"}});
  ASSERT_EQ(list.at("value").as_array().size(), 2u);
  for (const json::value& o : list.at("value").as_array()) {
    EXPECT_EQ(o.at("FeatureOfInterest").at("name"), json::value("Westpark"));
  }
  EXPECT_EQ(Get("/Datastreams(1)").at("phenomenonTime"),
            json::value("2024-05-01T10:00:00.000Z/2024-05-01T10:01:00.000Z"));
}

// The ingest path remembers each Datastream's default FeatureOfInterest to build writes without
// reads; a Thing that moves must not keep getting the old one.
TEST_P(TieredStoreTest, AThingThatMovedGivesNewObservationsTheNewFeature) {
  PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":1})");
  auto location = Post("/Locations", R"({"name":"Ostpark","description":"d","encodingType":"application/geo+json",
      "location":{"type":"Point","coordinates":[7.3,51.48]}})");
  ASSERT_TRUE(location.ok()) << location.status().message();
  const int64_t id = location->entity.at("@iot.id").to_number<int64_t>();
  ASSERT_TRUE(service_->Update(*ParseResourcePath("/Things(1)"),
                               json::parse(R"({"Locations":[{"@iot.id":)" + std::to_string(id) + "}]}"), kBase)
                  .ok());
  const int64_t moved = PostObservation(R"({"phenomenonTime":"2024-05-01T10:01:00Z","result":2})");
  EXPECT_EQ(Get("/Observations(" + std::to_string(moved) + ")/FeatureOfInterest").at("name"), json::value("Ostpark"));
}

TEST_P(TieredStoreTest, IdsBeyondSixtyThreeBitsAreInvalidNotInternal) {
  for (const char* body :
       {R"({"name":"t","description":"d","Datastreams":[{"@iot.id":18446744073709551615}]})",
        R"({"name":"t","description":"d","Locations":[{"@iot.id":9223372036854775808}]})"}) {
    auto made = Post("/Things", body);
    EXPECT_EQ(made.status().code(), ErrorCode::kInvalidArgument) << body;
    EXPECT_NE(made.status().field().find("@iot.id"), std::string::npos) << made.status().field();
  }
  auto group = service_->CreateObservationGroup(
      {json::parse(R"({"Datastream":{"@iot.id":18446744073709551615},"result":1})").as_object()},
      kBase);
  EXPECT_EQ(group.status().code(), ErrorCode::kInvalidArgument);
}

TEST_P(TieredStoreTest, TimeWindowsInALongSeriesAreReadNotRefused) {
  // 300,000 one-minute readings (over 200,000, where a $filter used to answer 501).
  constexpr int64_t kStart = 1672531200000;  // 2023-01-01T00:00:00Z
  constexpr int kPoints = 300'000;
  std::vector<series::Point> points;
  for (int i = 0; i < kPoints; ++i) points.push_back({kStart + i * 60'000LL, i * 0.5});
  ASSERT_TRUE(series_->Append({series::SeriesBatch{1, points}}).ok());
  // One Observation kept as a document inside the window, one outside.
  ASSERT_TRUE(Post("/Datastreams(1)/Observations",
                   R"({"phenomenonTime":"2023-06-01T00:30:30Z","result":-1,"resultQuality":"x"})").ok());
  ASSERT_TRUE(Post("/Datastreams(1)/Observations",
                   R"({"phenomenonTime":"2023-06-02T00:30:30Z","result":-2,"resultQuality":"x"})").ok());
  const std::string window =
      "phenomenonTime ge 2023-06-01T00:00:00Z and phenomenonTime lt 2023-06-01T01:00:00Z";
  json::value page = Get("/Datastreams(1)/Observations",
                         {{"$filter", window}, {"$count", "true"}, {"$orderby", "phenomenonTime"},
                          {"$top", "100"}});
  EXPECT_EQ(page.at("@iot.count"), json::value(61));
  ASSERT_EQ(page.at("value").as_array().size(), 61u);
  // 2023-06-01T00:00Z is minute 217,440 since the start.
  auto result = [](const json::value& v) { return v.at("result").to_number<double>(); };
  EXPECT_EQ(result(page.at("value").at(0)), 217440 * 0.5);
  EXPECT_EQ(result(page.at("value").at(31)), -1);  // the document, in order
  // Newest first with $top, a window open at one end; the same across all Datastreams.
  json::value newest = Get("/Datastreams(1)/Observations",
                           {{"$filter", "phenomenonTime ge 2023-07-28T00:00:00Z"},
                            {"$orderby", "phenomenonTime desc"}, {"$top", "5"}});
  ASSERT_EQ(newest.at("value").as_array().size(), 5u);
  EXPECT_EQ(result(newest.at("value").at(0)), (kPoints - 1) * 0.5);
  json::value all = Get("/Observations", {{"$filter", window}, {"$count", "true"}});
  EXPECT_EQ(all.at("@iot.count"), json::value(61));
  // Other predicates are evaluated on what the window returns; inside $expand as well.
  json::value mixed = Get("/Datastreams(1)/Observations",
                          {{"$filter", window + " and result lt 0"}});
  ASSERT_EQ(mixed.at("value").as_array().size(), 1u);
  json::value expanded = Get("/Datastreams(1)", {{"$expand", "Observations($filter=" + window + ";$top=100)"}});
  EXPECT_EQ(expanded.at("Observations").as_array().size(), 61u);
  // The literal on the left, and eq, narrow the same way.
  json::value one = Get("/Datastreams(1)/Observations",
                        {{"$filter", "2023-06-01T00:05:00Z eq phenomenonTime"}});
  ASSERT_EQ(one.at("value").as_array().size(), 1u);
  EXPECT_EQ(result(one.at("value").at(0)), 217445 * 0.5);
  // Filters the store cannot answer stream through the set instead of refusing it: early exit
  // at $top, and $count over all 300,002 Observations.
  json::value high = Get("/Datastreams(1)/Observations",
                         {{"$filter", "result gt 149990"}, {"$top", "3"}});
  ASSERT_EQ(high.at("value").as_array().size(), 3u);
  EXPECT_EQ(result(high.at("value").at(0)), 299981 * 0.5);  // ids ascend with time
  EXPECT_TRUE(high.as_object().contains("@iot.nextLink"));
  json::value counted = Get("/Datastreams(1)/Observations",
                            {{"$filter", "result ge 0"}, {"$count", "true"}, {"$top", "2"},
                             {"$skip", "250000"}, {"$orderby", "phenomenonTime desc"}});
  EXPECT_EQ(counted.at("@iot.count"), json::value(300000));
  ASSERT_EQ(counted.at("value").as_array().size(), 2u);
  EXPECT_EQ(result(counted.at("value").at(0)), (kPoints - 1 - 250000) * 0.5);
  // A plain page deep into the series, without a filter.
  json::value deep = Get("/Datastreams(1)/Observations", {{"$skip", "299998"}, {"$top", "5"},
                                                          {"$orderby", "phenomenonTime"}});
  EXPECT_EQ(deep.at("value").as_array().size(), 4u);  // 2 points and the 2 documents after them
}

TEST_P(TieredStoreTest, ListsOrderNullThenNumbersThenText) {
  for (const char* rank : {R"({"rank":10})", R"({"rank":"b"})", R"({})", R"({"rank":2})"}) {
    auto made = Post("/Things", std::string(R"({"name":"n","description":"d","properties":)") +
                                    rank + "}");
    ASSERT_TRUE(made.ok()) << made.status().message();
  }
  auto ids = [&](const char* order) {
    std::vector<int64_t> out;
    const json::value list = Get("/Things", {{"$orderby", order}});
    for (const auto& v : list.at("value").as_array()) {
      out.push_back(v.at("@iot.id").to_number<int64_t>());
    }
    return out;
  };
  // Thing 1 (from SetUp) and Thing 4 have no rank; then 2, 10, "b".
  EXPECT_EQ(ids("properties/rank"), (std::vector<int64_t>{1, 4, 5, 2, 3}));
  EXPECT_EQ(ids("properties/rank desc"), (std::vector<int64_t>{3, 2, 5, 1, 4}));
}

TEST_P(TieredStoreTest, CreateObservationsStoresGoodRowsInOneGo) {
  auto answer = service_->CreateObservations(json::parse(R"([{"Datastream":{"@iot.id":1},
    "components":["phenomenonTime","result"],
    "dataArray":[["2024-05-01T10:00:00Z",1],["nonsense",2],["2024-05-01T10:02:00Z",3],
                 ["2024-05-01T10:00:00Z",9]]}])"),
                                             kBase);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  ASSERT_EQ(answer->size(), 4u);
  EXPECT_EQ((*answer)[1], json::value("error"));
  EXPECT_EQ((*answer)[3], (*answer)[0]);  // the same Observation again
  EXPECT_EQ(*series_->Count(1), 2);
  EXPECT_EQ(Get("/Datastreams(1)").at("phenomenonTime"),
            json::value("2024-05-01T10:00:00.000Z/2024-05-01T10:02:00.000Z"));
}

// A batch looks an entity it requires up once (the FeatureOfInterest a Thing's Datastreams
// share), but not past a removal: a requirement after it is checked again.
TEST_P(TieredStoreTest, ARequirementAfterARemovalInTheSameBatchIsCheckedAgain) {
  service_.reset();
  auto store = MakeTieredEntityStore(*series_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  WriteBatch twice;
  twice.Require(EntityType::kDatastream, 1, "first");
  twice.Require(EntityType::kDatastream, 1, "second");
  EXPECT_TRUE((*store)->Apply(twice).ok());
  WriteBatch removed;
  removed.Require(EntityType::kDatastream, 1, "before");
  removed.Remove(EntityType::kDatastream, 1);
  removed.Require(EntityType::kDatastream, 1, "after");
  auto applied = (*store)->Apply(removed);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().field(), "after");
  auto still = (*store)->Get(EntityType::kDatastream, 1);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());  // nothing of the failed batch was kept
}

// Lists written straight to text (the HTTP path) say, byte for byte, what the document says.
TEST_P(TieredStoreTest, ListsAsTextAreTheirDocumentsToTheByte) {
  PostObservation(R"({"phenomenonTime":"2024-05-01T10:00:00Z","result":23.5})");
  PostObservation(R"({"phenomenonTime":"2024-05-01T11:00:00Z","result":-0.125})");
  PostObservation(R"({"phenomenonTime":"2024-05-01T12:00:00Z","result":"hoch \"x\"\n",
                      "parameters":{"ä":[1,2.5,null,true]},"resultQuality":"ok"})");
  ASSERT_TRUE(Post("/Things", R"({"name":"Zweite \u0001","description":"d","properties":{"k":1e300}})").ok());
  using Query = std::map<std::string, std::string>;
  const std::vector<std::pair<std::string, Query>> reads = {
      {"/Observations", {}},
      {"/Observations", {{"$top", "2"}, {"$count", "true"}}},
      {"/Observations", {{"$select", "result,id"}, {"$orderby", "phenomenonTime desc"}}},
      {"/Observations", {{"$select", "Datastream,phenomenonTime"}}},
      {"/Observations", {{"$expand", "Datastream($select=name)"}, {"$top", "1"}, {"$skip", "1"}}},
      {"/Observations", {{"$filter", "result gt 0"}}},
      {"/Datastreams(1)/Observations", {{"$top", "1"}}},
      {"/Datastreams(1)/Observations/$ref", {{"$top", "2"}}},
      {"/Things", {{"$expand", "Datastreams($count=true;$expand=Observations($top=1))"}}},
      {"/Things", {{"$select", "nope_is_refused_elsewhere"}}},
      {"/Locations", {}},
      {"/Sensors", {{"$count", "true"}, {"$top", "0"}}},
      {"/Things(1)/Datastreams", {{"$select", "name,unitOfMeasurement,Thing"}}},
  };
  for (const auto& [path, query] : reads) {
    auto document = service_->Read(*ParseResourcePath(path), query, kBase);
    auto text = service_->ReadText(*ParseResourcePath(path), query, kBase);
    ASSERT_EQ(document.ok(), text.ok()) << path;
    if (!document.ok()) continue;
    ASSERT_EQ(text->kind, ReadResult::Kind::kJsonText) << path;
    EXPECT_EQ(text->raw, ToJsonText(document->json)) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Documents, TieredStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace datenwerk::sta

