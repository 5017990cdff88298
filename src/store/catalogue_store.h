// Where the catalogue, KPI values, KPI settings and API keys live: the deployment's one database,
// SQLite (embedded default) or PostgreSQL (for larger cities).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api_key.h"
#include "core/catalogue.h"
#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk {

// One change to the KPI values, for writing many in one transaction (publishing, imports).
struct ValueChange {
  // kPutOfPeriod: the one value of `value.source` for its KPI and period, checked and written in
  // the change's transaction (so two nodes computing the same month write it once): replaces the
  // source's value of that period (and removes any second one), adds it when there is none, and
  // fails with kConflict, writing nothing, when another source has a value for that period
  // (staff's entries win over computed ones).
  enum class Kind { kAdd, kUpdate, kDelete, kPutOfPeriod };
  Kind kind = Kind::kAdd;
  KpiValue value;  // for kDelete only kpi_id and id count
};

// One implementation over the shared data-access layer (SQLite or PostgreSQL). The writes exist
// twice: alone (one transaction each), and as "In" variants inside a caller's write transaction
// of database(), so that a change spanning modules (publishing a draft: drafts, catalogue, audit
// trail) commits at once. Thread-safe.
// What every write of the catalogue announces to the other nodes (store/change_feed.h).
inline constexpr char kCatalogueTopic[] = "catalogue";

class CatalogueStore {
 public:
  virtual ~CatalogueStore() = default;

  // The database the catalogue lives in.
  virtual sql::Connection& database() = 0;

  // True when no catalogue was ever imported.
  virtual Result<bool> IsEmpty() = 0;
  // Replaces the imported catalogue (structure, imported values, public indicators, context
  // facts). Keeps what staff entered: KPI settings and values entered through the API. Importing
  // the same data twice leaves the same state. Fails with kConflict, writing nothing, when staff
  // data refers to a KPI the new catalogue drops.
  virtual Status ImportCatalogue(const CatalogueData& data) = 0;
  virtual Result<CatalogueData> LoadAll() = 0;

  // Applies `changes` in order: all or, on the first failure, none. Returns the values as stored
  // (ids assigned), in the order of `changes`. Add assigns the id (kNotFound when the KPI is
  // unknown); Update replaces value `value.id` of KPI `value.kpi_id` and Delete removes it
  // (kNotFound when that pair does not exist).
  Result<std::vector<KpiValue>> ApplyValueChanges(const std::vector<ValueChange>& changes);
  virtual Result<std::vector<KpiValue>> ApplyValueChangesIn(sql::Tx& tx, const std::vector<ValueChange>& changes) = 0;
  Result<KpiValue> AddKpiValue(KpiValue value) { return ApplyOne({ValueChange::Kind::kAdd, std::move(value)}); }
  Result<KpiValue> UpdateKpiValue(KpiValue value) { return ApplyOne({ValueChange::Kind::kUpdate, std::move(value)}); }
  Status DeleteKpiValue(const std::string& kpi_id, int64_t id) {
    KpiValue value;
    value.kpi_id = kpi_id;
    value.id = id;
    return ApplyOne({ValueChange::Kind::kDelete, std::move(value)}).status();
  }
  Status SetKpiSettings(const std::string& kpi_id, const KpiSettings& settings);
  virtual Status SetKpiSettingsIn(sql::Tx& tx, const std::string& kpi_id, const KpiSettings& settings) = 0;
  Status SetMeasureStatus(const std::string& measure_id, const std::string& status);
  virtual Status SetMeasureStatusIn(sql::Tx& tx, const std::string& measure_id, const std::string& status) = 0;
  // Staff's wording of a measure (name, summary) or a KPI (name); kNotFound when unknown. A
  // re-import of the catalogue brings the concept's wording back.
  Status SetMeasureTexts(const std::string& measure_id, const std::string& name, const std::string& summary);
  virtual Status SetMeasureTextsIn(sql::Tx& tx, const std::string& measure_id, const std::string& name,
                                   const std::string& summary) = 0;
  Status SetKpiName(const std::string& kpi_id, const std::string& name);
  virtual Status SetKpiNameIn(sql::Tx& tx, const std::string& kpi_id, const std::string& name) = 0;

  // Assigns the id.
  virtual Result<ApiKeyRecord> AddApiKey(ApiKeyRecord key) = 0;
  // kUnauthenticated when no key has that hash.
  virtual Result<ApiKeyRecord> FindApiKeyByHash(const std::string& hash) = 0;

 private:
  Result<KpiValue> ApplyOne(ValueChange change) {
    auto stored = ApplyValueChanges({std::move(change)});
    if (!stored.ok()) return stored.status();
    return std::move(stored->front());
  }
};

// The catalogue in `db` (borrowed), its tables created or checked.
Result<std::unique_ptr<CatalogueStore>> OpenCatalogueStore(sql::Connection& db);
// The same in a database of its own: a SQLite file path, or a libpq connection string
// ("host=... dbname=..." or "postgresql://..."); kUnavailable when PostgreSQL cannot be reached.
Result<std::unique_ptr<CatalogueStore>> OpenCatalogueStore(const std::string& path_or_conninfo);

}  // namespace datenwerk
