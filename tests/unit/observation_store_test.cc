#include "series/observation_store.h"
#include "series/chunk_table.h"
#include "series/retention_scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <thread>

#include "series/gorilla.h"
#include "test_data.h"

namespace datenwerk::series {
namespace {

constexpr int64_t kT0 = 1704067200000;  // 2024-01-01T00:00:00Z

std::vector<Point> Minutes(int count, int64_t from = kT0, double base = 0) {
  std::vector<Point> out;
  for (int i = 0; i < count; ++i) out.push_back({from + i * kMinuteMs, base + i});
  return out;
}

// The same suite on SQLite and on PostgreSQL (one implementation over the shared layer).
class ObservationStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      target_ = datenwerk::testing::FreshPostgresSchema().value();
    } else {
      target_ = dir_.File("obs.db");
    }
    Reopen();
  }
  void Reopen() {
    store_.reset();
    auto s = OpenObservationStore(target_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  datenwerk::testing::TempDir dir_;
  std::string target_;
  std::unique_ptr<ObservationStore> store_;
};

TEST_P(ObservationStoreTest, AppendsAndReadsBackInOrder) {
  auto stats = store_->Append({{1, Minutes(5000)}, {2, Minutes(3, kT0, 100)}});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->stored, 5003u);
  EXPECT_EQ(stats->duplicates, 0u);
  auto all = store_->Range(1, 0, kT0 + 10'000 * kMinuteMs, 100'000, false);
  ASSERT_EQ(all->size(), 5000u);
  EXPECT_EQ(all->front().value, 0);
  EXPECT_EQ(all->back().value, 4999);
  auto newest = store_->Range(1, 0, kT0 + 10'000 * kMinuteMs, 3, true);
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ((*newest)[0].value, 4999);
  EXPECT_EQ((*newest)[2].value, 4997);
  auto window = store_->Range(1, kT0 + 10 * kMinuteMs, kT0 + 20 * kMinuteMs, 100, false);
  ASSERT_EQ(window->size(), 10u);  // [from, to)
  EXPECT_EQ(window->front().value, 10);
}

TEST_P(ObservationStoreTest, LatestIsKeptAndSurvivesReopening) {
  EXPECT_FALSE(store_->Latest(7).has_value());
  ASSERT_TRUE(store_->Append({{7, Minutes(10)}}).ok());
  EXPECT_EQ(store_->Latest(7)->value, 9);
  ASSERT_TRUE(store_->Append({{7, {{kT0 - kMinuteMs, -1}}}}).ok());  // older: latest unchanged
  EXPECT_EQ(store_->Latest(7)->value, 9);
  Reopen();
  EXPECT_EQ(store_->Latest(7)->value, 9);
  EXPECT_EQ(store_->Latest(7)->time_ms, kT0 + 9 * kMinuteMs);
}

TEST_P(ObservationStoreTest, DuplicatesAreStoredOnceAndTheFirstWins) {
  ASSERT_TRUE(store_->Append({{1, Minutes(100)}}).ok());
  std::vector<Point> again = Minutes(100, kT0, 1000);  // same times, other values
  again.push_back({kT0 + 100 * kMinuteMs, 5});
  auto stats = store_->Append({{1, again}, {1, {{kT0 + 100 * kMinuteMs, 6}}}});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->stored, 1u);
  EXPECT_EQ(stats->duplicates, 101u);
  auto all = store_->Range(1, 0, INT64_MAX, 1000, false);
  ASSERT_EQ(all->size(), 101u);
  EXPECT_EQ((*all)[50].value, 50);
  EXPECT_EQ(all->back().value, 5);
  auto hours = store_->Aggregate(1, kT0, kT0 + 2 * kHourMs, *ParseBucket("1h"));
  EXPECT_EQ((*hours)[0].values.count, 60);  // duplicates did not count twice in the rollups
}

