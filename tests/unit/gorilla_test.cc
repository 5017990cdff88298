#include "series/gorilla.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace datenwerk::series {
namespace {

std::vector<Point> RoundTrip(const std::vector<Point>& in) {
  auto block = EncodeGorilla(in);
  EXPECT_TRUE(block.ok()) << block.status().message();
  auto out = DecodeGorilla(*block);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return *out;
}

TEST(GorillaTest, EmptyAndSinglePoint) {
  EXPECT_TRUE(RoundTrip({}).empty());
  std::vector<Point> one = {{1'700'000'000'000, 21.5}};
  EXPECT_EQ(RoundTrip(one), one);
}

TEST(GorillaTest, RegularMinuteDataCompressesToAboutTwoBytesAPoint) {
  std::vector<Point> in;
  std::mt19937_64 rng(42);
  std::normal_distribution<double> step(0, 0.05);
  double v = 18;
  for (int i = 0; i < 4096; ++i) {
    v += step(rng);
    in.push_back({1'700'000'000'000 + i * 60'000LL, std::round(v * 10) / 10});  // 0.1 resolution
  }
  auto block = EncodeGorilla(in);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(*DecodeGorilla(*block), in);
  EXPECT_LT(block->size(), in.size() * 3) << block->size() << " bytes";
}

TEST(GorillaTest, IrregularTimesExtremeValuesAndSpecialDoubles) {
  std::vector<Point> in = {
      {-5'000, 0.0},
      {-4'999, -0.0},
      {0, std::numeric_limits<double>::max()},
      {1, std::numeric_limits<double>::lowest()},
      {2, std::numeric_limits<double>::denorm_min()},
      {1'000'000'000'000, 1e-300},
      {1'000'000'000'001, 42},
      {9'000'000'000'000'000, 42},  // a huge gap: 64-bit delta-of-delta
      {9'000'000'000'000'100, -1},
  };
  auto out = RoundTrip(in);
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].time_ms, in[i].time_ms);
    EXPECT_EQ(std::signbit(out[i].value), std::signbit(in[i].value));
    EXPECT_EQ(out[i].value, in[i].value);
  }
}

TEST(GorillaTest, RandomSeriesRoundTripExactly) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Point> in;
    int64_t t = static_cast<int64_t>(rng() % 1'000'000'000'000);
    int n = static_cast<int>(rng() % 300) + 1;
    for (int i = 0; i < n; ++i) {
      t += 1 + static_cast<int64_t>(rng() % (round % 2 ? 10 : 100'000'000));
      double v = round % 3 == 0 ? static_cast<double>(rng() % 5)
                                : std::bit_cast<double>(rng() & 0x7FEFFFFFFFFFFFFFull);
      in.push_back({t, v});
    }
    ASSERT_EQ(RoundTrip(in), in) << "round " << round;
  }
}

TEST(GorillaTest, RejectsTimesThatDoNotIncrease) {
  std::vector<Point> same = {{5, 1}, {5, 2}};
  EXPECT_EQ(EncodeGorilla(same).status().code(), ErrorCode::kInvalidArgument);
  std::vector<Point> back = {{5, 1}, {4, 2}};
  EXPECT_FALSE(EncodeGorilla(back).ok());
}

TEST(GorillaTest, CorruptBlocksAreErrorsNotCrashes) {
  std::vector<Point> in;
  for (int i = 0; i < 100; ++i) in.push_back({i * 1000LL, i * 0.5});
  std::string block = *EncodeGorilla(in);
  for (size_t cut = 0; cut < block.size(); ++cut) {
    EXPECT_FALSE(DecodeGorilla(block.substr(0, cut)).ok()) << "truncated at " << cut;
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(rng() % 64, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    auto decoded = DecodeGorilla(garbage);  // must return, whatever it says
    if (decoded.ok()) {
      for (size_t k = 1; k < decoded->size(); ++k) {
        ASSERT_LT((*decoded)[k - 1].time_ms, (*decoded)[k].time_ms);
      }
    }
  }
  std::string huge_count = block;
  huge_count[0] = '\x7f';  // claims far more points than the bytes can hold
  EXPECT_FALSE(DecodeGorilla(huge_count).ok());
}

}  // namespace
}  // namespace datenwerk::series

namespace datenwerk::series {
namespace {

TEST(GorillaTest, DecimalReadingsTakeAboutOneByteAPoint) {
  std::vector<Point> in;
  std::mt19937_64 rng(3);
  double v = 12.34;
  for (int i = 0; i < 1440; ++i) {
    v = std::round((v + (static_cast<double>(rng() % 2001) - 1000) / 10000) * 100) / 100;
    in.push_back({1'700'000'000'000 + i * 60'000LL, v});
  }
  auto block = EncodeGorilla(in);
  ASSERT_TRUE(block.ok());
  auto out = DecodeGorilla(*block);
  ASSERT_TRUE(out.ok());
  for (size_t i = 0; i < in.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint64_t>((*out)[i].value), std::bit_cast<uint64_t>(in[i].value)) << i;
  }
  EXPECT_LT(block->size(), in.size() * 3 / 2) << block->size() << " bytes";
}

TEST(GorillaTest, MixedDecimalsNegativeZeroAndBigIntegersRoundTripBitForBit) {
  for (std::vector<double> values : std::vector<std::vector<double>>{
           {1.5, -2.25, 0.000001, 1000000, 3},            // decimal, six places
           {0.1, 0.2, 0.30000000000000004},               // not a short decimal: XOR path
           {0.0, -0.0, 1.0},                              // -0.0 forces the XOR path
           {4503599627370495.0, -4503599627370495.0, 0},  // largest exact scaled integers
           {1e300, 1e-300, 5}}) {
    std::vector<Point> in;
    for (size_t i = 0; i < values.size(); ++i) in.push_back({int64_t(i) * 1000, values[i]});
    auto out = DecodeGorilla(*EncodeGorilla(in));
    ASSERT_TRUE(out.ok());
    for (size_t i = 0; i < in.size(); ++i) {
      ASSERT_EQ(std::bit_cast<uint64_t>((*out)[i].value), std::bit_cast<uint64_t>(in[i].value))
          << values[i];
    }
  }
}

}  // namespace
}  // namespace datenwerk::series
