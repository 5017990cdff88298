#include <gtest/gtest.h>

#include "sta/query_options.h"
#include "sta/resource_path.h"

namespace datenwerk::sta {
namespace {

TEST(ResourcePathTest, EntitySetsEntitiesNavigationsPropertiesValueAndRef) {
  auto root = ParseResourcePath("/");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(root->segments.empty());

  auto set = ParseResourcePath("/Things");
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->IsCollection());
  EXPECT_EQ(set->Target().type, EntityType::kThing);

  auto nested = ParseResourcePath("/Datastreams(1)/Observations(7)/FeatureOfInterest/name/$value");
  ASSERT_TRUE(nested.ok()) << nested.status().message();
  ASSERT_EQ(nested->segments.size(), 3u);
  EXPECT_EQ(*nested->segments[1].id, 7);
  EXPECT_EQ(nested->Target().type, EntityType::kFeatureOfInterest);
  EXPECT_EQ(nested->property, std::vector<std::string>{"name"});
  EXPECT_TRUE(nested->value);
  EXPECT_FALSE(nested->IsCollection());

  auto ref = ParseResourcePath("/Things(1)/Datastreams/$ref");
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(ref->ref);
  EXPECT_TRUE(ref->IsCollection());

  auto quoted = ParseResourcePath("/Things('12')");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(*quoted->segments[0].id, 12);
  auto deep = ParseResourcePath("/Things(1)/properties/owner");
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->property, (std::vector<std::string>{"properties", "owner"}));
}

TEST(ResourcePathTest, MalformedPathsAreErrors) {
  EXPECT_EQ(ParseResourcePath("/Dinge").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ParseResourcePath("/Things(1)/Farbe").status().code(), ErrorCode::kNotFound);
  for (const char* bad : {"/Things(0)", "/Things(-1)", "/Things(x)", "/Things(1", "/Things/Datastreams",
                          "/Things(1)/$value", "/Things(1)/name/$value/x", "/Datastreams(1)/Thing(2)",
                          "/Things(1)//Datastreams", "/Things(1)/$ref"}) {
    auto p = ParseResourcePath(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok() && p.status().code() == ErrorCode::kInvalidArgument) {
      EXPECT_EQ(p.status().field(), "path");
    }
  }
}

TEST(QueryOptionsTest, ParsesTheMasterportalExpand) {
  const EntityDef& things = *DefinitionBySetName("Things");
  auto o = ParseQueryOptions(
      things, {{"$expand", "Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))"},
               {"$count", "true"},
               {"unrelated", "ignored"}});
  ASSERT_TRUE(o.ok()) << o.status().field() << " " << o.status().message();
  EXPECT_TRUE(o->count);
  ASSERT_EQ(o->expand.size(), 1u);
  EXPECT_EQ(o->expand[0].navigation->name, "Datastreams");
  const QueryOptions& ds = o->expand[0].options;
  ASSERT_EQ(ds.expand.size(), 1u);
  const QueryOptions& obs = ds.expand[0].options;
  EXPECT_EQ(obs.top, 1);
  ASSERT_EQ(obs.orderby.size(), 1u);
  EXPECT_EQ(obs.orderby[0].path, std::vector<std::string>{"phenomenonTime"});
  EXPECT_TRUE(obs.orderby[0].descending);
}

TEST(QueryOptionsTest, PathExpandSelectOrderbyTopSkip) {
  const EntityDef& things = *DefinitionBySetName("Things");
  auto o = ParseQueryOptions(things, {{"$expand", "Datastreams/ObservedProperty,Locations"},
                                      {"$select", "id,name"},
                                      {"$orderby", "name desc,id"},
                                      {"$top", "5"},
                                      {"$skip", "10"}});
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->expand.size(), 2u);
  EXPECT_EQ(o->expand[0].options.expand[0].navigation->name, "ObservedProperty");
  EXPECT_EQ(o->select, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(o->orderby.size(), 2u);
  EXPECT_FALSE(o->orderby[1].descending);
  EXPECT_EQ(o->EffectiveTop(), 5);
  EXPECT_EQ(o->skip, 10);
  EXPECT_EQ(ParseQueryOptions(things, {{"$top", "999999"}})->EffectiveTop(), kMaxTop);
  EXPECT_EQ(ParseQueryOptions(things, {})->EffectiveTop(), kDefaultTop);
}

TEST(QueryOptionsTest, ErrorsNameTheOptionAndUnsupportedOnesAre501) {
  const EntityDef& obs = *DefinitionBySetName("Observations");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$top", "-1"}}).status().field(), "$top");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$count", "yes"}}).status().field(), "$count");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$select", "farbe"}}).status().field(), "$select");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$expand", "Things"}}).status().field(), "$expand");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$expand", "Datastream($top=1"}}).status().field(), "$expand");
  EXPECT_EQ(ParseQueryOptions(obs, {{"$foo", "1"}}).status().field(), "$foo");
  EXPECT_TRUE(ParseQueryOptions(obs, {{"$filter", "result gt 1"}})->filter != nullptr);
  EXPECT_EQ(ParseQueryOptions(obs, {{"$filter", "result gt"}}).status().field(), "$filter");
  EXPECT_TRUE(ParseQueryOptions(obs, {{"$resultFormat", "dataArray"}})->data_array);
  EXPECT_EQ(ParseQueryOptions(obs, {{"$resultFormat", "GeoJSON"}}).status().field(), "$resultFormat");
  EXPECT_EQ(ParseQueryOptions(*DefinitionBySetName("Things"), {{"$resultFormat", "dataArray"}})
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseQueryOptions(obs, {{"$orderby", "Datastream/name"}}).status().code(),
            ErrorCode::kNotImplemented);
}

}  // namespace
}  // namespace datenwerk::sta

namespace datenwerk::sta {
namespace {

TEST(QueryOptionsTest, ExpandDepthIsBounded) {
  const EntityDef& things = *DefinitionBySetName("Things");
  std::string nine = "Datastreams";
  for (int i = 0; i < 4; ++i) nine += "($expand=Thing($expand=Datastreams";
  nine += "($expand=Thing";
  for (int i = 0; i < 9; ++i) nine += ")";
  auto deep = ParseQueryOptions(things, {{"$expand", nine}});
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().field(), "$expand");
  auto fine = ParseQueryOptions(things, {{"$expand", "Datastreams($expand=Thing($expand=Locations))"}});
  EXPECT_TRUE(fine.ok());
}

}  // namespace
}  // namespace datenwerk::sta
