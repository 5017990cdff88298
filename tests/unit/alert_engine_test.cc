// The alert engine over a real AlertStore (SQLite and PostgreSQL, the same tests) and a real
// series store: a storm and a drought open and close exactly the expected alerts, with history,
// outbox and hand actions; a crash mid-storm gives the same alerts after the restart.
#include <gtest/gtest.h>

#include <map>

#include "alerts/alert_json.h"
#include "alerts/engine.h"
#include "alerts/webhook_sender.h"
#include "series/appended.h"
#include "test_data.h"

namespace datenwerk::alerts {
namespace {

using testing::FreshPostgresSchema;
using testing::TempDir;

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute;
constexpr int64_t kT0 = 1'780'000'000'000;  // 2026-05-28, a storm in late spring

class FakeDirectory final : public DatastreamDirectory {
 public:
  std::map<int64_t, DatastreamFacts> facts;
  Result<std::optional<DatastreamFacts>> Lookup(int64_t ds) override {
    auto it = facts.find(ds);
    return it == facts.end() ? std::optional<DatastreamFacts>() : std::optional<DatastreamFacts>(it->second);
  }
  Result<std::vector<DatastreamFacts>> All() override {
    std::vector<DatastreamFacts> all;
    for (const auto& [id, f] : facts) all.push_back(f);
    return all;
  }
};

struct Backend {
  const char* name;
};

class AlertEngineTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (std::string(GetParam().name) == "postgresql") {
      DATENWERK_REQUIRE_POSTGRES();
      conninfo_ = FreshPostgresSchema();
      ASSERT_TRUE(conninfo_);
    }
    auto series = series::OpenObservationStore(dir_.File("observations.db"));
    ASSERT_TRUE(series.ok());
    series_ = std::move(series).value();
    directory_.facts[10] = {10, 4, std::pair{7.05, 51.48}};  // a rain gauge, west of the drought area
    directory_.facts[11] = {11, 5, std::pair{7.05, 51.48}};  // a thermometer beside it
    directory_.facts[20] = {20, 7, std::pair{7.25, 51.45}}; // a soil moisture probe
    OpenStore();
  }

  void OpenStore() {
    auto connection = conninfo_ ? sql::OpenPostgres(*conninfo_) : sql::OpenSqlite(dir_.File("alerts.db"), "alerts");
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    auto store = AlertStore::Open(std::move(connection).value());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }

  std::unique_ptr<AlertEngine> NewEngine() {
    auto engine = std::make_unique<AlertEngine>(*store_, directory_, *series_, [this] { return now_; },
                                                EngineOptions{std::chrono::hours(1), std::chrono::hours(1)});
    EXPECT_TRUE(engine->Start().ok());
    return engine;
  }

  int64_t CreateRule(AlertEngine& engine, const char* json) {
    auto rule = engine.CreateRule(boost::json::parse(json), "Testteam");
    EXPECT_TRUE(rule.ok()) << rule.status().message();
    return rule.ok() ? rule->rule.id : 0;
  }

  // Stores a reading and hands it to the engine, as the SensorThings service does after a commit.
  void Ingest(AlertEngine* engine, int64_t ds, int64_t t, double v) {
    ASSERT_TRUE(series_->Append({{ds, {{t, v}}}}).ok());
    now_ = std::max(now_, t);
    if (engine) {
      engine->OnReadings({{ds, t, v}});
      ASSERT_TRUE(engine->Checkpoint().ok());  // the timer thread's recording, at once
    }
  }

