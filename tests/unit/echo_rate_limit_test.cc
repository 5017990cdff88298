// The per-client limit shared by several nodes: the buckets in the one database, on its clock.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "database_test.h"
#include "echo/rate_limit.h"

namespace datenwerk::echo {
namespace {

class SharedRateLimitTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (db_) ASSERT_TRUE(RateLimiter::OpenTable(*db_).ok());
  }
};

TEST_P(SharedRateLimitTest, NodesShareOneBucketPerClientOnTheDatabasesClock) {
  RateLimiter node_a(3, 400, *db_, "melden");
  RateLimiter node_b(3, 400, *db_, "melden");
  RateLimiter other_scope(1, 400, *db_, "abonnieren");
  // Three at once, whichever node they reach (the clock passed is not used).
  EXPECT_TRUE(node_a.Allow("198.51.100.1", 0));
  EXPECT_TRUE(node_b.Allow("198.51.100.1", 0));
  EXPECT_TRUE(node_a.Allow("198.51.100.1", 0));
  int64_t wait_ms = -1;
  EXPECT_FALSE(node_b.Allow("198.51.100.1", 0, &wait_ms)) << "the bucket both nodes share is empty";
  EXPECT_GT(wait_ms, 0);
  EXPECT_LE(wait_ms, 400);
  EXPECT_FALSE(node_a.Allow("198.51.100.1", 0)) << "a refusal takes nothing and gives nothing";
  // Other clients and other scopes have buckets of their own.
  EXPECT_TRUE(node_b.Allow("198.51.100.2", 0));
  EXPECT_TRUE(other_scope.Allow("198.51.100.1", 0));
  EXPECT_FALSE(other_scope.Allow("198.51.100.1", 0));
  // One more per refill interval.
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  EXPECT_TRUE(node_b.Allow("198.51.100.1", 0));
  EXPECT_FALSE(node_a.Allow("198.51.100.1", 0));
  // Hostile keys are only text.
  EXPECT_TRUE(node_a.Allow("'; DROP TABLE rate_limits; --", 0));
  EXPECT_TRUE(node_a.Allow(std::string(4000, 'x'), 0));
  // Housekeeping forgets idle buckets (full again by then).
  auto gone = RateLimiter::ForgetIdle(*db_, 60'000);
  ASSERT_TRUE(gone.ok()) << gone.status().message();
  EXPECT_EQ(*gone, 0) << "all were used within the minute";
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(RateLimiter::ForgetIdle(*db_, 10).value(), 5);
  EXPECT_TRUE(node_a.Allow("198.51.100.1", 0));
}

INSTANTIATE_TEST_SUITE_P(Stores, SharedRateLimitTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::echo
