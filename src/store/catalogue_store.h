// Where the catalogue, KPI values, KPI settings and API keys live. Implementations: SQLite
// (embedded default) and PostgreSQL (for larger cities). Every write is one transaction: it happens whole or not at all.
// Implementations are thread-safe (they serialise internally).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api_key.h"
#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk {

// One change to the KPI values, for writing many in one transaction (publishing, imports).
struct ValueChange {
  enum class Kind { kAdd, kUpdate, kDelete };
  Kind kind = Kind::kAdd;
  KpiValue value;  // for kDelete only kpi_id and id count
};

class CatalogueStore {
 public:
  virtual ~CatalogueStore() = default;

  // True when no catalogue was ever imported.
  virtual Result<bool> IsEmpty() = 0;
  // Replaces the imported catalogue (structure, imported values, public indicators, context
  // facts). Keeps what staff entered: KPI settings and values entered through the API. Importing
  // the same data twice leaves the same state. Fails with kConflict, writing nothing, when staff
  // data refers to a KPI the new catalogue drops.
  virtual Status ImportCatalogue(const CatalogueData& data) = 0;
  virtual Result<CatalogueData> LoadAll() = 0;

  // Applies `changes` in order in one transaction: all or, on the first failure, none. Returns
  // the values as stored (ids assigned), in the order of `changes`.
  virtual Result<std::vector<KpiValue>> ApplyValueChanges(const std::vector<ValueChange>& changes) = 0;
  // One change each. Add assigns the id (kNotFound when the KPI is unknown); Update replaces value
  // `value.id` of KPI `value.kpi_id` (kNotFound when that pair does not exist).
  Result<KpiValue> AddKpiValue(KpiValue value) { return ApplyOne({ValueChange::Kind::kAdd, std::move(value)}); }
  Result<KpiValue> UpdateKpiValue(KpiValue value) { return ApplyOne({ValueChange::Kind::kUpdate, std::move(value)}); }
  Status DeleteKpiValue(const std::string& kpi_id, int64_t id) {
    KpiValue value;
    value.kpi_id = kpi_id;
    value.id = id;
    return ApplyOne({ValueChange::Kind::kDelete, std::move(value)}).status();
  }
  virtual Status SetKpiSettings(const std::string& kpi_id, const KpiSettings& settings) = 0;
  virtual Status SetMeasureStatus(const std::string& measure_id, const std::string& status) = 0;
  // Staff's wording of a measure (name, summary) or a KPI (name); kNotFound when unknown. A
  // re-import of the catalogue brings the concept's wording back.
  virtual Status SetMeasureTexts(const std::string& measure_id, const std::string& name, const std::string& summary) = 0;
  virtual Status SetKpiName(const std::string& kpi_id, const std::string& name) = 0;

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

// Opens (creating if needed) the SQLite database at `path` and migrates its schema.
Result<std::unique_ptr<CatalogueStore>> OpenSqliteCatalogueStore(const std::string& path);
// Connects with a libpq connection string ("host=... dbname=..." or "postgresql://...") and
// migrates the schema in the connection's search_path. kUnavailable when it cannot connect.
Result<std::unique_ptr<CatalogueStore>> OpenPostgresCatalogueStore(const std::string& conninfo);

}  // namespace datenwerk
