#include "review/workflow.h"

#include <boost/json.hpp>
#include <set>

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

Workflow::Workflow(CatalogueService& catalogue, ReviewStore& store, audit::AuditLog& audit)
    : catalogue_(catalogue), store_(store), audit_(audit), db_(catalogue.database()) {}

Status Workflow::WithCatalogue(const std::function<Status(sql::Tx&)>& work) {
  // The review store's and audit log's statements join the transaction (same connection, same
  // thread); the catalogue's go through `tx`.
  if (Status s = db_.Write(work); !s.ok()) return s;
  return catalogue_.Reload();  // the snapshot shows what was committed
}

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
  return WithCatalogue([&](sql::Tx& tx) -> Status {
    // The audit entry first: if the catalogue refuses, it is rolled back with the transaction.
    if (Status a = Audit(actor, from, "kpi.ziel", "kpi:" + kpi_id, before, audit::SettingsAuditJson(settings), now_ms);
        !a.ok()) {
      return a;
    }
    return catalogue_.SetSettingsIn(tx, kpi_id, settings);
  });
}

Status Workflow::SetMeasureStatus(const Actor& actor, const StatusNote& note, const std::string& from,
                                  int64_t now_ms) {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Measure* measure = c->FindMeasure(note.measure_id);
  if (!measure) return NotFound("Diese Maßnahme gibt es nicht.", "massnahme");
  if (!MayEnterMeasure(actor, *c, *measure)) {
    return Status(ErrorCode::kPermissionDenied, "Sie dürfen den Stand dieser Maßnahme nicht ändern.", "massnahme");
  }
  if (!IsIsoDate(note.date)) return InvalidArgument("Das Datum ist ungültig.", "stand");
  if (note.note.size() > kMaxTextLength) return InvalidArgument("Die Anmerkung ist zu lang.", "anmerkung");
  StatusNote stored = note;
  stored.author = actor.name;
  stored.at_ms = now_ms;
  return WithCatalogue([&](sql::Tx& tx) -> Status {
    if (Status st = store_.AddStatusNote(stored); !st.ok()) return st;
    if (Status a = Audit(actor, from, "massnahme.status", "massnahme:" + note.measure_id,
                         ToJsonText(boost::json::object{{"status", measure->status}}),
                         ToJsonText(boost::json::object{{"status", note.status}, {"date", note.date}, {"note", note.note}}),
                         now_ms);
        !a.ok()) {
      return a;
    }
    return catalogue_.SetMeasureStatusIn(tx, note.measure_id, note.status);
  });
}

Status Workflow::SetMeasureTexts(const Actor& actor, const std::string& measure_id, const std::string& name,
                                 const std::string& summary, const std::string& from, int64_t now_ms) {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Measure* measure = c->FindMeasure(measure_id);
  if (!measure) return NotFound("Diese Maßnahme gibt es nicht.", "massnahme");
  if (!MayEnterMeasure(actor, *c, *measure)) {
    return Status(ErrorCode::kPermissionDenied, "Sie dürfen die Texte dieser Maßnahme nicht ändern.", "massnahme");
  }
  return WithCatalogue([&](sql::Tx& tx) -> Status {
    if (Status a = Audit(actor, from, "massnahme.text", "massnahme:" + measure_id,
                         ToJsonText(boost::json::object{{"name", measure->name}, {"summary", measure->summary}}),
                         ToJsonText(boost::json::object{{"name", name}, {"summary", summary}}), now_ms);
        !a.ok()) {
      return a;
    }
    return catalogue_.SetMeasureTextsIn(tx, measure_id, name, summary);
  });
}

Status Workflow::SetKpiName(const Actor& actor, const std::string& kpi_id, const std::string& name,
                            const std::string& from, int64_t now_ms) {
  CatalogueSnapshot c = catalogue_.Snapshot();
  const Kpi* kpi = c->FindKpi(kpi_id);
  if (!kpi) return NotFound("Diesen Indikator gibt es nicht.", "kpi");
  if (!MayEnter(actor, *c, *kpi)) {
    return Status(ErrorCode::kPermissionDenied, "Sie dürfen die Texte dieses Indikators nicht ändern.", "kpi");
  }
  return WithCatalogue([&](sql::Tx& tx) -> Status {
    if (Status a = Audit(actor, from, "kpi.text", "kpi:" + kpi_id, ToJsonText(boost::json::object{{"name", kpi->name}}),
                         ToJsonText(boost::json::object{{"name", name}}), now_ms);
        !a.ok()) {
      return a;
    }
    return catalogue_.SetKpiNameIn(tx, kpi_id, name);
  });
}

