#include "http/message.h"

#include <gtest/gtest.h>

namespace datenwerk::http {
namespace {

TEST(MessageTest, ParsesPathAndQueryWithDecoding) {
  Request r;
  ASSERT_TRUE(ParseTarget("/api/v1/measures?q=Gr%C3%BCn+dach&theme=NMU&theme=ZI&flag", r));
  EXPECT_EQ(r.path, "/api/v1/measures");
  EXPECT_EQ(r.Query("q"), "Grün dach");
  EXPECT_EQ(r.Query("theme"), "NMU");  // first occurrence wins
  EXPECT_EQ(r.query.count("flag"), 1u);
}

TEST(MessageTest, RejectsMalformedPercentEncodingAndNulBytes) {
  Request r;
  EXPECT_FALSE(ParseTarget("/a%zz", r));
  EXPECT_FALSE(ParseTarget("/a%4", r));
  EXPECT_FALSE(ParseTarget("/a?x=%", r));
  EXPECT_FALSE(ParseTarget("/a%00b", r));
  EXPECT_FALSE(ParseTarget("relative", r));
}

TEST(MessageTest, EncodeDecodeRoundTrip) {
  bool ok = true;
  std::string text = "SCBOK-IS-KO-K10.4 / Grün & mehr?";
  EXPECT_EQ(PercentDecode(PercentEncode(text), false, &ok), text);
  EXPECT_TRUE(ok);
}

TEST(MessageTest, ErrorResponseCarriesCodeMessageAndField) {
  Response r = ErrorResponse(InvalidArgument("must be a \"date\"", "date"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"invalid_argument","message":"must be a \"date\"","field":"date"}})");
  EXPECT_EQ(ErrorResponse(NotFound("x")).status, 404);
  EXPECT_NE(ErrorResponse(NotFound("x")).body.find("\"field\":null"), std::string::npos);
  EXPECT_EQ(ErrorResponse({ErrorCode::kTooLarge, "big"}).status, 413);
  EXPECT_EQ(ErrorResponse({ErrorCode::kUnauthenticated, "who"}).status, 401);
}

}  // namespace
}  // namespace datenwerk::http

namespace datenwerk::http {
namespace {

TEST(QualityListTest, ItemsWithTheirQualityInOrder) {
  const auto items = ParseQualityList(" text/turtle;charset=utf-8; q=0.5 ,*/*,gzip;q=0,, x;q=abc");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].value, "text/turtle");
  EXPECT_DOUBLE_EQ(items[0].q, 0.5);
  EXPECT_EQ(items[1].value, "*/*");
  EXPECT_DOUBLE_EQ(items[1].q, 1);
  EXPECT_DOUBLE_EQ(items[2].q, 0);
  EXPECT_EQ(items[3].value, "");
  EXPECT_DOUBLE_EQ(items[4].q, 0);  // not a number: no quality
  EXPECT_TRUE(ParseQualityList("").empty());
}

TEST(ClientAddressTest, OnlyTrustedProxiesAreBelievedReadingFromTheRight) {
  const std::vector<std::string> haproxy = {"10.0.0.5"};
  // Not behind a trusted proxy: the peer, whatever the header says.
  EXPECT_EQ(ClientAddress("203.0.113.7", "198.51.100.1", haproxy), "203.0.113.7");
  EXPECT_EQ(ClientAddress("203.0.113.7", "", {}), "203.0.113.7");
  // Behind HAProxy: the address it saw.
  EXPECT_EQ(ClientAddress("10.0.0.5", "198.51.100.1", haproxy), "198.51.100.1");
  // A client that forges the header is still the address HAProxy saw (the rightmost).
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.2.3.4, 198.51.100.1", haproxy), "198.51.100.1");
  // Two trusted hops (a TLS proxy, then HAProxy): the first address neither added itself.
  EXPECT_EQ(ClientAddress("10.0.0.5", "198.51.100.1, 10.0.0.9", {"10.0.0.5", "10.0.0.9"}), "198.51.100.1");
  EXPECT_EQ(ClientAddress("10.0.0.5", " 2001:db8::1 ,\t10.0.0.9 ", {"10.0.0.5", "10.0.0.9"}), "2001:db8::1");
  // Garbage ends the walk at the last trusted address.
  EXPECT_EQ(ClientAddress("10.0.0.5", "<script>, 10.0.0.9", {"10.0.0.5", "10.0.0.9"}), "10.0.0.9");
  EXPECT_EQ(ClientAddress("10.0.0.5", "", haproxy), "10.0.0.5");
  EXPECT_EQ(ClientAddress("10.0.0.5", std::string(5000, ','), haproxy), "10.0.0.5");
}

}  // namespace
}  // namespace datenwerk::http
