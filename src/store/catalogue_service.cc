#include "store/catalogue_service.h"

#include "core/kpi_value.h"
#include "store/catalogue_files.h"

namespace datenwerk {

CatalogueService::CatalogueService(std::unique_ptr<CatalogueStore> store, const Clock& clock)
    : store_(std::move(store)), clock_(clock), snapshot_(std::make_shared<Catalogue>(CatalogueData{})) {}

Status CatalogueService::Reload() {
  MutexLock lock(write_mu_);
  return ReloadLocked();
}

Status CatalogueService::ReloadLocked() {
  auto data = store_->LoadAll();
  if (!data.ok()) return data.status();
  auto fresh = std::make_shared<const Catalogue>(std::move(data).value());
  {
    MutexLock lock(snapshot_mu_);
    snapshot_ = std::move(fresh);
  }
  version_.fetch_add(1, std::memory_order_release);
  return Status::Ok();
}

Status CatalogueService::ImportDirectory(const std::string& directory) {
  auto files = ReadCatalogueDirectory(directory);
  if (!files.ok()) return files.status();
  auto data = ParseCatalogue(*files);
  if (!data.ok()) return data.status();
  return Import(*data);
}

Status CatalogueService::Import(const CatalogueData& data) {
  MutexLock lock(write_mu_);
  if (auto s = store_->ImportCatalogue(data); !s.ok()) return s;
  return ReloadLocked();
}

CatalogueSnapshot CatalogueService::Snapshot() const {
  MutexLock lock(snapshot_mu_);
  return snapshot_;
}

uint64_t CatalogueService::Version() const { return version_.load(std::memory_order_acquire); }

Result<KpiValue> CatalogueService::AddValue(KpiValue value, const std::string& entered_by) {
  value.entered_at = clock_.NowUtc();
  value.entered_by = entered_by;
  if (auto s = ValidateKpiValue(value); !s.ok()) return s;
  MutexLock lock(write_mu_);
  auto stored = store_->AddKpiValue(std::move(value));
  if (!stored.ok()) return stored;
  if (auto s = ReloadLocked(); !s.ok()) return s;
  return stored;
}

Result<KpiValue> CatalogueService::UpdateValue(KpiValue value, const std::string& entered_by) {
  value.entered_at = clock_.NowUtc();
  value.entered_by = entered_by;
  if (auto s = ValidateKpiValue(value); !s.ok()) return s;
  MutexLock lock(write_mu_);
  auto stored = store_->UpdateKpiValue(std::move(value));
  if (!stored.ok()) return stored;
  if (auto s = ReloadLocked(); !s.ok()) return s;
  return stored;
}

Status CatalogueService::DeleteValue(const std::string& kpi_id, int64_t id) {
  MutexLock lock(write_mu_);
  if (auto s = store_->DeleteKpiValue(kpi_id, id); !s.ok()) return s;
  return ReloadLocked();
}

Status CatalogueService::Stamp(std::vector<ValueChange>& changes, const std::string& entered_by) const {
  const std::string now = clock_.NowUtc();
  for (ValueChange& change : changes) {
    if (change.kind == ValueChange::Kind::kDelete) continue;
    change.value.entered_at = now;
    change.value.entered_by = entered_by;
    if (auto s = ValidateKpiValue(change.value); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::vector<KpiValue>> CatalogueService::ApplyValueChanges(std::vector<ValueChange> changes,
                                                                  const std::string& entered_by) {
  if (auto s = Stamp(changes, entered_by); !s.ok()) return s;
  MutexLock lock(write_mu_);
  auto stored = store_->ApplyValueChanges(changes);
  if (!stored.ok()) return stored;
  if (auto s = ReloadLocked(); !s.ok()) return s;
  return stored;
}

Result<std::vector<KpiValue>> CatalogueService::ApplyValueChangesIn(sql::Tx& tx, std::vector<ValueChange> changes,
                                                                    const std::string& entered_by) {
  if (auto s = Stamp(changes, entered_by); !s.ok()) return s;
  return store_->ApplyValueChangesIn(tx, changes);
}

Status CatalogueService::SetSettings(const std::string& kpi_id, const KpiSettings& settings) {
  if (auto s = ValidateKpiSettings(settings); !s.ok()) return s;
  MutexLock lock(write_mu_);
  if (auto s = store_->SetKpiSettings(kpi_id, settings); !s.ok()) return s;
  return ReloadLocked();
}

Status CatalogueService::SetSettingsIn(sql::Tx& tx, const std::string& kpi_id, const KpiSettings& settings) {
  if (auto s = ValidateKpiSettings(settings); !s.ok()) return s;
  return store_->SetKpiSettingsIn(tx, kpi_id, settings);
}

namespace {

Status CheckMeasureStatus(const std::string& status) {
  if (!ClassifyMeasureStatus(status)) {
    return InvalidArgument("must begin with Neu, Projektidee, In Planung, In Umsetzung, Laufend "
                           "or Umgesetzt",
                           "status");
  }
  if (status.size() > 200) return InvalidArgument("longer than 200 bytes", "status");
  return Status::Ok();
}

Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > 500) return InvalidArgument("must be 1 to 500 characters", "name");
  return Status::Ok();
}

Status CheckTexts(const std::string& name, const std::string& summary) {
  if (auto s = CheckName(name); !s.ok()) return s;
  if (summary.size() > 10'000) return InvalidArgument("must be at most 10000 characters", "summary");
  return Status::Ok();
}

}  // namespace

Status CatalogueService::SetMeasureStatus(const std::string& measure_id,
                                          const std::string& status) {
  if (auto s = CheckMeasureStatus(status); !s.ok()) return s;
  MutexLock lock(write_mu_);
  if (auto s = store_->SetMeasureStatus(measure_id, status); !s.ok()) return s;
  return ReloadLocked();
}

Status CatalogueService::SetMeasureStatusIn(sql::Tx& tx, const std::string& measure_id, const std::string& status) {
  if (auto s = CheckMeasureStatus(status); !s.ok()) return s;
  return store_->SetMeasureStatusIn(tx, measure_id, status);
}

Result<std::string> CatalogueService::CreateApiKey(const std::string& label, Role role) {
  if (label.empty()) return InvalidArgument("a label is required", "label");
  std::string key = GenerateApiKey();
  ApiKeyRecord record{0, label, role, HashApiKey(key), clock_.NowUtc()};
  auto stored = store_->AddApiKey(std::move(record));
  if (!stored.ok()) return stored.status();
  return key;
}

Result<ApiKeyRecord> CatalogueService::Authenticate(const std::string& key) {
  if (key.empty()) return Status(ErrorCode::kUnauthenticated, "API key missing", "Authorization");
  const std::string hash = HashApiKey(key);
  {
    MutexLock lock(keys_mu_);
    if (auto it = known_keys_.find(hash); it != known_keys_.end()) return it->second;
  }
  auto found = store_->FindApiKeyByHash(hash);
  if (!found.ok()) return found;  // unknown keys are not remembered: each is looked up
  MutexLock lock(keys_mu_);
  if (known_keys_.size() >= kMaxKnownKeys) known_keys_.clear();
  known_keys_.emplace(hash, *found);
  return found;
}

Status CatalogueService::SetMeasureTexts(const std::string& measure_id, const std::string& name,
                                         const std::string& summary) {
  if (auto s = CheckTexts(name, summary); !s.ok()) return s;
  MutexLock lock(write_mu_);
  if (auto s = store_->SetMeasureTexts(measure_id, name, summary); !s.ok()) return s;
  return ReloadLocked();
}

Status CatalogueService::SetMeasureTextsIn(sql::Tx& tx, const std::string& measure_id, const std::string& name,
                                           const std::string& summary) {
  if (auto s = CheckTexts(name, summary); !s.ok()) return s;
  return store_->SetMeasureTextsIn(tx, measure_id, name, summary);
}

Status CatalogueService::SetKpiName(const std::string& kpi_id, const std::string& name) {
  if (auto s = CheckName(name); !s.ok()) return s;
  MutexLock lock(write_mu_);
  if (auto s = store_->SetKpiName(kpi_id, name); !s.ok()) return s;
  return ReloadLocked();
}

Status CatalogueService::SetKpiNameIn(sql::Tx& tx, const std::string& kpi_id, const std::string& name) {
  if (auto s = CheckName(name); !s.ok()) return s;
  return store_->SetKpiNameIn(tx, kpi_id, name);
}

}  // namespace datenwerk
