// JSON text: strings escaped exactly as Boost.JSON escapes them, numbers in their shortest form.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

namespace datenwerk {
namespace {

namespace json = boost::json;

TEST(JsonTextTest, StringsAreEscapedAsBoostJsonEscapesThem) {
  std::string every;
  for (int c = 0; c < 256; ++c) every += static_cast<char>(c);
  std::string out;
  AppendJsonString(every, out);
  EXPECT_EQ(out, json::serialize(json::string_view(every)));
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(random() % 40, ' ');
    for (char& c : s) c = static_cast<char>(random() % 4 == 0 ? random() % 0x22 : 0x20 + random() % 200);
    std::string mine;
    AppendJsonString(s, mine);
    ASSERT_EQ(mine, json::serialize(json::string_view(s))) << i;
  }
}

TEST(JsonTextTest, ValuesOfEveryKind) {
  const json::value v = json::parse(
      R"({"a":[1,-2,18446744073709551615,-9223372036854775808,true,false,null],"b":"x\"y\\z\u0001","c":21.5,"ä":{}})");
  EXPECT_EQ(ToJsonText(v),
            R"({"a":[1,-2,18446744073709551615,-9223372036854775808,true,false,null],"b":"x\"y\\z\u0001","c":21.5,"ä":{}})");
}

}  // namespace
}  // namespace datenwerk
