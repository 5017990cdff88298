#include "api/listing.h"

#include <gtest/gtest.h>

namespace datenwerk::api {
namespace {

http::Request WithQuery(const std::string& target) {
  http::Request r;
  r.method = "GET";
  r.target = target;
  http::ParseTarget(target, r);
  return r;
}

TEST(ListingTest, PageDefaultsAndBounds) {
  auto page = ParsePage(WithQuery("/x"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->limit, 50u);
  EXPECT_EQ(ParsePage(WithQuery("/x?limit=0")).status().field(), "limit");
  EXPECT_EQ(ParsePage(WithQuery("/x?limit=501")).status().field(), "limit");
  EXPECT_EQ(ParsePage(WithQuery("/x?limit=abc")).status().field(), "limit");
  EXPECT_EQ(ParsePage(WithQuery("/x?offset=-1")).status().field(), "offset");
  EXPECT_EQ(ParsePage(WithQuery("/x?limit=5&offset=10"))->offset, 10u);
}

TEST(ListingTest, NextLinkKeepsFiltersAndAdvances) {
  boost::json::array all;
  for (int i = 0; i < 7; ++i) all.emplace_back(i);
  auto request = WithQuery("/api/v1/kpis?theme=NMU&limit=3");
  auto page = PageJson(all, *ParsePage(request), request);
  EXPECT_EQ(page["items"].as_array().size(), 3u);
  EXPECT_EQ(page["total"].as_uint64(), 7u);
  EXPECT_EQ(page["next"].as_string(), "/api/v1/kpis?theme=NMU&limit=3&offset=3");
  auto last_request = WithQuery("/api/v1/kpis?theme=NMU&limit=3&offset=6");
  auto last = PageJson(all, *ParsePage(last_request), last_request);
  EXPECT_EQ(last["items"].as_array().size(), 1u);
  EXPECT_TRUE(last["next"].is_null());
}

TEST(ListingTest, UnknownParametersAreNamed) {
  EXPECT_TRUE(CheckQueryParams(WithQuery("/x?theme=a&limit=2"), {"theme"}).ok());
  EXPECT_EQ(CheckQueryParams(WithQuery("/x?thema=a"), {"theme"}).field(), "thema");
}

TEST(ListingTest, SearchFoldsCaseAndUmlauts) {
  EXPECT_TRUE(ContainsFolded("Überwachung städtischer Gewässer", "überwachung"));
  EXPECT_TRUE(ContainsFolded("Überwachung städtischer Gewässer", "GEWÄSSER"));
  EXPECT_FALSE(ContainsFolded("Breitband", "glasfaser"));
}

}  // namespace
}  // namespace datenwerk::api
