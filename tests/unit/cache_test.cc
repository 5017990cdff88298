#include "http/cache.h"

#include <gtest/gtest.h>

namespace datenwerk::http {
namespace {

Request Get(const std::string& target) {
  Request r;
  r.method = "GET";
  r.target = target;
  ParseTarget(target, r);
  return r;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST(ResponseCacheTest, ComputesOncePerVersionAndRevalidatesWithETag) {
  uint64_t version = 1;
  int calls = 0;
  ResponseCache cache([&] { return version; });
  Handler next = [&](const Request&) {
    ++calls;
    return Response{200, "text/plain", "v" + std::to_string(version)};
  };
  Response first = cache.Handle(Get("/x"), next);
  Response second = cache.Handle(Get("/x"), next);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(second.Body(), "v1");
  std::string etag = HeaderOf(first, "ETag");
  ASSERT_FALSE(etag.empty());

  Request conditional = Get("/x");
  conditional.headers["if-none-match"] = etag;
  EXPECT_EQ(cache.Handle(conditional, next).status, 304);

  version = 2;  // a write happened
  EXPECT_EQ(cache.Handle(conditional, next).status, 200);
  EXPECT_EQ(cache.Handle(Get("/x"), next).Body(), "v2");
  EXPECT_EQ(calls, 2);  // the revalidation computed v2 and filed it
}

TEST(ResponseCacheTest, ErrorsAndCredentialedRequestsAreNotCached) {
  int calls = 0;
  ResponseCache cache([] { return uint64_t{1}; });
  Handler missing = [&](const Request&) {
    ++calls;
    return Response{404, "application/json", "{}"};
  };
  cache.Handle(Get("/nope"), missing);
  cache.Handle(Get("/nope"), missing);
  EXPECT_EQ(calls, 2);
  Request with_key = Get("/y");
  with_key.headers["authorization"] = "Bearer k";
  Handler ok = [&](const Request&) {
    ++calls;
    return Response{};
  };
  cache.Handle(with_key, ok);
  cache.Handle(with_key, ok);
  EXPECT_EQ(calls, 4);
}

TEST(ResponseCacheTest, StaysBounded) {
  ResponseCache cache([] { return uint64_t{1}; }, 2);
  int calls = 0;
  Handler next = [&](const Request&) {
    ++calls;
    return Response{};
  };
  for (int i = 0; i < 5; ++i) cache.Handle(Get("/p" + std::to_string(i)), next);
  cache.Handle(Get("/p4"), next);
  EXPECT_EQ(calls, 5);  // the newest entry is still there
}

}  // namespace
}  // namespace datenwerk::http

namespace datenwerk::http {
namespace {

TEST(ResponseCacheTest, UncachedPrefixesAlwaysReachTheHandler) {
  int calls = 0;
  ResponseCache cache([] { return uint64_t{1}; }, 10, {"/sta/"});
  Handler next = [&](const Request&) {
    ++calls;
    return Response{};
  };
  Request r;
  r.method = "GET";
  r.target = r.path = "/sta/v1.1/Things";
  cache.Handle(r, next);
  cache.Handle(r, next);
  EXPECT_EQ(calls, 2);
}

}  // namespace
TEST(ResponseCacheTest, MemoryStaysWithinTheByteBoundWhateverTheUrls) {
  // An attacker's cache busters ("?cb=N") each make an entry; the bound holds regardless.
  ResponseCache cache([] { return uint64_t{1}; }, 4096, {}, 64 * 1024);
  int calls = 0;
  Handler next = [&](const Request&) {
    ++calls;
    return Response{200, "application/json", std::string(1000, 'x')};
  };
  for (int i = 0; i < 1500; ++i) {
    EXPECT_EQ(cache.Handle(Get("/d?cb=" + std::to_string(i)), next).status, 200);
    ASSERT_LE(cache.bytes(), 64u * 1024) << "after " << i;
  }
  EXPECT_EQ(calls, 1500);
  EXPECT_GT(cache.entries(), 10u);  // it still caches
  EXPECT_LT(cache.entries(), 65u);
  // The newest are kept, the oldest went.
  cache.Handle(Get("/d?cb=1499"), next);
  EXPECT_EQ(calls, 1500);
  cache.Handle(Get("/d?cb=0"), next);
  EXPECT_EQ(calls, 1501);
}

TEST(ResponseCacheTest, ParameterOrderDoesNotMakeANewEntryAndHugeBodiesAreNotKept) {
  ResponseCache cache([] { return uint64_t{1}; }, 4096, {}, 64 * 1024);
  int calls = 0;
  Handler next = [&](const Request& r) {
    ++calls;
    return Response{200, "text/plain", std::string(r.path == "/big" ? 20000 : 10, 'y')};
  };
  cache.Handle(Get("/k?a=1&b=2"), next);
  cache.Handle(Get("/k?b=2&a=1"), next);
  EXPECT_EQ(calls, 1);
  cache.Handle(Get("/big"), next);
  cache.Handle(Get("/big"), next);
  EXPECT_EQ(calls, 3);  // over an eighth of the bound: computed each time, never kept
  EXPECT_EQ(cache.entries(), 1u);
}

}  // namespace datenwerk::http
