// Review before publishing (four-eyes principle): a new, corrected or withdrawn KPI value is a
// draft, visible internally only, until a reviewer other than its author publishes it; an
// administrator may allow self-publishing per theme. Plain data and the pure rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/account.h"
#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk::review {

enum class DraftAction { kAdd, kCorrect, kWithdraw };
enum class DraftState { kOpen, kPublished, kRejected };
const char* DraftActionName(DraftAction a);  // "add", "correct", "withdraw"
const char* DraftActionLabel(DraftAction a);  // "Neuer Wert", "Korrektur", "Rücknahme"
std::optional<DraftAction> ParseDraftAction(std::string_view s);
const char* DraftStateName(DraftState s);  // "open", "published", "rejected"
const char* DraftStateLabel(DraftState s);  // "Wartet auf Prüfung", "Veröffentlicht", "Abgelehnt"
std::optional<DraftState> ParseDraftState(std::string_view s);

// Who acts: a signed-in account or an API key (id 0, role of the key, no scopes).
struct Actor {
  int64_t account_id = 0;
  std::string name;      // as the back office shows it: "Eva Erfasserin", or the key's label
  std::string audit_id;  // as the audit trail records it: "konto:2 eva@bochum.de"
  Role role = Role::kViewer;
  std::vector<std::string> scopes;
  static Actor Of(const accounts::Account& account);
};

struct ValueDraft {
  int64_t id = 0;
  DraftAction action = DraftAction::kAdd;
  // The proposed value; for corrections and withdrawals value.id names the published value
  // (for a new value it is 0 until published). A withdrawal carries the value it withdraws.
  KpiValue value;
  std::string reason;  // why (required for corrections and withdrawals)
  int64_t author_id = 0;
  std::string author;
  int64_t created_ms = 0;
  DraftState state = DraftState::kOpen;
  int64_t reviewer_id = 0;
  std::string reviewer;
  int64_t decided_ms = 0;
  std::string decision_note;
  std::string batch;  // the spreadsheet import it came from ("" for a form)
};

// May `actor` enter values for `kpi`? (Editors for their themes and fields, reviewers and
// administrators for all.)
bool MayEnter(const Actor& actor, const Catalogue& catalogue, const Kpi& kpi);
// The same for a measure's status and texts.
bool MayEnterMeasure(const Actor& actor, const Catalogue& catalogue, const Measure& measure);

// A measure's status as staff set it: the printed status, the date it holds from, and a note.
struct StatusNote {
  std::string measure_id;
  std::string status;
  std::string date;  // ISO
  std::string note;
  std::string author;
  int64_t at_ms = 0;
};

// Ok when `reviewer` may publish `draft`: at least the reviewer role, and not its author unless
// `self_publish_allowed` (the theme's setting). The message is German, for the page.
Status MayPublish(const Actor& reviewer, const ValueDraft& draft, bool self_publish_allowed);

}  // namespace datenwerk::review
