#include "api/json_body.h"

#include <gtest/gtest.h>

namespace datenwerk::api {
namespace {

TEST(JsonBodyTest, RejectsMalformedJsonNonObjectsAndUnknownMembers) {
  EXPECT_EQ(ParseObject("{", {"a"}).status().field(), "body");
  EXPECT_EQ(ParseObject("[1]", {"a"}).status().field(), "body");
  EXPECT_EQ(ParseObject(R"({"a":1,"b":2})", {"a"}).status().field(), "b");
  EXPECT_TRUE(ParseObject(R"({"a":1})", {"a"}).ok());
}

TEST(JsonBodyTest, TypedMembersNameTheFieldOnError) {
  auto o = ParseObject(R"({"date":5,"value":"x","n":null,"nested":{"date":"2024-01-01"}})",
                       {"date", "value", "n", "nested"});
  ASSERT_TRUE(o.ok());
  std::string date;
  std::optional<double> value = 1;
  EXPECT_EQ(ReadString(*o, "date", "", date).field(), "date");
  EXPECT_EQ(ReadNumber(*o, "value", "", value).field(), "value");
  EXPECT_TRUE(ReadNumber(*o, "n", "", value).ok());
  EXPECT_FALSE(value.has_value());
  EXPECT_EQ(ReadString(*o, "missing", "", date, true).field(), "missing");
  auto nested = AsObject(o->at("nested"), "nested", {"value"});
  EXPECT_EQ(nested.status().field(), "nested.date");
}

TEST(JsonBodyTest, ReadsNumbersOfEveryJsonKind) {
  auto o = ParseObject(R"({"i":3,"d":2.5,"big":18446744073709551615})", {"i", "d", "big"});
  ASSERT_TRUE(o.ok());
  std::optional<double> v;
  ASSERT_TRUE(ReadNumber(*o, "i", "", v).ok());
  EXPECT_EQ(*v, 3);
  ASSERT_TRUE(ReadNumber(*o, "d", "", v).ok());
  EXPECT_EQ(*v, 2.5);
  ASSERT_TRUE(ReadNumber(*o, "big", "", v).ok());
  EXPECT_GT(*v, 1e19);
}

}  // namespace
}  // namespace datenwerk::api
