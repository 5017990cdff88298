// Delivers the alert notifications of the outbox (alert_store.h) to the webhooks, with libcurl:
// POST of the JSON payload with
//   Idempotency-Key: alert-17-firing           (the same on every attempt: receivers deduplicate)
//   X-Datenwerk-Timestamp: 1764412800          (Unix seconds of this attempt)
//   X-Datenwerk-Signature: sha256=<hex>        (HMAC-SHA256 with the webhook's secret over
//                                               "<timestamp>.<body>", libsodium)
// A 2xx answer delivers it; anything else (or no answer in 10 s) is tried again after 1 s,
// 2 s, 4 s, … at most an hour apart, for as long as the webhook exists: the outbox is persisted,
// so a restart of either side loses nothing. Thread-safe; one delivery thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "alerts/alert_store.h"

namespace datenwerk::alerts {

std::string SignPayload(const std::string& secret, int64_t timestamp_s, const std::string& body);
// A new random secret (32 bytes as hex).
std::string NewWebhookSecret();
// kInvalidArgument unless an http:// or https:// URL of at most 2,000 characters.
Status CheckWebhookUrl(const std::string& url);

struct SenderOptions {
  std::chrono::milliseconds poll{500};
  std::chrono::milliseconds first_retry{1'000};
  std::chrono::milliseconds max_retry{3'600'000};
  std::chrono::seconds timeout{10};
  // Delivers only while this answers true (this node holds the job: cluster/leases.h), so that
  // several nodes on one outbox deliver each notification once; none: always.
  std::function<bool()> active;
};

class WebhookSender {
 public:
  // Borrows the store.
  WebhookSender(AlertStore& store, std::function<int64_t()> now_ms, SenderOptions options = {});
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void Start();
  void Stop();
  // Delivers what is due now; the number delivered.
  int DeliverDue();
  // Looks at the outbox at once (after an alert change).
  void Wake();

 private:
  void Run();

  AlertStore& store_;
  std::function<int64_t()> now_ms_;
  SenderOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, woken_ = false;
  std::thread thread_;
};

}  // namespace datenwerk::alerts
