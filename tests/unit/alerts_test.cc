#include <gtest/gtest.h>

#include "alerts/evaluator.h"
#include "alerts/rule.h"

namespace datenwerk::alerts {
namespace {

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute;
using Kind = Transition::Kind;

AlertRule Rule(const char* json) {
  auto rule = ParseRule(boost::json::parse(json));
  EXPECT_TRUE(rule.ok()) << rule.status().field() << ": " << rule.status().message();
  return rule.ok() ? *rule : AlertRule{};
}

struct Seen {
  Kind kind;
  int64_t at;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> Feed(const AlertRule& r, SeriesState& s, const std::vector<std::pair<int64_t, double>>& readings) {
  std::vector<Seen> out;
  for (const auto& [t, v] : readings) {
    for (const auto& x : Observe(r, s, t, v)) out.push_back({x.kind, x.at_ms});
  }
  return out;
}

TEST(AlertRuleTest, ParsesTheKindsAndNamesWhatIsWrong) {
  AlertRule storm = Rule(R"({"name":"Starkregen","kind":"accumulation","threshold":15,"window":"PT1H",
                             "hysteresis":5,"scope":{"observedProperty":4},"severity":"kritisch"})");
  EXPECT_EQ(storm.kind, RuleKind::kAccumulation);
  EXPECT_EQ(storm.window_ms, kHour);
  EXPECT_EQ(*storm.scope.observed_property, 4);
  EXPECT_EQ(boost::json::serialize(RuleJson(storm)),
            R"({"id":0,"name":"Starkregen","kind":"accumulation","scope":{"observedProperty":4},"hysteresis":5E0,"for":"PT0S","severity":"kritisch","threshold":1.5E1,"window":"PT1H"})");
  struct Bad {
    const char* json;
    const char* field;
  };
  for (const Bad& b : std::initializer_list<Bad>{
           {R"([])", "body"},
           {R"({"kind":"above","threshold":1,"scope":{"datastream":1}})", "name"},
           {R"({"name":"x","kind":"sideways","threshold":1,"scope":{"datastream":1}})", "kind"},
           {R"({"name":"x","kind":"above","scope":{"datastream":1}})", "threshold"},
           {R"({"name":"x","kind":"above","threshold":1,"hysteresis":-1,"scope":{"datastream":1}})", "hysteresis"},
           {R"({"name":"x","kind":"above","threshold":1,"for":"soon","scope":{"datastream":1}})", "for"},
           {R"({"name":"x","kind":"accumulation","threshold":1,"scope":{"datastream":1}})", "window"},
           {R"({"name":"x","kind":"no_data","silence":"PT10S","scope":{"datastream":1}})", "silence"},
           {R"({"name":"x","kind":"above","threshold":1,"scope":{"datastream":-3}})", "scope.datastream"},
           {R"({"name":"x","kind":"above","threshold":1,"scope":{"area":{"type":"Point"}}})", "scope.area"},
           {R"({"name":"x","kind":"above","threshold":1,"scope":{}})", "scope"},
           {R"({"name":"x","kind":"above","threshold":1,"scope":{"datastream":1},"colour":"red"})", "colour"},
       }) {
    auto r = ParseRule(boost::json::parse(b.json));
    EXPECT_FALSE(r.ok()) << b.json;
    EXPECT_EQ(r.status().field(), b.field) << b.json;
  }
  EXPECT_EQ(ParseIsoDuration("P1DT2H30M"), 26 * kHour + 30 * kMinute);
  EXPECT_FALSE(ParseIsoDuration("PT"));
  EXPECT_FALSE(ParseIsoDuration("P1H"));
}

TEST(EvaluatorTest, ADroughtIsPendingThenFiringAndTheHysteresisStopsFlapping) {
  // Soil moisture below 20 % for six hours: water. Back above 22 %: resolved.
  AlertRule drought = Rule(R"({"name":"Trockenheit","kind":"below","threshold":20,"hysteresis":2,
                               "for":"PT6H","scope":{"datastream":7}})");
  SeriesState s;
  std::vector<std::pair<int64_t, double>> readings;
  for (int h = 0; h <= 12; ++h) readings.push_back({h * kHour, 26 - h});           // 26 … 14
  for (int h = 13; h <= 20; ++h) readings.push_back({h * kHour, h % 2 ? 20.5 : 19.5});  // hovering
  readings.push_back({21 * kHour, 22.5});                                            // watered
  EXPECT_EQ(Feed(drought, s, readings), (std::vector<Seen>{
      {Kind::kPending, 7 * kHour},   // 19 % at 07:00
      {Kind::kFiring, 13 * kHour},   // six hours later
      {Kind::kResolved, 21 * kHour}}));  // only at 22.5 %: 20.5 is inside the hysteresis
}

TEST(EvaluatorTest, AStormFiresOnTheHoursSumAndResolvesWhenItFalls) {
  AlertRule storm = Rule(R"({"name":"Starkregen","kind":"accumulation","threshold":15,"window":"PT1H",
                             "hysteresis":5,"scope":{"datastream":3}})");
  SeriesState s;
  std::vector<std::pair<int64_t, double>> amounts;
  for (int m = 5; m <= 180; m += 5) {
    const bool cell = m > 60 && m <= 90;  // 30 minutes of 4 mm per 5 minutes: 24 mm
    amounts.push_back({m * kMinute, cell ? 4.0 : 0.1});
  }
  // The sum passes 15 mm at 01:20 (4 x 4 mm and the hour's drizzle). At 02:15 the hour still
  // holds 12.9 mm (inside the hysteresis); at 02:20 9 mm: resolved.
  EXPECT_EQ(Feed(storm, s, amounts), (std::vector<Seen>{{Kind::kFiring, 80 * kMinute}, {Kind::kResolved, 140 * kMinute}}));
}