  // "state started fired resolved" of every alert, oldest first, times in minutes after kT0.
  std::vector<std::string> Alerts() {
    AlertQuery q;
    q.states = {"pending", "firing", "acknowledged", "resolved", "cancelled"};
    auto all = store_->ListAlerts(q);
    EXPECT_TRUE(all.ok());
    std::vector<std::string> out;
    auto minutes = [](const std::optional<int64_t>& ms) { return ms ? std::to_string((*ms - kT0) / kMinute) : "-"; };
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
      out.push_back(it->rule_name + " ds" + std::to_string(it->datastream) + " " + it->state + " " +
                    minutes(it->started_ms) + " " + minutes(it->fired_ms) + " " + minutes(it->resolved_ms));
    }
    return out;
  }

  static constexpr const char* kStorm =
      R"({"name":"Starkregen","kind":"accumulation","threshold":15,"window":"PT1H","hysteresis":5,
          "scope":{"observedProperty":4},"severity":"kritisch"})";
  static constexpr const char* kDrought =
      R"({"name":"Trockenheit","kind":"below","threshold":20,"for":"PT2H","hysteresis":3,
          "scope":{"area":{"type":"Polygon","coordinates":[[[7.1,51.4],[7.4,51.4],[7.4,51.5],[7.1,51.5],[7.1,51.4]]]}}})";
  // Rain in mm per 5 minutes: the hour's sum passes 15 mm at minute 30 and falls to 10 mm or
  // less at minute 90.
  static constexpr double kRain[] = {0, 0, 1, 2, 4, 6, 5, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  static constexpr double kSoil[] = {30, 28, 25, 22, 19, 18, 17, 18, 21, 24};

  TempDir dir_;
  std::optional<std::string> conninfo_;
  std::unique_ptr<series::ObservationStore> series_;
  std::unique_ptr<AlertStore> store_;
  FakeDirectory directory_;
  int64_t now_ = kT0 - kMinute;
};

TEST_P(AlertEngineTest, StormAndDroughtOpenAndCloseExactlyTheExpectedAlerts) {
  auto engine = NewEngine();
  CreateRule(*engine, kStorm);
  const int64_t drought = CreateRule(*engine, kDrought);
  ASSERT_TRUE(store_->InsertWebhook({0, "http://127.0.0.1:9/", "geheim-geheim-geheim", "Leitstelle"}).ok());
  for (size_t i = 0; i < std::size(kRain); ++i) {
    Ingest(engine.get(), 10, kT0 + static_cast<int64_t>(i) * 5 * kMinute, kRain[i]);
    Ingest(engine.get(), 11, kT0 + static_cast<int64_t>(i) * 5 * kMinute, 40);  // not rain: no rule applies
  }
  for (size_t i = 0; i < std::size(kSoil); ++i) {
    Ingest(engine.get(), 20, kT0 + static_cast<int64_t>(i) * kHour, kSoil[i]);
    if (i == 4) {
      // Pending from hour 4: the series' state, shown with the rule; no alert is recorded yet.
      auto states = engine->StatesOf(drought);
      ASSERT_EQ(states.size(), 1u);
      EXPECT_EQ(states[0].second.phase, Phase::kPending);
      EXPECT_EQ(store_->OpenAlert(drought, 20).value(), std::nullopt);
    }
  }
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"Starkregen ds10 resolved 30 30 90", "Trockenheit ds20 resolved 240 360 540"}));
  // History and notifications: firing and resolved each once per alert.
  auto storm = store_->ListAlerts({{"resolved"}, std::nullopt, 10});
  ASSERT_TRUE(storm.ok() && storm->size() == 1);
  auto events = store_->Events(storm->front().id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "firing");
  EXPECT_DOUBLE_EQ((*events)[0].value, 18);
  EXPECT_EQ((*events)[1].kind, "resolved");
  EXPECT_DOUBLE_EQ(storm->front().peak, 24);
  auto due = store_->Due(now_, 100);
  ASSERT_TRUE(due.ok());
  std::vector<std::string> keys;
  for (const auto& e : *due) keys.push_back(e.idempotency_key);
  const std::string s = std::to_string(storm->front().id);
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0], "alert-" + s + "-firing");
  EXPECT_EQ(keys[1], "alert-" + s + "-resolved");
  // A reading from before the newest one is stored, but not evaluated.
  Ingest(engine.get(), 10, kT0 + 7 * kMinute, 50);
  EXPECT_EQ(Alerts().size(), 2u);
  EXPECT_EQ(engine->Stats().late, 1);
}

