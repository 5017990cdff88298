// The catalogue as the server sees it: writes go through the store (one transaction each), reads
// come from an immutable in-memory snapshot that is rebuilt after every successful write. Readers
// never wait on the database; a snapshot they hold stays valid while they use it.
// Thread-safe: any number of readers, writes serialised.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/api_key.h"
#include "core/catalogue.h"
#include "core/dates.h"
#include "core/thread_annotations.h"
#include "store/catalogue_store.h"

namespace datenwerk {

class CatalogueService {
 public:
  // Takes the store; borrows the clock, which must outlive the service.
  CatalogueService(std::unique_ptr<CatalogueStore> store, const Clock& clock);
  CatalogueService(const CatalogueService&) = delete;
  CatalogueService& operator=(const CatalogueService&) = delete;

  // Loads the snapshot from the store; call once before serving.
  Status Reload();
  // Imports the files of `directory` (validated first; nothing written on any error).
  Status ImportDirectory(const std::string& directory);
  Status Import(const CatalogueData& data);

  // The current snapshot and its version (bumped by every write; usable as an ETag).
  CatalogueSnapshot Snapshot() const;
  uint64_t Version() const;

  // Writes. `entered_by` is the API key's label; the service stamps entered_at.
  Result<KpiValue> AddValue(KpiValue value, const std::string& entered_by);
  Result<KpiValue> UpdateValue(KpiValue value, const std::string& entered_by);
  Status DeleteValue(const std::string& kpi_id, int64_t id);
  // Many changes in one transaction and one new snapshot (publishing, spreadsheet imports): all
  // or none. Each added or updated value is validated and stamped with `entered_by`.
  Result<std::vector<KpiValue>> ApplyValueChanges(std::vector<ValueChange> changes,
                                                  const std::string& entered_by);
  Status SetSettings(const std::string& kpi_id, const KpiSettings& settings);
  Status SetMeasureStatus(const std::string& measure_id, const std::string& status);
  Status SetMeasureTexts(const std::string& measure_id, const std::string& name, const std::string& summary);
  Status SetKpiName(const std::string& kpi_id, const std::string& name);

  // The same writes inside the caller's write transaction `tx` of database(), validated alike,
  // for changes that span modules (publishing: drafts, catalogue and audit trail at once). The
  // caller calls Reload() after its commit so the snapshot shows them.
  sql::Connection& database() { return store_->database(); }
  Result<std::vector<KpiValue>> ApplyValueChangesIn(sql::Tx& tx, std::vector<ValueChange> changes,
                                                    const std::string& entered_by);
  Status SetSettingsIn(sql::Tx& tx, const std::string& kpi_id, const KpiSettings& settings);
  Status SetMeasureStatusIn(sql::Tx& tx, const std::string& measure_id, const std::string& status);
  Status SetMeasureTextsIn(sql::Tx& tx, const std::string& measure_id, const std::string& name,
                           const std::string& summary);
  Status SetKpiNameIn(sql::Tx& tx, const std::string& kpi_id, const std::string& name);

  // Creates a key and returns it in clear text (the only time it is visible).
  Result<std::string> CreateApiKey(const std::string& label, Role role);
  // kUnauthenticated for an unknown key.
  Result<ApiKeyRecord> Authenticate(const std::string& key);

 private:
  Status ReloadLocked() REQUIRES(write_mu_);
  // Stamps added and updated values with now and `entered_by`, and validates them.
  Status Stamp(std::vector<ValueChange>& changes, const std::string& entered_by) const;

  std::unique_ptr<CatalogueStore> store_;
  const Clock& clock_;
  Mutex write_mu_;  // serialises writes and snapshot rebuilds
  // Keys found before, by hash: keys are never changed or withdrawn once made, so a key known
  // stays valid (on every node); at most kMaxKnownKeys, then forgotten and looked up again.
  static constexpr size_t kMaxKnownKeys = 1024;
  Mutex keys_mu_;
  std::unordered_map<std::string, ApiKeyRecord> known_keys_ GUARDED_BY(keys_mu_);
  mutable Mutex snapshot_mu_;
  CatalogueSnapshot snapshot_ GUARDED_BY(snapshot_mu_);
  std::atomic<uint64_t> version_{0};  // bumped after each new snapshot is in place
};

}  // namespace datenwerk
