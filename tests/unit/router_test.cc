#include "http/router.h"

#include <gtest/gtest.h>

namespace datenwerk::http {
namespace {

Request Get(const std::string& target, const std::string& method = "GET") {
  Request r;
  r.method = method;
  r.target = target;
  EXPECT_TRUE(ParseTarget(target, r));
  return r;
}

Response Echo(const Request& r) {
  Response out;
  out.body = r.Param("id") + "|" + r.Param("value_id");
  return out;
}

TEST(RouterTest, MatchesLiteralAndPlaceholderSegments) {
  Router router;
  router.Add("GET", "/api/v1/kpis/{id}", Echo);
  router.Add("GET", "/api/v1/kpis/{id}/values/{value_id}", Echo);
  router.Add("GET", "/", [](const Request&) { return Response{200, "text/plain", "root"}; });
  EXPECT_EQ(router.Handle(Get("/api/v1/kpis/K1")).body, "K1|");
  EXPECT_EQ(router.Handle(Get("/api/v1/kpis/K%201/values/7")).body, "K 1|7");
  EXPECT_EQ(router.Handle(Get("/")).body, "root");
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Router router;
  router.Add("GET", "/a/{id}", Echo);
  router.Add("PUT", "/a/{id}", Echo);
  EXPECT_EQ(router.Handle(Get("/b")).status, 404);
  EXPECT_EQ(router.Handle(Get("/a/")).status, 404);  // an empty placeholder does not match
  Response r = router.Handle(Get("/a/1", "DELETE"));
  EXPECT_EQ(r.status, 405);
  ASSERT_FALSE(r.headers.empty());
  EXPECT_EQ(r.headers.back().second, "GET, PUT");
}

TEST(RouterTest, CustomNotFoundHandler) {
  Router router;
  router.SetNotFound([](const Request&) { return Response{404, "text/html", "<h1>weg</h1>"}; });
  EXPECT_EQ(router.Handle(Get("/x")).body, "<h1>weg</h1>");
}

TEST(RouterTest, MalformedPatternIsRejectedAtStartUp) {
  Router router;
  EXPECT_THROW(router.Add("GET", "no-slash", Echo), std::invalid_argument);
}

}  // namespace
}  // namespace datenwerk::http