TEST_P(ObservationStoreTest, OutOfOrderPointsMergeIntoTheSeries) {
  std::vector<Point> evens, odds;
  for (int i = 0; i < 2000; ++i) (i % 2 ? odds : evens).push_back({kT0 + i * 1000LL, double(i)});
  ASSERT_TRUE(store_->Append({{3, evens}}).ok());
  ASSERT_TRUE(store_->Append({{3, odds}}).ok());
  auto all = store_->Range(3, 0, INT64_MAX, 10'000, false);
  ASSERT_EQ(all->size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ((*all)[i].value, i);
}

TEST_P(ObservationStoreTest, TrickledPointsFillChunksAndStayReadable) {
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(store_->Append({{4, {{kT0 + i * kMinuteMs, double(i)}}}}).ok());
  }
  auto all = store_->Range(4, 0, INT64_MAX, 10'000, false);
  ASSERT_EQ(all->size(), 1500u);
  EXPECT_EQ(all->back().value, 1499);
  EXPECT_EQ(store_->Latest(4)->value, 1499);
}

TEST_P(ObservationStoreTest, SingleReadingsGoIntoSmallChunksThatAreMergedAtTheTail) {
  // One reading per write, in order (a sensor's uplinks), with repeats and late ones between.
  std::vector<Point> want;
  for (int i = 0; i < 1500; ++i) {
    const Point p{kT0 + i * kMinuteMs, double(i)};
    auto stats = store_->Append({{8, {p}}});
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    EXPECT_EQ(stats->stored, 1u);
    want.push_back(p);
    if (i % 97 == 5) {
      auto again = store_->Append({{8, {p}}});  // delivered twice: stored once
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(again->duplicates, 1u);
    }
    if (i % 211 == 7) {
      const Point late{p.time_ms - kMinuteMs / 2, -double(i)};  // between two stored readings
      auto stats_late = store_->Append({{8, {late}}});
      ASSERT_TRUE(stats_late.ok());
      EXPECT_EQ(stats_late->stored, 1u);
      want.push_back(late);
    }
  }
  std::sort(want.begin(), want.end(), [](const Point& a, const Point& b) { return a.time_ms < b.time_ms; });
  auto all = store_->Range(8, 0, INT64_MAX, 10'000, false);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ((*all)[i].time_ms, want[i].time_ms) << i;
    ASSERT_EQ((*all)[i].value, want[i].value) << i;
  }
  EXPECT_EQ(*store_->Count(8), static_cast<int64_t>(want.size()));
  auto newest = store_->Range(8, 0, INT64_MAX, 3, true);
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ(newest->front().value, 1499);
  // 1500 single writes end up in a few chunks, not 1500 (two days: each day's tail merges).
  auto chunks = store_->database().ReadOne("SELECT count(*) FROM chunks WHERE ds=$1", {int64_t{8}});
  ASSERT_TRUE(chunks.ok());
  EXPECT_LE(chunks->front().Int(0), 2 * 32 + 4);
  // The rollups kept at each small write match the raw points.
  auto hours = store_->Aggregate(8, kT0, kT0 + 2 * kDayMs, *ParseBucket("1h"));
  ASSERT_TRUE(hours.ok());
  std::map<int64_t, Accumulator> expected;
  for (const Point& p : want) expected[BucketStart(p.time_ms, *ParseBucket("1h"))].Add(p.value);
  ASSERT_EQ(hours->size(), expected.size());
  for (const Bucket& b : *hours) EXPECT_EQ(b.values.count, expected.at(b.start_ms).count);
  // A range deleted across small chunks.
  auto removed = store_->DeleteRange(8, kT0 + 1400 * kMinuteMs, kT0 + 1450 * kMinuteMs);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 50u);
  EXPECT_EQ(*store_->Count(8), static_cast<int64_t>(want.size()) - 50);
}

TEST_P(ObservationStoreTest, ASparseSeriesKeepsFewRowsAtItsTail) {
  // Every 15 minutes for a day, as most city sensors report: the growing chunk is small, so its
  // small chunks are merged after a few (chunks::TailChunksToMerge), not after 32 (dozens of
  // rows of overhead per series were most of the bytes of 100,000 such series).
  EXPECT_EQ(chunks::TailChunksToMerge(0), chunks::kMinTailChunks);
  EXPECT_EQ(chunks::TailChunksToMerge(96), chunks::kMinTailChunks);
  EXPECT_EQ(chunks::TailChunksToMerge(8191), chunks::kTailChunks);
  for (int i = 0; i < 96; ++i) {
    ASSERT_TRUE(store_->Append({{9, {Point{kT0 + i * 15 * kMinuteMs + (i % 7) * 1000, 20.0 + i % 5}}}}).ok());
    auto rows = store_->database().ReadOne("SELECT count(*) FROM chunks WHERE ds=$1", {int64_t{9}});
    ASSERT_TRUE(rows.ok());
    ASSERT_LE(rows->front().Int(0), static_cast<int64_t>(chunks::kMinTailChunks)) << i;
  }
  EXPECT_EQ(*store_->Count(9), 96);
  auto all = store_->Range(9, 0, INT64_MAX, 1000, false);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 96u);
  EXPECT_EQ(all->back().time_ms, kT0 + 95 * 15 * kMinuteMs + 4 * 1000);
}

