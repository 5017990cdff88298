#include "series/ingest_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>

#include "test_data.h"

namespace datenwerk::series {
namespace {

constexpr int64_t kT0 = 1704067200000;

class IngestQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenSqliteObservationStore(dir_.File("q.db")).value());
  }
  datenwerk::testing::TempDir dir_;
  std::unique_ptr<ObservationStore> store_;
};

TEST_F(IngestQueueTest, ManyProducersShareCommitsAndEachGetsItsOwnStats) {
  IngestQueue queue(*store_, 1'000'000);
  std::vector<std::thread> producers;
  std::atomic<int> stored{0}, duplicates{0};
  for (int p = 0; p < 8; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < 100; ++i) {
        // Producers 0-3 and 4-7 send the same points: each point is stored once.
        SeriesBatch b{p % 4, {{kT0 + i * 1000LL, double(i)}}};
        auto r = queue.Submit({b});
        ASSERT_TRUE(r.ok()) << r.status().message();
        stored += static_cast<int>(r->stored);
        duplicates += static_cast<int>(r->duplicates);
      }
    });
  }
  for (auto& t : producers) t.join();
  EXPECT_EQ(stored, 400);
  EXPECT_EQ(duplicates, 400);
  auto c = queue.counters();
  EXPECT_EQ(c.accepted, 800u);
  EXPECT_LT(c.commits, 800u);  // requests were grouped into fewer transactions
  for (int ds = 0; ds < 4; ++ds) {
    EXPECT_EQ(store_->Range(ds, 0, INT64_MAX, 1000, false)->size(), 100u);
  }
}

// Holds every commit until released, so a test can fill the queue deterministically.
class GatedStore final : public ObservationStore {
 public:
  explicit GatedStore(ObservationStore& inner) : inner_(inner) {}
  void Release() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool entered() const { return entered_; }
  Result<std::vector<IngestStats>> AppendGroup(
      std::vector<std::vector<SeriesBatch>> requests) override {
    entered_ = true;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
    return inner_.AppendGroup(std::move(requests));
  }
  Result<IngestStats> Append(std::vector<SeriesBatch> b) override { return inner_.Append(b); }
  std::optional<Point> Latest(int64_t ds) const override { return inner_.Latest(ds); }
  std::optional<int64_t> FirstTime(int64_t ds) const override { return inner_.FirstTime(ds); }
  Result<std::vector<Point>> Range(int64_t ds, int64_t f, int64_t t, size_t l, bool n) override {
    return inner_.Range(ds, f, t, l, n);
  }
  Result<std::vector<Bucket>> Aggregate(int64_t ds, int64_t f, int64_t t,
                                        const BucketSpec& s) override {
    return inner_.Aggregate(ds, f, t, s);
  }
  Result<size_t> DeleteRange(int64_t ds, int64_t f, int64_t t) override {
    return inner_.DeleteRange(ds, f, t);
  }
  Result<int64_t> Count(int64_t ds) override { return inner_.Count(ds); }
  Result<int64_t> CountRange(int64_t ds, int64_t f, int64_t t) override {
    return inner_.CountRange(ds, f, t);
  }
  Result<int> Retention(int64_t ds) override { return inner_.Retention(ds); }
  std::vector<int64_t> Datastreams() const override { return inner_.Datastreams(); }
  Status DropSeries(int64_t ds) override { return inner_.DropSeries(ds); }
  Status SetRetention(int64_t ds, int d) override { return inner_.SetRetention(ds, d); }
  Result<size_t> ApplyRetention(int64_t now) override { return inner_.ApplyRetention(now); }
  uint64_t BytesOnDisk() const override { return inner_.BytesOnDisk(); }

 private:
  ObservationStore& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::atomic<bool> entered_{false};
};

TEST_F(IngestQueueTest, AFullQueueAnswersUnavailableAtOnce) {
  GatedStore gated(*store_);
  IngestQueue queue(gated, 10);
  std::thread first([&] { EXPECT_TRUE(queue.Submit({{1, {{kT0, 1}}}}).ok()); });
  while (!gated.entered()) std::this_thread::yield();  // the writer holds request one
  std::vector<Point> big;
  for (int i = 0; i < 50; ++i) big.push_back({kT0 + i, 2});
  std::thread second([&] { EXPECT_TRUE(queue.Submit({{2, big}}).ok()); });  // queue was empty
  while (queue.queued_points() == 0) std::this_thread::yield();
  auto refused = queue.Submit({{3, {{kT0, 3}}}});  // 50 waiting + 1 > 10
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(queue.counters().rejected, 1u);
  gated.Release();
  first.join();
  second.join();
  EXPECT_EQ(store_->Range(2, 0, INT64_MAX, 100, false)->size(), 50u);
  EXPECT_FALSE(store_->Latest(3).has_value());
}

TEST_F(IngestQueueTest, InvalidBatchesAreRefusedWithoutTouchingOthers) {
  IngestQueue queue(*store_, 1000);
  auto bad = queue.Submit({{1, {{kT0, std::nan("")}}}});
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  auto good = queue.Submit({{1, {{kT0, 1.5}}}});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->stored, 1u);
}

TEST_F(IngestQueueTest, DestructionCommitsWhatIsQueued) {
  {
    IngestQueue queue(*store_, 1'000'000);
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p) {
      producers.emplace_back([&, p] { ASSERT_TRUE(queue.Submit({{p, {{kT0, 1}}}}).ok()); });
    }
    for (auto& t : producers) t.join();
  }
  for (int p = 0; p < 4; ++p) EXPECT_TRUE(store_->Latest(p).has_value());
}

}  // namespace
}  // namespace datenwerk::series
