#include "series/chunk_codec.h"

#include <zstd.h>

#include <bit>
#include <memory>

#include "core/object_pool.h"
#include "series/decimal.h"
#include "series/gorilla.h"

namespace datenwerk::series {

namespace {

constexpr unsigned char kMagic = 0xD3;
constexpr unsigned char kStored = 0;
constexpr unsigned char kZstd = 1;
constexpr unsigned char kDoubles = 7;  // value mode; 0-6 are decimal places
// Level 1: the payload is mostly literals for the entropy coder; higher levels find short matches
// that cost more than they save (8,192 points of a random walk: 0.558 B/point at level 1 in 23 µs,
// 0.567 at level 3 in 61 µs).
constexpr int kZstdLevel = 1;
// Payloads shorter than this are stored as they are: a zstd frame costs at least 9 bytes of
// headers, so it seldom wins on them, and a single reading (the tail chunk of a live series,
// merged into its growing chunk soon after) would otherwise pay a compression that is thrown away
// (most of zstd's 9 % of the server's CPU time in bench/vm_compare.sh --city).
constexpr size_t kMinPayloadToCompress = 48;
// Far above the store's chunks (series/chunk_table.h). A payload takes at most 20 bytes a point
// (two 10-byte varints); a block claiming more is corrupt, whatever its frame header says.
constexpr size_t kMaxPoints = size_t{1} << 16;
constexpr size_t kMaxPayload = 32 + 20 * kMaxPoints;

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads payload bytes with bounds checks; every failure ends the decode as corrupt.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(reinterpret_cast<const unsigned char*>(in.data())), end_(p_ + in.size()) {}
  bool Varint(uint64_t& v) {
    if (p_ != end_ && *p_ < 0x80) {  // most deltas fit one byte
      v = *p_++;
      return true;
    }
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const unsigned char b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) return shift < 63 || b <= 1;  // the tenth byte carries one bit
    }
    return false;
  }
  bool Signed(int64_t& v) {
    uint64_t u;
    if (!Varint(u)) return false;
    v = UnZigZag(u);
    return true;
  }
  bool Byte(unsigned char& b) {
    if (p_ == end_) return false;
    b = *p_++;
    return true;
  }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  const unsigned char* at() const { return p_; }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
using CompressorPtr = std::unique_ptr<ZSTD_CCtx, CCtxFree>;
using DecompressorPtr = std::unique_ptr<ZSTD_DCtx, DCtxFree>;

// zstd contexts (a compression context holds several hundred kB) come from a small shared pool:
// writes run on whichever request thread finds the database idle.
ObjectPool<CompressorPtr>& Compressors() {
  static ObjectPool<CompressorPtr> pool([] { return CompressorPtr(ZSTD_createCCtx()); }, 4);
  return pool;
}
ObjectPool<DecompressorPtr>& Decompressors() {
  static ObjectPool<DecompressorPtr> pool([] { return DecompressorPtr(ZSTD_createDCtx()); }, 8);
  return pool;
}

std::string Payload(std::span<const Point> points, int places) {
  std::string out;
  out.reserve(8 + points.size() * (places >= 0 ? 3 : 10));
  PutVarint(out, points.size());
  if (points.empty()) return out;
  out.push_back(static_cast<char>(places >= 0 ? places : kDoubles));
  PutVarint(out, ZigZag(points[0].time_ms));
  int64_t prev_delta = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const int64_t delta = points[i].time_ms - points[i - 1].time_ms;
    PutVarint(out, ZigZag(delta - prev_delta));
    prev_delta = delta;
  }
  if (places >= 0) {
    int64_t prev = 0;
    for (const Point& p : points) {
      const auto scaled = static_cast<int64_t>(std::nearbyint(p.value * decimal::kPow10[places]));
      PutVarint(out, ZigZag(scaled - prev));
      prev = scaled;
    }
    return out;
  }
  // Byte planes of the XOR with the previous value: the planes that never change are runs of
  // zeros, which zstd stores in a few bytes.
  const size_t base = out.size();
  out.resize(base + 8 * points.size());
  uint64_t prev = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const uint64_t bits = std::bit_cast<uint64_t>(points[i].value);
    const uint64_t x = bits ^ prev;
    prev = bits;
    for (size_t b = 0; b < 8; ++b) out[base + b * points.size() + i] = static_cast<char>(x >> (8 * b));
  }
  return out;
}

