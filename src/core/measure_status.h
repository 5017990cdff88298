// Measure status: the printed text varies ("Umgesetzt, in Regelbetrieb" / "... im Regelbetrieb"),
// so it is classified into a few stages for counting ("So weit ist das Konzept umgesetzt").
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace datenwerk {

enum class MeasureStage { kIdea, kPlanned, kInProgress, kOngoing, kImplemented };
inline constexpr std::array<MeasureStage, 5> kAllMeasureStages = {
    MeasureStage::kIdea, MeasureStage::kPlanned, MeasureStage::kInProgress,
    MeasureStage::kOngoing, MeasureStage::kImplemented};

// Stable API name, e.g. "in_progress".
const char* MeasureStageName(MeasureStage stage);
// German label for the portal, e.g. "In Umsetzung".
const char* MeasureStageLabel(MeasureStage stage);
// Recognises the status texts by their leading words (case-insensitive): "Neu"/"Projektidee",
// "In Planung", "In Umsetzung", "Laufend", "Umgesetzt". Unknown text gives nullopt.
std::optional<MeasureStage> ClassifyMeasureStatus(std::string_view status);

struct StageCounts {
  std::array<int, kAllMeasureStages.size()> by_stage{};
  int total = 0;
  void Add(MeasureStage s) {
    ++by_stage[static_cast<size_t>(s)];
    ++total;
  }
  int Of(MeasureStage s) const { return by_stage[static_cast<size_t>(s)]; }
};

}  // namespace datenwerk