TEST_P(AlertEngineTest, NoDataFiresByTimerAndStaffAcknowledgeAndResolve) {
  auto engine = NewEngine();
  CreateRule(*engine, R"({"name":"Sensor still","kind":"no_data","silence":"PT30M","scope":{"datastream":20}})");
  const int64_t above = CreateRule(*engine, R"({"name":"Nass","kind":"above","threshold":50,"scope":{"datastream":20}})");
  Ingest(engine.get(), 20, kT0, 30);
  now_ = kT0 + 29 * kMinute;
  engine->Tick();
  ASSERT_TRUE(engine->Checkpoint().ok());
  EXPECT_TRUE(Alerts().empty());
  now_ = kT0 + 31 * kMinute;
  engine->Tick();
  engine->Tick();
  ASSERT_TRUE(engine->Checkpoint().ok());
  EXPECT_EQ(Alerts(), std::vector<std::string>{"Sensor still ds20 firing 30 30 -"});
  Ingest(engine.get(), 20, kT0 + 40 * kMinute, 60);  // back, and wet
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"Sensor still ds20 resolved 30 30 40", "Nass ds20 firing 40 40 -"}));
  auto open = store_->OpenAlert(above, 20);
  ASSERT_TRUE(open.ok() && *open);
  auto ack = engine->Acknowledge((*open)->id, "Testteam", "Grünflächenamt informiert");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->state, "acknowledged");
  EXPECT_EQ(engine->Acknowledge((*open)->id, "Testteam", "").status().code(), ErrorCode::kConflict);
  auto resolved = engine->Resolve((*open)->id, "Testteam", "Sensor geprüft");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(engine->Resolve((*open)->id, "Testteam", "").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(engine->Resolve(999, "Testteam", "").status().code(), ErrorCode::kNotFound);
  auto events = store_->Events((*open)->id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].who, "Testteam");
  EXPECT_EQ((*events)[1].note, "Grünflächenamt informiert");
  // Still wet after the hand resolve: the rule looks afresh and opens a new alert.
  Ingest(engine.get(), 20, kT0 + 45 * kMinute, 61);
  EXPECT_EQ(Alerts().back(), "Nass ds20 firing 45 45 -");
  // A rule deleted closes its open alerts.
  ASSERT_TRUE(engine->DeleteRule(above, "Testteam").ok());
  EXPECT_EQ(Alerts().back(), "Nass ds20 resolved 45 45 45");
}

TEST_P(AlertEngineTest, ACrashMidStormGivesTheSameAlertsNoneTwiceNoneLost) {
  // The first half of the storm is evaluated; the second half is committed while the engine is
  // gone (the process was killed after the commit and before the evaluation).
  {
    auto engine = NewEngine();
    CreateRule(*engine, kStorm);
    for (size_t i = 0; i < 9; ++i) Ingest(engine.get(), 10, kT0 + static_cast<int64_t>(i) * 5 * kMinute, kRain[i]);
    EXPECT_EQ(Alerts(), std::vector<std::string>{"Starkregen ds10 firing 30 30 -"});
  }
  auto saved = store_->States();
  ASSERT_TRUE(saved.ok() && saved->size() == 1);
  for (size_t i = 9; i < std::size(kRain); ++i) Ingest(nullptr, 10, kT0 + static_cast<int64_t>(i) * 5 * kMinute, kRain[i]);
  // And the state saved is older than the alert's opening: the killed process had recorded the
  // alert but not yet checkpointed later states.
  ASSERT_TRUE(store_->SaveState({1, 10, R"({"phase":"ok","since":0,"last":)" + std::to_string(kT0 + 10 * kMinute) +
                                             R"(,"lastValue":1,"lastCondition":1,"window":[[)" + std::to_string(kT0 + 10 * kMinute) +
                                             R"(,1]],"late":0})"}).ok());
  // The window restarts at minute 10: the storm is evaluated again from there.
  OpenStore();
  auto engine = NewEngine();
  EXPECT_EQ(Alerts(), std::vector<std::string>{"Starkregen ds10 resolved 30 30 90"});
  EXPECT_EQ(engine->Stats().caught_up, 21);
  auto due = store_->Due(now_, 100);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->size(), 0u);  // no webhook configured; and the firing was not recorded twice:
  auto events = store_->Events(store_->ListAlerts({}).value().front().id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 2u);
}

