#include "http/cache.h"

#include <chrono>
#include <mutex>

namespace datenwerk::http {

ResponseCache::ResponseCache(std::function<uint64_t()> version, size_t max_entries,
                             std::vector<std::string> uncached_prefixes, size_t max_bytes)
    : version_(std::move(version)),
      max_entries_(max_entries),
      uncached_prefixes_(std::move(uncached_prefixes)),
      max_bytes_(max_bytes),
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
  std::string key = KeyFor(request);
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.version == version) return it->second.response;
  }
  Response response = next(request);
  if (response.status != 200 || response.stream) return response;
  response.With("ETag", etag).With("Cache-Control", "no-cache");
  if (!response.shared_body) {
    response.shared_body = std::make_shared<const std::string>(std::move(response.body));
    response.body.clear();
  }
  const size_t bytes = response.shared_body->size() + 2 * key.size() + 256;
  if (bytes > max_bytes_ / 8) return response;
  std::unique_lock lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {  // a stale version: replace it
    bytes_ -= it->second.bytes;
    it->second = Entry{version, response, bytes};
    bytes_ += bytes;
    return response;
  }
  EvictUntilFits(bytes);
  entries_.emplace(key, Entry{version, response, bytes});
  order_.push_back(std::move(key));
  bytes_ += bytes;
  return response;
}

std::string ResponseCache::KeyFor(const Request& request) {
  if (request.query.empty()) return request.path;
  std::string key = request.path;  // the query map is sorted and decoded already
  char separator = '?';
  for (const auto& [name, value] : request.query) {
    key += separator;
    key += PercentEncode(name);
    key += '=';
    key += PercentEncode(value);
    separator = '&';
  }
  return key;
}

void ResponseCache::EvictUntilFits(size_t incoming) {
  while (!order_.empty() &&
         (entries_.size() >= max_entries_ || bytes_ + incoming > max_bytes_)) {
    auto it = entries_.find(order_.front());
    if (it != entries_.end()) {
      bytes_ -= it->second.bytes;
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

size_t ResponseCache::entries() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

size_t ResponseCache::bytes() const {
  std::shared_lock lock(mu_);
  return bytes_;
}

}  // namespace datenwerk::http
