#include "core/dates.h"

#include <gtest/gtest.h>

namespace datenwerk {
namespace {

TEST(DatesTest, AcceptsRealCalendarDatesOnly) {
  EXPECT_EQ(DaysFromIsoDate("1970-01-01"), 0);
  EXPECT_EQ(DaysFromIsoDate("1970-01-02"), 1);
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2024-13-01"));
  EXPECT_FALSE(IsIsoDate("2024-1-01"));
  EXPECT_FALSE(IsIsoDate("24-01-01xx"));
  EXPECT_FALSE(IsIsoDate(""));
  EXPECT_FALSE(IsIsoDate("1800-01-01"));
}

TEST(DatesTest, FormatsGermanDates) {
  EXPECT_EQ(GermanDate("2024-11-05"), "05.11.2024");
  EXPECT_EQ(GermanDate("Fortlaufend"), "Fortlaufend");
}

}  // namespace
}  // namespace datenwerk
