#include "cluster/lease_keeper.h"

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <vector>

namespace datenwerk::cluster {

LeaseKeeper::LeaseKeeper(LeaseTable& table, std::string holder, std::chrono::milliseconds length)
    : table_(table), holder_(std::move(holder)), length_(length) {}

LeaseKeeper::~LeaseKeeper() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::vector<std::string> held;
  {
    MutexLock lock(mu_);
    for (auto& [name, job] : jobs_) {
      if (job.lease) held.push_back(name);
      job.lease.reset();
    }
  }
  for (const std::string& name : held) {
    if (Status s = table_.Release(name, holder_); !s.ok()) {
      spdlog::warn("lease of {} not released ({}); another node takes it when it runs out", name, s.message());
    }
  }
}

void LeaseKeeper::Add(const std::string& job, std::function<void(bool)> changed) {
  MutexLock lock(mu_);
  jobs_[job].changed = std::move(changed);
}

void LeaseKeeper::Start() {
  RenewAll();
  thread_ = std::thread([this] { Run(); });
}

std::optional<Lease> LeaseKeeper::Held(const std::string& job) const {
  MutexLock lock(mu_);
  auto it = jobs_.find(job);
  if (it == jobs_.end() || !it->second.lease || std::chrono::steady_clock::now() >= it->second.until) {
    return std::nullopt;
  }
  return it->second.lease;
}

void LeaseKeeper::RenewAll() {
  std::vector<std::string> names;
  {
    MutexLock lock(mu_);
    for (const auto& [name, job] : jobs_) names.push_back(name);
  }
  // A fifth of the length as margin: the node stops counting on its lease before the database's
  // clock ends it, whatever the delay between asking and hearing back.
  const auto margin = length_ / 5;
  std::vector<std::pair<std::function<void(bool)>, bool>> changes;
  for (const std::string& name : names) {
    const auto asked = std::chrono::steady_clock::now();
    auto lease = table_.Acquire(name, holder_, length_);
    MutexLock lock(mu_);
    Job& job = jobs_[name];
    if (lease.ok()) {
      if (lease->holder == holder_) {
        if (!job.lease || job.lease->epoch != lease->epoch) spdlog::info("this node now does {}", name);
        job.lease = *lease;
        job.until = asked + length_ - margin;
      } else {
        job.lease.reset();
      }
    } else {
      spdlog::warn("lease of {} not renewed: {}", name, lease.status().message());
    }
    const bool held = job.lease && std::chrono::steady_clock::now() < job.until;
    if (held != job.announced) {
      job.announced = held;
      if (job.changed) changes.emplace_back(job.changed, held);
    }
  }
  for (auto& [changed, held] : changes) changed(held);
}

void LeaseKeeper::Run() {
  MutexLock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, length_ / 3, [this] {
      mu_.AssertHeld();
      return stop_;
    });
    if (stop_) break;
    lock.unlock();
    RenewAll();
    lock.lock();
  }
}

std::string NodeName(uint16_t port) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  if (sodium_init() < 0) return std::string(host) + ":" + std::to_string(port);
  unsigned char random[4];
  randombytes_buf(random, sizeof random);
  char suffix[2 * sizeof random + 1];
  sodium_bin2hex(suffix, sizeof suffix, random, sizeof random);
  return std::string(host) + ":" + std::to_string(port) + "/" + suffix;
}

}  // namespace datenwerk::cluster
