// The shared data-access layer on SQLite and PostgreSQL: group commit (concurrent writes in one
// transaction, each in its own savepoint), failures and exceptions that undo only their own work,
// a failing statement at any step leaving nothing behind, and refused nested writes.
#include "store/sql_connection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <atomic>
#include <condition_variable>
#include <stdexcept>
#include <thread>

#include "store/wal_sync.h"
#include "test_data.h"

namespace datenwerk::sql {
namespace {

class SqlConnectionTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string target = dir_.File("one.db");
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      target = datenwerk::testing::FreshPostgresSchema().value();
    }
    db_ = Open(target, "test").value();
    ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); }).ok());
  }

  int64_t Count() { return ReadQuery(*db_, "SELECT COUNT(*) FROM t").value().front().Int(0); }

  static Status Insert(Tx& tx, int64_t id) { return tx.Query("INSERT INTO t VALUES ($1, $2)", {id, std::string("x")}).status(); }

  datenwerk::testing::TempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_P(SqlConnectionTest, ConcurrentWritesShareOneCommit) {
  constexpr int kWriters = 32;
  const auto before = db_->Stats();
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  bool inside = false, release = false;
  std::vector<std::thread> threads;
  std::vector<Status> results(kWriters);
  // The first write holds its group open until the others are queued behind it.
  threads.emplace_back([&] {
    results[0] = db_->Write([&](Tx& tx) {
      std::unique_lock lock(mu);
      inside = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      return Insert(tx, 0);
    });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return inside; });  // the others queue behind a group that is running
  }
  for (int i = 1; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      {
        std::lock_guard lock(mu);
        ++arrived;
      }
      cv.notify_all();
      results[i] = db_->Write([&](Tx& tx) { return Insert(tx, i); });
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return arrived == kWriters - 1; });
  }
  // They queue in microseconds; the margin is for a machine busy with other test suites.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Count(), kWriters);
  const auto after = db_->Stats();
  EXPECT_EQ(after.writes - before.writes, static_cast<uint64_t>(kWriters));
  EXPECT_LE(after.groups - before.groups, 3u) << "the waiting writes were not merged";
  if (std::string(GetParam()) == "sqlite") {  // every acknowledged commit was synced, in few syncs
    EXPECT_GE(after.syncs - before.syncs, 1u);
    EXPECT_LE(after.syncs - before.syncs, after.groups - before.groups);
  }
}

// Nothing else being written: the write runs on its caller's thread (no hand-over to the writer
// thread and back), and is durable when it returns.
TEST_P(SqlConnectionTest, ALoneWriteRunsOnItsCallersThread) {
  const auto before = db_->Stats();
  std::thread::id ran_on;
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
                   ran_on = std::this_thread::get_id();
                   return Insert(tx, 1);
                 }).ok());
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(Count(), 1);
  if (std::string(GetParam()) == "sqlite") EXPECT_EQ(db_->Stats().syncs - before.syncs, 1u);
}

// Change() counts the rows a statement changed: an insert that met a conflict changed none.
TEST_P(SqlConnectionTest, ChangeCountsTheRowsAStatementChanged) {
  std::vector<int64_t> counts;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   for (const char* sql : {"INSERT INTO t VALUES (1, 'a') ON CONFLICT DO NOTHING",
                                           "INSERT INTO t VALUES (1, 'b') ON CONFLICT DO NOTHING",
                                           "INSERT INTO t VALUES (2, 'c')", "UPDATE t SET v = 'd'",
                                           "DELETE FROM t WHERE id = 7"}) {
                     auto changed = tx.Change(sql);
                     if (!changed.ok()) return changed.status();
                     counts.push_back(*changed);
                   }
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(counts, (std::vector<int64_t>{1, 0, 1, 2, 0}));
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return tx.Change("INSERT INTO t VALUES (2, 'x')").status(); })
                  .code() == ErrorCode::kConflict);
}

TEST_P(SqlConnectionTest, TheOlderStyleIsSyncedToo) {
  if (std::string(GetParam()) != "sqlite") GTEST_SKIP() << "PostgreSQL's commit is durable when it returns";
  const auto before = db_->Stats();
  ASSERT_TRUE(db_->Transaction([&](sql::Tx&) { return db_->Query("INSERT INTO t VALUES (1, 'a')").status(); }).ok());
  ASSERT_TRUE(db_->Query("INSERT INTO t VALUES (2, 'b')").ok());
  const auto written = db_->Stats();
  EXPECT_GE(written.syncs - before.syncs, 2u);
  ASSERT_TRUE(db_->Query("SELECT COUNT(*) FROM t").ok());  // a read through the writer: no sync
  EXPECT_EQ(db_->Stats().syncs, written.syncs);
  EXPECT_EQ(Count(), 2);
}

TEST(WalSyncTest, AFailedSyncFailsThisAndEveryLaterWait) {
  datenwerk::testing::TempDir dir;
  WalSync sync(dir.File("missing/one.db-wal"));  // cannot be opened
  Status first = sync.WaitDurable(sync.Committed());
  EXPECT_EQ(first.code(), ErrorCode::kUnavailable);
  Status later = sync.WaitDurable(sync.Committed());
  EXPECT_EQ(later.code(), ErrorCode::kUnavailable) << "a later sync must not pass after one failed";
}

