#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sensors/mqtt_subscriptions.h"
#include "broker/subscriptions_topic.h"
#include "sta/subscription.h"

namespace datenwerk::sta {
namespace {

TEST(SubscriptionTopicTest, EntitySetsAndEntitiesWithSelectAndFilterRawOrEncoded) {
  auto raw = ParseSubscriptionTopic("v1.1/Datastreams(1)/Observations?$filter=result gt 30&$select=result");
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->path, "Datastreams(1)/Observations");
  EXPECT_EQ(raw->type, EntityType::kObservation);
  EXPECT_TRUE(raw->options.filter);
  EXPECT_EQ(raw->options.select, std::vector<std::string>{"result"});

  auto encoded = ParseSubscriptionTopic("v1.1/Things(4)?%24select=name%2Cdescription");
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  EXPECT_EQ(encoded->path, "Things(4)");
  EXPECT_EQ(encoded->topic, "v1.1/Things(4)?%24select=name%2Cdescription");
  EXPECT_EQ(encoded->options.select, (std::vector<std::string>{"name", "description"}));
}

TEST(SubscriptionTopicTest, RefusesWhatCannotNarrowANotification) {
  for (const char* topic :
       {"v1.1/Things", "v1.0/Things?$select=name", "v1.1/Things?$top=1", "v1.1/Things?$select=nope",
        "v1.1/Things?$filter=((", "v1.1/+/Observations?$select=result", "v1.1/Things(1)/name?$select=name",
        "v1.1/Things(1)/Datastreams/$ref?$select=id", "v1.1/Bogus?$select=id", "v1.1/Things?$select=%zz"}) {
    auto parsed = ParseSubscriptionTopic(topic);
    EXPECT_FALSE(parsed.ok()) << topic;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << topic;
  }
  EXPECT_FALSE(ParseSubscriptionTopic("v1.1/Things?$select=" + std::string(2000, 'a')).ok());
}

TEST(SubscriptionTopicTest, DeepPathsAreCheckedByMembershipWithTheSameRuleAsThePlugin) {
  struct Case {
    const char* topic;
    bool membership;
  };
  for (const Case& c : {Case{"v1.1/Observations(1)/Datastream/Thing", true},
                        Case{"v1.1/Observations(1)/Datastream?$select=name", true},
                        Case{"v1.1/Things(1)/Datastreams(2)/Sensor", true},
                        Case{"v1.1/Observations(7)/Datastream/Thing/Locations?$filter=name eq 'a'", true},
                        Case{"v1.1/Datastreams(1)/Observations?$select=result", false},
                        Case{"v1.1/Things?$select=name", false}}) {
    auto parsed = ParseSubscriptionTopic(c.topic);
    ASSERT_TRUE(parsed.ok()) << c.topic << ": " << parsed.status().message();
    EXPECT_EQ(parsed->membership.has_value(), c.membership) << c.topic;
    EXPECT_EQ(broker::IsTrackedTopic(c.topic), true) << c.topic;
  }
  auto deep = ParseSubscriptionTopic("v1.1/Observations(1)/Datastream/Thing");
  EXPECT_EQ(deep->type, EntityType::kThing);
  EXPECT_TRUE(deep->options.select.empty());
  // Topics the server serves without knowing of them are not tracked.
  for (const char* topic : {"v1.1/Things", "v1.1/Things(1)", "v1.1/Datastreams(1)/Thing", "v1.1/Things(1)/name", "v2/Things?$x"}) {
    EXPECT_FALSE(broker::IsTrackedTopic(topic)) << topic;
  }
}

TEST(SubscriptionTopicTest, SelectKeepsIdPropertiesAndNavigationLinksNamed) {
  const auto entity = boost::json::parse(R"({"@iot.id":3,"@iot.selfLink":"s","name":"n",
      "description":"d","Datastreams@iot.navigationLink":"l","Locations@iot.navigationLink":"m"})").as_object();
  auto topic = ParseSubscriptionTopic("v1.1/Things?$select=id,name,Datastreams");
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ(boost::json::value(SelectForSubscription(entity, topic->options)),
            boost::json::parse(R"({"@iot.id":3,"name":"n","Datastreams@iot.navigationLink":"l"})"));
  QueryOptions everything;
  EXPECT_EQ(SelectForSubscription(entity, everything), entity);
}

TEST(SubscriptionRegistryTest, GroupsByPathSkipsBadTopicsAndIsBounded) {
  sensors::SubscriptionRegistry registry;
  EXPECT_TRUE(registry.empty());
  registry.Replace("v1.1/Things?$select=name\nv1.1/Things?$select=id\nv1.1/Things?$top=1\n\n"
                   "garbage\nv1.1/Datastreams(1)/Observations?$filter=result gt 1\n");
  EXPECT_EQ(registry.size(), 3u);
  EXPECT_EQ(registry.For("Things").size(), 2u);
  EXPECT_EQ(registry.For("Datastreams(1)/Observations").size(), 1u);
  EXPECT_TRUE(registry.For("Observations").empty());
  std::string many;
  for (int i = 0; i < 1500; ++i) many += "v1.1/Things(" + std::to_string(i) + ")?$select=name\n";
  registry.Replace(many);
  EXPECT_EQ(registry.size(), sensors::SubscriptionRegistry::kMaxTopics);
  registry.Replace("");
  EXPECT_TRUE(registry.empty());
}

}  // namespace
}  // namespace datenwerk::sta