Status DecodePayload(std::string_view payload, std::vector<Point>& out) {
  const Status corrupt = Internal("corrupt observation block");
  Reader r(payload);
  uint64_t count = 0;
  if (!r.Varint(count)) return corrupt;
  if (count == 0) return r.left() == 0 ? Status::Ok() : corrupt;
  unsigned char mode = 0;
  if (!r.Byte(mode) || mode > kDoubles) return corrupt;
  // Each point takes at least a byte of time and one of value (eight as doubles).
  if (count > kMaxPoints || count > r.left()) return corrupt;
  const size_t first = out.size();
  out.resize(first + count);
  Point* points = out.data() + first;
  auto fail = [&] {
    out.resize(first);
    return corrupt;
  };
  int64_t time = 0, delta = 0, dod = 0;
  if (!r.Signed(time)) return fail();
  points[0].time_ms = time;
  for (uint64_t i = 1; i < count; ++i) {
    if (!r.Signed(dod) || __builtin_add_overflow(delta, dod, &delta) || delta <= 0 ||
        __builtin_add_overflow(time, delta, &time)) {
      return fail();
    }
    points[i].time_ms = time;
  }
  if (mode == kDoubles) {
    if (r.left() != 8 * count) return fail();
    const unsigned char* planes = r.at();
    uint64_t value = 0;
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t x = 0;
      for (uint64_t b = 0; b < 8; ++b) x |= static_cast<uint64_t>(planes[b * count + i]) << (8 * b);
      value ^= x;
      points[i].value = std::bit_cast<double>(value);
    }
    return Status::Ok();
  }
  const double scale = decimal::kPow10[mode];
  int64_t scaled = 0, step = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (!r.Signed(step) || __builtin_add_overflow(scaled, step, &scaled) ||
        std::abs(static_cast<double>(scaled)) >= decimal::kMaxScaled) {
      return fail();
    }
    points[i].value = static_cast<double>(scaled) / scale;
  }
  if (r.left() != 0) return fail();
  return Status::Ok();
}

}  // namespace

Result<std::string> EncodeChunk(std::span<const Point> points) {
  if (points.size() > kMaxPoints) return InvalidArgument("too many points for one chunk");
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].time_ms <= points[i - 1].time_ms) return InvalidArgument("times must strictly increase", "phenomenonTime");
    // The delta-of-delta of two int64 differences may overflow: such spans are not readings.
    int64_t delta;
    if (__builtin_sub_overflow(points[i].time_ms, points[i - 1].time_ms, &delta)) {
      return InvalidArgument("times too far apart", "phenomenonTime");
    }
  }
  const std::string payload = Payload(points, decimal::DecimalPlaces(points));
  auto stored = [&payload] {
    std::string block{static_cast<char>(kMagic), static_cast<char>(kStored)};
    return block + payload;
  };
  if (payload.size() < kMinPayloadToCompress) return stored();
  std::string block(2 + ZSTD_compressBound(payload.size()), '\0');
  block[0] = static_cast<char>(kMagic);
  auto cctx = Compressors().Take();
  const size_t packed = cctx ? ZSTD_compressCCtx(cctx.get(), block.data() + 2, block.size() - 2, payload.data(),
                                                 payload.size(), kZstdLevel)
                             : 0;
  if (!cctx || ZSTD_isError(packed) || packed >= payload.size()) return stored();
  block[1] = static_cast<char>(kZstd);
  block.resize(2 + packed);
  return block;
}

Status DecodeChunkInto(std::string_view block, std::vector<Point>& out) {
  if (block.empty()) return Internal("corrupt observation block");
  if (static_cast<unsigned char>(block[0]) != kMagic) {
    auto legacy = DecodeGorilla(block);
    if (!legacy.ok()) return legacy.status();
    out.insert(out.end(), legacy->begin(), legacy->end());
    return Status::Ok();
  }
  if (block.size() < 2) return Internal("corrupt observation block");
  const auto codec = static_cast<unsigned char>(block[1]);
  const std::string_view body = block.substr(2);
  if (codec == kStored) return DecodePayload(body, out);
  if (codec != kZstd) return Internal("corrupt observation block");
  const unsigned long long size = ZSTD_getFrameContentSize(body.data(), body.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxPayload) {
    return Internal("corrupt observation block");
  }
  auto dctx = Decompressors().Take();
  if (!dctx) return Internal("out of memory for a zstd context");
  std::string payload(size, '\0');
  const size_t got = ZSTD_decompressDCtx(dctx.get(), payload.data(), payload.size(), body.data(), body.size());
  if (ZSTD_isError(got) || got != size) return Internal("corrupt observation block");
  return DecodePayload(payload, out);
}

Result<std::vector<Point>> DecodeChunk(std::string_view block) {
  std::vector<Point> out;
  if (Status s = DecodeChunkInto(block, out); !s.ok()) return s;
  return out;
}

}  // namespace datenwerk::series
