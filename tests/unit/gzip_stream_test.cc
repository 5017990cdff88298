// gzip of streamed bodies: what AcceptsGzip reads from Accept-Encoding, and that the compressed
// pieces inflate (with zlib) to exactly what the plain stream produced, across many pieces.
#include <gtest/gtest.h>
#include <zlib.h>

#include "http/gzip_stream.h"

namespace datenwerk::http {
namespace {

class Counting final : public BodyStream {
 public:
  explicit Counting(int pieces) : pieces_(pieces) {}
  Result<bool> Next(std::string& out) override {
    if (fail_at_ == made_) return Internal("the store went away");
    for (int i = 0; i < 5000; ++i) out += std::to_string(made_ * 5000 + i) + ",21.5\r\n";
    return ++made_ < pieces_;
  }
  int fail_at_ = -1;

 private:
  int pieces_;
  int made_ = 0;
};

std::string Inflate(const std::string& gz) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 31), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

std::string Drain(BodyStream& s) {
  std::string all;
  for (;;) {
    std::string piece;
    auto more = s.Next(piece);
    EXPECT_TRUE(more.ok());
    all += piece;
    if (!more.ok() || !*more) return all;
  }
}

TEST(GzipStreamTest, InflatesToThePlainBody) {
  Counting plain(40);
  const std::string expected = Drain(plain);
  auto zipped = Gzip(std::make_shared<Counting>(40));
  const std::string gz = Drain(*zipped);
  EXPECT_LT(gz.size(), expected.size() / 3);
  EXPECT_EQ(Inflate(gz), expected);
}

TEST(GzipStreamTest, AnEmptyBodyIsAValidEmptyGzip) {
  class Empty final : public BodyStream {
    Result<bool> Next(std::string&) override { return false; }
  };
  auto zipped = Gzip(std::make_shared<Empty>());
  EXPECT_EQ(Inflate(Drain(*zipped)), "");
}

TEST(GzipStreamTest, AnErrorOfThePlainStreamPassesThrough) {
  auto plain = std::make_shared<Counting>(10);
  plain->fail_at_ = 2;
  auto zipped = Gzip(plain);
  std::string piece;
  ASSERT_TRUE(zipped->Next(piece).ok());
  ASSERT_TRUE(zipped->Next(piece).ok());
  EXPECT_FALSE(zipped->Next(piece).ok());
}

TEST(GzipStreamTest, AcceptEncoding) {
  auto accepts = [](std::string header) {
    Request r;
    r.headers["accept-encoding"] = std::move(header);
    return AcceptsGzip(r);
  };
  EXPECT_TRUE(accepts("gzip"));
  EXPECT_TRUE(accepts("br, gzip;q=0.5"));
  EXPECT_TRUE(accepts("*"));
  EXPECT_FALSE(accepts(""));
  EXPECT_FALSE(accepts("identity"));
  EXPECT_FALSE(accepts("gzip;q=0"));
  EXPECT_FALSE(accepts("xgzip, gzipx"));
}

}  // namespace
}  // namespace datenwerk::http