TEST_P(ObservationStoreTest, AggregatesFromRollupsMatchRawPoints) {
  std::vector<Point> points;
  for (int i = 0; i < 3 * 24 * 60; ++i) {  // three days of minutes
    points.push_back({kT0 + i * kMinuteMs, std::sin(i / 100.0) * 10});
  }
  ASSERT_TRUE(store_->Append({{5, points}}).ok());
  auto check = [&](const char* width) {
    BucketSpec spec = *ParseBucket(width);
    auto got = store_->Aggregate(5, kT0, kT0 + 3 * kDayMs, spec);
    ASSERT_TRUE(got.ok());
    std::map<int64_t, Accumulator> want;
    for (const Point& p : points) want[BucketStart(p.time_ms, spec)].Add(p.value);
    ASSERT_EQ(got->size(), want.size()) << width;
    for (const Bucket& b : *got) {
      const Accumulator& w = want.at(b.start_ms);
      EXPECT_EQ(b.values.count, w.count) << width;
      EXPECT_NEAR(b.values.sum, w.sum, 1e-6) << width;
      EXPECT_EQ(b.values.min, w.min) << width;
      EXPECT_EQ(b.values.max, w.max) << width;
    }
  };
  check("1h");   // hourly rollup
  check("6h");   // hourly rollup, merged
  check("1d");   // daily rollup
  check("1mo");  // daily rollup by month
  check("15m");  // raw points
}

TEST_P(ObservationStoreTest, DeleteRangeRemovesPointsAndCorrectsRollupsAndLatest) {
  ASSERT_TRUE(store_->Append({{6, Minutes(180)}}).ok());  // 00:00 to 02:59
  auto removed = store_->DeleteRange(6, kT0 + 60 * kMinuteMs, kT0 + 180 * kMinuteMs);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 120u);
  auto hours = store_->Aggregate(6, kT0, kT0 + 3 * kHourMs, *ParseBucket("1h"));
  ASSERT_EQ(hours->size(), 1u);
  EXPECT_EQ((*hours)[0].values.count, 60);
  auto days = store_->Aggregate(6, kT0, kT0 + kDayMs, *ParseBucket("1d"));
  EXPECT_EQ((*days)[0].values.count, 60);
  EXPECT_EQ(store_->Latest(6)->value, 59);
  EXPECT_EQ(*store_->DeleteRange(6, 0, INT64_MAX), 60u);
  EXPECT_FALSE(store_->Latest(6).has_value());
  EXPECT_FALSE(store_->DeleteRange(6, 10, 10).ok());
}

