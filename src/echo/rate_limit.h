// How often one client may file: a token bucket per key (the client's address for the public
// form, the API key for Open311 apps that file for many people). In memory for one node: bounded,
// beyond `max_keys` the longest-idle keys are forgotten (a forgotten key starts with a full
// bucket, which errs towards letting people report). Shared by several nodes on PostgreSQL: the
// buckets live in the table rate_limits, on the database's clock, so a client that HAProxy sends
// to a different node each time gets the same limit. Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

class RateLimiter {
 public:
  // `burst` filings at once, then one every `refill_ms`.
  RateLimiter(int burst, int64_t refill_ms, size_t max_keys = 100'000)
      : burst_(burst), refill_ms_(refill_ms), max_keys_(max_keys) {}
  // The buckets of `scope` in the table of `shared` (borrowed; RateLimiter::OpenTable made it).
  RateLimiter(int burst, int64_t refill_ms, sql::Connection& shared, std::string scope)
      : burst_(burst), refill_ms_(refill_ms), max_keys_(0), shared_(&shared), scope_(std::move(scope)) {}

  // Creates the table of shared buckets when missing.
  static Status OpenTable(sql::Connection& db);
  // Removes shared buckets untouched for `idle_ms` (full again by then): housekeeping.
  static Result<int64_t> ForgetIdle(sql::Connection& db, int64_t idle_ms);

  // Takes one filing for `key` at `now_ms`; false (and nothing taken) when its bucket is empty,
  // with the milliseconds until the next filing is allowed in `*wait_ms`. Shared: `now_ms` is not
  // used (the database's clock is), and a database that cannot be reached lets the filing through
  // (the filing itself then fails with the database's error).
  bool Allow(const std::string& key, int64_t now_ms, int64_t* wait_ms = nullptr);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;
    std::list<std::string>::iterator lru;
  };
  const int burst_;
  const int64_t refill_ms_;
  const size_t max_keys_;
  sql::Connection* const shared_ = nullptr;
  const std::string scope_;
  bool AllowShared(const std::string& key, int64_t* wait_ms);
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace datenwerk::echo
