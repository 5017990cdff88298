// Multipart bodies and embedded requests as OData 4.0 batches carry them.
#include "http/multipart.h"

#include <gtest/gtest.h>

namespace datenwerk::http {
namespace {

TEST(MultipartTest, BoundariesAndMediaTypes) {
  EXPECT_EQ(BoundaryOf("multipart/mixed;boundary=batch_1"), "batch_1");
  EXPECT_EQ(BoundaryOf("multipart/mixed; charset=x; Boundary=\"a b\""), "a b");
  EXPECT_FALSE(BoundaryOf("multipart/mixed"));
  EXPECT_FALSE(BoundaryOf("multipart/mixed; boundary=" + std::string(71, 'x')));
  EXPECT_EQ(MediaType(" Multipart/Mixed ; boundary=x"), "multipart/mixed");
}

TEST(MultipartTest, PartsBetweenDelimitersWithCrlfOrLf) {
  const std::string body =
      "preamble\r\n--b\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nGET Things HTTP/1.1\r\n\r\n\r\n"
      "--b\nContent-Type: text/plain\n\nzwei\n--b--\r\nepilogue";
  auto parts = SplitMultipart(body, "b", "body");
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].headers.at("content-id"), "1");
  EXPECT_EQ((*parts)[0].body, "GET Things HTTP/1.1\r\n\r\n");
  EXPECT_EQ((*parts)[1].body, "zwei");
  auto request = ParseEmbeddedRequest((*parts)[0].body, "part");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->target, "Things");
  EXPECT_EQ(request->body, "");
}

TEST(MultipartTest, EmbeddedRequestsKeepTheirBodies) {
  auto request = ParseEmbeddedRequest(
      "POST /v1.1/Things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{\"a\":\r\n1}", "p");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->headers.at("content-type"), "application/json");
  EXPECT_EQ(request->body, "{\"a\":\r\n1}");
}

TEST(MultipartTest, MalformedBodiesAreErrorsNamingWhere) {
  EXPECT_EQ(SplitMultipart("--b\r\nContent-Type: x\r\n\r\nno end", "b", "body").status().field(), "body");
  EXPECT_EQ(SplitMultipart("--b\r\nkein header\r\n\r\nx\r\n--b--", "b", "body").status().field(), "body[0]");
  EXPECT_FALSE(ParseEmbeddedRequest("GET Things\r\n\r\n", "p").ok());
  EXPECT_FALSE(ParseEmbeddedRequest("", "p").ok());
  std::string many;
  for (size_t i = 0; i <= kMaxParts; ++i) many += "--b\r\n\r\n";
  many += "--b--";
  EXPECT_FALSE(SplitMultipart(many, "b", "body").ok());
}

TEST(MultipartTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(201), "Created");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(299), "Unknown");
}

}  // namespace
}  // namespace datenwerk::http
