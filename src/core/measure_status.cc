#include "core/measure_status.h"

#include <cctype>
#include <string>

namespace datenwerk {

const char* MeasureStageName(MeasureStage stage) {
  switch (stage) {
    case MeasureStage::kIdea: return "idea";
    case MeasureStage::kPlanned: return "planned";
    case MeasureStage::kInProgress: return "in_progress";
    case MeasureStage::kOngoing: return "ongoing";
    case MeasureStage::kImplemented: return "implemented";
  }
  return "idea";
}

const char* MeasureStageLabel(MeasureStage stage) {
  switch (stage) {
    case MeasureStage::kIdea: return "Neu, Projektidee";
    case MeasureStage::kPlanned: return "In Planung";
    case MeasureStage::kInProgress: return "In Umsetzung";
    case MeasureStage::kOngoing: return "Laufend";
    case MeasureStage::kImplemented: return "Umgesetzt";
  }
  return "";
}

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<MeasureStage> ClassifyMeasureStatus(std::string_view status) {
  while (!status.empty() && std::isspace(static_cast<unsigned char>(status.front()))) {
    status.remove_prefix(1);
  }
  struct Rule {
    std::string_view prefix;
    MeasureStage stage;
  };
  static constexpr Rule kRules[] = {
      {"neu", MeasureStage::kIdea},           {"projektidee", MeasureStage::kIdea},
      {"in planung", MeasureStage::kPlanned}, {"in umsetzung", MeasureStage::kInProgress},
      {"laufend", MeasureStage::kOngoing},    {"umgesetzt", MeasureStage::kImplemented},
  };
  for (const Rule& r : kRules) {
    if (StartsWithNoCase(status, r.prefix)) return r.stage;
  }
  return std::nullopt;
}

}  // namespace datenwerk
