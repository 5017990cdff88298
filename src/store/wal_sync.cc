#include "store/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

namespace datenwerk::sql {

WalSync::WalSync(std::string wal_path) : wal_path_(std::move(wal_path)) {}

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t WalSync::Committed() {
  MutexLock lock(mu_);
  return ++committed_;
}

Status WalSync::WaitDurable(uint64_t number) {
  MutexLock lock(mu_);
  while (synced_ < number && failed_.ok()) {
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    // This thread syncs for everyone: every commit numbered so far is in the file already.
    syncing_ = true;
    const uint64_t covers = committed_;
    lock.unlock();
    Status s = SyncFile();
    lock.lock();
    syncing_ = false;
    ++syncs_;
    if (s.ok()) {
      synced_ = covers;
    } else {
      failed_ = s;
      spdlog::critical("{} ({})", s.message(), s.detail());
    }
    synced_cv_.notify_all();
  }
  return failed_;
}

uint64_t WalSync::Syncs() const {
  MutexLock lock(mu_);
  return syncs_;
}

Status WalSync::SyncFile() {
  // fsync applies to the file, not the descriptor: SQLite's own writes through its descriptor
  // are flushed by this one (Linux). The WAL lives as long as the writer connection is open.
  if (fd_ < 0) fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    return Unavailable("the database's log cannot be opened to make a write durable", "database")
        .WithDetail(wal_path_ + ": " + std::strerror(errno));
  }
  if (::fdatasync(fd_) != 0) {
    return Unavailable("the disk did not confirm a write; the server must restart", "database")
        .WithDetail(wal_path_ + ": fdatasync: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace datenwerk::sql
