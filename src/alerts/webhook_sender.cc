#include "alerts/webhook_sender.h"

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace datenwerk::alerts {

namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

void InitLibraries() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return sodium_init() >= 0;
  }();
  (void)done;
}

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListCleanup {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// One POST; Ok on a 2xx answer, else why not.
Status Post(const OutboxEntry& e, int64_t now_ms, std::chrono::seconds timeout) {
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (!curl) return Internal("curl_easy_init failed");
  const int64_t ts = now_ms / 1000;
  std::unique_ptr<curl_slist, ListCleanup> headers;
  for (const std::string& h : {std::string("Content-Type: application/json"),
                               "Idempotency-Key: " + e.idempotency_key,
                               "X-Datenwerk-Timestamp: " + std::to_string(ts),
                               "X-Datenwerk-Signature: sha256=" + SignPayload(e.secret, ts, e.payload)}) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, e.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, e.payload.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(e.payload.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Datenwerk-Alerts/1");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Unavailable(curl_easy_strerror(rc), "webhook");
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return Unavailable("answered HTTP " + std::to_string(status), "webhook");
  return Status::Ok();
}

}  // namespace

std::string SignPayload(const std::string& secret, int64_t timestamp_s, const std::string& body) {
  InitLibraries();
  const std::string message = std::to_string(timestamp_s) + "." + body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof mac);
}

std::string NewWebhookSecret() {
  InitLibraries();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

Status CheckWebhookUrl(const std::string& url) {
  if ((!url.starts_with("http://") && !url.starts_with("https://")) || url.size() > 2'000 ||
      url.find_first_of(" \r\n\t") != std::string::npos) {
    return InvalidArgument("must be an http:// or https:// URL of at most 2,000 characters", "url");
  }
  return Status::Ok();
}

WebhookSender::WebhookSender(AlertStore& store, std::function<int64_t()> now_ms, SenderOptions options)
    : store_(store), now_ms_(std::move(now_ms)), options_(options) {
  InitLibraries();
}

WebhookSender::~WebhookSender() { Stop(); }

int WebhookSender::DeliverDue() {
  if (options_.active && !options_.active()) return 0;
  auto due = store_.Due(now_ms_(), 100);
  if (!due.ok()) {
    spdlog::warn("webhooks: cannot read the outbox: {}", due.status().message());
    return 0;
  }
  int delivered = 0;
  for (const OutboxEntry& e : *due) {
    Status s = Post(e, now_ms_(), options_.timeout);
    if (s.ok()) {
      ++delivered;
      if (Status m = store_.MarkDelivered(e.id, now_ms_()); !m.ok()) spdlog::warn("webhooks: {}", m.message());
      continue;
    }
    const int attempts = e.attempts + 1;
    const int64_t shift = std::min(attempts - 1, 30);
    const int64_t delay = std::min<int64_t>(options_.first_retry.count() << shift, options_.max_retry.count());
    if (attempts == 1 || attempts % 10 == 0) {
      spdlog::warn("webhooks: {} to {} failed ({} attempts): {}", e.idempotency_key, e.url, attempts, s.message());
    }
    if (Status m = store_.MarkFailed(e.id, attempts, now_ms_() + delay, s.message()); !m.ok()) {
      spdlog::warn("webhooks: {}", m.message());
    }
  }
  return delivered;
}

void WebhookSender::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void WebhookSender::Start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void WebhookSender::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll, [this] { return stopping_ || woken_; });
    if (stopping_) break;
    woken_ = false;
    lock.unlock();
    DeliverDue();
    lock.lock();
  }
}

void WebhookSender::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace datenwerk::alerts
