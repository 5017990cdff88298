#include "sta/measurement_batch.h"

#include <gtest/gtest.h>

namespace datenwerk::sta {
namespace {

TEST(MeasurementBatchTest, ReadsTheUsualForm) {
  auto groups = ReadMeasurementGroups(R"([
    {"Datastream": {"@iot.id": 3}, "components": ["phenomenonTime", "result"], "dataArray@iot.count": 4,
     "dataArray": [["2024-01-01T00:00:00Z", 1.5], ["2024-01-01T01:00:00+01:00", -2],
                   ["kaputt", 3], ["2024-01-01T00:02:00Z"], ["2024-01-01T00:03:00Z", null]]},
    {"components": ["result", "phenomenonTime"], "Datastream": {"@iot.id": 4},
     "dataArray": [[7, "2024-01-01T00:00:00.250Z"]]}])");
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->size(), 2u);
  const MeasurementGroup& a = (*groups)[0];
  EXPECT_EQ(a.datastream, 3);
  ASSERT_EQ(a.rows.size(), 5u);
  EXPECT_EQ(a.rows[0]->time_ms, 1704067200000);
  EXPECT_EQ(a.rows[0]->result, 1.5);
  EXPECT_EQ(a.rows[1]->time_ms, 1704067200000);  // the offset is applied
  EXPECT_EQ(a.rows[1]->result, -2);
  EXPECT_FALSE(a.rows[2]);  // a bad time, a short row and a null result answer "error"
  EXPECT_FALSE(a.rows[3]);
  EXPECT_FALSE(a.rows[4]);
  EXPECT_EQ((*groups)[1].rows[0]->time_ms, 1704067200250);
  EXPECT_EQ((*groups)[1].rows[0]->result, 7);
}

TEST(MeasurementBatchTest, LeavesEverythingElseToTheGeneralPath) {
  for (const char* other : {
           R"({"Datastream": {"@iot.id": 1}})",  // not an array
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result", "resultTime"], "dataArray": []}])",
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"], "dataArray": [["2024-01-01T00:00:00Z", "hoch"]]}])",
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"], "dataArray": [["2024-01-01T00:00:00Z/2024-01-01T01:00:00Z", 1]]}])",
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"], "dataArray": [["2024-01-01T00:00:00Z", 18014398509481984]]}])",
           R"([{"Datastream": {"@iot.id": "1"}, "components": ["phenomenonTime", "result"], "dataArray": []}])",
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"], "dataArray": [], "farbe": 1}])",
           R"([{"components": ["phenomenonTime", "result"], "dataArray": []}])",
           R"([{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"], "dataArray": [)",
       }) {
    EXPECT_FALSE(ReadMeasurementGroups(other)) << other;
  }
}

}  // namespace
}  // namespace datenwerk::sta
