// Drains the mail outbox through the city's SMTP relay, with libcurl (smtp:// or smtps://,
// STARTTLS when the relay offers it, optional login). Messages are RFC 5322 plain text in UTF-8
// (subject RFC 2047-encoded, body base64). A failed mail is tried again after 1 min, 2, 4, … at
// most 6 h apart. Without a relay URL nothing is sent and the mail waits in the outbox.
// Thread-safe; one sending thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "mail/outbox.h"

namespace datenwerk::mail {

struct RelayOptions {
  std::string url;       // "smtp://mail.stadt.de:587"; empty: no sending
  std::string from;      // "smart-city@bochum.de"
  std::string user, password;
  std::chrono::milliseconds poll{5'000};
  std::chrono::seconds timeout{20};
  // Sends only while this answers true (this node holds the job: cluster/leases.h); none: always.
  std::function<bool()> active;
};

// The whole message as it goes over the wire (headers and base64 body), for `mail` at `now_ms`.
std::string ComposeMessage(const Mail& mail, const std::string& from, int64_t now_ms);

class Relay {
 public:
  // Borrows the outbox.
  Relay(Outbox& outbox, RelayOptions options, std::function<int64_t()> now_ms);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  void Start();
  void Stop();
  // Sends what is due now; the number sent.
  int SendDue();
  void Wake();

 private:
  void Run();
  Status Send(const Mail& mail);

  Outbox& outbox_;
  RelayOptions options_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, woken_ = false;
  std::thread thread_;
};

}  // namespace datenwerk::mail
