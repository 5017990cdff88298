// Conditional GET and a response cache keyed by the data version. Public GET responses are
// computed once per version of the data and reused until the next write; each carries an ETag so
// that clients revalidate with If-None-Match and get 304 when nothing changed.
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.h"
#include "http/router.h"

namespace datenwerk::http {

class ResponseCache {
 public:
  // `version` returns the current data version. Memory is bounded by `max_entries` and
  // `max_bytes` (bodies and keys): the oldest entries go first, and a body larger than an
  // eighth of `max_bytes` is not kept. Entries are keyed by path and the query parameters in
  // sorted order, so "?a=1&b=2" and "?b=2&a=1" share one. Paths under `uncached_prefixes` (data
  // with a version of its own, static files) bypass the cache.
  ResponseCache(std::function<uint64_t()> version, size_t max_entries = 4096,
                std::vector<std::string> uncached_prefixes = {}, size_t max_bytes = 24 << 20);

  // What the cache holds now (for tests and metrics).
  size_t entries() const;
  size_t bytes() const;

  // Answers from the cache or calls `next`. Requests with credentials bypass the cache.
  Response Handle(const Request& request, const Handler& next);

 private:
  struct Entry {
    uint64_t version;
    Response response;
    size_t bytes;
  };
  static std::string KeyFor(const Request& request);
  void EvictUntilFits(size_t incoming);  // needs mu_ held exclusively

  std::function<uint64_t()> version_;
  size_t max_entries_;
  std::vector<std::string> uncached_prefixes_;
  size_t max_bytes_;
  std::string boot_id_;  // makes ETags unique across restarts
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::deque<std::string> order_;                   // keys, oldest first; guarded by mu_
  size_t bytes_ = 0;                                // guarded by mu_
};

}  // namespace datenwerk::http
