#include "series/buckets.h"

#include <gtest/gtest.h>

namespace datenwerk::series {
namespace {

constexpr int64_t k2024_03_15_1030 = 1710498600000;  // 2024-03-15T10:30:00Z

TEST(BucketsTest, ParsesWidthsFromOneMinuteToOneMonth) {
  EXPECT_EQ(ParseBucket("15m")->WidthMs(), 15 * kMinuteMs);
  EXPECT_EQ(ParseBucket("1h")->WidthMs(), kHourMs);
  EXPECT_EQ(ParseBucket("7d")->WidthMs(), 7 * kDayMs);
  EXPECT_TRUE(ParseBucket("1mo")->IsMonths());
  for (const char* bad : {"", "0m", "-1h", "1w", "32d", "2mo", "h", "1.5h"}) {
    EXPECT_FALSE(ParseBucket(bad).ok()) << bad;
    EXPECT_EQ(ParseBucket(bad).status().field(), "bucket");
  }
}

TEST(BucketsTest, AlignsToEpochAndCalendarMonths) {
  EXPECT_EQ(BucketStart(k2024_03_15_1030, *ParseBucket("1h")), 1710496800000);  // 10:00
  EXPECT_EQ(BucketStart(k2024_03_15_1030, *ParseBucket("1d")), 1710460800000);  // 00:00
  EXPECT_EQ(BucketStart(k2024_03_15_1030, *ParseBucket("1mo")), 1709251200000);  // 03-01
  EXPECT_EQ(NextBucket(1709251200000, *ParseBucket("1mo")), 1711929600000);     // 04-01
  EXPECT_EQ(NextBucket(1706745600000, *ParseBucket("1mo")), 1709251200000);     // Feb 2024: 29 days
  EXPECT_EQ(BucketStart(-1, *ParseBucket("1h")), -kHourMs);  // before 1970 floors downwards
}

TEST(BucketsTest, AccumulatorsMerge) {
  Accumulator a, b;
  a.Add(1);
  a.Add(3);
  b.Add(-2);
  a.Merge(b);
  EXPECT_EQ(a.Get(Aggregation::kCount), 3);
  EXPECT_EQ(a.Get(Aggregation::kSum), 2);
  EXPECT_EQ(a.Get(Aggregation::kMin), -2);
  EXPECT_EQ(a.Get(Aggregation::kMax), 3);
  EXPECT_NEAR(a.Get(Aggregation::kAvg), 2.0 / 3, 1e-12);
  EXPECT_EQ(*ParseAggregation("avg"), Aggregation::kAvg);
  EXPECT_FALSE(ParseAggregation("median").ok());
}

}  // namespace
}  // namespace datenwerk::series
