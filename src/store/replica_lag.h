// How far a streaming replica may be behind its primary, measured without trusting any clock
// but this process's own: now and then the primary's WAL position is noted with the (steady)
// time it was asked for; once the replica has replayed past a noted position, it holds every
// commit made before that time. Pure; not thread-safe (one prober owns it).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

namespace datenwerk::sql {

// A PostgreSQL WAL position ("16/B374D848") as a number; nullopt when it is not one.
std::optional<uint64_t> ParseLsn(std::string_view text);

class LagBound {
 public:
  using Clock = std::chrono::steady_clock;

  // Keeps at most `max_samples` positions (the oldest go first).
  explicit LagBound(size_t max_samples = 1024) : max_samples_(max_samples) {}

  // The primary's position `lsn`, asked for at `asked` (before the question was sent: every
  // commit acknowledged before then lies at or below it). Samples must come in time order.
  void NotePrimary(Clock::time_point asked, uint64_t lsn);
  // The latest time before which the replica, having replayed up to `replayed`, holds every
  // commit of the primary; nullopt when it is behind every position noted. Forgets the samples
  // older than the one it answers with (they can never answer again).
  std::optional<Clock::time_point> CaughtUpTo(uint64_t replayed);
  void Clear() { samples_.clear(); }
  size_t size() const { return samples_.size(); }

 private:
  struct Sample {
    Clock::time_point asked;
    uint64_t lsn;
  };
  size_t max_samples_;
  std::deque<Sample> samples_;  // time order, and so position order
};

}  // namespace datenwerk::sql
