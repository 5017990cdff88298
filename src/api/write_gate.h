// Back-pressure for writes to the one database. Writes wait on server threads for their group's
// commit (sql::Connection::Write merges concurrent writes into one transaction and one sync), so
// a burst queues instead of being refused: up to `limit` writes (10,000 by default, a gateway's
// backlog of uplinks after an outage) and `byte_budget` bytes of their bodies may be in flight,
// writing or waiting. Beyond either a write is answered at once with 503 and Retry-After.
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

#include "http/message.h"

namespace datenwerk::api {

class WriteGate {
 public:
  static constexpr int kDefaultLimit = 10'000;
  static constexpr size_t kDefaultByteBudget = size_t{512} << 20;

  explicit WriteGate(int limit = kDefaultLimit, size_t byte_budget = kDefaultByteBudget)
      : limit_(limit), byte_budget_(byte_budget) {}

  // Holds a place (and its bytes) until destroyed.
  class Ticket {
   public:
    Ticket(WriteGate& gate, size_t bytes) : gate_(&gate), bytes_(bytes) {}
    Ticket(Ticket&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)), bytes_(other.bytes_) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (!gate_) return;
      gate_->bytes_.fetch_sub(bytes_);
      gate_->in_flight_.fetch_sub(1);
    }

   private:
    WriteGate* gate_;
    size_t bytes_;
  };

  // A place for a write whose body has `bytes`, or nullopt when `limit` writes or the byte
  // budget are taken (a single write larger than the budget gets a place when it is alone).
  std::optional<Ticket> Enter(size_t bytes = 0) {
    if (in_flight_.fetch_add(1) >= limit_) {
      in_flight_.fetch_sub(1);
      return std::nullopt;
    }
    if (bytes_.fetch_add(bytes) + bytes > byte_budget_ && in_flight_.load() > 1) {
      bytes_.fetch_sub(bytes);
      in_flight_.fetch_sub(1);
      return std::nullopt;
    }
    return Ticket(*this, bytes);
  }

  // The answer when Enter() gave nothing: 503, Retry-After, and a JSON error.
  static http::Response Busy() {
    http::Response r = http::ErrorResponse(
        Status(ErrorCode::kUnavailable,
               "too many writes in progress; send again after Retry-After seconds", "request"));
    r.With("Retry-After", "1");
    r.log_detail.clear();  // back-pressure is the expected answer under load, not a fault to log
    return r;
  }

 private:
  const int limit_;
  const size_t byte_budget_;
  std::atomic<int> in_flight_{0};
  std::atomic<size_t> bytes_{0};
};

}  // namespace datenwerk::api