TEST_P(ObservationStoreTest, TheSchedulerAppliesRetentionAtOnceAndAgain) {
  ASSERT_TRUE(store_->Append({{1, Minutes(3 * 1440)}}).ok());  // three days from kT0
  ASSERT_TRUE(store_->SetRetention(1, 1).ok());
  std::atomic<int64_t> now{kT0 + 2 * kDayMs};  // day one is past the limit
  {
    RetentionScheduler scheduler(*store_, std::chrono::milliseconds(5), [&] { return now.load(); });
    for (int i = 0; i < 400 && scheduler.dropped() < 1440; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(scheduler.dropped(), 1440u);
    now = kT0 + 3 * kDayMs;  // a later pass drops day two
    for (int i = 0; i < 400 && scheduler.dropped() < 2880; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(scheduler.dropped(), 2880u);
  }
  EXPECT_EQ(*store_->Count(1), 1440);
}

TEST_P(ObservationStoreTest, RetentionIsKeptPerDatastream) {
  EXPECT_EQ(*store_->Retention(1), 0);
  ASSERT_TRUE(store_->SetRetention(1, 30).ok());
  EXPECT_EQ(*store_->Retention(1), 30);
  EXPECT_EQ(*store_->Retention(2), 0);
  ASSERT_TRUE(store_->SetRetention(1, 0).ok());
  EXPECT_EQ(*store_->Retention(1), 0);
}

TEST_P(ObservationStoreTest, RetentionDropsOldRawPointsButKeepsRollups) {
  ASSERT_TRUE(store_->Append({{8, Minutes(60, kT0)}, {9, Minutes(60, kT0)}}).ok());
  ASSERT_TRUE(store_->Append({{8, Minutes(60, kT0 + 40 * kDayMs)}}).ok());
  ASSERT_TRUE(store_->SetRetention(8, 30).ok());
  auto dropped = store_->ApplyRetention(kT0 + 45 * kDayMs);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 60u);
  EXPECT_EQ(store_->Range(8, 0, INT64_MAX, 1000, false)->size(), 60u);
  EXPECT_EQ(store_->Range(9, 0, INT64_MAX, 1000, false)->size(), 60u);  // no retention set
  EXPECT_EQ(store_->FirstTime(8), kT0 + 40 * kDayMs);
  EXPECT_EQ(store_->FirstTime(9), kT0);
  auto days = store_->Aggregate(8, kT0, kT0 + kDayMs, *ParseBucket("1d"));
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].values.count, 60);  // the rollup outlives the raw points
  EXPECT_FALSE(store_->SetRetention(8, -1).ok());
}

// Aggregates of every width from the raw points alone, for comparison.
std::map<int64_t, Accumulator> Expected(const std::vector<Point>& points, const BucketSpec& spec) {
  std::map<int64_t, Accumulator> out;
  for (const Point& p : points) out[BucketStart(p.time_ms, spec)].Add(p.value);
  return out;
}

void ExpectBuckets(ObservationStore& store, int64_t ds, const std::vector<Point>& all, const char* width) {
  const BucketSpec spec = *ParseBucket(width);
  auto got = store.Aggregate(ds, all.front().time_ms, all.back().time_ms + 1, spec);
  ASSERT_TRUE(got.ok()) << got.status().message();
  const auto want = Expected(all, spec);
  ASSERT_EQ(got->size(), want.size()) << width;
  size_t i = 0;
  for (const auto& [start, a] : want) {
    const Bucket& b = (*got)[i++];
    EXPECT_EQ(b.start_ms, start) << width;
    EXPECT_EQ(b.values.count, a.count) << width << " at " << start;
    EXPECT_NEAR(b.values.sum, a.sum, 1e-6 * std::max(1.0, std::abs(a.sum))) << width << " at " << start;
    EXPECT_EQ(b.values.min, a.min) << width << " at " << start;
    EXPECT_EQ(b.values.max, a.max) << width << " at " << start;
  }
}

