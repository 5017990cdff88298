#include "series/chunk_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "series/gorilla.h"

namespace datenwerk::series {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

std::string Encode(const std::vector<Point>& in) {
  auto block = EncodeChunk(in);
  EXPECT_TRUE(block.ok()) << block.status().message();
  return block.ok() ? *block : std::string();
}

// Bit-exact: -0.0 and +0.0 differ, NaN payloads must survive.
void ExpectSameBits(const std::vector<Point>& a, const std::vector<Point>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].time_ms, b[i].time_ms) << "at " << i;
    EXPECT_EQ(std::bit_cast<uint64_t>(a[i].value), std::bit_cast<uint64_t>(b[i].value))
        << "at " << i << ": " << a[i].value << " became " << b[i].value;
  }
}

void ExpectRoundTrip(const std::vector<Point>& in) {
  const std::string block = Encode(in);
  auto out = DecodeChunk(block);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ExpectSameBits(in, *out);
}

std::vector<Point> Walk(size_t n, int64_t step_ms, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Point> out;
  double v = 12;
  for (size_t i = 0; i < n; ++i) {
    v += (static_cast<double>(rng() % 2001) - 1000.0) / 10000.0;
    out.push_back({kT0 + static_cast<int64_t>(i) * step_ms, std::round(v * 100) / 100});
  }
  return out;
}

TEST(ChunkCodecTest, EmptyAndSinglePoint) {
  ExpectRoundTrip({});
  ExpectRoundTrip({{kT0, 21.5}});
  ExpectRoundTrip({{-5, -0.25}});  // before 1970
}

