// $filter on times as FROST-Server evaluates them: comparisons and the temporal functions on
// instants and intervals (its StaDateTimeWrapper and StaTimeIntervalWrapper), durations and
// time arithmetic (StaDurationWrapper). Each expectation is FROST's condition worked by hand.
#include <gtest/gtest.h>

#include "sta/filter.h"

namespace datenwerk::sta {
namespace {

namespace json = boost::json;

// phenomenonTime is the interval [10:00, 12:00), resultTime the instant 12:00.
json::object kObservation = json::parse(R"({
  "id": 7, "result": 21.5,
  "phenomenonTime": "2024-05-01T10:00:00.000Z/2024-05-01T12:00:00.000Z",
  "resultTime": "2024-05-01T12:00:00.000Z",
  "validTime": "2024-01-31T00:00:00.000Z/2024-02-29T00:00:00.000Z"
})").as_object();

Result<std::vector<json::value>> Resolve(const std::vector<std::string>& path) {
  const json::value* v = kObservation.if_contains(path[0]);
  return std::vector<json::value>{v ? *v : json::value(nullptr)};
}

bool Match(const std::string& text) {
  auto f = Filter::Parse(text, *DefinitionBySetName("Observations"));
  EXPECT_TRUE(f.ok()) << text << ": " << f.status().message();
  if (!f.ok()) return false;
  auto m = f->Matches(Resolve, 1714600000000);  // 2024-05-01T21:46:40Z
  EXPECT_TRUE(m.ok()) << text;
  return m.ok() && *m;
}

TEST(FilterTimeTest, AnIntervalComparedWithAnInstant) {
  EXPECT_FALSE(Match("phenomenonTime gt 2024-05-01T10:00:00Z"));  // s1 > t
  EXPECT_TRUE(Match("phenomenonTime gt 2024-05-01T09:59:59Z"));
  EXPECT_TRUE(Match("phenomenonTime ge 2024-05-01T10:00:00Z"));   // s1 >= t
  EXPECT_TRUE(Match("phenomenonTime lt 2024-05-01T12:00:00Z"));   // e1 <= t and s1 < t
  EXPECT_FALSE(Match("phenomenonTime lt 2024-05-01T11:59:59Z"));
  EXPECT_TRUE(Match("phenomenonTime le 2024-05-01T12:00:00Z"));   // e1 <= t
  EXPECT_FALSE(Match("phenomenonTime eq 2024-05-01T10:00:00Z"));  // s1 = t and e1 = t
  EXPECT_TRUE(Match("phenomenonTime ne 2024-05-01T11:00:00Z"));   // s1 != t and e1 != t
  EXPECT_FALSE(Match("phenomenonTime ne 2024-05-01T10:00:00Z"));
  EXPECT_TRUE(Match("before(phenomenonTime, 2024-05-01T12:00:00Z)"));
  EXPECT_FALSE(Match("before(phenomenonTime, 2024-05-01T11:00:00Z)"));
  EXPECT_FALSE(Match("after(phenomenonTime, 2024-05-01T10:00:00Z)"));
  EXPECT_TRUE(Match("after(phenomenonTime, 2024-05-01T09:00:00Z)"));
  EXPECT_TRUE(Match("meets(phenomenonTime, 2024-05-01T12:00:00Z)"));
  EXPECT_TRUE(Match("meets(phenomenonTime, 2024-05-01T10:00:00Z)"));
  EXPECT_FALSE(Match("meets(phenomenonTime, 2024-05-01T11:00:00Z)"));
  EXPECT_TRUE(Match("overlaps(phenomenonTime, 2024-05-01T10:00:00Z)"));
  EXPECT_TRUE(Match("overlaps(phenomenonTime, 2024-05-01T11:00:00Z)"));
  EXPECT_FALSE(Match("overlaps(phenomenonTime, 2024-05-01T12:00:00Z)"));  // the end is outside
  EXPECT_TRUE(Match("starts(phenomenonTime, 2024-05-01T10:00:00Z)"));
  EXPECT_TRUE(Match("finishes(phenomenonTime, 2024-05-01T12:00:00Z)"));
  EXPECT_FALSE(Match("finishes(phenomenonTime, 2024-05-01T10:00:00Z)"));
}

TEST(FilterTimeTest, TwoIntervals) {
  EXPECT_TRUE(Match("during(phenomenonTime, 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z)"));
  EXPECT_TRUE(Match("during(phenomenonTime, 2024-05-01T09:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_FALSE(Match("during(phenomenonTime, 2024-05-01T10:00:00Z/2024-05-01T11:00:00Z)"));
  EXPECT_TRUE(Match("before(phenomenonTime, 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("meets(phenomenonTime, 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("meets(phenomenonTime, 2024-05-01T08:00:00Z/2024-05-01T10:00:00Z)"));
  EXPECT_FALSE(Match("overlaps(phenomenonTime, 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("overlaps(phenomenonTime, 2024-05-01T11:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("overlaps(phenomenonTime, 2024-05-01T10:00:00Z/2024-05-01T10:00:00Z)"));  // s1 = s2
  EXPECT_TRUE(Match("after(phenomenonTime, 2024-05-01T08:00:00Z/2024-05-01T10:00:00Z)"));
  EXPECT_FALSE(Match("after(phenomenonTime, 2024-05-01T08:00:00Z/2024-05-01T10:00:01Z)"));
  EXPECT_TRUE(Match("starts(phenomenonTime, 2024-05-01T10:00:00Z/2024-05-01T18:00:00Z)"));
  EXPECT_TRUE(Match("finishes(phenomenonTime, 2024-05-01T00:00:00Z/2024-05-01T12:00:00Z)"));
  EXPECT_TRUE(Match("phenomenonTime gt 2024-05-01T08:00:00Z/2024-05-01T10:00:00Z"));  // s1 >= e2 and s1 > s2
  EXPECT_TRUE(Match("phenomenonTime ge 2024-05-01T09:00:00Z/2024-05-01T12:00:00Z"));  // s1 >= s2 and e1 >= e2
  EXPECT_FALSE(Match("phenomenonTime ge 2024-05-01T09:00:00Z/2024-05-01T12:00:01Z"));
  EXPECT_TRUE(Match("phenomenonTime le 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z"));
  EXPECT_TRUE(Match("phenomenonTime eq 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z"));
  EXPECT_FALSE(Match("phenomenonTime ne 2024-05-01T10:00:00Z/2024-05-01T13:00:00Z"));  // s1 = s2
}

TEST(FilterTimeTest, AnInstantComparedWithAnInterval) {
  EXPECT_TRUE(Match("resultTime gt 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z"));  // t >= e2 and t > s2
  EXPECT_TRUE(Match("resultTime ge 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z"));
  EXPECT_FALSE(Match("resultTime lt 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z"));  // t < s2
  EXPECT_TRUE(Match("resultTime le 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z"));
  EXPECT_FALSE(Match("during(resultTime, 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z)"));  // e2 > t fails
  EXPECT_TRUE(Match("during(resultTime, 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("meets(resultTime, 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z)"));
  EXPECT_TRUE(Match("overlaps(resultTime, 2024-05-01T11:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_FALSE(Match("overlaps(resultTime, 2024-05-01T10:00:00Z/2024-05-01T12:00:00Z)"));
  EXPECT_TRUE(Match("starts(resultTime, 2024-05-01T12:00:00Z/2024-05-01T13:00:00Z)"));
  EXPECT_TRUE(Match("after(resultTime, phenomenonTime)"));
  EXPECT_TRUE(Match("finishes(resultTime, phenomenonTime)"));
  // "during" needs an interval second: an instant there matches nothing.
  EXPECT_FALSE(Match("during(phenomenonTime, 2024-05-01T10:00:00Z)"));
  EXPECT_FALSE(Match("not during(phenomenonTime, 2024-05-01T10:00:00Z)") &&
               Match("during(phenomenonTime, 2024-05-01T10:00:00Z)"));
}

TEST(FilterTimeTest, DurationsAndTimeArithmetic) {
  EXPECT_TRUE(Match("resultTime sub duration'PT2H' eq 2024-05-01T10:00:00Z"));
  EXPECT_TRUE(Match("resultTime sub duration'PT10m' eq 2024-05-01T11:50:00Z"));  // FROST's own example writes 'm'
  EXPECT_TRUE(Match("resultTime add duration'P1DT0.5S' eq 2024-05-02T12:00:00.500Z"));
  EXPECT_TRUE(Match("duration'P1D' add resultTime eq 2024-05-02T12:00:00Z"));
  EXPECT_TRUE(Match("resultTime add duration'P1M' eq 2024-06-01T12:00:00Z"));
  EXPECT_TRUE(Match("resultTime add duration'-P1Y' eq 2023-05-01T12:00:00Z"));
  EXPECT_TRUE(Match("2024-01-31T00:00:00Z add duration'P1M' eq 2024-02-29T00:00:00Z"));  // clamped
  EXPECT_TRUE(Match("2023-01-31T00:00:00Z add duration'P1M' eq 2023-02-28T00:00:00Z"));
  EXPECT_TRUE(Match("starts(phenomenonTime add duration'P1W', 2024-05-08T10:00:00Z)"));
  EXPECT_TRUE(Match("finishes(phenomenonTime sub duration'PT1H', 2024-05-01T11:00:00Z)"));
  EXPECT_TRUE(Match("resultTime sub phenomenonTime eq duration'PT2H'"));  // from the start
  EXPECT_TRUE(Match("resultTime sub 2024-05-01T11:00:00Z lt duration'PT1H1S'"));
  EXPECT_TRUE(Match("duration'P1D' gt duration'PT23H'"));
  EXPECT_TRUE(Match("duration'P1M' eq duration'P30D'"));  // ordered as PostgreSQL orders intervals
  EXPECT_TRUE(Match("duration'PT1H' mul 2 eq duration'PT2H'"));
  EXPECT_TRUE(Match("duration'P1D' div 4 eq duration'PT6H'"));
  EXPECT_TRUE(Match("duration'P1D' sub duration'PT1H' eq duration'PT23H'"));
  EXPECT_TRUE(Match("resultTime gt now() sub duration'P1D'"));  // now: 21:46:40 that day
  EXPECT_FALSE(Match("resultTime gt now() sub duration'PT9H'"));
  EXPECT_TRUE(Match("during(resultTime, validTime add duration'P3M')"));
  // Nonsense answers null (matches nothing) instead of failing the request.
  EXPECT_FALSE(Match("resultTime mul duration'P1D' eq 1"));
  EXPECT_FALSE(Match("duration'P1D' div 0 eq duration'P1D'"));
  EXPECT_FALSE(Match("maxdatetime() add duration'P1D' gt now()"));
}

TEST(FilterTimeTest, MalformedDurationsAreRefusedWithThePosition) {
  for (const char* text : {"resultTime gt duration'1D'", "resultTime gt duration'P'", "resultTime gt duration'PT1D'",
                           "resultTime gt duration'P1H'", "resultTime gt duration'P1.5M'", "resultTime gt duration'P99999999999Y'",
                           "resultTime gt duration'PTT1H'", "resultTime gt duration'P1DX'"}) {
    auto f = Filter::Parse(text, *DefinitionBySetName("Observations"));
    ASSERT_FALSE(f.ok()) << text;
    EXPECT_EQ(f.status().field(), "$filter") << text;
    EXPECT_NE(f.status().message().find("duration"), std::string::npos) << text;
  }
}

TEST(FilterTimeTest, TheTimeWindowStaysASupersetUnderTheseRules) {
  // An interval's start lies in the window of every comparison that can match it.
  auto f = Filter::Parse("phenomenonTime lt 2024-05-01T12:00:00Z and phenomenonTime ge 2024-05-01T10:00:00Z",
                         *DefinitionBySetName("Observations"));
  ASSERT_TRUE(f.ok());
  auto w = f->WindowOf("phenomenonTime", 0);
  ASSERT_TRUE(w);
  EXPECT_LE(w->from_ms, 1714557600000);  // 10:00, the interval's start
  EXPECT_GT(w->to_ms, 1714557600000);
  EXPECT_TRUE(Match("phenomenonTime lt 2024-05-01T12:00:00Z and phenomenonTime ge 2024-05-01T10:00:00Z"));
  // A computed bound (the last day) narrows the window as a literal would, at the given now.
  auto last_day = Filter::Parse("phenomenonTime ge now() sub duration'P1D' and result gt 0",
                                *DefinitionBySetName("Observations"));
  ASSERT_TRUE(last_day.ok());
  w = last_day->WindowOf("phenomenonTime", 1714600000000);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->from_ms, 1714600000000 - 86400000);
  auto exact = Filter::Parse("now() sub duration'PT1H' lt phenomenonTime", *DefinitionBySetName("Observations"));
  ASSERT_TRUE(exact.ok());
  auto e = exact->ExactWindowOf("phenomenonTime", 1714600000000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->from_ms, 1714600000000 - 3600000 + 1);
}

}  // namespace
}  // namespace datenwerk::sta
