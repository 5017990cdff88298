#include "echo/status.h"

namespace datenwerk::echo {

namespace {

struct Names {
  ReportStatus status;
  const char* code;
  const char* label;
  const char* extended;
};

constexpr Names kNames[] = {
    {ReportStatus::kReceived, "received", "Eingegangen", "OPEN"},
    {ReportStatus::kInProgress, "in_progress", "In Bearbeitung", "IN_PROGRESS"},
    {ReportStatus::kScheduled, "scheduled", "Eingeplant", "ACTION_SCHEDULED"},
    {ReportStatus::kReferred, "referred", "An andere Stelle abgegeben", "INTERNAL_REFERRAL"},
    {ReportStatus::kDuplicate, "duplicate", "Doppelt gemeldet", "DUPLICATE"},
    {ReportStatus::kNotResponsible, "not_responsible", "Nicht zuständig", "NOT_COUNCILS_RESPONSIBILITY"},
    {ReportStatus::kDone, "done", "Erledigt", "FIXED"},
    {ReportStatus::kNotFixable, "not_fixable", "Nicht behebbar", "NO_FURTHER_ACTION"},
};

const Names& Of(ReportStatus s) {
  for (const Names& n : kNames) {
    if (n.status == s) return n;
  }
  return kNames[0];
}

}  // namespace

const char* StatusCode(ReportStatus s) { return Of(s).code; }
const char* StatusLabel(ReportStatus s) { return Of(s).label; }
const char* ExtendedStatus(ReportStatus s) { return Of(s).extended; }

std::optional<ReportStatus> StatusFromCode(std::string_view code) {
  for (const Names& n : kNames) {
    if (code == n.code) return n.status;
  }
  return std::nullopt;
}

bool IsOpen(ReportStatus s) { return s == ReportStatus::kReceived || s == ReportStatus::kInProgress || s == ReportStatus::kScheduled; }

}  // namespace datenwerk::echo
