#include "review/draft.h"

#include <algorithm>

namespace datenwerk::review {

const char* DraftActionName(DraftAction a) {
  switch (a) {
    case DraftAction::kAdd: return "add";
    case DraftAction::kCorrect: return "correct";
    case DraftAction::kWithdraw: return "withdraw";
  }
  return "add";
}

const char* DraftActionLabel(DraftAction a) {
  switch (a) {
    case DraftAction::kAdd: return "Neuer Wert";
    case DraftAction::kCorrect: return "Korrektur";
    case DraftAction::kWithdraw: return "Rücknahme";
  }
  return "Neuer Wert";
}

std::optional<DraftAction> ParseDraftAction(std::string_view s) {
  for (DraftAction a : {DraftAction::kAdd, DraftAction::kCorrect, DraftAction::kWithdraw}) {
    if (s == DraftActionName(a)) return a;
  }
  return std::nullopt;
}

const char* DraftStateName(DraftState s) {
  switch (s) {
    case DraftState::kOpen: return "open";
    case DraftState::kPublished: return "published";
    case DraftState::kRejected: return "rejected";
  }
  return "open";
}

const char* DraftStateLabel(DraftState s) {
  switch (s) {
    case DraftState::kOpen: return "Wartet auf Prüfung";
    case DraftState::kPublished: return "Veröffentlicht";
    case DraftState::kRejected: return "Abgelehnt";
  }
  return "Wartet auf Prüfung";
}

std::optional<DraftState> ParseDraftState(std::string_view s) {
  for (DraftState st : {DraftState::kOpen, DraftState::kPublished, DraftState::kRejected}) {
    if (s == DraftStateName(st)) return st;
  }
  return std::nullopt;
}

Actor Actor::Of(const accounts::Account& account) {
  return Actor{account.id, account.name, accounts::ActorName(account), account.role, account.scopes};
}

namespace {

bool InScope(const Actor& actor, const Catalogue& catalogue, const std::string& field_id) {
  if (actor.role == Role::kViewer) return false;
  if (actor.role != Role::kEditor) return true;
  const std::string& theme = catalogue.ThemeOfField(field_id);
  return std::any_of(actor.scopes.begin(), actor.scopes.end(),
                     [&](const std::string& s) { return s == field_id || (!theme.empty() && s == theme); });
}

}  // namespace

bool MayEnter(const Actor& actor, const Catalogue& catalogue, const Kpi& kpi) {
  return InScope(actor, catalogue, kpi.field_id);
}

bool MayEnterMeasure(const Actor& actor, const Catalogue& catalogue, const Measure& measure) {
  return InScope(actor, catalogue, measure.field_id);
}

Status MayPublish(const Actor& reviewer, const ValueDraft& draft, bool self_publish_allowed) {
  if (!RoleAllows(reviewer.role, Role::kReviewer)) {
    return Status(ErrorCode::kPermissionDenied, "Nur Prüferinnen und Prüfer dürfen Werte veröffentlichen.");
  }
  if (draft.state != DraftState::kOpen) {
    return Status(ErrorCode::kConflict, "Dieser Entwurf wurde schon entschieden.");
  }
  bool own = reviewer.account_id != 0 ? reviewer.account_id == draft.author_id : reviewer.name == draft.author;
  if (own && !self_publish_allowed) {
    return Status(ErrorCode::kPermissionDenied,
                  "Vier-Augen-Prinzip: Eine andere Person als die Autorin oder der Autor muss diesen Wert "
                  "prüfen und veröffentlichen.");
  }
  return Status::Ok();
}

}  // namespace datenwerk::review