TEST_P(AlertEngineTest, ARunOfReadingsInOneCommitGivesWhatSingleReadingsGive) {
  auto engine = NewEngine();
  CreateRule(*engine, kStorm);
  CreateRule(*engine, kDrought);
  CreateRule(*engine, R"({"name":"Nass","kind":"above","threshold":29,"hysteresis":1,"scope":{"datastream":20}})");
  // All of the storm in one commit, then the soil in one (its hour 1 reading, 28, stays below
  // the "Nass" threshold; hour 0, 30, breaches it: the run is evaluated reading by reading).
  std::vector<Reading> rain, soil;
  for (size_t i = 0; i < std::size(kRain); ++i) rain.push_back({10, kT0 + static_cast<int64_t>(i) * 5 * kMinute, kRain[i]});
  for (size_t i = 0; i < std::size(kSoil); ++i) soil.push_back({20, kT0 + static_cast<int64_t>(i) * kHour, kSoil[i]});
  for (const auto& r : rain) ASSERT_TRUE(series_->Append({{10, {{r.time_ms, r.value}}}}).ok());
  now_ = kT0 + 10 * kHour;
  engine->OnReadings(rain);
  engine->OnReadings(soil);
  ASSERT_TRUE(engine->Checkpoint().ok());
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"Nass ds20 resolved 0 0 60", "Starkregen ds10 resolved 30 30 90",
                                                "Trockenheit ds20 resolved 240 360 540"}));
  // A run that does not breach moves a rule at rest to its last reading.
  engine->OnReadings({{20, kT0 + 11 * kHour, 25}, {20, kT0 + 12 * kHour, 26}});
  for (const auto& [ds, state] : engine->StatesOf(3)) {
    EXPECT_EQ(state.last_ms, kT0 + 12 * kHour);
    EXPECT_EQ(state.last_value, 26);
  }
  EXPECT_EQ(engine->Stats().evaluated, 24 + 10 + 10 + 2 + 2);
}

