// Leases (one node at a time per background job) and the change feed, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "cluster/lease_keeper.h"
#include "cluster/leases.h"
#include "database_test.h"
#include "store/change_feed.h"

namespace datenwerk {
namespace {

using namespace std::chrono_literals;
using cluster::Lease;
using cluster::LeaseKeeper;
using cluster::LeaseTable;

class LeaseTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (!db_) return;
    table_ = LeaseTable::Open(*db_).value();
  }
  std::unique_ptr<LeaseTable> table_;
};

TEST_P(LeaseTest, OneHolderAtATimeAndTheEpochCountsTakeOvers) {
  auto a = table_->Acquire("alerts", "node-a", 10s);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->holder, "node-a");
  EXPECT_EQ(a->epoch, 1);
  auto b = table_->Acquire("alerts", "node-b", 10s);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->holder, "node-a") << "a running lease is not taken";
  auto renewed = table_->Acquire("alerts", "node-a", 10s);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->epoch, 1) << "renewing keeps the epoch";
  EXPECT_EQ(table_->Holder("alerts").value(), "node-a");
  EXPECT_EQ(table_->Holder("mail").value(), "") << "no one holds a job never taken";
  // Another job is independent.
  EXPECT_EQ(table_->Acquire("mail", "node-b", 10s)->holder, "node-b");
}

TEST_P(LeaseTest, ARunOutLeaseIsTakenOverAndTheOldHolderIsFencedOut) {
  // node-a "dies" holding a short lease (it renews no more).
  auto a = table_->Acquire("alerts", "node-a", 300ms);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->holder, "node-a");
  EXPECT_TRUE(db_->Write([&](sql::Tx& tx) { return LeaseTable::Fence(tx, *a); }).ok());
  std::this_thread::sleep_for(450ms);
  EXPECT_EQ(table_->Holder("alerts").value(), "") << "run out";
  auto b = table_->Acquire("alerts", "node-b", 10s);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->holder, "node-b");
  EXPECT_EQ(b->epoch, 2);
  // node-a wakes up and tries to record an effect: refused, and its write is undone.
  Status late = db_->Write([&](sql::Tx& tx) -> Status {
    if (auto s = tx.Exec("CREATE TABLE IF NOT EXISTS effects (n INTEGER)"); !s.ok()) return s;
    if (auto s = tx.Change("INSERT INTO effects VALUES (1)"); !s.ok()) return s.status();
    return LeaseTable::Fence(tx, *a);
  });
  EXPECT_EQ(late.code(), ErrorCode::kConflict);
  EXPECT_TRUE(db_->Write([&](sql::Tx& tx) { return LeaseTable::Fence(tx, *b); }).ok());
  // node-a's renewal does not take it back either.
  EXPECT_EQ(table_->Acquire("alerts", "node-a", 10s)->holder, "node-b");
}

TEST_P(LeaseTest, AReleasedLeaseIsFreeAtOnce) {
  ASSERT_EQ(table_->Acquire("mail", "node-a", 60s)->holder, "node-a");
  ASSERT_TRUE(table_->Release("mail", "node-b").ok());
  EXPECT_EQ(table_->Holder("mail").value(), "node-a") << "only the holder releases";
  ASSERT_TRUE(table_->Release("mail", "node-a").ok());
  auto b = table_->Acquire("mail", "node-b", 60s);
  EXPECT_EQ(b->holder, "node-b");
}

TEST_P(LeaseTest, KeepersShareTheJobsAndOneTakesOverWhenTheOtherStops) {
  std::atomic<int> a_changes{0}, b_changes{0};
  auto a = std::make_unique<LeaseKeeper>(*table_, "node-a", 900ms);
  a->Add("retention", [&](bool) { ++a_changes; });
  a->Start();
  LeaseKeeper b(*table_, "node-b", 900ms);
  b.Add("retention", [&](bool) { ++b_changes; });
  b.Start();
  EXPECT_TRUE(a->Holds("retention")) << "the first to start holds it from the start";
  EXPECT_FALSE(b.Holds("retention"));
  std::this_thread::sleep_for(1200ms);  // several renewals
  EXPECT_TRUE(a->Holds("retention")) << "renewed in time";
  EXPECT_FALSE(b.Holds("retention"));
  EXPECT_EQ(a_changes.load(), 1);
  EXPECT_EQ(b_changes.load(), 0);
  const auto stopped = std::chrono::steady_clock::now();
  a.reset();  // a clean stop releases
  while (!b.Holds("retention") && std::chrono::steady_clock::now() - stopped < 3s) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(b.Holds("retention"));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, 600ms) << "within one renewal round (length / 3)";
  EXPECT_EQ(b_changes.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, LeaseTest, ::testing::Values("sqlite", "postgres"));