TEST(EvaluatorTest, NoDataFiresByTimerAndResolvesWithTheNextReading) {
  AlertRule offline = Rule(R"({"name":"Sensor ausgefallen","kind":"no_data","silence":"PT2H","scope":{"datastream":9}})");
  SeriesState s;
  EXPECT_TRUE(Tick(offline, s, 10 * kHour).empty());  // nothing seen yet: nothing to miss
  Observe(offline, s, 0, 1);
  Observe(offline, s, kHour, 1);
  EXPECT_TRUE(Tick(offline, s, 2 * kHour).empty());
  auto fired = Tick(offline, s, 3 * kHour + 5);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, Kind::kFiring);
  EXPECT_EQ(fired[0].at_ms, 3 * kHour);
  EXPECT_TRUE(Tick(offline, s, 5 * kHour).empty());  // once
  auto back = Observe(offline, s, 6 * kHour, 1);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].kind, Kind::kResolved);
}

TEST(EvaluatorTest, LateReadingsNeitherReopenNorClose) {
  AlertRule hot = Rule(R"({"name":"Hitze","kind":"above","threshold":30,"scope":{"datastream":1}})");
  SeriesState s;
  EXPECT_EQ(Feed(hot, s, {{10 * kMinute, 31}, {5 * kMinute, 10}, {20 * kMinute, 29}}),
            (std::vector<Seen>{{Kind::kFiring, 10 * kMinute}, {Kind::kResolved, 20 * kMinute}}));
  EXPECT_EQ(s.late, 1);
  EXPECT_TRUE(Feed(hot, s, {{15 * kMinute, 40}}).empty());
}

TEST(EvaluatorTest, ARateOfChangeOverItsWindow) {
  // A water level rising by more than 10 cm per hour over half an hour.
  AlertRule rising = Rule(R"({"name":"Pegel steigt","kind":"rate_of_change","threshold":10,"window":"PT30M",
                              "scope":{"datastream":2}})");
  SeriesState s;
  EXPECT_EQ(Feed(rising, s, {{0, 50}, {15 * kMinute, 51}, {30 * kMinute, 52}, {45 * kMinute, 60}, {60 * kMinute, 61}, {90 * kMinute, 61}}),
            // 00:45: +8 cm in 15 minutes (32 cm/h). 01:00: +1 cm since 00:45, the oldest reading
            // in the half hour (4 cm/h): resolved.
            (std::vector<Seen>{{Kind::kFiring, 45 * kMinute}, {Kind::kResolved, 60 * kMinute}}));
}

TEST(EvaluatorTest, AStateSavedMidStormAndRestoredGivesTheSameAlerts) {
  AlertRule storm = Rule(R"({"name":"Starkregen","kind":"accumulation","threshold":15,"window":"PT1H",
                             "hysteresis":5,"for":"PT10M","scope":{"datastream":3}})");
  std::vector<std::pair<int64_t, double>> amounts;
  for (int m = 5; m <= 180; m += 5) amounts.push_back({m * kMinute, m > 60 && m <= 90 ? 4.0 : 0.1});
  SeriesState whole;
  const auto expected = Feed(storm, whole, amounts);
  ASSERT_EQ(expected.size(), 3u);  // pending, firing, resolved
  for (size_t cut = 1; cut < amounts.size(); ++cut) {  // a restart after every reading
    SeriesState before;
    auto seen = Feed(storm, before, {amounts.begin(), amounts.begin() + static_cast<ptrdiff_t>(cut)});
    auto restored = StateFromJson(boost::json::parse(boost::json::serialize(StateJson(before))));
    ASSERT_TRUE(restored.ok());
    auto rest = Feed(storm, *restored, {amounts.begin() + static_cast<ptrdiff_t>(cut), amounts.end()});
    seen.insert(seen.end(), rest.begin(), rest.end());
    EXPECT_EQ(seen, expected) << "restart after reading " << cut;
  }
  EXPECT_FALSE(StateFromJson(boost::json::parse(R"({"phase":"burning"})")).ok());
}

}  // namespace
}  // namespace datenwerk::alerts
