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

namespace datenwerk {
namespace {

TEST(DatesTest, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("2024-05-01T12:00:00.5Z"), 1714564800500);
  EXPECT_EQ(ParseRfc3339Ms("2024-05-01T14:00:00.123456789+02:00"), 1714564800123);
  EXPECT_EQ(ParseRfc3339Ms("2024-05-01T11:30:00-00:30"), 1714564800000);
  for (const char* bad : {"", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01T25:00:00Z",
                          "2024-02-30T00:00:00Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+2",
                          "2024-05-01T12:00:00Zjunk"}) {
    EXPECT_FALSE(ParseRfc3339Ms(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatRfc3339Ms(1714564800123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(FormatRfc3339Ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatHttpDate(1714564800123), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(*ParseRfc3339Ms(FormatRfc3339Ms(1234567890123)), 1234567890123);
}

}  // namespace
}  // namespace datenwerk