// Two nodes on one database: A evaluates, B does not. A is paused (its last findings not yet
// recorded) and B takes the job over: B starts from the states A saved and the stored readings
// since; A, fenced out, records nothing. Each alert opens and closes once. Rules changed and
// alerts resolved on the node that does not evaluate reach the one that does.
TEST_P(AlertEngineTest, TwoNodesOneEvaluatesTheOtherTakesOverAndNothingIsRecordedTwice) {
  bool a_holds = true, b_holds = false;
  auto node = [&](bool& holds) {
    EngineOptions options{std::chrono::hours(1), std::chrono::hours(1)};
    options.active = [&holds] { return holds; };
    options.fence = [&holds](sql::Tx&) { return holds ? Status::Ok() : Status(ErrorCode::kConflict, "taken over", "lease"); };
    auto engine = std::make_unique<AlertEngine>(*store_, directory_, *series_, [this] { return now_; }, options);
    EXPECT_TRUE(engine->Start().ok());
    return engine;
  };
  auto a = node(a_holds);
  auto b = node(b_holds);
  EXPECT_TRUE(a->Evaluating());
  EXPECT_FALSE(b->Evaluating());
  // The rule is made on B; A hears of it over the feed.
  const int64_t rule = CreateRule(*b, kStorm);
  ASSERT_TRUE(a->ReloadRules().ok());
  ASSERT_TRUE(a->Rule(rule).has_value());
  // Every node hears every commit's readings; only the evaluating one acts on them.
  auto commit = [&](size_t from, size_t to, bool with_readings = true) {
    std::vector<series::Point> points;
    for (size_t i = from; i < to; ++i) points.push_back({kT0 + static_cast<int64_t>(i) * 5 * kMinute, kRain[i]});
    ASSERT_TRUE(series_->Append({{10, points}}).ok());
    now_ = std::max(now_, points.back().time_ms);
    if (!with_readings) return;
    for (const std::string& detail : series::AppendedDetails({{10, points}})) {
      a->OnAppended(detail);
      b->OnAppended(detail);
    }
  };
  for (size_t i = 0; i < 9; ++i) commit(i, i + 1);
  ASSERT_TRUE(a->Checkpoint().ok());
  ASSERT_TRUE(b->Checkpoint().ok());
  EXPECT_EQ(Alerts(), std::vector<std::string>{"Starkregen ds10 firing 30 30 -"});
  EXPECT_TRUE(b->StatesOf(rule).empty());
  // A evaluates six more readings, then pauses past its lease before recording them.
  commit(9, 15);
  a_holds = false;
  b_holds = true;
  b->Tick();  // B takes over: A's saved states, then the stored readings since
  EXPECT_TRUE(b->Evaluating());
  EXPECT_EQ(b->Stats().caught_up, 6);
  EXPECT_FALSE(a->Checkpoint().ok());  // fenced: A's findings are not recorded
  a->Tick();
  EXPECT_FALSE(a->Evaluating());
  commit(15, 17, false);
  b->OnAppended("s 10");  // a commit too large to carry its readings names the series only
  commit(17, std::size(kRain));
  ASSERT_TRUE(b->Checkpoint().ok());
  EXPECT_EQ(Alerts(), std::vector<std::string>{"Starkregen ds10 resolved 30 30 90"});
  auto events = store_->Events(store_->ListAlerts({}).value().front().id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 2u);  // firing, resolved: once each
  // Announcements that are not ours change nothing.
  for (const char* hostile : {"r 10", "r 10 1 nan", "r -3 1 2", "x 10", "r 10 99999999999999999999 1", "s"}) {
    b->OnAppended(hostile);
  }
  EXPECT_EQ(b->Stats().evaluated, 6 + 2 + 7);
  EXPECT_EQ(b->Stats().late, 0);
  // The rule is changed on A, which does not evaluate: what B found with the old rule is not
  // recorded, and B starts the rule afresh when it hears of the change.
  ASSERT_TRUE(a->UpdateRule(rule, boost::json::parse(kStorm), "Testteam").ok());
  ASSERT_TRUE(b->Checkpoint().ok());
  EXPECT_TRUE(store_->States().value().empty());
  ASSERT_TRUE(b->ReloadRules().ok());
  EXPECT_TRUE(b->StatesOf(rule).empty());
}

TEST(WebhookSignatureTest, IsHmacSha256OverTimestampAndBody) {
  // RFC 4231 test case 2 ("Jefe"): HMAC-SHA256 of "what do ya want for nothing?".
  EXPECT_EQ(SignPayload("Jefe", 0, "what do ya want for nothing?").size(), 64u);
  // Python: hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest()
  // with the "<timestamp>." prefix of the scheme; checked against openssl dgst in the black-box
  // test. Here: the key and every byte of the message matter.
  EXPECT_NE(SignPayload("Jefe", 1, "x"), SignPayload("Jefe", 2, "x"));
  EXPECT_NE(SignPayload("Jefe", 1, "x"), SignPayload("Jeff", 1, "x"));
  EXPECT_EQ(SignPayload("Jefe", 1, "x"), SignPayload("Jefe", 1, "x"));
  EXPECT_EQ(NewWebhookSecret().size(), 64u);
  EXPECT_NE(NewWebhookSecret(), NewWebhookSecret());
  EXPECT_FALSE(CheckWebhookUrl("ftp://x").ok());
  EXPECT_FALSE(CheckWebhookUrl("http://a b").ok());
  EXPECT_TRUE(CheckWebhookUrl("https://leitstelle.bochum.de/hook").ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertEngineTest, ::testing::Values(Backend{"sqlite"}, Backend{"postgresql"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace datenwerk::alerts