Status Workflow::SetSelfPublish(const Actor& admin, const std::string& theme_id, bool allowed,
                                const std::string& from, int64_t now_ms) {
  if (admin.role != Role::kAdministrator) {
    return Status(ErrorCode::kPermissionDenied, "Nur die Administration ändert Einstellungen.");
  }
  if (!catalogue_.Snapshot()->FindTheme(theme_id)) return NotFound("Dieses Thema gibt es nicht.", "thema");
  const bool before = SelfPublishAllowed(theme_id);
  if (before == allowed) return Status::Ok();
  return db_.Transaction([&](sql::Tx&) -> Status {
    if (Status st = store_.SetSelfPublish(theme_id, allowed); !st.ok()) return st;
    return Audit(admin, from, "einstellung.selbstveroeffentlichung", "thema:" + theme_id,
                 ToJsonText(boost::json::object{{"self_publish", before}}),
                 ToJsonText(boost::json::object{{"self_publish", allowed}}), now_ms);
  });
}

Status Workflow::SetPlan(const Actor& admin, const KpiPlan& plan, const std::string& from, int64_t now_ms) {
  if (admin.role != Role::kAdministrator) {
    return Status(ErrorCode::kPermissionDenied, "Nur die Administration plant Erhebungen.");
  }
  if (!catalogue_.Snapshot()->FindKpi(plan.kpi_id)) return NotFound("Diesen Indikator gibt es nicht.", "kpi");
  if (!plan.next_due.empty() && !IsIsoDate(plan.next_due)) return InvalidArgument("Das Datum ist ungültig.", "faellig");
  auto plans = store_.Plans();
  if (!plans.ok()) return plans.status();
  auto json = [](const KpiPlan& p) {
    return ToJsonText(boost::json::object{{"owner", p.owner_id}, {"cadence", CadenceName(p.cadence)}, {"next_due", p.next_due}});
  };
  std::string before;
  for (const KpiPlan& p : *plans) {
    if (p.kpi_id == plan.kpi_id) before = json(p);
  }
  return db_.Transaction([&](sql::Tx&) -> Status {
    if (Status st = store_.SetPlan(plan); !st.ok()) return st;
    return Audit(admin, from, "kpi.plan", "kpi:" + plan.kpi_id, before, json(plan), now_ms);
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
    // One value per KPI and date: a second one for a date is a correction of the first.
    for (const KpiValue* v : c->ValuesOf(kpi->id)) {
      if (v->date == draft.value.date) {
        return InvalidArgument("Für diesen Stichtag ist schon ein Wert veröffentlicht; bitte korrigieren Sie ihn "
                               "statt einen zweiten einzutragen.",
                               "datum");
      }
    }
    auto pending = store_.OpenDraftFor(kpi->id, draft.value.date, 0);
    if (!pending.ok()) return pending.status();
    if (*pending) return InvalidArgument("Für diesen Stichtag wartet schon ein Wert auf Prüfung.", "datum");
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
    auto pending = store_.OpenDraftFor(kpi->id, "", draft.value.id);
    if (!pending.ok()) return pending.status();
    if (*pending) return Status(ErrorCode::kConflict, "Für diesen Wert wartet schon eine Änderung auf Prüfung.", "wert");
  }
  if (Status s = ValidateKpiValue(draft.value); !s.ok()) return s;
  draft.author_id = actor.account_id;
  draft.author = actor.name;
  draft.created_ms = now_ms;
  Result<ValueDraft> stored = Status::Ok();
  Status s = db_.Transaction([&](sql::Tx&) -> Status {
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
  auto draft = store_.Find(draft_id);
  if (!draft.ok()) return draft.status();
  auto published = PublishDrafts(reviewer, {*draft}, note, from, now_ms);
  if (!published.ok()) return published.status();
  return published->front();
}

Result<std::vector<ValueDraft>> Workflow::PublishBatch(const Actor& reviewer, const std::string& batch,
                                                       const std::string& from, int64_t now_ms) {
  if (batch.empty()) return NotFound("Diesen Import gibt es nicht.", "import");
  DraftQuery query{DraftState::kOpen, "", -1, static_cast<int64_t>(kMaxBatch) + 1, false};
  query.batch = batch;
  auto drafts = store_.Query(query);
  if (!drafts.ok()) return drafts.status();
  if (drafts->empty()) return NotFound("Dieser Import hat keine offenen Entwürfe (mehr).", "import");
  return PublishDrafts(reviewer, *drafts, "", from, now_ms);
}

Result<std::vector<ValueDraft>> Workflow::PublishDrafts(const Actor& reviewer, const std::vector<ValueDraft>& drafts,
                                                        const std::string& note, const std::string& from,
                                                        int64_t now_ms) {
  if (note.size() > kMaxTextLength) return InvalidArgument("Die Anmerkung darf höchstens 2000 Zeichen lang sein.", "anmerkung");
  if (drafts.size() > kMaxBatch) return InvalidArgument("Zu viele Entwürfe auf einmal.", "import");
  CatalogueSnapshot c = catalogue_.Snapshot();
  auto self_publish = store_.SelfPublishThemes();
  if (!self_publish.ok()) return self_publish.status();
  std::vector<ValueChange> changes;
  std::vector<std::string> befores;
  std::vector<ValueDraft> decided;
  changes.reserve(drafts.size());
  for (const ValueDraft& draft : drafts) {
    if (draft.author != drafts.front().author) return Internal("drafts of several authors published together");
    const std::string theme = ThemeOfKpi(draft.value.kpi_id);
    if (Status s = MayPublish(reviewer, draft, self_publish->count(theme) > 0); !s.ok()) return s;
    std::string before;
    if (draft.action != DraftAction::kAdd) {
      const KpiValue* published = PublishedValue(*c, draft.value.kpi_id, draft.value.id);
      if (!published) return NotFound("Der Wert, den ein Entwurf ändert, ist nicht mehr veröffentlicht.", "wert");
      before = audit::ValueAuditJson(*published);
    }
    befores.push_back(std::move(before));
    changes.push_back({draft.action == DraftAction::kAdd       ? ValueChange::Kind::kAdd
                       : draft.action == DraftAction::kCorrect ? ValueChange::Kind::kUpdate
                                                               : ValueChange::Kind::kDelete,
                       draft.value});
    ValueDraft d = draft;
    d.state = DraftState::kPublished;
    d.reviewer_id = reviewer.account_id;
    d.reviewer = reviewer.name;
    d.decided_ms = now_ms;
    d.decision_note = note;
    decided.push_back(std::move(d));
  }
  Status s = WithCatalogue([&](sql::Tx& tx) -> Status {
    // Drafts, catalogue and audit trail in one transaction of the one database: all or nothing.
    for (const ValueDraft& d : decided) {
      if (Status st = store_.Decide(d); !st.ok()) return st;
    }
    auto applied = catalogue_.ApplyValueChangesIn(tx, changes, drafts.front().author);
    if (!applied.ok()) return applied.status();
    std::set<std::string> added_kpis;
    for (size_t i = 0; i < decided.size(); ++i) {
      ValueDraft& d = decided[i];
      if (d.action == DraftAction::kAdd) {
        d.value.id = (*applied)[i].id;
        if (Status st = store_.SetValueId(d.id, d.value.id); !st.ok()) return st;
        added_kpis.insert(d.value.kpi_id);
      }
      std::string after = d.action == DraftAction::kWithdraw ? "" : audit::ValueAuditJson((*applied)[i]);
      if (Status a = Audit(reviewer, from, std::string("wert.veroeffentlicht.") + DraftActionName(d.action),
                           DraftObject(d), befores[i], after, now_ms);
          !a.ok()) {
        return a;
      }
    }
    for (const std::string& kpi : added_kpis) {
      if (Status st = AdvancePlan(kpi, now_ms); !st.ok()) return st;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return decided;
}

Result<std::vector<ValueDraft>> Workflow::ProposeBatch(const Actor& actor, std::vector<ValueDraft> drafts,
                                                       const std::string& batch, const std::string& from,
                                                       int64_t now_ms) {
  if (drafts.size() > kMaxBatch) return InvalidArgument("Zu viele Werte auf einmal.", "import");
  std::vector<ValueDraft> stored;
  stored.reserve(drafts.size());
  Status s = db_.Transaction([&](sql::Tx&) -> Status {
    for (ValueDraft& d : drafts) {
      d.batch = batch;
      auto one = Propose(actor, std::move(d), from, now_ms);  // joins this transaction
      if (!one.ok()) return one.status();
      stored.push_back(std::move(one).value());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return stored;
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
  Status s = db_.Transaction([&](sql::Tx&) -> Status {
    if (Status d = store_.Decide(decided); !d.ok()) return d;
    return Audit(reviewer, from, "wert.abgelehnt", DraftObject(decided), "",
                 ToJsonText(boost::json::object{{"anmerkung", note}}), now_ms);
  });
  if (!s.ok()) return s;
  return decided;
}

}  // namespace datenwerk::review
