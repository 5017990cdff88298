#include "echo/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace datenwerk::echo {

bool RateLimiter::Allow(const std::string& key, int64_t now_ms, int64_t* wait_ms) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_ && !lru_.empty()) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{static_cast<double>(burst_), now_ms, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& b = it->second;
  if (now_ms > b.at_ms) {
    b.tokens = std::min<double>(burst_, b.tokens + static_cast<double>(now_ms - b.at_ms) / static_cast<double>(refill_ms_));
    b.at_ms = now_ms;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  if (wait_ms) *wait_ms = static_cast<int64_t>(std::ceil((1 - b.tokens) * static_cast<double>(refill_ms_)));
  return false;
}

}  // namespace datenwerk::echo
