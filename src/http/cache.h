// Conditional GET and a response cache keyed by the data version. Public GET responses are
// computed once per version of the data and reused until the next write; each carries an ETag so
// that clients revalidate with If-None-Match and get 304 when nothing changed.
// Thread-safe.
#pragma once

#include <cstdint>
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
  // `version` returns the current data version; `max_entries` bounds memory. Paths under
  // `uncached_prefixes` (data with a version of its own, static files) bypass the cache.
  ResponseCache(std::function<uint64_t()> version, size_t max_entries = 4096,
                std::vector<std::string> uncached_prefixes = {});

  // Answers from the cache or calls `next`. Requests with credentials bypass the cache.
  Response Handle(const Request& request, const Handler& next);

 private:
  struct Entry {
    uint64_t version;
    Response response;
  };
  std::function<uint64_t()> version_;
  size_t max_entries_;
  std::vector<std::string> uncached_prefixes_;
  std::string boot_id_;  // makes ETags unique across restarts
  std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace datenwerk::http
