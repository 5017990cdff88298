// Back-pressure for writes to the SensorThings store. Writes are serialised by the store, and
// each waits on a server thread; at most `limit` may be in flight (writing or waiting), so
// threads stay free for readers. Beyond that a write is answered at once with 503 and
// Retry-After, instead of queueing without bound. Thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <utility>

#include "http/message.h"

namespace datenwerk::api {

class WriteGate {
 public:
  explicit WriteGate(int limit) : limit_(limit) {}

  // Holds a place until destroyed.
  class Ticket {
   public:
    explicit Ticket(std::atomic<int>& in_flight) : in_flight_(&in_flight) {}
    Ticket(Ticket&& other) noexcept : in_flight_(std::exchange(other.in_flight_, nullptr)) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (in_flight_) in_flight_->fetch_sub(1);
    }

   private:
    std::atomic<int>* in_flight_;
  };

  // A place, or nullopt when `limit` writes are in flight.
  std::optional<Ticket> Enter() {
    if (in_flight_.fetch_add(1) >= limit_) {
      in_flight_.fetch_sub(1);
      return std::nullopt;
    }
    return Ticket(in_flight_);
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
  std::atomic<int> in_flight_{0};
};

}  // namespace datenwerk::api
