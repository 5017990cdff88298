// How often one client may file: a token bucket per key (the client's address for the public
// form, the API key for Open311 apps that file for many people). Memory is bounded: beyond
// `max_keys` the longest-idle keys are forgotten (a forgotten key starts with a full bucket, which
// errs towards letting people report). Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace datenwerk::echo {

class RateLimiter {
 public:
  // `burst` filings at once, then one every `refill_ms`.
  RateLimiter(int burst, int64_t refill_ms, size_t max_keys = 100'000)
      : burst_(burst), refill_ms_(refill_ms), max_keys_(max_keys) {}

  // Takes one filing for `key` at `now_ms`; false (and nothing taken) when its bucket is empty,
  // with the milliseconds until the next filing is allowed in `*wait_ms`.
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
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace datenwerk::echo
