// Where drafts of KPI values, the themes' self-publishing setting and the survey plans are kept:
// portable SQL (store/sql_connection.h) on SQLite and PostgreSQL. Thread-safe: the borrowed
// connection serialises.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "review/draft.h"
#include "review/plan.h"
#include "store/sql_connection.h"

namespace datenwerk::review {

struct DraftQuery {
  std::optional<DraftState> state;
  std::string kpi_id;      // "" for all
  int64_t author_id = -1;  // -1 for all
  int64_t limit = 100;
  bool newest_decided_first = false;  // else oldest created first (a queue)
  std::string batch;                  // "" for all
  bool without_batch = false;         // only drafts from the forms, none from imports
};

class ReviewStore {
 public:
  // Creates the tables when missing. Borrows the connection, which must outlive the store.
  static Result<std::unique_ptr<ReviewStore>> Open(sql::Connection& db);
  explicit ReviewStore(sql::Connection& db) : db_(db) {}

  Result<ValueDraft> Insert(ValueDraft draft);
  // kNotFound when unknown.
  Result<ValueDraft> Find(int64_t id);
  Result<std::vector<ValueDraft>> Query(const DraftQuery& query);
  // Records the decision if the draft is still open (kConflict otherwise); `value_id` is the
  // published value's id (new values get theirs only when published).
  Status Decide(const ValueDraft& decided);
  // Whether an open draft adds a value for `date`, or changes published value `value_id` (0: not
  // asked), of the KPI.
  Result<bool> OpenDraftFor(const std::string& kpi_id, const std::string& date, int64_t value_id);
  // The id a new value got when it was published.
  Status SetValueId(int64_t draft_id, int64_t value_id);

  // Open drafts grouped by the import they came from, oldest first.
  struct OpenBatch {
    std::string batch;
    std::string author;
    int64_t author_id = 0;
    int64_t drafts = 0;
    int64_t created_ms = 0;
  };
  Result<std::vector<OpenBatch>> OpenBatches();

  // An uploaded spreadsheet between its preview and the confirmation (UTF-8 text).
  struct PendingImport {
    std::string id;
    int64_t account_id = 0;
    int64_t created_ms = 0;
    std::string file_name;
    std::string text;
  };
  Status SavePendingImport(const PendingImport& pending);
  // kNotFound when unknown, older than `not_before_ms` or someone else's; removes it.
  Result<PendingImport> TakePendingImport(const std::string& id, int64_t account_id, int64_t not_before_ms);

  Status AddStatusNote(const StatusNote& note);
  // Newest first.
  Result<std::vector<StatusNote>> StatusNotes(const std::string& measure_id, int limit);

  Result<std::set<std::string>> SelfPublishThemes();
  Status SetSelfPublish(const std::string& theme_id, bool allowed);

  Result<std::vector<KpiPlan>> Plans();
  Status SetPlan(const KpiPlan& plan);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::review
