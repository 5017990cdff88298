#include "core/kpi_value.h"

#include <gtest/gtest.h>

#include <limits>

namespace datenwerk {
namespace {

KpiValue Valid() {
  KpiValue v;
  v.kpi_id = "K";
  v.date = "2024-12-31";
  v.value = 3;
  return v;
}

TEST(KpiValueTest, ParsesOnlyFiniteNumbers) {
  EXPECT_EQ(ParseNumber("23"), 23);
  EXPECT_EQ(ParseNumber("-0.5"), -0.5);
  EXPECT_EQ(ParseNumber("1e6"), 1e6);
  EXPECT_FALSE(ParseNumber(""));
  EXPECT_FALSE(ParseNumber("nan"));
  EXPECT_FALSE(ParseNumber("inf"));
  EXPECT_FALSE(ParseNumber("12abc"));
  EXPECT_FALSE(ParseNumber("1e999"));
}

TEST(KpiValueTest, AcceptsAValidValueAndANotReportedOne) {
  EXPECT_TRUE(ValidateKpiValue(Valid()).ok());
  KpiValue v = Valid();
  v.value.reset();
  EXPECT_TRUE(ValidateKpiValue(v).ok());
}

TEST(KpiValueTest, RejectsBadDateInfiniteValueAndLongText) {
  KpiValue v = Valid();
  v.date = "31.12.2024";
  EXPECT_EQ(ValidateKpiValue(v).field(), "date");
  v = Valid();
  v.value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ValidateKpiValue(v).field(), "value");
  v = Valid();
  v.note = std::string(kMaxTextLength + 1, 'x');
  EXPECT_EQ(ValidateKpiValue(v).field(), "note");
}

TEST(KpiValueTest, SettingsNeedCompletePointsOrderedDatesAndADirection) {
  KpiSettings s;
  EXPECT_TRUE(ValidateKpiSettings(s).ok());
  s.target_value = 10;
  EXPECT_EQ(ValidateKpiSettings(s).field(), "target");
  s.target_date = "2030-12-31";
  EXPECT_EQ(ValidateKpiSettings(s).field(), "direction");
  s.direction = Direction::kUp;
  EXPECT_TRUE(ValidateKpiSettings(s).ok());
  s.baseline_value = 1;
  s.baseline_date = "2031-01-01";
  EXPECT_EQ(ValidateKpiSettings(s).field(), "target.date");
  s.baseline_date = "2020-02-30";
  EXPECT_EQ(ValidateKpiSettings(s).field(), "baseline.date");
}

}  // namespace
}  // namespace datenwerk
