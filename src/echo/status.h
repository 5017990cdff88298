// The processing states of a BürgerEcho report, finer than Open311's open/closed so that a
// citizen sees what is happening (FixMyStreet's coarse states are one of its known pain points).
// Pure.
#pragma once

#include <optional>
#include <string_view>

namespace datenwerk::echo {

enum class ReportStatus {
  kReceived,        // eingegangen
  kInProgress,      // in Bearbeitung
  kScheduled,       // eingeplant
  kReferred,        // an andere Stelle abgegeben (another body is responsible and has it)
  kDuplicate,       // doppelt gemeldet (merged into another report)
  kNotResponsible,  // nicht zuständig (not the city's: e.g. a motorway or private land)
  kDone,            // erledigt
  kNotFixable,      // nicht behebbar
};

inline constexpr ReportStatus kAllStatuses[] = {ReportStatus::kReceived,   ReportStatus::kInProgress, ReportStatus::kScheduled,
                                          ReportStatus::kReferred,   ReportStatus::kDuplicate,  ReportStatus::kNotResponsible,
                                          ReportStatus::kDone,       ReportStatus::kNotFixable};

// The stable code used in the API and the database: "received", "in_progress", …
const char* StatusCode(ReportStatus s);
std::optional<ReportStatus> StatusFromCode(std::string_view code);
// What people read: "Eingegangen", "In Bearbeitung", …
const char* StatusLabel(ReportStatus s);
// Open311's two states: received, in progress and scheduled are open; the rest closed.
bool IsOpen(ReportStatus s);
// The state's name in mySociety's Open311 extension (what FixMyStreet understands):
// OPEN, IN_PROGRESS, ACTION_SCHEDULED, INTERNAL_REFERRAL, DUPLICATE,
// NOT_COUNCILS_RESPONSIBILITY, FIXED, NO_FURTHER_ACTION.
const char* ExtendedStatus(ReportStatus s);

}  // namespace datenwerk::echo
