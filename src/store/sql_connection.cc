#include "store/sql_connection.h"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/thread_annotations.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "store/wal_sync.h"

namespace datenwerk::sql {

const std::string& Row::Text(size_t i) const {
  static const std::string kEmpty;
  Cell& cell = cells_[i];
  if (const auto* n = std::get_if<int64_t>(&cell)) {
    cell = std::to_string(*n);
  } else if (const auto* d = std::get_if<double>(&cell)) {
    cell = fmt::format("{}", *d);  // the shortest text that reads back exactly
  }
  const auto* text = std::get_if<std::string>(&cell);
  return text ? *text : kEmpty;
}

int64_t Row::Int(size_t i) const {
  const Cell& cell = cells_[i];
  if (const auto* n = std::get_if<int64_t>(&cell)) return *n;
  if (const auto* d = std::get_if<double>(&cell)) {
    return *d > -9.2e18 && *d < 9.2e18 ? static_cast<int64_t>(*d) : 0;  // NaN and beyond: 0
  }
  int64_t v = 0;
  if (const auto* t = std::get_if<std::string>(&cell)) std::from_chars(t->data(), t->data() + t->size(), v);
  return v;
}

double Row::Real(size_t i) const {
  const Cell& cell = cells_[i];
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* n = std::get_if<int64_t>(&cell)) return static_cast<double>(*n);
  double v = 0;
  if (const auto* t = std::get_if<std::string>(&cell)) std::from_chars(t->data(), t->data() + t->size(), v);
  return v;
}

namespace {

// One raw connection of either kind and the transaction it may be in. Used by one thread at a
// time (its Connection hands it out under a lock).
class Session : public Tx {
 public:
  virtual ~Session() = default;
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // Rows changed since the session was opened (SQLite; 0 elsewhere): whether a statement wrote.
  virtual int64_t Changes() const { return 0; }
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(sqlite::DbHandle db) : db_(std::move(db)) {}

  Result<Rows> Query(const std::string& text, const std::vector<Value>& params) override {
    Rows rows;
    Status s = Each(text, params, [&](Row& row) {
      rows.push_back(std::move(row));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return rows;
  }

  Status Each(const std::string& text, const std::vector<Value>& params,
              const std::function<Status(Row&)>& each) override {
    sqlite3_stmt* raw = Prepared(text);
    if (!raw) return Internal(std::string("sqlite prepare: ") + sqlite3_errmsg(db_.get()));
    // Reset when done, whatever the way out: a statement left stepping would hold its read lock.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{raw};
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(raw, index, *n);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        sqlite3_bind_double(raw, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(raw, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else if (const auto* b = std::get_if<Blob>(&params[i])) {
        sqlite3_bind_blob(raw, index, b->bytes.data(), static_cast<int>(b->bytes.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(raw, index);
      }
    }
    const int columns = sqlite3_column_count(raw);
    for (;;) {
      const int rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return StepError(rc);
      std::vector<Row::Cell> cells;
      cells.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) cells.push_back(Cell(raw, c));
      Row row(std::move(cells));
      if (Status s = each(row); !s.ok()) return s;
    }
  }

  Result<int64_t> Change(const std::string& text, const std::vector<Value>& params) override {
    if (Status s = Each(text, params, [](Row&) { return Status::Ok(); }); !s.ok()) return s;
    return static_cast<int64_t>(sqlite3_changes64(db_.get()));
  }

  Status Exec(const std::string& text) override { return sqlite::Exec(db_.get(), text); }
  const char* Dialect() const override { return "sqlite"; }
  int64_t Changes() const override { return sqlite3_total_changes64(db_.get()); }

  // Prepared once and kept, like every statement: a write costs a few of these.
  Status Begin(bool write) override { return Query(write ? "BEGIN IMMEDIATE" : "BEGIN", {}).status(); }
  Status Commit() override { return Query("COMMIT", {}).status(); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_.get())) IgnoreError(Query("ROLLBACK", {}).status());
  }

 private:
  static Row::Cell Cell(sqlite3_stmt* raw, int c) {
    switch (sqlite3_column_type(raw, c)) {
      case SQLITE_NULL: return std::monostate{};
      case SQLITE_INTEGER: return static_cast<int64_t>(sqlite3_column_int64(raw, c));
      case SQLITE_FLOAT: return sqlite3_column_double(raw, c);
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(raw, c));
        return std::string(p ? p : "", sqlite3_column_bytes(raw, c));
      }
      default: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(raw, c));
        return std::string(p ? p : "", sqlite3_column_bytes(raw, c));
      }
    }
  }

  Status StepError(int rc) {
    const int extended = sqlite3_extended_errcode(db_.get());
    const std::string detail = std::string("sqlite: ") + sqlite3_errmsg(db_.get());
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status(ErrorCode::kConflict, detail, "");
    }
    if ((rc & 0xFF) == SQLITE_FULL) return Status(ErrorCode::kStorageFull, "the disk is full", "database").WithDetail(detail);
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) {
      return Unavailable("the database is busy; send again shortly", "database").WithDetail(detail);
    }
    return Internal(detail);
  }

  // The prepared statement for `text`, kept for the next use (at most kMaxStatements: the
  // statements are the stores' own few, but a caller building SQL could make many).
  sqlite3_stmt* Prepared(const std::string& text) {
    if (auto it = statements_.find(text); it != statements_.end()) return it->second.get();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), text.c_str(), static_cast<int>(text.size()), &raw, nullptr) != SQLITE_OK) {
      return nullptr;
    }
    if (statements_.size() >= kMaxStatements) statements_.clear();
    return statements_.emplace(text, std::unique_ptr<sqlite3_stmt, sqlite::StmtFinalizer>(raw)).first->second.get();
  }
  static constexpr size_t kMaxStatements = 256;

  sqlite::DbHandle db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, sqlite::StmtFinalizer>> statements_;  // declared after db_: finalized before it closes
};

