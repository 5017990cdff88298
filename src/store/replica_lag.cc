#include "store/replica_lag.h"

#include <charconv>

namespace datenwerk::sql {

std::optional<uint64_t> ParseLsn(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 8 || text.size() - slash - 1 == 0 ||
      text.size() - slash - 1 > 8) {
    return std::nullopt;
  }
  uint32_t high = 0, low = 0;
  auto parse = [](std::string_view part, uint32_t& out) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out, 16);
    return error == std::errc() && end == part.data() + part.size();
  };
  if (!parse(text.substr(0, slash), high) || !parse(text.substr(slash + 1), low)) return std::nullopt;
  return (uint64_t{high} << 32) | low;
}

void LagBound::NotePrimary(Clock::time_point asked, uint64_t lsn) {
  // A position below the last one noted means another primary (a failover to a replica that had
  // not received everything): the earlier samples describe a history that is gone.
  if (!samples_.empty() && lsn < samples_.back().lsn) samples_.clear();
  if (!samples_.empty() && samples_.back().lsn == lsn) {
    samples_.back().asked = asked;  // nothing new on the primary: the newer time says more
    return;
  }
  samples_.push_back({asked, lsn});
  while (samples_.size() > max_samples_) samples_.pop_front();
}

std::optional<LagBound::Clock::time_point> LagBound::CaughtUpTo(uint64_t replayed) {
  // The newest sample at or below `replayed`; positions rise with time, so search from the back.
  size_t found = samples_.size();
  for (size_t i = samples_.size(); i-- > 0;) {
    if (samples_[i].lsn <= replayed) {
      found = i;
      break;
    }
  }
  if (found == samples_.size()) return std::nullopt;
  samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(found));
  return samples_.front().asked;
}

}  // namespace datenwerk::sql
