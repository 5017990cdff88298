#include "core/catalogue.h"

#include <gtest/gtest.h>

#include "core/catalogue_import.h"
#include "test_data.h"

namespace datenwerk {
namespace {

TEST(CatalogueTest, DerivedCountsMatchTheCatalogue) {
  Catalogue c(ParseCatalogue(testing::BochumFiles()).value());
  int measures = 0, kpis = 0;
  for (const Theme& t : c.data().themes) {
    EXPECT_EQ(c.FieldsOf(t.id).size(), 3u) << t.id;
    measures += c.MeasureCountOfTheme(t.id);
    kpis += c.KpiCountOfTheme(t.id);
  }
  EXPECT_EQ(measures, 101);
  EXPECT_EQ(kpis, 130);
  StageCounts all = c.StagesOverall();
  EXPECT_EQ(all.total, 101);
  EXPECT_EQ(all.Of(MeasureStage::kInProgress), 47);
  EXPECT_EQ(all.Of(MeasureStage::kImplemented), 20);
  EXPECT_EQ(all.Of(MeasureStage::kIdea), 18);
  EXPECT_EQ(all.Of(MeasureStage::kPlanned), 12);
  EXPECT_EQ(all.Of(MeasureStage::kOngoing), 4);
  EXPECT_EQ(c.ThemeOfField("NMU-KK"), "NMU");
  EXPECT_EQ(c.KpisOfMeasure("ZI-NI-1").size(), 5u);
}

TEST(CatalogueTest, LatestValueSkipsNotReportedAndOrdersByDate) {
  CatalogueData d;
  d.kpis.push_back(Kpi{.id = "K"});
  KpiValue a{.id = 1, .kpi_id = "K", .date = "2021-01-01", .value = 1};
  KpiValue b{.id = 2, .kpi_id = "K", .date = "2023-01-01"};  // not reported
  KpiValue c{.id = 3, .kpi_id = "K", .date = "2022-01-01", .value = 2};
  d.values = {b, a, c};
  Catalogue cat(std::move(d));
  ASSERT_EQ(cat.ValuesOf("K").size(), 3u);
  EXPECT_EQ(cat.ValuesOf("K").front()->id, 1);
  EXPECT_EQ(cat.LatestValue("K")->id, 3);
  EXPECT_EQ(cat.LatestValue("nope"), nullptr);
}

}  // namespace
}  // namespace datenwerk
