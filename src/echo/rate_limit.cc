#include "echo/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace datenwerk::echo {

Status RateLimiter::OpenTable(sql::Connection& db) {
  return db.Write([](sql::Tx& tx) {
    return tx.Exec("CREATE TABLE IF NOT EXISTS rate_limits (scope TEXT NOT NULL, client TEXT NOT NULL, "
                   "tokens DOUBLE PRECISION NOT NULL, updated_ms BIGINT NOT NULL, PRIMARY KEY (scope, client))");
  });
}

Result<int64_t> RateLimiter::ForgetIdle(sql::Connection& db, int64_t idle_ms) {
  Result<int64_t> gone = int64_t{0};
  Status s = db.Write([&](sql::Tx& tx) {
    gone = tx.Change(std::string("DELETE FROM rate_limits WHERE updated_ms < ") + sql::DatabaseNowMs(tx.Dialect()) +
                         " - $1",
                     {idle_ms});
    return gone.status();
  });
  if (!s.ok()) return s;
  return gone;
}

bool RateLimiter::AllowShared(const std::string& key, int64_t* wait_ms) {
  // One statement takes a token when the bucket, refilled up to now, holds one: a new bucket
  // starts full; a refused take changes nothing. Refill: one token per refill interval.
  bool allowed = false;
  double tokens = 0;
  Status s = shared_->Write([&](sql::Tx& tx) -> Status {
    const std::string now = sql::DatabaseNowMs(tx.Dialect());
    const std::string refilled = "rate_limits.tokens + (" + now + " - rate_limits.updated_ms) * 1.0 / $4";
    auto taken = tx.Change("INSERT INTO rate_limits (scope, client, tokens, updated_ms) VALUES ($1, $2, $3 - 1, " + now +
                               ") ON CONFLICT (scope, client) DO UPDATE SET tokens = (CASE WHEN " + refilled +
                               " > $3 THEN $3 ELSE " + refilled + " END) - 1, updated_ms = " + now + " WHERE " +
                               refilled + " >= 1",
                           {scope_, key, int64_t{burst_}, refill_ms_});
    if (!taken.ok()) return taken.status();
    allowed = *taken > 0;
    if (allowed) return Status::Ok();
    auto left = tx.Query("SELECT tokens + (" + now + " - updated_ms) * 1.0 / $1 FROM rate_limits WHERE scope = $2 AND client = $3",
                         {refill_ms_, scope_, key});
    if (!left.ok()) return left.status();
    if (!left->empty()) tokens = left->front().Real(0);
    return Status::Ok();
  });
  if (!s.ok()) return true;  // the database is away: the filing will say so
  if (!allowed && wait_ms) *wait_ms = static_cast<int64_t>(std::ceil(std::max(0.0, 1 - tokens) * static_cast<double>(refill_ms_)));
  return allowed;
}

bool RateLimiter::Allow(const std::string& key, int64_t now_ms, int64_t* wait_ms) {
  if (shared_) return AllowShared(key, wait_ms);
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
