#include "mail/relay.h"

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

namespace datenwerk::mail {

namespace {

std::string Base64(std::string_view data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// "=?UTF-8?B?...?=" when the text is not plain ASCII.
std::string EncodedWord(const std::string& text) {
  bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
  return ascii ? text : "=?UTF-8?B?" + Base64(text) + "?=";
}

// Header values never carry a line break (no header injection through a subject).
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

struct Reader {
  std::string_view data;
  static size_t Read(char* buffer, size_t size, size_t count, void* self) {
    auto* r = static_cast<Reader*>(self);
    size_t n = std::min(size * count, r->data.size());
    std::memcpy(buffer, r->data.data(), n);
    r->data.remove_prefix(n);
    return n;
  }
};

}  // namespace

std::string ComposeMessage(const Mail& m, const std::string& from, int64_t now_ms) {
  char date[64];
  std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string out;
  out += "Date: " + std::string(date) + "\r\n";
  out += "From: " + OneLine(from) + "\r\n";
  out += "To: " + OneLine(m.to) + "\r\n";
  out += "Subject: " + EncodedWord(OneLine(m.subject)) + "\r\n";
  out += "Message-ID: <datenwerk-" + std::to_string(m.id) + "-" + std::to_string(m.created_ms) + "@" +
         OneLine(from.substr(from.find('@') + 1)) + ">\r\n";
  out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  const std::string body = Base64(m.body);
  for (size_t i = 0; i < body.size(); i += 76) out += body.substr(i, 76) + "\r\n";
  return out;
}

Relay::Relay(Outbox& outbox, RelayOptions options, std::function<int64_t()> now_ms)
    : outbox_(outbox), options_(std::move(options)), now_ms_(std::move(now_ms)) {
  static const bool initialised = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return sodium_init() >= 0;
  }();
  (void)initialised;
}

Relay::~Relay() { Stop(); }

void Relay::Start() {
  if (options_.url.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void Relay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Relay::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Relay::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    SendDue();
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

int Relay::SendDue() {
  if (options_.url.empty() || (options_.active && !options_.active())) return 0;
  const int64_t now = now_ms_();
  auto due = outbox_.Due(now, 50);
  if (!due.ok()) {
    spdlog::warn("mail: outbox not readable: {}", due.status().message());
    return 0;
  }
  int sent = 0;
  for (const Mail& m : *due) {
    Status s = Send(m);
    if (s.ok()) {
      ++sent;
      if (Status marked = outbox_.MarkSent(m.id, now_ms_()); !marked.ok()) spdlog::error("mail: {}", marked.message());
      continue;
    }
    const int64_t pause = std::min<int64_t>(60'000LL << std::min(m.attempts, 9), 6 * 3'600'000LL);
    spdlog::warn("mail {} to {} not sent (attempt {}): {}", m.id, m.to, m.attempts + 1, s.message());
    if (Status marked = outbox_.MarkFailed(m.id, s.message(), now + pause); !marked.ok()) {
      spdlog::error("mail: {}", marked.message());
    }
  }
  return sent;
}

Status Relay::Send(const Mail& m) {
  struct CurlCleanup {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  struct ListCleanup {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (!curl) return Internal("curl_easy_init failed");
  CURL* c = curl.get();
  const std::string message = ComposeMessage(m, options_.from, now_ms_());
  Reader reader{message};
  const std::string from = "<" + options_.from + ">";
  std::unique_ptr<curl_slist, ListCleanup> recipients(curl_slist_append(nullptr, ("<" + m.to + ">").c_str()));
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &Reader::Read);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Unavailable(curl_easy_strerror(rc), "smtp");
  return Status::Ok();
}

}  // namespace datenwerk::mail
