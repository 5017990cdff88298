#include "review/workflow.h"

#include <boost/json.hpp>

#include "core/dates.h"
#include "core/json_text.h"
#include "core/kpi_value.h"
#include "review/plan.h"

namespace datenwerk::review {

namespace {

const KpiValue* PublishedValue(const Catalogue& c, const std::string& kpi_id, int64_t id) {
  for (const KpiValue* v : c.ValuesOf(kpi_id)) {
    if (v->id == id) return v;
  }
  return nullptr;
}

std::string DraftObject(const ValueDraft& d) { return ValueObject(d.value) + "/entwurf:" + std::to_string(d.id); }

}  // namespace

std::string ValueObject(const KpiValue& v) {
  std::string object = "kpi:" + v.kpi_id;
  if (v.id) object += "/wert:" + std::to_string(v.id);
  return object;
}

Workflow::Workflow(CatalogueService& catalogue, ReviewStore& store, audit::AuditLog& audit, sql::Connection& db)
    : catalogue_(catalogue), store_(store), audit_(audit), db_(db) {}

Status Workflow::Audit(const Actor& actor, const std::string& from, const std::string& action,
                       const std::string& object, const std::string& before, const std::string& after,
                       int64_t now_ms) {
  return audit_.Append(audit::Entry{0, now_ms, actor.audit_id, from, action, object, before, after, ""}).status();
}

std::string Workflow::ThemeOfKpi(const std::string& kpi_id) const {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Kpi* kpi = c->FindKpi(kpi_id);
  return kpi ? c->ThemeOfField(kpi->field_id) : "";
}

Status Workflow::SetSettings(const Actor& actor, const std::string& kpi_id, const KpiSettings& settings,
                             const std::string& from, int64_t now_ms) {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Kpi* kpi = c->FindKpi(kpi_id);
  if (!kpi) return NotFound("Diesen Indikator gibt es nicht.", "kpi");
  if (!MayEnter(actor, *c, *kpi)) {
    return Status(ErrorCode::kPermissionDenied, "Sie dürfen die Ziele dieses Indikators nicht ändern.", "kpi");
  }
  if (Status s = ValidateKpiSettings(settings); !s.ok()) return s;
  const std::string before = audit::SettingsAuditJson(kpi->settings);
  return db_.Transaction([&]() -> Status {
    // The audit entry first: if the catalogue refuses, it is rolled back with the transaction.
    if (Status a = Audit(actor, from, "kpi.ziel", "kpi:" + kpi_id, before, audit::SettingsAuditJson(settings), now_ms);
        !a.ok()) {
      return a;
    }
    return catalogue_.SetSettings(kpi_id, settings);
  });
}

bool Workflow::SelfPublishAllowed(const std::string& theme_id) {
  auto themes = store_.SelfPublishThemes();
  return themes.ok() && themes->count(theme_id) > 0;
}

Result<ValueDraft> Workflow::Propose(const Actor& actor, ValueDraft draft, const std::string& from, int64_t now_ms) {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Kpi* kpi = c->FindKpi(draft.value.kpi_id);
  if (!kpi) return NotFound("Diesen Indikator gibt es nicht.", "kpi");
  if (!MayEnter(actor, *c, *kpi)) {
    return Status(ErrorCode::kPermissionDenied, "Sie dürfen für diesen Indikator keine Werte eintragen.", "kpi");
  }
  if (draft.reason.size() > kMaxTextLength) {
    return InvalidArgument("Die Begründung darf höchstens 2000 Zeichen lang sein.", "begruendung");
  }
  std::string before;
  if (draft.action == DraftAction::kAdd) {
    draft.value.id = 0;
  } else {
    const KpiValue* published = PublishedValue(*c, kpi->id, draft.value.id);
    if (!published) return NotFound("Diesen veröffentlichten Wert gibt es nicht (mehr).", "wert");
    if (draft.reason.empty()) {
      return InvalidArgument("Bitte begründen Sie die Korrektur oder Rücknahme.", "begruendung");
    }
    before = audit::ValueAuditJson(*published);
    if (draft.action == DraftAction::kWithdraw) {
      draft.value = *published;
    }
    auto open = store_.Query({DraftState::kOpen, kpi->id, -1, 1000, false});
    if (!open.ok()) return open.status();
    for (const ValueDraft& other : *open) {
      if (other.action != DraftAction::kAdd && other.value.id == draft.value.id) {
        return Status(ErrorCode::kConflict, "Für diesen Wert wartet schon eine Änderung auf Prüfung.", "wert");
      }
    }
  }
  if (Status s = ValidateKpiValue(draft.value); !s.ok()) return s;
  draft.author_id = actor.account_id;
  draft.author = actor.name;
  draft.created_ms = now_ms;
  Result<ValueDraft> stored = Status::Ok();
  Status s = db_.Transaction([&]() -> Status {
    stored = store_.Insert(draft);
    if (!stored.ok()) return stored.status();
    return Audit(actor, from, std::string("wert.entwurf.") + DraftActionName(draft.action), DraftObject(*stored),
                 before, audit::ValueAuditJson(stored->value), now_ms);
  });
  if (!s.ok()) return s;
  return stored;
}

Result<ValueDraft> Workflow::Publish(const Actor& reviewer, int64_t draft_id, const std::string& note,
                                     const std::string& from, int64_t now_ms) {
  if (note.size() > kMaxTextLength) return InvalidArgument("Die Anmerkung darf höchstens 2000 Zeichen lang sein.", "anmerkung");
  auto draft = store_.Find(draft_id);
  if (!draft.ok()) return draft.status();
  if (Status s = MayPublish(reviewer, *draft, SelfPublishAllowed(ThemeOfKpi(draft->value.kpi_id))); !s.ok()) return s;
  CatalogueSnapshot c = catalogue_.Snapshot();
  std::string before;
  if (draft->action != DraftAction::kAdd) {
    const KpiValue* published = PublishedValue(*c, draft->value.kpi_id, draft->value.id);
    if (!published) return NotFound("Der Wert, den dieser Entwurf ändert, ist nicht mehr veröffentlicht.", "wert");
    before = audit::ValueAuditJson(*published);
  }
  ValueDraft decided = *draft;
  decided.state = DraftState::kPublished;
  decided.reviewer_id = reviewer.account_id;
  decided.reviewer = reviewer.name;
  decided.decided_ms = now_ms;
  decided.decision_note = note;
  Status s = db_.Transaction([&]() -> Status {
    ValueChange change{draft->action == DraftAction::kAdd       ? ValueChange::Kind::kAdd
                       : draft->action == DraftAction::kCorrect ? ValueChange::Kind::kUpdate
                                                                : ValueChange::Kind::kDelete,
                       draft->value};
    // The catalogue is written last but one: when it refuses, the draft stays open. (It lives in
    // its own database; should the commit below fail after it, the value is public while the
    // draft still shows open, and publishing it again is refused as a conflict for corrections.)
    if (Status d = store_.Decide(decided); !d.ok()) return d;
    auto applied = catalogue_.ApplyValueChanges({change}, draft->author);
    if (!applied.ok()) return applied.status();
    if (decided.action == DraftAction::kAdd) {
      decided.value.id = applied->front().id;
      if (Status d = db_.Query("UPDATE value_drafts SET value_id = $1 WHERE id = $2", {decided.value.id, decided.id})
                         .status();
          !d.ok()) {
        return d;
      }
    }
    std::string after = decided.action == DraftAction::kWithdraw ? "" : audit::ValueAuditJson(applied->front());
    if (Status a = Audit(reviewer, from, std::string("wert.veroeffentlicht.") + DraftActionName(decided.action),
                         DraftObject(decided), before, after, now_ms);
        !a.ok()) {
      return a;
    }
    return decided.action == DraftAction::kAdd ? AdvancePlan(decided.value.kpi_id, now_ms) : Status::Ok();
  });
  if (!s.ok()) return s;
  return decided;
}

Status Workflow::AdvancePlan(const std::string& kpi_id, int64_t now_ms) {
  auto plans = store_.Plans();
  if (!plans.ok()) return plans.status();
  const std::string today = FormatRfc3339Ms(now_ms).substr(0, 10);
  for (KpiPlan plan : *plans) {
    if (plan.kpi_id != kpi_id || plan.next_due.empty()) continue;
    // The survey that was due is done: the next one is one cadence later, and in the future.
    for (int guard = 0; guard < 1000 && !plan.next_due.empty() && plan.next_due <= today; ++guard) {
      plan.next_due = AddCadence(plan.next_due, plan.cadence);
    }
    return store_.SetPlan(plan);
  }
  return Status::Ok();
}

Result<ValueDraft> Workflow::Reject(const Actor& reviewer, int64_t draft_id, const std::string& note,
                                    const std::string& from, int64_t now_ms) {
  if (note.empty()) return InvalidArgument("Bitte schreiben Sie, was am Entwurf zu ändern ist.", "anmerkung");
  if (note.size() > kMaxTextLength) return InvalidArgument("Die Anmerkung darf höchstens 2000 Zeichen lang sein.", "anmerkung");
  auto draft = store_.Find(draft_id);
  if (!draft.ok()) return draft.status();
  if (!RoleAllows(reviewer.role, Role::kReviewer)) {
    return Status(ErrorCode::kPermissionDenied, "Nur Prüferinnen und Prüfer dürfen Entwürfe ablehnen.");
  }
  ValueDraft decided = *draft;
  decided.state = DraftState::kRejected;
  decided.reviewer_id = reviewer.account_id;
  decided.reviewer = reviewer.name;
  decided.decided_ms = now_ms;
  decided.decision_note = note;
  Status s = db_.Transaction([&]() -> Status {
    if (Status d = store_.Decide(decided); !d.ok()) return d;
    return Audit(reviewer, from, "wert.abgelehnt", DraftObject(decided), "",
                 ToJsonText(boost::json::object{{"anmerkung", note}}), now_ms);
  });
  if (!s.ok()) return s;
  return decided;
}

}  // namespace datenwerk::review
