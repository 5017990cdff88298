// The survey-review-publish cycle of KPI values. Propose stores a draft (internal only);
// Publish applies it to the catalogue, which is what the portal, the public API and the
// downloads read, so they only ever show published values. Every step is written to the audit
// trail in the same transaction as the step itself. Thread-safe; borrows everything.
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "audit/records.h"
#include "review/review_store.h"
#include "store/catalogue_service.h"

namespace datenwerk::review {

class Workflow {
 public:
  // The review store and the audit log must keep their tables in the catalogue's database
  // (catalogue.database()): a step and its audit entry, and a publication with the catalogue
  // change, commit in one transaction.
  Workflow(CatalogueService& catalogue, ReviewStore& store, audit::AuditLog& audit);

  // Stores a draft by `actor`: a new value, a correction of published value `draft.value.id`, or
  // its withdrawal. kNotFound for an unknown KPI or value, kPermissionDenied outside the actor's
  // themes, kConflict when a change of that value already waits for review.
  Result<ValueDraft> Propose(const Actor& actor, ValueDraft draft, const std::string& from, int64_t now_ms);
  // Publishes an open draft (MayPublish's rules); the catalogue changes in the same step.
  Result<ValueDraft> Publish(const Actor& reviewer, int64_t draft_id, const std::string& note,
                             const std::string& from, int64_t now_ms);
  // Spreadsheet imports: many drafts of one author under one batch name, all or none; and all
  // open drafts of a batch published at once (one catalogue transaction), all or none.
  static constexpr size_t kMaxBatch = 50'000;
  Result<std::vector<ValueDraft>> ProposeBatch(const Actor& actor, std::vector<ValueDraft> drafts,
                                               const std::string& batch, const std::string& from, int64_t now_ms);
  Result<std::vector<ValueDraft>> PublishBatch(const Actor& reviewer, const std::string& batch,
                                               const std::string& from, int64_t now_ms);

  // Sends a draft back with a note (required); nothing public changes.
  Result<ValueDraft> Reject(const Actor& reviewer, int64_t draft_id, const std::string& note,
                            const std::string& from, int64_t now_ms);

  // Baseline, target, direction and unit of a KPI: not reviewed (they steer, they are not
  // figures), but only by those who may enter its values, and audited with before and after.
  Status SetSettings(const Actor& actor, const std::string& kpi_id, const KpiSettings& settings,
                     const std::string& from, int64_t now_ms);

  // A measure's status with the date it holds from and a note (kept as history), and the texts of
  // measures and KPIs: by those who may enter for them, at once (no review: they are not
  // figures), audited with before and after.
  Status SetMeasureStatus(const Actor& actor, const StatusNote& note, const std::string& from, int64_t now_ms);
  Status SetMeasureTexts(const Actor& actor, const std::string& measure_id, const std::string& name,
                         const std::string& summary, const std::string& from, int64_t now_ms);
  Status SetKpiName(const Actor& actor, const std::string& kpi_id, const std::string& name, const std::string& from,
                    int64_t now_ms);

  // Administrators' settings, audited: self-publishing per theme, and a KPI's survey plan.
  Status SetSelfPublish(const Actor& admin, const std::string& theme_id, bool allowed, const std::string& from,
                        int64_t now_ms);
  Status SetPlan(const Actor& admin, const KpiPlan& plan, const std::string& from, int64_t now_ms);

  // Whether authors in `theme_id` may publish their own drafts.
  bool SelfPublishAllowed(const std::string& theme_id);
  // The theme of a draft's KPI ("" when the KPI is gone).
  std::string ThemeOfKpi(const std::string& kpi_id) const;

  ReviewStore& store() { return store_; }

 private:
  // Runs `work` in one write transaction of the one database, then shows the catalogue's new
  // state (its snapshot is reloaded).
  Status WithCatalogue(const std::function<Status(sql::Tx&)>& work);
  Status Audit(const Actor& actor, const std::string& from, const std::string& action, const std::string& object,
               const std::string& before, const std::string& after, int64_t now_ms);
  Result<std::vector<ValueDraft>> PublishDrafts(const Actor& reviewer, const std::vector<ValueDraft>& drafts,
                                                const std::string& note, const std::string& from, int64_t now_ms);
  // After a new value is published: the KPI's next due date moves past today by its cadence.
  Status AdvancePlan(const std::string& kpi_id, int64_t now_ms);

  CatalogueService& catalogue_;
  ReviewStore& store_;
  audit::AuditLog& audit_;
  sql::Connection& db_;
};

// "kpi:<id>/wert:<value id>" (or "kpi:<id>" for a value not yet published).
std::string ValueObject(const KpiValue& value);

}  // namespace datenwerk::review
