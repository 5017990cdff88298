#include "series/gorilla.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "series/decimal.h"

namespace datenwerk::series {

namespace {

class BitWriter {
 public:
  void Write(uint64_t bits, int count) {  // the low `count` bits of `bits`, most significant first
    for (int i = count - 1; i >= 0; --i) {
      if (used_ == 0) out_.push_back(0);
      if ((bits >> i) & 1) out_.back() = static_cast<char>(out_.back() | (0x80 >> used_));
      used_ = (used_ + 1) & 7;
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  int used_ = 0;  // bits used in the last byte
};

class BitReader {
 public:
  explicit BitReader(std::string_view in) : in_(in) {}
  // False when the input ends first.
  bool Read(int count, uint64_t& out) {
    out = 0;
    for (int i = 0; i < count; ++i) {
      if (pos_ >= in_.size() * 8) return false;
      uint8_t byte = static_cast<uint8_t>(in_[pos_ >> 3]);
      out = (out << 1) | ((byte >> (7 - (pos_ & 7))) & 1);
      ++pos_;
    }
    return true;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

uint64_t Bits(double v) { return std::bit_cast<uint64_t>(v); }
double Double(uint64_t b) { return std::bit_cast<double>(b); }

// Delta-of-delta classes: prefix, prefix width, payload width.
struct DodClass {
  uint64_t prefix;
  int prefix_bits;
  int payload_bits;
};
constexpr DodClass kDodClasses[] = {{0b10, 2, 7}, {0b110, 3, 9}, {0b1110, 4, 12}};

using decimal::DecimalPlaces;
using decimal::kPow10;
using decimal::kMaxPlaces;

// Signed integer deltas in classes: '0' for zero, then prefix + payload widths, else 64 bits.
struct DeltaClass {
  uint64_t prefix;
  int prefix_bits;
  int payload_bits;
};
constexpr DeltaClass kDeltaClasses[] = {{0b10, 2, 4}, {0b110, 3, 8}, {0b1110, 4, 16}};

void WriteDelta(BitWriter& w, int64_t delta) {
  if (delta == 0) return w.Write(0, 1);
  for (const DeltaClass& c : kDeltaClasses) {
    const int64_t half = int64_t{1} << (c.payload_bits - 1);
    if (delta >= -half && delta < half) {
      w.Write(c.prefix, c.prefix_bits);
      w.Write(static_cast<uint64_t>(delta + half), c.payload_bits);
      return;
    }
  }
  w.Write(0b1111, 4);
  w.Write(static_cast<uint64_t>(delta), 64);
}

bool ReadDelta(BitReader& r, int64_t& delta) {
  uint64_t bit = 0;
  if (!r.Read(1, bit)) return false;
  if (!bit) {
    delta = 0;
    return true;
  }
  int ones = 1;
  while (ones < 4) {
    if (!r.Read(1, bit)) return false;
    if (!bit) break;
    ++ones;
  }
  uint64_t payload = 0;
  if (ones == 4) {
    if (!r.Read(64, payload)) return false;
    delta = static_cast<int64_t>(payload);
    return true;
  }
  const DeltaClass& c = kDeltaClasses[ones - 1];
  if (!r.Read(c.payload_bits, payload)) return false;
  delta = static_cast<int64_t>(payload) - (int64_t{1} << (c.payload_bits - 1));
  return true;
}

}  // namespace

Result<std::string> EncodeGorilla(std::span<const Point> points) {
  BitWriter w;
  if (points.size() > 0xFFFFFFFFu) return InvalidArgument("too many points for one block");
  w.Write(points.size(), 32);
  if (points.empty()) return w.Take();
  const int places = DecimalPlaces(points);
  w.Write(static_cast<uint64_t>(places + 1), 3);  // 0: XOR-coded doubles
  w.Write(static_cast<uint64_t>(points[0].time_ms), 64);
  w.Write(Bits(points[0].value), 64);
  int64_t prev_scaled = places >= 0 ? static_cast<int64_t>(std::nearbyint(points[0].value * kPow10[places])) : 0;
  int64_t prev_delta = 0;
  uint64_t prev_value = Bits(points[0].value);
  int prev_leading = -1, prev_trailing = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const int64_t delta = points[i].time_ms - points[i - 1].time_ms;
    if (delta <= 0) return InvalidArgument("times must strictly increase", "phenomenonTime");
    const int64_t dod = delta - prev_delta;
    prev_delta = delta;
    if (dod == 0) {
      w.Write(0, 1);
    } else {
      bool written = false;
      for (const DodClass& c : kDodClasses) {
        const int64_t half = int64_t{1} << (c.payload_bits - 1);
        if (dod >= -half + 1 && dod <= half) {
          w.Write(c.prefix, c.prefix_bits);
          w.Write(static_cast<uint64_t>(dod + half - 1), c.payload_bits);
          written = true;
          break;
        }
      }
      if (!written) {
        w.Write(0b1111, 4);
        w.Write(static_cast<uint64_t>(dod), 64);
      }
    }
    if (places >= 0) {
      const int64_t scaled = static_cast<int64_t>(std::nearbyint(points[i].value * kPow10[places]));
      WriteDelta(w, scaled - prev_scaled);
      prev_scaled = scaled;
      continue;
    }
    const uint64_t bits = Bits(points[i].value);
    const uint64_t x = bits ^ prev_value;
    prev_value = bits;
    if (x == 0) {
      w.Write(0, 1);
      continue;
    }
    w.Write(1, 1);
    int leading = std::min(std::countl_zero(x), 31);
    int trailing = std::countr_zero(x);
    if (prev_leading >= 0 && leading >= prev_leading && trailing >= prev_trailing) {
      w.Write(0, 1);  // fits the previous window
      w.Write(x >> prev_trailing, 64 - prev_leading - prev_trailing);
    } else {
      int meaningful = 64 - leading - trailing;
      w.Write(1, 1);
      w.Write(static_cast<uint64_t>(leading), 5);
      w.Write(static_cast<uint64_t>(meaningful - 1), 6);  // 1..64 stored as 0..63
      w.Write(x >> trailing, meaningful);
      prev_leading = leading;
      prev_trailing = trailing;
    }
  }
  return w.Take();
}

Result<std::vector<Point>> DecodeGorilla(std::string_view block) {
  const Status corrupt = Internal("corrupt observation block");
  BitReader r(block);
  uint64_t count = 0, first_time = 0, first_value = 0;
  if (!r.Read(32, count)) return corrupt;
  std::vector<Point> out;
  if (count == 0) return out;
  // Each point after the first needs at least two bits; a count beyond that is corrupt.
  if (count - 1 > block.size() * 4) return corrupt;
  uint64_t mode = 0;
  if (!r.Read(3, mode) || mode > kMaxPlaces + 1) return corrupt;
  const int places = static_cast<int>(mode) - 1;
  if (!r.Read(64, first_time) || !r.Read(64, first_value)) return corrupt;
  out.reserve(count);
  out.push_back({static_cast<int64_t>(first_time), Double(first_value)});
  int64_t delta = 0;
  uint64_t value = first_value;
  // A corrupt block may hold any first value: only one that is such a decimal scales to an integer.
  if (places >= 0 && !decimal::IsDecimal(Double(first_value), places)) return corrupt;
  int64_t scaled = places >= 0 ? static_cast<int64_t>(std::nearbyint(Double(first_value) * kPow10[places])) : 0;
  int leading = -1, trailing = 0;
  for (uint64_t i = 1; i < count; ++i) {
    uint64_t bit = 0;
    if (!r.Read(1, bit)) return corrupt;
    int64_t dod = 0;
    if (bit) {
      int ones = 1;
      while (ones < 4) {
        if (!r.Read(1, bit)) return corrupt;
        if (!bit) break;
        ++ones;
      }
      uint64_t payload = 0;
      if (ones == 4) {
        if (!r.Read(64, payload)) return corrupt;
        dod = static_cast<int64_t>(payload);
      } else {
        const DodClass& c = kDodClasses[ones - 1];
        if (!r.Read(c.payload_bits, payload)) return corrupt;
        dod = static_cast<int64_t>(payload) - ((int64_t{1} << (c.payload_bits - 1)) - 1);
      }
    }
    int64_t time = 0;
    if (__builtin_add_overflow(delta, dod, &delta) || delta <= 0 ||
        __builtin_add_overflow(out.back().time_ms, delta, &time)) {
      return corrupt;
    }
    if (places >= 0) {
      int64_t step = 0;
      if (!ReadDelta(r, step) || __builtin_add_overflow(scaled, step, &scaled)) return corrupt;
      out.push_back({time, static_cast<double>(scaled) / kPow10[places]});
      continue;
    }
    if (!r.Read(1, bit)) return corrupt;
    if (bit) {
      uint64_t control = 0;
      if (!r.Read(1, control)) return corrupt;
      if (control) {
        uint64_t lead = 0, length = 0;
        if (!r.Read(5, lead) || !r.Read(6, length)) return corrupt;
        leading = static_cast<int>(lead);
        const int meaningful = static_cast<int>(length) + 1;
        trailing = 64 - leading - meaningful;
        if (trailing < 0) return corrupt;
      } else if (leading < 0) {
        return corrupt;  // "same window" before any window was set
      }
      const int meaningful = 64 - leading - trailing;
      uint64_t bits = 0;
      if (!r.Read(meaningful, bits)) return corrupt;
      value ^= trailing == 64 ? 0 : bits << trailing;
    }
    out.push_back({time, Double(value)});
  }
  return out;
}

}  // namespace datenwerk::series