TEST(ChangeFeedTest, AnnouncementsArriveOnCommitOnlyAndOnSqliteNothingIsWritten) {
  testing::TempDir dir;
  auto lite = sql::OpenSqlite(dir.File("db.sqlite"), "test").value();
  EXPECT_TRUE(lite->Write([](sql::Tx& tx) { return sql::Announce(tx, "catalogue"); }).ok());

  DATENWERK_REQUIRE_POSTGRES();
  auto conninfo = testing::FreshPostgresSchema();
  ASSERT_TRUE(conninfo);
  auto db = sql::OpenPostgres(*conninfo).value();
  // Topics of this test only: other tests of the same database may announce meanwhile.
  const std::string topic = "test-" + std::to_string(getpid());
  std::atomic<int> heard{0}, other{0};
  sql::ChangeFeed feed(*conninfo);
  feed.On(topic, [&] { ++heard; });
  feed.On(topic + "-other", [&] { ++other; });
  ASSERT_TRUE(feed.Start().ok());

  // Undone: never delivered.
  Status undone = db->Write([&](sql::Tx& tx) -> Status {
    if (auto s = sql::Announce(tx, topic); !s.ok()) return s;
    return InvalidArgument("changed my mind");
  });
  ASSERT_FALSE(undone.ok());
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(db->Write([&](sql::Tx& tx) { return sql::Announce(tx, topic); }).ok());
  while (heard.load() == 0 && std::chrono::steady_clock::now() - sent < 3s) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(heard.load(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 1s);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(heard.load(), 1) << "the undone one never came";
  EXPECT_EQ(other.load(), 0);
}

TEST(ChangeFeedTest, DetailsArriveAsSentAlsoManyInOneStatement) {
  DATENWERK_REQUIRE_POSTGRES();
  auto conninfo = testing::FreshPostgresSchema();
  ASSERT_TRUE(conninfo);
  auto db = sql::OpenPostgres(*conninfo).value();
  const std::string topic = "details-" + std::to_string(getpid());
  std::mutex mu;
  std::vector<std::string> heard;
  sql::ChangeFeed feed(*conninfo);
  feed.On(topic, sql::ChangeFeed::Handler([&](std::string_view detail) {
    std::lock_guard lock(mu);
    heard.emplace_back(detail);
  }));
  ASSERT_TRUE(feed.Start().ok());
  const std::vector<std::string> details = {"r 1 2 3", "with \"quotes\" and \\ backslash, {braces}", "",
                                            std::string(sql::kMaxDetail, 'x')};
  ASSERT_TRUE(db->Write([&](sql::Tx& tx) -> Status {
                  if (Status s = sql::Announce(tx, topic, "alone"); !s.ok()) return s;
                  return sql::AnnounceAll(tx, topic, details);
                }).ok());
  const auto sent = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (heard.size() >= 5 || std::chrono::steady_clock::now() - sent > 3s) break;
    }
    std::this_thread::sleep_for(1ms);
  }
  std::lock_guard lock(mu);
  std::vector<std::string> expected = {"alone"};
  expected.insert(expected.end(), details.begin(), details.end());
  std::sort(heard.begin(), heard.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(heard, expected);
  // Longer than PostgreSQL's payload: refused, nothing sent.
  EXPECT_FALSE(db->Write([&](sql::Tx& tx) { return sql::Announce(tx, topic, std::string(sql::kMaxDetail + 1, 'x')); }).ok());
}

TEST(ChangeFeedTest, DeploymentsInOtherSchemasOfTheDatabaseAreNotHeard) {
  DATENWERK_REQUIRE_POSTGRES();
  auto mine = testing::FreshPostgresSchema();
  auto other = testing::FreshPostgresSchema();
  ASSERT_TRUE(mine && other);
  auto my_db = sql::OpenPostgres(*mine).value();
  auto other_db = sql::OpenPostgres(*other).value();
  std::atomic<int> heard{0};
  sql::ChangeFeed feed(*mine);
  feed.On("catalogue", [&] { ++heard; });
  ASSERT_TRUE(feed.Start().ok());
  ASSERT_TRUE(other_db->Write([](sql::Tx& tx) { return sql::Announce(tx, "catalogue"); }).ok());
  ASSERT_TRUE(my_db->Write([](sql::Tx& tx) { return sql::Announce(tx, "catalogue"); }).ok());
  const auto sent = std::chrono::steady_clock::now();
  while (heard.load() == 0 && std::chrono::steady_clock::now() - sent < 3s) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(heard.load(), 1) << "only this deployment's own announcement";
}

}  // namespace
}  // namespace datenwerk
