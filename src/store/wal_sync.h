// Makes SQLite commits durable after the writer has moved on. The writer connection commits with
// synchronous=NORMAL (WAL frames written, not synced); WaitDurable() then syncs the WAL file
// outside the writer lock (on sql::Connection's sync thread, or on the caller's for the older
// style), so one group's sync overlaps the next group's work, and one sync
// covers every commit made before it began (LevelDB syncs its log the same way). Nobody is told
// a write succeeded before the sync covering its commit has finished; a read may see a commit
// a moment before it is durable. A crash of the process loses nothing either way (the frames
// are in the operating system's cache); a power cut loses only unacknowledged commits.
// Private to store. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/thread_annotations.h"

namespace datenwerk::sql {

class WalSync {
 public:
  // `wal_path`: the SQLite database's log file (sqlite3_filename_wal).
  explicit WalSync(std::string wal_path);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Call right after each commit on the writer (still holding the writer): the commit's number.
  uint64_t Committed() EXCLUDES(mu_);
  // Returns once commit `number` is on disk. A failed sync fails this and every later call:
  // after a failed fsync the kernel may have dropped the pages (PostgreSQL stops for the same
  // reason), so the process must restart and recover from the file.
  Status WaitDurable(uint64_t number) EXCLUDES(mu_);
  uint64_t Syncs() const EXCLUDES(mu_);

 private:
  Status SyncFile() EXCLUDES(mu_);

  const std::string wal_path_;
  mutable Mutex mu_;
  std::condition_variable_any synced_cv_;
  uint64_t committed_ GUARDED_BY(mu_) = 0;
  uint64_t synced_ GUARDED_BY(mu_) = 0;
  uint64_t syncs_ GUARDED_BY(mu_) = 0;
  bool syncing_ GUARDED_BY(mu_) = false;
  Status failed_ GUARDED_BY(mu_);
  int fd_ = -1;  // only the thread that is syncing touches it
};

}  // namespace datenwerk::sql
