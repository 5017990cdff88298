#include "http/cache.h"

#include <chrono>
#include <mutex>

namespace datenwerk::http {

ResponseCache::ResponseCache(std::function<uint64_t()> version, size_t max_entries,
                             std::vector<std::string> uncached_prefixes)
    : version_(std::move(version)),
      max_entries_(max_entries),
      uncached_prefixes_(std::move(uncached_prefixes)),
      boot_id_(std::to_string(
          std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'007)) {}

Response ResponseCache::Handle(const Request& request, const Handler& next) {
  if (request.method != "GET" || !request.Header("authorization").empty() ||
      !request.Header("x-api-key").empty()) {
    return next(request);
  }
  for (const std::string& prefix : uncached_prefixes_) {
    if (request.path.starts_with(prefix)) return next(request);
  }
  // Read the version before computing: a response is never filed under a newer version than
  // the data it was made from.
  const uint64_t version = version_();
  const std::string etag = "\"" + boot_id_ + "-" + std::to_string(version) + "\"";
  if (request.Header("if-none-match") == etag) {
    Response not_modified;
    not_modified.status = 304;
    not_modified.content_type.clear();
    return not_modified.With("ETag", etag);
  }
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(request.target);
    if (it != entries_.end() && it->second.version == version) return it->second.response;
  }
  Response response = next(request);
  if (response.status != 200) return response;
  response.With("ETag", etag).With("Cache-Control", "no-cache");
  if (!response.shared_body) {
    response.shared_body = std::make_shared<const std::string>(std::move(response.body));
    response.body.clear();
  }
  std::unique_lock lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[request.target] = Entry{version, response};
  return response;
}

}  // namespace datenwerk::http