// A few readings (a live series' newest, merged soon after) are stored, not given to zstd, whose
// frame alone would be larger; a long chunk is compressed.
TEST(ChunkCodecTest, TinyChunksAreStoredAndLongOnesCompressed) {
  auto one = EncodeChunk(std::vector<Point>{{kT0, 21.5}});
  ASSERT_TRUE(one.ok());
  ASSERT_GE(one->size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>((*one)[0]), 0xD3);
  EXPECT_EQ((*one)[1], 0);  // stored
  EXPECT_LT(one->size(), 20u);
  std::vector<Point> many;
  for (int i = 0; i < 1000; ++i) many.push_back({kT0 + i * 60'000, 20.0 + (i % 7) * 0.01});
  auto block = EncodeChunk(many);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ((*block)[1], 1);  // zstd
  EXPECT_LT(block->size(), 1000u);
  ExpectRoundTrip(many);
}

TEST(ChunkCodecTest, SignedZerosKeepTheirSign) {
  ExpectRoundTrip({{kT0, 0.0}, {kT0 + 1, -0.0}, {kT0 + 2, 0.0}});
  ExpectRoundTrip({{kT0, -0.0}});
}

TEST(ChunkCodecTest, NonFiniteAndNanPayloadsSurviveTheEncoding) {
  // The store refuses them (ValidateBatches); the codec itself must still be exact.
  const double quiet = std::numeric_limits<double>::quiet_NaN();
  const double payload = std::bit_cast<double>(uint64_t{0x7FF8000000000123});
  ExpectRoundTrip({{kT0, quiet}, {kT0 + 1, payload}, {kT0 + 2, std::numeric_limits<double>::infinity()},
                   {kT0 + 3, -std::numeric_limits<double>::infinity()}, {kT0 + 4, 1.5}});
}

TEST(ChunkCodecTest, VeryLargeAndVerySmallMagnitudes) {
  ExpectRoundTrip({{kT0, 1e300}, {kT0 + 1, -1e300}, {kT0 + 2, 5e-324}, {kT0 + 3, 1e-300},
                   {kT0 + 4, std::numeric_limits<double>::max()}, {kT0 + 5, std::numeric_limits<double>::lowest()}});
  // Just below and at 2^52 scaled: decimals, then doubles.
  ExpectRoundTrip({{kT0, 4503599627370495.0}, {kT0 + 1, -4503599627370495.0}});
  ExpectRoundTrip({{kT0, 4503599627370496.0}, {kT0 + 1, 1.0}});
  ExpectRoundTrip({{kT0, 450359962737.0495}, {kT0 + 1, 0.0001}});  // four places near the limit
}

TEST(ChunkCodecTest, IntegersAndDecimalsSwitchingInsideAChunk) {
  std::vector<Point> in;
  for (int i = 0; i < 500; ++i) {
    double v = i % 3 == 0 ? static_cast<double>(3600 - i) : (i % 3 == 1 ? 21.37 + i : 0.000001 * i);
    in.push_back({kT0 + i * 900'000LL, v});
  }
  ExpectRoundTrip(in);
  in.push_back({kT0 + 500 * 900'000LL, 1.0 / 3.0});  // one value that is no decimal: all as doubles
  ExpectRoundTrip(in);
}

TEST(ChunkCodecTest, ExtremeTimes) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  ExpectRoundTrip({{lo, 1}, {lo + 1, 2}});
  ExpectRoundTrip({{hi - 1, 1}, {hi, 2}});
  ExpectRoundTrip({{-1000, 1}, {0, 2}, {hi / 2, 3}});
  // Irregular, jittered times: every delta-of-delta different.
  std::mt19937_64 rng(7);
  std::vector<Point> jitter;
  int64_t t = kT0;
  for (int i = 0; i < 3000; ++i) {
    t += 900'000 + static_cast<int64_t>(rng() % 10'000) - 5'000;
    jitter.push_back({t, static_cast<double>(rng() % 101)});
  }
  ExpectRoundTrip(jitter);
}

TEST(ChunkCodecTest, OutOfOrderAndRepeatedTimesAreRefused) {
  EXPECT_EQ(EncodeChunk(std::vector<Point>{{kT0, 1}, {kT0, 2}}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(EncodeChunk(std::vector<Point>{{kT0, 1}, {kT0 - 1, 2}}).status().code(), ErrorCode::kInvalidArgument);
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(EncodeChunk(std::vector<Point>{{lo, 1}, {hi, 2}}).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ChunkCodecTest, ChunkBoundariesOfTheStore) {
  for (size_t n : {1u, 2u, 63u, 64u, 65u, 1023u, 1024u, 4096u, 8192u}) ExpectRoundTrip(Walk(n, 60'000, n));
}

TEST(ChunkCodecTest, ARegularRandomWalkTakesAboutItsInformation) {
  // One-minute readings, each 0.01 step of 21 about equally likely: log2(21) = 4.39 bits.
  const auto in = Walk(8192, 60'000, 1);
  const std::string block = Encode(in);
  EXPECT_LT(static_cast<double>(block.size()) / in.size(), 0.58) << block.size() << " bytes";
  ExpectRoundTrip(in);
}

TEST(ChunkCodecTest, SteadyIntegersTakeAlmostNothing) {
  std::vector<Point> in;
  for (int i = 0; i < 4096; ++i) in.push_back({kT0 + i * 900'000LL, i < 2000 ? 42.0 : 43.0});
  EXPECT_LT(Encode(in).size(), 64u);
}

TEST(ChunkCodecTest, BlocksOfTheGorillaFormatStayReadable) {
  const auto in = Walk(1000, 60'000, 3);
  auto legacy = EncodeGorilla(in);
  ASSERT_TRUE(legacy.ok());
  auto out = DecodeChunk(*legacy);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, in);
}

TEST(ChunkCodecTest, DecodeAppendsAndLeavesTheOutputAloneOnCorruption) {
  std::vector<Point> out = {{1, 1}};
  ASSERT_TRUE(DecodeChunkInto(Encode(Walk(10, 1000, 4)), out).ok());
  EXPECT_EQ(out.size(), 11u);
  std::string block = Encode(Walk(100, 1000, 5));
  block.resize(block.size() - 3);
  EXPECT_EQ(DecodeChunkInto(block, out).code(), ErrorCode::kInternal);
  EXPECT_EQ(out.size(), 11u);
}

TEST(ChunkCodecTest, CorruptInputNeverCrashes) {
  for (const auto& in : {Walk(300, 60'000, 6), std::vector<Point>{{kT0, 1.0 / 3}, {kT0 + 5, 2.0 / 3}}}) {
    const std::string block = Encode(in);
    for (size_t cut = 0; cut < block.size(); ++cut) {
      EXPECT_FALSE(DecodeChunk(block.substr(0, cut)).ok()) << "truncated at " << cut;
    }
    std::mt19937_64 rng(8);
    for (int round = 0; round < 2000; ++round) {
      std::string flipped = block;
      flipped[rng() % flipped.size()] ^= static_cast<char>(1 + rng() % 255);
      (void)DecodeChunk(flipped);  // must return, whatever it says
    }
  }
  // Stored payloads claiming huge counts, sizes or overflowing times.
  const std::string huge_count = std::string("\xD3\x00", 2) + "\xFF\xFF\xFF\xFF\x0F\x02\x00";
  EXPECT_FALSE(DecodeChunk(huge_count).ok());
  std::string overflow = std::string("\xD3\x00", 2) + "\x03\x00";
  overflow += "\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01";  // the largest time
  overflow += "\x02\x02\x00\x00\x00";                     // then later by 1, 2
  EXPECT_FALSE(DecodeChunk(overflow).ok());
  EXPECT_FALSE(DecodeChunk(std::string("\xD3\x07", 2)).ok());  // unknown codec
  EXPECT_FALSE(DecodeChunk(std::string("\xD3\x01\x28\xB5\x2F\xFD", 6)).ok());  // a cut zstd frame
}

TEST(ChunkCodecTest, PropertyRandomSeriesDecodeToWhatWasEncoded) {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 400; ++round) {
    const size_t n = rng() % 3000;
    std::vector<Point> in;
    int64_t t = static_cast<int64_t>(rng() % 4'000'000'000'000) - 1'000'000'000'000;
    const int kind = static_cast<int>(rng() % 5);
    double v = static_cast<double>(rng() % 1000);
    for (size_t i = 0; i < n; ++i) {
      t += 1 + static_cast<int64_t>(rng() % (rng() % 2 ? 1'000 : 90'000'000));
      switch (kind) {
        case 0: v = static_cast<double>(static_cast<int64_t>(rng() % 200'001) - 100'000); break;   // integers
        case 1: v = static_cast<double>(static_cast<int64_t>(rng() % 20'001) - 10'000) / 100; break;  // 2 places
        case 2: v = std::bit_cast<double>(rng()); if (std::isnan(v)) v = 0; break;  // any bits
        case 3: v += std::ldexp(static_cast<double>(rng() % 1000), -static_cast<int>(rng() % 60)); break;
        default: v = rng() % 7 == 0 ? 1.0 / static_cast<double>(1 + rng() % 9) : std::round(v) + 0.5; break;
      }
      in.push_back({t, v});
    }
    ExpectRoundTrip(in);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace datenwerk::series
