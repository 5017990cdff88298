#include <gtest/gtest.h>

#include "replay/cycle.h"

namespace datenwerk::replay {
namespace {

constexpr int64_t kDay = 86'400'000;

TEST(CycleTest, TheRecordedWindowPlaysAgainShiftedByWholePeriods) {
  const Cycle c{10 * kDay, 7 * kDay};
  EXPECT_EQ(RecordedAt(c, 10 * kDay), 10 * kDay);
  EXPECT_EQ(RecordedAt(c, 17 * kDay + 5), 10 * kDay + 5);   // the second round
  EXPECT_EQ(RecordedAt(c, 100 * kDay + 3), 16 * kDay + 3);  // 90 days = 12 weeks + 6 days
  EXPECT_EQ(RecordedAt(c, 9 * kDay), 16 * kDay);            // before the window: the round before
}

TEST(CycleTest, PlayingGivesWhatFallsDueInTimeOrderAcrossTheWrap) {
  const Cycle c{0, 10};
  const std::vector<series::Point> recorded = {{0, 1}, {4, 2}, {9, 3}, {12, 99}};  // 12: outside
  auto due = Playing(c, recorded, 25, 42, 100);
  std::vector<int64_t> times;
  std::vector<double> values;
  for (const auto& p : due) {
    times.push_back(p.time_ms);
    values.push_back(p.value);
  }
  EXPECT_EQ(times, (std::vector<int64_t>{29, 30, 34, 39, 40}));  // (25, 42]
  EXPECT_EQ(values, (std::vector<double>{3, 1, 2, 3, 1}));
  EXPECT_TRUE(Playing(c, recorded, 42, 42, 100).empty());
  // After a long pause only the newest `limit` come, still in order.
  auto bounded = Playing(c, recorded, 0, 1'000'000, 4);
  ASSERT_EQ(bounded.size(), 4u);
  EXPECT_EQ(bounded.back().time_ms, 1'000'000);
  EXPECT_TRUE(std::is_sorted(bounded.begin(), bounded.end(),
                             [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; }));
}

}  // namespace
}  // namespace datenwerk::replay