// How a write transaction begins on PostgreSQL: with the advisory lock every write holds (its key
// any number no one else uses: "DWRK" in ASCII). See PostgresSession::Begin.
constexpr char kBeginWrite[] = "BEGIN; SELECT pg_advisory_xact_lock(1146574411)";

std::string HexBytea(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string UnhexBytea(const std::string& text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  }
  return out;
}

class PostgresSession final : public Session {
 public:
  explicit PostgresSession(pg::ConnHandle conn) : conn_(std::move(conn)) {}

  Result<int64_t> Change(const std::string& text, const std::vector<Value>& params) override {
    auto result = pg::QueryPrepared(conn_.get(), prepared_, text, Texts(params));
    if (!result.ok()) return result.status();
    return result->Affected();
  }

  Result<Rows> Query(const std::string& text, const std::vector<Value>& params) override {
    auto result = pg::QueryPrepared(conn_.get(), prepared_, text, Texts(params));
    if (!result.ok()) return result.status();
    Rows rows;
    rows.reserve(result->size());
    std::vector<char> bytea(result->columns());
    for (int c = 0; c < result->columns(); ++c) bytea[c] = result->IsBytea(c);
    for (int r = 0; r < result->size(); ++r) {
      std::vector<Row::Cell> cells(static_cast<size_t>(result->columns()));  // NULL unless set
      for (int c = 0; c < result->columns(); ++c) {
        if (result->IsNull(r, c)) continue;
        cells[c] = bytea[c] ? UnhexBytea(result->Text(r, c)) : result->Text(r, c);
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  // Parameters as PostgreSQL reads them in text form.
  static std::vector<pg::Param> Texts(const std::vector<Value>& params) {
    std::vector<pg::Param> texts;
    texts.reserve(params.size());
    for (const Value& v : params) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        texts.emplace_back(std::to_string(*n));
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts.emplace_back(fmt::format("{}", *d));
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        texts.emplace_back(*s);
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        texts.emplace_back(HexBytea(b->bytes));
      } else {
        texts.emplace_back(std::nullopt);
      }
    }
    return texts;
  }

  Status Exec(const std::string& text) override { return pg::Exec(conn_.get(), text.c_str()); }
  const char* Dialect() const override { return "postgresql"; }

  // In pages of a cursor (inside the running transaction).
  Status Each(const std::string& text, const std::vector<Value>& params,
              const std::function<Status(Row&)>& each) override {
    const std::string cursor = "datenwerk_each_" + std::to_string(++cursors_);
    if (auto declared = Query("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + text, params); !declared.ok()) {
      return declared.status();
    }
    for (;;) {
      auto page = Query("FETCH 2000 FROM " + cursor, {});
      if (!page.ok()) return page.status();
      for (Row& row : *page) {
        if (Status s = each(row); !s.ok()) return s;
      }
      if (page->size() < 2000) break;
    }
    return Exec("CLOSE " + cursor);
  }

  // A write transaction first takes one cluster-wide lock, held until it ends: several nodes on
  // one database write one after another, as the threads of one node do, so a read-modify-write
  // (a series' tail chunk, a document patched, a lease taken) never loses another node's change.
  // Each node still merges its own writes into one transaction (group commit).
  Status Begin(bool write) override {
    return pg::Exec(conn_.get(), write ? kBeginWrite : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override { return pg::Exec(conn_.get(), "COMMIT"); }
  void Rollback() override {
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) IgnoreError(pg::Exec(conn_.get(), "ROLLBACK"));
  }

 private:
  pg::ConnHandle conn_;
  pg::PreparedStatements prepared_;
  int64_t cursors_ = 0;
};

// Runs `work` in a transaction of `session`: committed on Ok; rolled back on failure or throw.
Status InTransaction(Session& session, bool write, const std::function<Status(Tx&)>& work) {
  if (Status s = session.Begin(write); !s.ok()) {
    session.Rollback();
    return s;
  }
  Status s;
  try {
    s = work(session);
  } catch (...) {
    session.Rollback();
    throw;
  }
  if (s.ok()) s = session.Commit();
  if (!s.ok()) session.Rollback();
  return s;
}

// One thread waits until another sets it, once. Its own mutex (not an annotated Mutex: the
// waiter and the setter are the only users, and the lock is held for a flag only).
class OneShot {
 public:
  void Set() {
    std::lock_guard<std::mutex> lock(mu_);
    set_ = true;
    cv_.notify_one();  // under the lock: the waiter may destroy this once it sees `set_`
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return set_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool set_ = false;
};

// The writer session under its lock, and a pool of reader sessions opened on demand.
class PooledConnection final : public Connection {
 public:
  using Opener = std::function<Result<std::unique_ptr<Session>>()>;

  // `wal`: for SQLite, whose writer commits without syncing; null for PostgreSQL (its commit is
  // durable when it returns).
  PooledConnection(std::unique_ptr<Session> writer, Opener open_reader, int max_readers, std::string path,
                   std::unique_ptr<WalSync> wal)
      : dialect_(writer->Dialect()), writer_(std::move(writer)), open_reader_(std::move(open_reader)), max_readers_(max_readers),
        path_(std::move(path)), wal_(std::move(wal)) {
    writer_thread_ = std::thread([this] { WriterLoop(); });
    if (wal_) sync_thread_ = std::thread([this] { SyncLoop(); });
  }

  ~PooledConnection() override {
    {
      MutexLock lock(queue_mu_);
      stop_writer_ = true;
      work_cv_.notify_one();
    }
    writer_thread_.join();
    if (sync_thread_.joinable()) {
      {
        MutexLock lock(queue_mu_);
        stop_syncer_ = true;  // after the writer: it may hand over a last group
        sync_cv_.notify_one();
      }
      sync_thread_.join();
    }
  }

  Status Write(const std::function<Status(Tx&)>& work, const std::function<void(const Status&)>& after) override {
    if (owner_.load() == std::this_thread::get_id()) {
      return Internal("a write transaction was begun inside another on the same thread");
    }
    PendingWrite me{&work, &after};
    MutexLock lock(queue_mu_);
    if (outstanding_++ == 0) {
      // No other write is under way: the caller runs its write itself and syncs it, without
      // handing it to the writer thread and back (a third faster for a lone client). Only then:
      // under load the writer thread keeps the lead (a caller's thread may be preempted).
      running_ = true;
      lock.unlock();
      const uint64_t commit = RunGroup({&me});
      lock.lock();
      running_ = false;
      if (!queue_.empty() || stop_writer_) work_cv_.notify_one();  // they came meanwhile
      lock.unlock();
      if (commit != 0 && me.status.ok()) me.status = wal_->WaitDurable(commit);
      lock.lock();
      --outstanding_;
      lock.unlock();
    } else {
      queue_.push_back(&me);
      if (queue_.size() == 1) work_cv_.notify_one();  // the writer sleeps only on an empty queue
      lock.unlock();
      // Each caller sleeps on its own signal and is woken once, when its write is durable (or
      // failed); it needs no shared lock to go on (Answer's caller counted it as answered).
      me.answered.Wait();
    }
    if (me.error) std::rethrow_exception(me.error);
    return me.status;
  }

  Status Read(const std::function<Status(Tx&)>& work) override {
    auto session = TakeReader();
    if (!session.ok()) return session.status();
    Lease lease(this, std::move(session).value());
    Status s = InTransaction(*lease.session, false, work);
    lease.healthy = s.code() != ErrorCode::kUnavailable;
    return s;
  }

  Result<Rows> ReadOne(const std::string& sql, const std::vector<Value>& params) override {
    auto session = TakeReader();
    if (!session.ok()) return session.status();
    Lease lease(this, std::move(session).value());
    auto rows = lease.session->Query(sql, params);
    lease.healthy = rows.status().code() != ErrorCode::kUnavailable;
    return rows;
  }

  Result<Rows> Query(const std::string& sql, const std::vector<Value>& params) override {
    if (owner_.load() == std::this_thread::get_id()) {  // joins the running transaction
      write_mu_.AssertHeld();                           // taken by this thread further up
      return writer_->Query(sql, params);
    }
    return OnWriter<Result<Rows>>(false, [&](Session& writer) { return writer.Query(sql, params); });
  }

  Status Exec(const std::string& sql) override {
    if (owner_.load() == std::this_thread::get_id()) {
      write_mu_.AssertHeld();
      return writer_->Exec(sql);
    }
    // Always synced: a schema change changes no rows.
    return OnWriter<Status>(true, [&](Session& writer) { return writer.Exec(sql); });
  }

  Status Transaction(const std::function<Status(Tx&)>& work) override {
    if (owner_.load() == std::this_thread::get_id()) {  // joins the running one
      write_mu_.AssertHeld();
      return work(*writer_);
    }
    return OnWriter<Status>(false, [&](Session& writer) {
      OwnerScope owner(owner_);
      return InTransaction(writer, true, work);
    });
  }

  const char* Dialect() const override { return dialect_; }
  WriteStats Stats() const override { return {writes_.load(), groups_.load(), wal_ ? wal_->Syncs() : 0}; }
  const std::string& Path() const override { return path_; }

 private:
  struct PendingWrite {
    const std::function<Status(Tx&)>* work;
    const std::function<void(const Status&)>* after;
    Status status;
    std::exception_ptr error;
    OneShot answered;  // set once `status` and `error` are final
  };
  static constexpr size_t kMaxGroup = 1024;

  // One transaction for the group: each work in a savepoint (alone: none needed), one commit.
  // Never throws: a work's exception is kept for its caller. The commit's number for WalSync,
  // or 0 when there is nothing to wait for.
  uint64_t RunGroup(const std::vector<PendingWrite*>& group) EXCLUDES(write_mu_) {
    MutexLock lock(write_mu_);
    OwnerScope owner(owner_);
    const bool alone = group.size() == 1;
    if (Status begun = writer_->Begin(true); !begun.ok()) {
      writer_->Rollback();
      for (PendingWrite* w : group) w->status = begun;
      return 0;
    }
    bool any_ok = false;
    for (PendingWrite* w : group) {
      if (!alone) {
        if (Status sp = writer_->Query("SAVEPOINT datenwerk_write", {}).status(); !sp.ok()) {
          w->status = sp;
          continue;
        }
      }
      try {
        w->status = (*w->work)(*writer_);
      } catch (...) {
        w->error = std::current_exception();
        w->status = Internal("the write threw");
      }
      if (alone) break;
      if (w->status.ok()) {
        if (Status released = writer_->Query("RELEASE SAVEPOINT datenwerk_write", {}).status(); !released.ok()) {
          w->status = released;
        }
      }
      if (!w->status.ok()) {
        IgnoreError(writer_->Query("ROLLBACK TO SAVEPOINT datenwerk_write", {}).status());
        IgnoreError(writer_->Query("RELEASE SAVEPOINT datenwerk_write", {}).status());
      }
      any_ok = any_ok || w->status.ok();
    }
    if (alone) any_ok = group.front()->status.ok();
    Status committed = any_ok ? writer_->Commit() : Status::Ok();
    writes_.fetch_add(group.size());
    groups_.fetch_add(1);
    if (!any_ok || !committed.ok()) writer_->Rollback();
    const uint64_t number = any_ok && committed.ok() && wal_ ? wal_->Committed() : 0;
    for (PendingWrite* w : group) {
      if (!w->status.ok()) continue;
      w->status = committed;
      if (*w->after) (*w->after)(committed);
    }
    return number;
  }

  // The writer thread: runs the writes queued so far as one group (when no lone caller is running
  // its own), hands the group to the sync thread (SQLite) and goes on with the next. One thread
  // that stays on the CPU while writes keep coming: handing the lead from caller to caller
  // (LevelDB's way) left the writer idle a quarter of the time at 64 clients, waiting for the
  // next leader to be scheduled on a busy machine.
  void WriterLoop() EXCLUDES(queue_mu_) {
    pthread_setname_np(pthread_self(), "dw-writer");  // for top -H and perf
    MutexLock lock(queue_mu_);
    for (;;) {
      work_cv_.wait(lock, [&] {
        queue_mu_.AssertHeld();
        return (stop_writer_ || !queue_.empty()) && !running_;
      });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      const size_t n = std::min(queue_.size(), kMaxGroup);
      std::vector<PendingWrite*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      running_ = true;
      lock.unlock();
      const uint64_t commit = RunGroup(group);
      lock.lock();
      running_ = false;
      if (commit == 0) {  // nothing to sync (PostgreSQL, or nothing committed)
        outstanding_ -= static_cast<int64_t>(group.size());
        lock.unlock();
        Answer(group, Status::Ok());
        lock.lock();
      } else {
        to_sync_.push_back({commit, std::move(group)});
        sync_cv_.notify_one();
      }
    }
  }

  // The sync thread (SQLite): makes the committed groups durable, one sync for all that wait,
  // while the writer runs the next group; then answers their callers.
  void SyncLoop() EXCLUDES(queue_mu_) {
    pthread_setname_np(pthread_self(), "dw-sync");
    MutexLock lock(queue_mu_);
    for (;;) {
      sync_cv_.wait(lock, [&] {
        queue_mu_.AssertHeld();
        return stop_syncer_ || !to_sync_.empty();
      });
      if (to_sync_.empty()) return;
      std::vector<Committed> batches = std::move(to_sync_);
      to_sync_.clear();
      lock.unlock();
      const Status durable = wal_->WaitDurable(batches.back().number);
      lock.lock();
      for (const Committed& c : batches) outstanding_ -= static_cast<int64_t>(c.group.size());
      lock.unlock();
      for (const Committed& c : batches) Answer(c.group, durable);
      lock.lock();
    }
  }

  // Answers the group's callers (counted as answered already): each ran Ok is now `durable`'s
  // outcome. Without queue_mu_: a woken caller goes on at once instead of waiting for the lock
  // (it waited for it behind the whole group before), and new writes can queue meanwhile.
  static void Answer(const std::vector<PendingWrite*>& group, const Status& durable) {
    for (PendingWrite* w : group) {
      if (w->status.ok()) w->status = durable;
      w->answered.Set();  // the last touch: `w` may be gone once its caller is woken
    }
  }

  // For the older style: runs `run` on the writer under its lock, then waits until what it
  // committed is on disk: always with `always_sync`, else only when it changed rows (a read
  // through the writer needs no sync).
  template <typename T, typename F>
  T OnWriter(bool always_sync, F&& run) EXCLUDES(write_mu_) {
    bool wrote = false;
    T out = [&] {
      MutexLock lock(write_mu_);
      const int64_t before = writer_->Changes();
      T result = run(*writer_);
      wrote = always_sync || writer_->Changes() != before;
      return result;
    }();
    if (wrote) {
      if (Status synced = Durable(); !synced.ok()) return synced;
    }
    return out;
  }

  // For the older style: waits until what this thread committed is on disk.
  Status Durable() { return wal_ ? wal_->WaitDurable(wal_->Committed()) : Status::Ok(); }

  // Names this thread as the writer for the scope, whatever the way out (return or throw).
  class OwnerScope {
   public:
    explicit OwnerScope(std::atomic<std::thread::id>& owner) : owner_(owner) { owner_ = std::this_thread::get_id(); }
    ~OwnerScope() { owner_ = std::thread::id(); }
    OwnerScope(const OwnerScope&) = delete;
    OwnerScope& operator=(const OwnerScope&) = delete;

   private:
    std::atomic<std::thread::id>& owner_;
  };

  // A reader taken from the pool: given back when done, or closed when its server went away (a
  // new one connects afresh next time instead of waiting out a reconnect backoff).
  struct Lease {
    Lease(PooledConnection* p, std::unique_ptr<Session> s) : self(p), session(std::move(s)) {}
    ~Lease() { healthy ? self->GiveBack(std::move(session)) : self->Drop(std::move(session)); }
    PooledConnection* self;
    std::unique_ptr<Session> session;
    bool healthy = true;
  };

  Result<std::unique_ptr<Session>> TakeReader() EXCLUDES(read_mu_) {
    MutexLock lock(read_mu_);
    read_cv_.wait(lock, [&] {
      read_mu_.AssertHeld();
      return !idle_.empty() || opened_ < max_readers_;
    });
    if (!idle_.empty()) {
      auto session = std::move(idle_.back());
      idle_.pop_back();
      return session;
    }
    ++opened_;
    lock.unlock();
    auto session = open_reader_();
    if (!session.ok()) {
      MutexLock relock(read_mu_);
      --opened_;
      read_cv_.notify_one();
    }
    return session;
  }

  void Drop(std::unique_ptr<Session> session) EXCLUDES(read_mu_) {
    session.reset();
    MutexLock lock(read_mu_);
    --opened_;
    read_cv_.notify_one();
  }

  void GiveBack(std::unique_ptr<Session> session) EXCLUDES(read_mu_) {
    MutexLock lock(read_mu_);
    idle_.push_back(std::move(session));
    read_cv_.notify_one();
  }

  struct Committed {
    uint64_t number;  // WalSync's
    std::vector<PendingWrite*> group;
  };

  Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ GUARDED_BY(queue_mu_);  // not yet taken by the writer
  std::condition_variable_any work_cv_;                   // the writer waits for writes
  std::vector<Committed> to_sync_ GUARDED_BY(queue_mu_);   // committed, not yet durable
  std::condition_variable_any sync_cv_;
  bool stop_writer_ GUARDED_BY(queue_mu_) = false;
  bool running_ GUARDED_BY(queue_mu_) = false;  // a group is being written (writer or lone caller)
  int64_t outstanding_ GUARDED_BY(queue_mu_) = 0;  // writes called and not yet answered
  bool stop_syncer_ GUARDED_BY(queue_mu_) = false;
  std::atomic<uint64_t> writes_{0}, groups_{0};
  Mutex write_mu_;
  std::atomic<std::thread::id> owner_;  // the thread holding write_mu_ for a transaction
  const char* const dialect_;
  const std::unique_ptr<Session> writer_ PT_GUARDED_BY(write_mu_);
  Opener open_reader_;
  const int max_readers_;
  Mutex read_mu_;
  std::condition_variable_any read_cv_;
  std::vector<std::unique_ptr<Session>> idle_ GUARDED_BY(read_mu_);
  int opened_ GUARDED_BY(read_mu_) = 0;
  const std::string path_;
  const std::unique_ptr<WalSync> wal_;
  // Last: they start once everything above is set up, and stop before it goes.
  std::thread writer_thread_;
  std::thread sync_thread_;  // SQLite only
};

}  // namespace

const char* DatabaseNowMs(const char* dialect) {
  return std::string_view(dialect) == "postgresql"
             ? "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
             : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
}

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const std::string& what, int readers) {
  auto db = sqlite::Open(path, what);
  if (!db.ok()) return db.status();
  auto open_reader = [path, what]() -> Result<std::unique_ptr<Session>> {
    auto reader = sqlite::Open(path, what, /*read_only=*/true);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<Session>(std::make_unique<SqliteSession>(std::move(reader).value()));
  };
  // In WAL mode (a file, not ":memory:"), commits write the log without syncing it; WalSync
  // syncs it after the writer has moved on.
  std::unique_ptr<WalSync> wal;
  sqlite3_stmt* mode = nullptr;
  if (sqlite3_prepare_v2(db->get(), "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK &&
      sqlite3_step(mode) == SQLITE_ROW &&
      std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(mode, 0))) == "wal") {
    wal = std::make_unique<WalSync>(sqlite3_filename_wal(sqlite3_db_filename(db->get(), "main")));
  }
  sqlite3_finalize(mode);
  if (wal) {
    if (Status s = sqlite::Exec(db->get(), "PRAGMA synchronous=NORMAL"); !s.ok()) return s;
    // A checkpoint runs inside a commit, on the writer thread, and copies each page changed
    // since the last one: every 10,000 pages of log (about 40 MB) rather than SQLite's 1,000, the
    // hot pages (series tails, rollups) are copied a tenth as often (+10 % single uplinks at 64
    // clients, bench/single_writes.sh).
    if (Status s = sqlite::Exec(db->get(), "PRAGMA wal_autocheckpoint=10000"); !s.ok()) return s;
  }
  // The writer's page cache: 32 MiB instead of SQLite's 2 MiB keeps the pages every write
  // touches (the tails of many series, their indexes, the uplink records' newest pages) in
  // memory; with 2 MiB a city of 100,000 series read them back from the OS with a pread each
  // (+15 % ingest on bench/vm_compare.sh --city, peak RSS 197 -> 253 MiB). Readers keep 2 MiB.
  if (Status s = sqlite::Exec(db->get(), "PRAGMA cache_size=-32768"); !s.ok()) return s;
  return std::unique_ptr<Connection>(std::make_unique<PooledConnection>(
      std::make_unique<SqliteSession>(std::move(db).value()), std::move(open_reader), std::max(1, readers), path,
      std::move(wal)));
}

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo, int readers) {
  auto conn = pg::Connect(conninfo);
  if (!conn.ok()) return conn.status();
  auto open_reader = [conninfo]() -> Result<std::unique_ptr<Session>> {
    auto reader = pg::Connect(conninfo);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<Session>(std::make_unique<PostgresSession>(std::move(reader).value()));
  };
  return std::unique_ptr<Connection>(std::make_unique<PooledConnection>(
      std::make_unique<PostgresSession>(std::move(conn).value()), std::move(open_reader), std::max(1, readers), "",
      nullptr));
}

Result<std::unique_ptr<Connection>> Open(const std::string& path_or_conninfo, const std::string& what) {
  const std::string& s = path_or_conninfo;
  const bool postgres = s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0 ||
                        s.find('=') != std::string::npos;
  return postgres ? OpenPostgres(s) : OpenSqlite(s, what);
}

}  // namespace datenwerk::sql
