#include "core/measure_status.h"

#include <gtest/gtest.h>

namespace datenwerk {
namespace {

TEST(MeasureStatusTest, ClassifiesEveryBochumStatusText) {
  EXPECT_EQ(ClassifyMeasureStatus("In Umsetzung"), MeasureStage::kInProgress);
  EXPECT_EQ(ClassifyMeasureStatus("Neu, Projektidee"), MeasureStage::kIdea);
  EXPECT_EQ(ClassifyMeasureStatus("In Planung"), MeasureStage::kPlanned);
  EXPECT_EQ(ClassifyMeasureStatus("Umgesetzt, im Regelbetrieb mit Ausbau"),
            MeasureStage::kImplemented);
  EXPECT_EQ(ClassifyMeasureStatus("Umgesetzt, in Regelbetrieb"), MeasureStage::kImplemented);
  EXPECT_EQ(ClassifyMeasureStatus("Laufend, Ausbau geplant"), MeasureStage::kOngoing);
  EXPECT_EQ(ClassifyMeasureStatus("  in umsetzung"), MeasureStage::kInProgress);
}

TEST(MeasureStatusTest, UnknownTextIsNotClassified) {
  EXPECT_FALSE(ClassifyMeasureStatus("Vielleicht"));
  EXPECT_FALSE(ClassifyMeasureStatus(""));
}

TEST(MeasureStatusTest, CountsAddUp) {
  StageCounts c;
  c.Add(MeasureStage::kIdea);
  c.Add(MeasureStage::kIdea);
  c.Add(MeasureStage::kImplemented);
  EXPECT_EQ(c.Of(MeasureStage::kIdea), 2);
  EXPECT_EQ(c.total, 3);
}

}  // namespace
}  // namespace datenwerk
