#include "echo/kpis.h"

#include <cmath>

namespace datenwerk::echo {

KpiFigures ComputeEchoKpis(const KpiBasis& b) {
  KpiFigures out;
  if (b.reports_total == 0) {
    for (const char* kpi : {"SCBOK-ZI-KI-K2.1", "SCBOK-ZI-KI-K2.2", "SCBOK-ZI-KI-K2.3", "SCBOK-ZI-KI-K2.4", "SCBOK-ZI-KI-K2.5"}) {
      out.not_computed.push_back({kpi, "im BürgerEcho ist noch keine Meldung eingegangen"});
    }
    return out;
  }
  out.figures.push_back({"SCBOK-ZI-KI-K2.1", static_cast<double>(b.suggestions), "Vorschläge",
                         "Anregungen im BürgerEcho im Zeitraum"});
  if (b.suggestions_total > 0) {
    const double share = std::round(1000.0 * static_cast<double>(b.suggestions_done) /
                                    static_cast<double>(b.suggestions_total)) / 10.0;
    out.figures.push_back({"SCBOK-ZI-KI-K2.2", share, "%",
                           std::to_string(b.suggestions_done) + " von " + std::to_string(b.suggestions_total) +
                               " Anregungen umgesetzt"});
  } else {
    out.not_computed.push_back({"SCBOK-ZI-KI-K2.2", "noch keine Anregung eingegangen"});
  }
  out.figures.push_back({"SCBOK-ZI-KI-K2.3", static_cast<double>(b.concerns), "Anliegen",
                         "Mängel und Anregungen im BürgerEcho im Zeitraum"});
  out.figures.push_back({"SCBOK-ZI-KI-K2.4", static_cast<double>(b.defects), "Mängel", "Mängelmeldungen im Zeitraum"});
  if (b.reacted_defects > 0) {
    const double hours = std::round(10.0 * b.reaction_hours_sum / static_cast<double>(b.reacted_defects)) / 10.0;
    out.figures.push_back({"SCBOK-ZI-KI-K2.5", hours, "Stunden",
                           "Mittel über " + std::to_string(b.reacted_defects) + " bearbeitete Mängelmeldungen"});
  } else {
    out.not_computed.push_back({"SCBOK-ZI-KI-K2.5", "noch keine Mängelmeldung des Zeitraums bearbeitet"});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> EchoKpiMethods() {
  return {
      {"SCBOK-ZI-KI-K2.1", "Gezählt werden die Anregungen, die im Monat im BürgerEcho eingegangen sind."},
      {"SCBOK-ZI-KI-K2.2", "Anteil der bis zum Monatsende eingegangenen Anregungen, die am Monatsende als erledigt "
                           "(umgesetzt) markiert sind."},
      {"SCBOK-ZI-KI-K2.3", "Gezählt werden alle Anliegen (Mängel und Anregungen), die im Monat eingegangen sind."},
      {"SCBOK-ZI-KI-K2.4", "Gezählt werden die Mängelmeldungen, die im Monat eingegangen sind."},
      {"SCBOK-ZI-KI-K2.5", "Reaktionszeit ist die Zeit vom Eingang einer Mängelmeldung bis zur ersten Änderung ihres "
                           "Stands durch die Verwaltung. Gemittelt über die im Monat eingegangenen Mängelmeldungen, "
                           "die schon bearbeitet wurden; in Stunden."},
  };
}

}  // namespace datenwerk::echo