TEST(WalSyncTest, OneSyncCoversEveryCommitBeforeIt) {
  datenwerk::testing::TempDir dir;
  const std::string wal = dir.File("one.db-wal");
  { std::ofstream(wal) << "x"; }
  WalSync sync(wal);
  const uint64_t a = sync.Committed();
  const uint64_t b = sync.Committed();
  ASSERT_TRUE(sync.WaitDurable(b).ok());
  ASSERT_TRUE(sync.WaitDurable(a).ok());  // covered already
  EXPECT_EQ(sync.Syncs(), 1u);
}

TEST_P(SqlConnectionTest, AFailedOrThrowingWriteUndoesOnlyItselfInItsGroup) {
  constexpr int kWriters = 24;
  std::vector<std::thread> threads;
  std::vector<Status> results(kWriters);
  std::vector<int> thrown(kWriters, 0);
  std::atomic<int> afters{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      try {
        results[i] = db_->Write(
            [&](Tx& tx) -> Status {
              if (Status s = Insert(tx, i); !s.ok()) return s;
              if (i % 3 == 1) return InvalidArgument("refused", "v");  // after its insert
              if (i % 3 == 2) {
                if (Status s = Insert(tx, 1000 + i); !s.ok()) return s;
                throw std::runtime_error("thrown");
              }
              return Status::Ok();
            },
            [&](const Status& outcome) { afters += outcome.ok(); });
      } catch (const std::runtime_error&) {
        thrown[i] = 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kWriters; ++i) {
    if (i % 3 == 0) EXPECT_TRUE(results[i].ok()) << i;
    if (i % 3 == 1) EXPECT_EQ(results[i].code(), ErrorCode::kInvalidArgument) << i;
    EXPECT_EQ(thrown[i], i % 3 == 2 ? 1 : 0) << i;
  }
  EXPECT_EQ(afters.load(), kWriters / 3);
  auto ids = ReadQuery(*db_, "SELECT id FROM t ORDER BY id").value();
  ASSERT_EQ(ids.size(), static_cast<size_t>(kWriters / 3));
  for (size_t k = 0; k < ids.size(); ++k) EXPECT_EQ(ids[k].Int(0), static_cast<int64_t>(3 * k));
}

// A write of five statements failing at each step in turn leaves the table as it was, and the next
// write on the same thread is whole.
TEST_P(SqlConnectionTest, AFailingStatementAtAnyStepLeavesNothing) {
  for (int fail_at = 0; fail_at < 5; ++fail_at) {
    Status s = db_->Write([&](Tx& tx) -> Status {
      for (int step = 0; step < 5; ++step) {
        // A duplicate key is a real statement failure of the database.
        const int64_t id = step == fail_at ? 10'000 : 100 * fail_at + step;
        if (step == fail_at) {
          if (Status first = Insert(tx, id); !first.ok()) return first;
        }
        if (Status st = Insert(tx, id); !st.ok()) return st;
      }
      return Status::Ok();
    });
    EXPECT_EQ(s.code(), ErrorCode::kConflict) << fail_at;
    EXPECT_EQ(Count(), 0) << fail_at;
  }
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   for (int64_t i = 0; i < 5; ++i) {
                     if (Status s = Insert(tx, i); !s.ok()) return s;
                   }
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(Count(), 5);
}

TEST_P(SqlConnectionTest, AWriteInsideAWriteIsRefusedNotDeadlocked) {
  Status inner;
  Status outer = db_->Write([&](Tx& tx) {
    inner = db_->Write([](Tx& t) { return Insert(t, 7); });
    return Insert(tx, 1);
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), ErrorCode::kInternal);
  EXPECT_EQ(Count(), 1);
}

TEST_P(SqlConnectionTest, ReadsSeeCommittedStateBesideAWrite) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return Insert(tx, 1); }).ok());
  Status s = db_->Write([&](Tx& tx) {
    if (Status st = Insert(tx, 2); !st.ok()) return st;
    EXPECT_EQ(Count(), 1);  // a reader does not see the uncommitted row
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Count(), 2);
}

TEST_P(SqlConnectionTest, BlobsAndNumbersReadBackExactly) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec(std::string(tx.Dialect()) == "sqlite"
                                      ? "CREATE TABLE b (k BIGINT, d DOUBLE PRECISION, x BLOB)"
                                      : "CREATE TABLE b (k BIGINT, d DOUBLE PRECISION, x BYTEA)");
                 }).ok());
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const double tricky = 0.1 + 0.2;
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
                   return tx.Query("INSERT INTO b VALUES ($1, $2, $3)", {int64_t{9007199254740993}, tricky, Blob{bytes}})
                       .status();
                 }).ok());
  auto row = ReadQuery(*db_, "SELECT k, d, x FROM b").value().front();
  EXPECT_EQ(row.Int(0), 9007199254740993);
  EXPECT_EQ(row.Real(1), tricky);
  EXPECT_EQ(row.Bytes(2), bytes);
}

INSTANTIATE_TEST_SUITE_P(Databases, SqlConnectionTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace datenwerk::sql
