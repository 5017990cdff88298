// The programme's five BürgerEcho KPIs (measure ZI-KI-2) from the reports, per period. Pure: the
// store gathers the basis (ReportStore::KpiBasis), this turns it into values with their method.
//   SCBOK-ZI-KI-K2.1  suggestions filed in the period (categories of kind "anregung").
//   SCBOK-ZI-KI-K2.2  share (%) of all suggestions filed up to the period's end that are marked
//                     done (umgesetzt) at its end.
//   SCBOK-ZI-KI-K2.3  all concerns filed in the period (defects and suggestions).
//   SCBOK-ZI-KI-K2.4  defects filed in the period (kind "mangel").
//   SCBOK-ZI-KI-K2.5  average reaction time to defects, in hours: from a defect's receipt to the
//                     first change of its state by staff, over the defects filed in the period
//                     that staff have reacted to (not computed while none has been).
// None is computed while no report has been filed at all: a city that does not use BürgerEcho yet
// gets no zeros after the figures it reported itself.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace datenwerk::echo {

struct KpiBasis {
  int64_t reports_total = 0;          // filed up to the period's end (0: BürgerEcho not in use yet)
  int64_t suggestions = 0;            // filed in the period
  int64_t suggestions_total = 0;      // filed up to the period's end
  int64_t suggestions_done = 0;       // of those, done at the period's end
  int64_t concerns = 0;               // all filed in the period
  int64_t defects = 0;                // filed in the period
  int64_t reacted_defects = 0;        // of those, with a staff change of state
  double reaction_hours_sum = 0;      // over the reacted ones
};

struct KpiFigure {
  std::string kpi_id;
  double value = 0;
  std::string unit;
  std::string note;
};

struct KpiFigures {
  std::vector<KpiFigure> figures;
  std::vector<std::pair<std::string, std::string>> not_computed;  // (kpi id, why)
};

KpiFigures ComputeEchoKpis(const KpiBasis& basis);

// (kpi id, how it is computed, in German) for the KPI pages.
std::vector<std::pair<std::string, std::string>> EchoKpiMethods();

}  // namespace datenwerk::echo
