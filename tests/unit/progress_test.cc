#include "core/progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace datenwerk {
namespace {

KpiSettings Target(double value, const char* date, Direction d) {
  KpiSettings s;
  s.target_value = value;
  s.target_date = date;
  s.direction = d;
  return s;
}

TEST(ProgressTest, NoTargetCannotBeAssessed) {
  auto p = ComputeProgress(KpiSettings{}, {{"2020-01-01", 1}, {"2021-01-01", 2}});
  EXPECT_EQ(p.status, ProgressStatus::kNotAssessable);
  EXPECT_EQ(p.reason, "Kein Zielwert festgelegt");
}

TEST(ProgressTest, OneValueCannotBeAssessed) {
  auto p = ComputeProgress(Target(100, "2030-01-01", Direction::kUp), {{"2020-01-01", 10}});
  EXPECT_EQ(p.status, ProgressStatus::kNotAssessable);
}

TEST(ProgressTest, NoValuesCannotBeAssessed) {
  EXPECT_EQ(ComputeProgress(Target(100, "2030-01-01", Direction::kUp), {}).status,
            ProgressStatus::kNotAssessable);
}

TEST(ProgressTest, TwoValuesOnTheSameDateCannotBeAssessed) {
  auto p = ComputeProgress(Target(100, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 10}, {"2020-01-01", 20}});
  EXPECT_EQ(p.status, ProgressStatus::kNotAssessable);
}

TEST(ProgressTest, TargetAlreadyReached) {
  auto p = ComputeProgress(Target(50, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 10}, {"2022-01-01", 60}});
  EXPECT_EQ(p.status, ProgressStatus::kTargetReached);
}

TEST(ProgressTest, OnTrackWhenGrowingFasterThanRequired) {
  // 100 -> 200 over 10 years needs 7.18 %/year; 100 -> 150 in 5 years is 8.4 %/year.
  auto p = ComputeProgress(Target(200, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 100}, {"2025-01-01", 150}});
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
  ASSERT_TRUE(p.ratio);
  EXPECT_GT(*p.ratio, 1.0);
}

TEST(ProgressTest, ThresholdsAt95And60Percent) {
  // Required: 100 -> 200 in 10 years. Observed growth set to a chosen share of that rate.
  const double required = std::pow(2.0, 0.1) - 1;
  auto at = [&](double ratio) {
    double value = 100 * std::pow(1 + ratio * required, 5.0);
    return ComputeProgress(Target(200, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 100}, {"2025-01-01", value}});
  };
  EXPECT_NEAR(*at(0.8).ratio, 0.8, 0.01);
  EXPECT_EQ(at(0.8).status, ProgressStatus::kAccelerationNeeded);
  EXPECT_EQ(at(0.97).status, ProgressStatus::kOnTrack);
  EXPECT_EQ(at(0.93).status, ProgressStatus::kAccelerationNeeded);
  EXPECT_EQ(at(0.62).status, ProgressStatus::kAccelerationNeeded);
  EXPECT_EQ(at(0.58).status, ProgressStatus::kLimitedProgress);
  EXPECT_EQ(at(0.02).status, ProgressStatus::kLimitedProgress);
}

TEST(ProgressTest, FallingIndicatorWithDirectionDownIsProgress) {
  // 100 -> 80 in 5 years (-4.4 %/yr) against 100 -> 50 in 10 years (-6.7 %/yr): R = 0.66.
  auto p = ComputeProgress(Target(50, "2030-01-01", Direction::kDown),
                           {{"2020-01-01", 100}, {"2025-01-01", 80}});
  EXPECT_EQ(p.status, ProgressStatus::kAccelerationNeeded);
  EXPECT_NEAR(*p.ratio, 0.66, 0.02);
}

TEST(ProgressTest, RisingIndicatorWithDirectionDownIsDeterioration) {
  auto p = ComputeProgress(Target(50, "2030-01-01", Direction::kDown),
                           {{"2020-01-01", 100}, {"2025-01-01", 120}});
  EXPECT_EQ(p.status, ProgressStatus::kDeterioration);
  EXPECT_LT(*p.ratio, 0);
}

TEST(ProgressTest, FallingIndicatorWithDirectionUpIsDeterioration) {
  auto p = ComputeProgress(Target(200, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 100}, {"2022-01-01", 90}});
  EXPECT_EQ(p.status, ProgressStatus::kDeterioration);
}

TEST(ProgressTest, DownTargetReachedWhenAtOrBelow) {
  auto p = ComputeProgress(Target(50, "2030-01-01", Direction::kDown),
                           {{"2020-01-01", 100}, {"2024-01-01", 50}});
  EXPECT_EQ(p.status, ProgressStatus::kTargetReached);
}

TEST(ProgressTest, ExplicitBaselineCountsAsTheFirstPoint) {
  KpiSettings s = Target(200, "2030-01-01", Direction::kUp);
  s.baseline_value = 100;
  s.baseline_date = "2020-01-01";
  auto p = ComputeProgress(s, {{"2025-01-01", 150}});
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
}

TEST(ProgressTest, ZeroBaseUsesLinearRates) {
  // 0 -> 40 in 2 years, target 100 in 10 years: 20 per year observed, 10 per year required.
  auto p = ComputeProgress(Target(100, "2030-01-01", Direction::kUp),
                           {{"2020-01-01", 0}, {"2022-01-01", 40}});
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
  EXPECT_NEAR(*p.ratio, 2.0, 0.01);
}

TEST(ProgressTest, NotReportedValuesAreSkipped) {
  KpiValue a, b, c;
  a.date = "2020-01-01";
  a.value = 10;
  b.date = "2021-01-01";  // not reported
  c.date = "2022-01-01";
  c.value = 20;
  auto series = SeriesOf({&a, &b, &c});
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[1].value, 20);
}

TEST(ProgressTest, NoDirectionCannotBeAssessed) {
  auto p = ComputeProgress(Target(200, "2030-01-01", Direction::kUnset),
                           {{"2020-01-01", 100}, {"2022-01-01", 150}});
  EXPECT_EQ(p.status, ProgressStatus::kNotAssessable);
}

}  // namespace
}  // namespace datenwerk
