// JSON Patch against the examples of RFC 6902, Appendix A, and hostile patches.
#include "sta/json_patch.h"

#include <gtest/gtest.h>

namespace datenwerk::sta {
namespace {

namespace json = boost::json;

json::value Patched(const char* doc, const char* patch) {
  auto out = ApplyJsonPatch(json::parse(doc), json::parse(patch));
  EXPECT_TRUE(out.ok()) << out.status().message() << " at " << out.status().field();
  return out.ok() ? *out : json::value();
}

Status Fails(const char* doc, const char* patch) {
  auto out = ApplyJsonPatch(json::parse(doc), json::parse(patch));
  EXPECT_FALSE(out.ok());
  return out.status();
}

TEST(JsonPatchTest, TheExamplesOfRfc6902AppendixA) {
  // A.1 to A.10 and A.16.
  EXPECT_EQ(Patched(R"({"foo": "bar"})", R"([{"op": "add", "path": "/baz", "value": "qux"}])"),
            json::parse(R"({"baz": "qux", "foo": "bar"})"));
  EXPECT_EQ(Patched(R"({"foo": ["bar", "baz"]})", R"([{"op": "add", "path": "/foo/1", "value": "qux"}])"),
            json::parse(R"({"foo": ["bar", "qux", "baz"]})"));
  EXPECT_EQ(Patched(R"({"baz": "qux", "foo": "bar"})", R"([{"op": "remove", "path": "/baz"}])"),
            json::parse(R"({"foo": "bar"})"));
  EXPECT_EQ(Patched(R"({"foo": ["bar", "qux", "baz"]})", R"([{"op": "remove", "path": "/foo/1"}])"),
            json::parse(R"({"foo": ["bar", "baz"]})"));
  EXPECT_EQ(Patched(R"({"baz": "qux", "foo": "bar"})", R"([{"op": "replace", "path": "/baz", "value": "boo"}])"),
            json::parse(R"({"baz": "boo", "foo": "bar"})"));
  EXPECT_EQ(Patched(R"({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}})",
                    R"([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}])"),
            json::parse(R"({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})"));
  EXPECT_EQ(Patched(R"({"foo": ["all", "grass", "cows", "eat"]})",
                    R"([{"op": "move", "from": "/foo/1", "path": "/foo/3"}])"),
            json::parse(R"({"foo": ["all", "cows", "eat", "grass"]})"));
  EXPECT_EQ(Patched(R"({"baz": "qux", "foo": ["a", 2, "c"]})",
                    R"([{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}])"),
            json::parse(R"({"baz": "qux", "foo": ["a", 2, "c"]})"));
  EXPECT_EQ(Fails(R"({"baz": "qux"})", R"([{"op": "test", "path": "/baz", "value": "bar"}])").code(),
            ErrorCode::kConflict);
  EXPECT_EQ(Patched(R"({"foo": "bar"})", R"([{"op": "add", "path": "/child", "value": {"grandchild": {}}}])"),
            json::parse(R"({"foo": "bar", "child": {"grandchild": {}}})"));
  EXPECT_EQ(Patched(R"({"foo": ["bar"]})", R"([{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}])"),
            json::parse(R"({"foo": ["bar", ["abc", "def"]]})"));
  // A.14: ~0 and ~1; A.15: a string is not a number.
  EXPECT_EQ(Patched(R"({"/": 9, "~1": 10})", R"([{"op": "test", "path": "/~01", "value": 10}])"),
            json::parse(R"({"/": 9, "~1": 10})"));
  EXPECT_EQ(Fails(R"({"/": 9, "~1": 10})", R"([{"op": "test", "path": "/~01", "value": "10"}])").code(),
            ErrorCode::kConflict);
}

TEST(JsonPatchTest, CopyAndMoveAsFrostServerUsesThem) {
  EXPECT_EQ(Patched(R"({"properties": {"key1": 1}})",
                    R"([{"op": "copy", "from": "/properties/key1", "path": "/properties/keyCopy1"},
                        {"op": "move", "from": "/properties/key1", "path": "/properties/key2"}])"),
            json::parse(R"({"properties": {"keyCopy1": 1, "key2": 1}})"));
  EXPECT_EQ(Patched(R"({"a": 1.0})", R"([{"op": "test", "path": "/a", "value": 1}])"), json::parse(R"({"a": 1.0})"));
  EXPECT_EQ(Patched(R"({"a": {"x": 1, "y": [2]}})", R"([{"op": "test", "path": "/a", "value": {"y": [2], "x": 1}}])"),
            json::parse(R"({"a": {"x": 1, "y": [2]}})"));
}

TEST(JsonPatchTest, ErrorsNameTheOperationAndNothingIsHalfApplied) {
  // A.12: adding to a nonexistent target; A.13: an unknown op; A.8-like missing value.
  Status s = Fails(R"({"foo": "bar"})", R"([{"op": "add", "path": "/baz/bat", "value": "qux"}])");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "[0].path");
  EXPECT_EQ(Fails(R"({})", R"([{"op": "jump", "path": "/a"}])").field(), "[0].op");
  EXPECT_EQ(Fails(R"({})", R"([{"op": "add", "path": "/a"}])").field(), "[0].value");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "remove", "path": "/b"}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "replace", "path": "a", "value": 2}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": [1]})", R"([{"op": "add", "path": "/a/01", "value": 2}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": [1]})", R"([{"op": "add", "path": "/a/2", "value": 2}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": {"b": 1}})", R"([{"op": "move", "from": "/a", "path": "/a/b/c"}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "copy", "from": "/zz", "path": "/b"}])").field(), "[0].from");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "add", "path": "/a~2", "value": 1}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "remove", "path": ""}])").field(), "[0].path");
  EXPECT_EQ(Fails(R"({"a": 1})", R"({"op": "remove", "path": "/a"})").field(), "body");
  EXPECT_EQ(Fails(R"({"a": 1})", R"([{"op": "remove", "path": "/a"}, 7])").field(), "[1]");
}

TEST(JsonPatchTest, BoundsHoldAgainstHostilePatches) {
  json::array many;
  for (size_t i = 0; i <= kMaxPatchOperations; ++i) many.push_back(json::parse(R"({"op": "test", "path": ""})"));
  auto out = ApplyJsonPatch(json::object{}, many);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "body");
  std::string deep;
  for (size_t i = 0; i <= kMaxPointerDepth; ++i) deep += "/a";
  json::array one{json::object{{"op", "remove"}, {"path", deep}}};
  out = ApplyJsonPatch(json::object{}, one);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "[0].path");
  // The whole document may be replaced, and an index as large as any is no position.
  EXPECT_EQ(Patched(R"({"a": 1})", R"([{"op": "replace", "path": "", "value": [1]}])"), json::parse("[1]"));
  EXPECT_EQ(Fails(R"([1])", R"([{"op": "remove", "path": "/99999999999999999999"}])").field(), "[0].path");
}

}  // namespace
}  // namespace datenwerk::sta