TEST_P(ObservationStoreTest, ChunksSpanDaysAndHoldUpToTheirLimit) {
  // Every 15 minutes for 200 days: 19,200 points in three chunks, not one per day.
  std::vector<Point> all;
  for (int i = 0; i < 19'200; ++i) all.push_back({kT0 + i * 15 * kMinuteMs + (i * 7919) % 5000, (i * 37) % 101 * 1.0});
  for (size_t at = 0; at < all.size(); at += 96) {  // a day at a time
    std::vector<Point> day(all.begin() + static_cast<long>(at), all.begin() + static_cast<long>(std::min(at + 96, all.size())));
    ASSERT_TRUE(store_->Append({{4, day}}).ok());
  }
  auto chunks = store_->database().ReadOne("SELECT count(*), max(count) FROM chunks WHERE ds=$1", {int64_t{4}});
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ(chunks->front().Int(0), 3);
  EXPECT_EQ(chunks->front().Int(1), 8192);
  // The full ones in their own table, written once; the growing one apart.
  EXPECT_EQ(store_->database().ReadOne("SELECT count(*) FROM chunk WHERE ds=$1", {int64_t{4}})->front().Int(0), 2);
  EXPECT_EQ(store_->database().ReadOne("SELECT count(*) FROM chunk_open WHERE ds=$1", {int64_t{4}})->front().Int(0), 1);
  EXPECT_EQ(*store_->Range(4, 0, INT64_MAX, 100'000, false), all);
  for (const char* width : {"1h", "1d", "7d", "1mo", "30m"}) ExpectBuckets(*store_, 4, all, width);
  // A window in the middle of a chunk, and the newest few.
  auto window = store_->Range(4, all[9000].time_ms, all[9010].time_ms, 100, false);
  EXPECT_EQ(*window, std::vector<Point>(all.begin() + 9000, all.begin() + 9010));
  auto newest = store_->Range(4, 0, INT64_MAX, 2, true);
  EXPECT_EQ(*newest, (std::vector<Point>{all[19'199], all[19'198]}));
}

TEST_P(ObservationStoreTest, RetentionCutsAChunkAndItsBucketsStayWhole) {
  // One chunk of 5 days of minutes; retention cuts it in the middle of an hour.
  const auto all = Minutes(5 * 1440, kT0, 0.5);
  ASSERT_TRUE(store_->Append({{6, all}}).ok());
  ASSERT_TRUE(store_->SetRetention(6, 2).ok());
  const int64_t now = kT0 + 4 * kDayMs + 90 * kMinuteMs + 30 * 1000;  // keeps from 2 days + 90.5 min
  auto dropped = store_->ApplyRetention(now);
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_EQ(*dropped, 2u * 1440 + 91);
  auto raw = store_->Range(6, 0, INT64_MAX, 100'000, false);
  ASSERT_EQ(raw->size(), all.size() - *dropped);
  EXPECT_EQ(raw->front().time_ms, kT0 + 2 * kDayMs + 91 * kMinuteMs);
  EXPECT_EQ(store_->FirstTime(6), raw->front().time_ms);
  // Hours, days and months come out as before: the cut hour from its archived part and raw part.
  for (const char* width : {"1h", "2h", "1d", "1mo"}) ExpectBuckets(*store_, 6, all, width);
  // Minutes only from raw points.
  auto minutes = store_->Aggregate(6, kT0, kT0 + 5 * kDayMs, *ParseBucket("1m"));
  EXPECT_EQ(minutes->size(), raw->size());
  // Again later: nothing twice.
  ASSERT_TRUE(store_->ApplyRetention(now).ok());
  EXPECT_EQ(*store_->ApplyRetention(now), 0u);
  for (const char* width : {"1h", "1d"}) ExpectBuckets(*store_, 6, all, width);
  Reopen();
  for (const char* width : {"1h", "1d"}) ExpectBuckets(*store_, 6, all, width);
}

TEST_P(ObservationStoreTest, DeletingARangeForgetsArchivedBucketsWhollyInside) {
  ASSERT_TRUE(store_->Append({{5, Minutes(3 * 1440)}}).ok());
  ASSERT_TRUE(store_->SetRetention(5, 1).ok());
  ASSERT_TRUE(store_->ApplyRetention(kT0 + 3 * kDayMs).ok());  // the first two days archived
  ASSERT_EQ(store_->Aggregate(5, kT0, kT0 + 3 * kDayMs, *ParseBucket("1d"))->size(), 3u);
  // From the middle of day 1 to the middle of day 3: day 1's archived hours after noon go, its
  // daily bucket stays (it is not wholly inside); day 2's archive goes; day 3's raw points too.
  auto removed = store_->DeleteRange(5, kT0 + kDayMs / 2, kT0 + 2 * kDayMs + kDayMs / 2);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 720u);
  auto hours = store_->Aggregate(5, kT0, kT0 + 3 * kDayMs, *ParseBucket("1h"));
  EXPECT_EQ(hours->size(), 12u + 12u);
  auto days = store_->Aggregate(5, kT0, kT0 + 3 * kDayMs, *ParseBucket("1d"));
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].values.count, 1440);
  EXPECT_EQ((*days)[1].values.count, 720);
}

TEST_P(ObservationStoreTest, TheLayoutOfEarlierReleasesIsConvertedOnOpening) {
  // As the release before left it: Gorilla chunks within one day, hourly and daily rollups of
  // every point, also of the points retention had dropped (day 0 and the first 90 minutes of day 1).
  store_.reset();
  target_ = std::string(GetParam()) == "postgres" ? datenwerk::testing::FreshPostgresSchema().value() : dir_.File("old.db");
  {
    auto db = sql::Open(target_, "test");
    ASSERT_TRUE(db.ok()) << db.status().message();
    const bool sqlite = std::string((*db)->Dialect()) == "sqlite";
    const std::string id = sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
    const std::string blob = sqlite ? "BLOB" : "BYTEA";
    Status written = (*db)->Write([&](sql::Tx& tx) -> Status {
      std::string ddl = "CREATE TABLE chunk (id " + id + ", ds BIGINT NOT NULL, start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, count BIGINT NOT NULL, data " + blob + " NOT NULL);";
      for (const char* t : {"rollup_hour", "rollup_day"}) {
        ddl += std::string("CREATE TABLE ") + t + " (ds BIGINT NOT NULL, bucket BIGINT NOT NULL, count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, PRIMARY KEY (ds, bucket));";
      }
      if (Status s = tx.Exec(ddl); !s.ok()) return s;
      const auto all = Minutes(3 * 1440, kT0, 0.25);
      std::vector<Point> kept(all.begin() + 1440 + 90, all.end());
      for (int day = 1; day < 3; ++day) {
        std::vector<Point> part;
        for (const Point& p : kept) if (p.time_ms >= kT0 + day * kDayMs && p.time_ms < kT0 + (day + 1) * kDayMs) part.push_back(p);
        auto block = EncodeGorilla(part);
        if (!block.ok()) return block.status();
        auto put = tx.Change("INSERT INTO chunk (ds, start_ms, end_ms, count, data) VALUES ($1,$2,$3,$4,$5)",
                             {int64_t{3}, part.front().time_ms, part.back().time_ms, static_cast<int64_t>(part.size()), sql::Blob{*block}});
        if (!put.ok()) return put.status();
      }
      for (auto [table, width] : {std::pair{"rollup_hour", "1h"}, {"rollup_day", "1d"}}) {
        for (const auto& [bucket, a] : Expected(all, *ParseBucket(width))) {
          auto put = tx.Change(std::string("INSERT INTO ") + table + " VALUES ($1,$2,$3,$4,$5,$6)", {int64_t{3}, bucket, a.count, a.sum, a.min, a.max});
          if (!put.ok()) return put.status();
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(written.ok()) << written.message();
  }
  Reopen();
  const auto all = Minutes(3 * 1440, kT0, 0.25);
  for (const char* width : {"1h", "3h", "1d", "1mo"}) ExpectBuckets(*store_, 3, all, width);
  EXPECT_EQ(*store_->Count(3), 2 * 1440 - 90);
  EXPECT_EQ(store_->Range(3, 0, INT64_MAX, 10, false)->front().time_ms, kT0 + kDayMs + 90 * kMinuteMs);
  auto old = store_->database().ReadOne(std::string(store_->database().Dialect()) == "sqlite"
      ? "SELECT count(*) FROM sqlite_master WHERE name LIKE 'rollup%'"
      : "SELECT count(*) FROM pg_tables WHERE schemaname=current_schema() AND tablename LIKE 'rollup%'");
  EXPECT_EQ(old->front().Int(0), 0);  // the old tables are gone
  // New points go on after the old chunks; the old format stays readable beside the new one.
  ASSERT_TRUE(store_->Append({{3, Minutes(10, kT0 + 3 * kDayMs, 7)}}).ok());
  EXPECT_EQ(*store_->Count(3), 2 * 1440 - 90 + 10);
  Reopen();
  for (const char* width : {"1h", "1d"}) ExpectBuckets(*store_, 3, all, width);
}

TEST_P(ObservationStoreTest, CountsListsAndDropsWholeSeries) {
  ASSERT_TRUE(store_->Append({{7, Minutes(5000)}, {3, Minutes(10)}}).ok());
  EXPECT_EQ(*store_->Count(7), 5000);
  EXPECT_EQ(*store_->Count(4), 0);
  // 5000 minutes span several chunks and days; ranges cut some of them.
  EXPECT_EQ(*store_->CountRange(7, kT0, kT0 + 5000 * kMinuteMs), 5000);
  EXPECT_EQ(*store_->CountRange(7, kT0 + 10 * kMinuteMs, kT0 + 4321 * kMinuteMs), 4311);
  EXPECT_EQ(*store_->CountRange(7, kT0 + kMinuteMs / 2, kT0 + kMinuteMs), 0);
  EXPECT_EQ(*store_->CountRange(7, kT0 + 5, kT0), 0);
  EXPECT_EQ(store_->Datastreams(), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(store_->FirstTime(7), kT0);
  ASSERT_TRUE(store_->Append({{7, Minutes(3, kT0 - kDayMs)}}).ok());  // older points come first
  EXPECT_EQ(store_->FirstTime(7), kT0 - kDayMs);
  ASSERT_TRUE(store_->DeleteRange(7, kT0 - kDayMs, kT0 + kMinuteMs).ok());
  EXPECT_EQ(store_->FirstTime(7), kT0 + kMinuteMs);
  ASSERT_TRUE(store_->Append({{7, Minutes(1)}}).ok());
  ASSERT_TRUE(store_->DropSeries(7).ok());
  EXPECT_FALSE(store_->FirstTime(7));
  EXPECT_EQ(*store_->Count(7), 0);
  EXPECT_FALSE(store_->Latest(7));
  EXPECT_TRUE(store_->Aggregate(7, kT0, kT0 + kDayMs * 5, {BucketSpec::Unit::kDay, 1})->empty());
  EXPECT_EQ(store_->Datastreams(), (std::vector<int64_t>{3}));
  Reopen();
  EXPECT_EQ(store_->Datastreams(), (std::vector<int64_t>{3}));
  EXPECT_EQ(*store_->Count(3), 10);
}

TEST_P(ObservationStoreTest, InvalidValuesRejectTheWholeBatch) {
  auto r = store_->Append({{1, Minutes(10)}, {2, {{kT0, std::nan("")}}}});
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->Range(1, 0, INT64_MAX, 100, false)->empty());
  EXPECT_FALSE(store_->Latest(1).has_value());
}

TEST_P(ObservationStoreTest, ConcurrentWritersAndReaders) {
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(store_->Append({{100 + w, Minutes(20, kT0 + i * 20 * kMinuteMs)}}).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(store_->Range(100, 0, INT64_MAX, 10, true).ok());
  });
  for (auto& t : threads) t.join();
  for (int w = 0; w < 4; ++w) {
    EXPECT_EQ(store_->Range(100 + w, 0, INT64_MAX, 10'000, false)->size(), 1000u);
  }
}

INSTANTIATE_TEST_SUITE_P(Databases, ObservationStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace datenwerk::series
