// The read replica's lag bound (pure) and its router on a real PostgreSQL. A real streaming
// replica (pg_basebackup, replay paused and resumed) is tested black-box in
// tests/http/replica.test.mjs.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/read_replica.h"
#include "store/replica_lag.h"
#include "test_data.h"

namespace datenwerk::sql {
namespace {

using namespace std::chrono_literals;
using datenwerk::testing::FreshPostgresSchema;
using datenwerk::testing::TempDir;

TEST(ParseLsnTest, ReadsPostgresPositions) {
  EXPECT_EQ(ParseLsn("0/0"), 0u);
  EXPECT_EQ(ParseLsn("16/B374D848"), (uint64_t{0x16} << 32) | 0xB374D848u);
  EXPECT_EQ(ParseLsn("ffffffff/FFFFFFFF"), ~uint64_t{0});
  for (const char* bad : {"", "/", "1/", "/1", "g/1", "1/2/3", "123456789/0", "0/123456789", " 1/2", "1/2 ", "-1/2",
                          "+1/2"}) {
    EXPECT_FALSE(ParseLsn(bad)) << bad;
  }
}

TEST(LagBoundTest, TheReplicaHoldsWhatThePrimaryHadWhenItWasAsked) {
  LagBound bound;
  const auto t0 = LagBound::Clock::time_point(1s);
  bound.NotePrimary(t0, 100);
  bound.NotePrimary(t0 + 100ms, 200);
  bound.NotePrimary(t0 + 200ms, 200);  // nothing new: the later time says more
  bound.NotePrimary(t0 + 300ms, 300);
  EXPECT_FALSE(bound.CaughtUpTo(99));  // behind everything noted: unknown
  EXPECT_EQ(bound.CaughtUpTo(100), t0);
  EXPECT_EQ(bound.CaughtUpTo(250), t0 + 200ms);
  EXPECT_EQ(bound.size(), 2u);  // the older samples can never answer again
  EXPECT_EQ(bound.CaughtUpTo(1000), t0 + 300ms);
  EXPECT_EQ(bound.size(), 1u);
}

TEST(LagBoundTest, APositionGoingBackIsAnotherPrimary) {
  LagBound bound;
  const auto t0 = LagBound::Clock::time_point(1s);
  bound.NotePrimary(t0, 500);
  bound.NotePrimary(t0 + 100ms, 400);  // a failover to a replica that lacked the last 100 bytes
  EXPECT_EQ(bound.size(), 1u);
  EXPECT_EQ(bound.CaughtUpTo(450), t0 + 100ms);
}

TEST(LagBoundTest, KeepsABoundedNumberOfSamples) {
  LagBound bound(8);
  const auto t0 = LagBound::Clock::time_point(1s);
  for (int i = 0; i < 100; ++i) bound.NotePrimary(t0 + i * 1ms, 10 + i);
  EXPECT_EQ(bound.size(), 8u);
  EXPECT_FALSE(bound.CaughtUpTo(50));  // its sample is gone: unknown, not a wrong answer
  EXPECT_EQ(bound.CaughtUpTo(105), t0 + 95ms);
}

TEST(ReplicaReadScopeTest, NestsAndStaysOnItsThread) {
  EXPECT_FALSE(ReplicaReadScope::Active());
  {
    ReplicaReadScope outer;
    EXPECT_TRUE(ReplicaReadScope::Active());
    {
      ReplicaReadScope inner(false);  // an inner "no" does not take back the outer "yes"
      EXPECT_TRUE(ReplicaReadScope::Active());
    }
    bool other_thread = true;
    std::thread([&] { other_thread = ReplicaReadScope::Active(); }).join();
    EXPECT_FALSE(other_thread);
    EXPECT_TRUE(ReplicaReadScope::Active());
  }
  EXPECT_FALSE(ReplicaReadScope::Active());
  ReplicaReadScope no(false);
  EXPECT_FALSE(ReplicaReadScope::Active());
}

TEST(ReadReplicaTest, NeedsPostgresAndAPositiveBound) {
  TempDir dir;
  auto sqlite = OpenSqlite(dir.File("db.sqlite"), "test");
  ASSERT_TRUE(sqlite.ok());
  auto routed = WithReadReplica(std::move(sqlite).value(), "host=/nonexistent", {});
  ASSERT_FALSE(routed.ok());
  EXPECT_EQ(routed.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(routed.status().field(), "read-database");
}

// Waits until the router gives a reason containing `part`.
ReplicaState WaitForReason(ReplicaRouter& router, const std::string& part) {
  ReplicaState state;
  for (int i = 0; i < 100; ++i) {
    state = router.State();
    if (state.reason.find(part) != std::string::npos) break;
    std::this_thread::sleep_for(50ms);
  }
  return state;
}

class ReadReplicaPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DATENWERK_REQUIRE_POSTGRES();
    conninfo_ = *FreshPostgresSchema();
    auto db = OpenPostgres(conninfo_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Write([](Tx& tx) { return tx.Exec("CREATE TABLE t (n integer); INSERT INTO t VALUES (7)"); }).ok());
    primary_ = std::move(db).value();
  }
  std::string conninfo_;
  std::unique_ptr<Connection> primary_;
};

TEST_F(ReadReplicaPostgresTest, APrimaryNamedAsReplicaIsNotReadAndReadsStayCorrect) {
  auto routed = WithReadReplica(std::move(primary_), conninfo_, {100ms, 20ms});
  ASSERT_TRUE(routed.ok()) << routed.status().message();
  ReplicaRouter& router = **routed;
  const ReplicaState state = WaitForReason(router, "no standby");
  EXPECT_FALSE(state.usable);
  EXPECT_NE(state.reason.find("no standby"), std::string::npos) << state.reason;
  {
    ReplicaReadScope may_be_stale;
    auto rows = router.ReadOne("SELECT n FROM t");
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    EXPECT_EQ((*rows)[0].Int(0), 7);
  }
  auto outside = router.ReadOne("SELECT n FROM t");  // not in a scope: not counted at all
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(router.State().primary_reads, 1u);
  EXPECT_EQ(router.State().replica_reads, 0u);
  // Writes go to the primary as before.
  ASSERT_TRUE(router.Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (8)"); }).ok());
  int64_t sum = 0;
  ASSERT_TRUE(router.Read([&](Tx& tx) {
    auto rows = tx.Query("SELECT sum(n) FROM t");
    if (!rows.ok()) return rows.status();
    sum = (*rows)[0].Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(sum, 15);
}

TEST_F(ReadReplicaPostgresTest, AnUnreachableReplicaLeavesReadsOnThePrimary) {
  auto routed = WithReadReplica(std::move(primary_), "host=/nonexistent-datenwerk port=1 connect_timeout=1", {100ms, 20ms});
  ASSERT_TRUE(routed.ok());
  const ReplicaState state = WaitForReason(**routed, "not reachable");
  EXPECT_FALSE(state.usable);
  EXPECT_EQ(state.lag_ms, -1);
  EXPECT_NE(state.reason.find("not reachable"), std::string::npos) << state.reason;
  ReplicaReadScope may_be_stale;
  auto rows = (*routed)->ReadOne("SELECT n FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 7);
}

}  // namespace
}  // namespace datenwerk::sql
