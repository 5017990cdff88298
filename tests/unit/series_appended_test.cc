// The announcements of new readings (series/appended.h): what is announced reads back exactly,
// each fits PostgreSQL's payload, large commits fall back to naming their series, and anything
// else on the channel is refused.
#include "series/appended.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/change_feed.h"

namespace datenwerk::series {
namespace {

TEST(AppendedTest, ReadingsReadBackExactlyInOrder) {
  const std::vector<Point> a = {{1'780'000'000'000, 0.1}, {1'780'000'060'000, -0.0}, {1'780'000'120'000, 1e300},
                                {1'780'000'180'000, 5e-324}, {-5, -273.15}};
  const std::vector<Point> b = {{7, 42}};
  auto details = AppendedDetails({{12, a}, {3, b}, {99, {}}});
  ASSERT_EQ(details.size(), 1u);
  auto parsed = ParseAppended(details.front());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_FALSE(parsed->any);
  ASSERT_EQ(parsed->readings.size(), 6u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(parsed->readings[i].datastream, 12);
    EXPECT_EQ(parsed->readings[i].point, a[i]);
  }
  EXPECT_TRUE(std::signbit(parsed->readings[1].point.value));
  EXPECT_EQ(parsed->readings[5].datastream, 3);
  EXPECT_TRUE(AppendedDetails({{12, {}}}).empty());
}

TEST(AppendedTest, ManyReadingsAreSplitIntoAnnouncementsThatFit) {
  std::vector<Point> points;
  for (int64_t i = 0; i < 5'000; ++i) points.push_back({1'780'000'000'000 + i * 60'000, 1234.5678 + static_cast<double>(i)});
  auto details = AppendedDetails({{123456, points}});
  EXPECT_GT(details.size(), 10u);
  size_t read = 0;
  for (const std::string& detail : details) {
    EXPECT_LE(detail.size(), sql::kMaxDetail);
    auto parsed = ParseAppended(detail);
    ASSERT_TRUE(parsed.ok());
    for (const auto& r : parsed->readings) EXPECT_EQ(r.point, points[read++]);
  }
  EXPECT_EQ(read, points.size());
}

TEST(AppendedTest, LargeCommitsNameTheirSeriesOrSayAny) {
  std::vector<Point> points(kMaxAnnouncedReadings / 2 + 1, Point{1, 2});
  std::vector<AppendedRun> runs = {{5, points}, {6, points}};
  auto details = AppendedDetails(runs);
  ASSERT_EQ(details.size(), 1u);
  auto parsed = ParseAppended(details.front());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->datastreams, (std::vector<int64_t>{5, 6}));
  EXPECT_TRUE(parsed->readings.empty());

  const std::vector<Point> one = {{1, 2}};
  std::vector<AppendedRun> many;
  for (int64_t ds = 1; ds <= static_cast<int64_t>(kMaxAnnouncedSeries) + 1; ++ds) many.push_back({ds, one});
  EXPECT_EQ(AppendedDetails(many), std::vector<std::string>{"a"});
  EXPECT_TRUE(ParseAppended("a")->any);
  EXPECT_TRUE(ParseAppended("")->any);  // after a lost connection
}

TEST(AppendedTest, AnythingElseIsRefused) {
  for (const char* hostile : {"r", "r ", "r 1", "r 1 2", "r 1 2 nan", "r 1 2 inf", "r 0 2 3", "r -1 2 3", "r 1 2 3 ",
                              "r 1  2 3", "x 1 2 3", "s 1 x", "s -4", "r 1 99999999999999999999 3", "r 1 2 3e999",
                              "r 1 2 0x10", "s 1,2", "rr 1 2 3"}) {
    EXPECT_FALSE(ParseAppended(hostile).ok()) << hostile;
  }
  EXPECT_FALSE(ParseAppended(std::string(sql::kMaxDetail + 10, '1')).ok());
}

}  // namespace
}  // namespace datenwerk::series
