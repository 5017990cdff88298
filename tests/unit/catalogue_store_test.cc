// One contract suite for every CatalogueStore implementation.
#include "store/catalogue_store.h"

#include <gtest/gtest.h>

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <functional>

#include "core/catalogue_import.h"
#include "test_data.h"

namespace datenwerk {
namespace {

struct StoreKind {
  const char* name;
  std::function<std::unique_ptr<CatalogueStore>(const testing::TempDir&)> open;
};
void PrintTo(const StoreKind& kind, std::ostream* os) { *os << kind.name; }

// A fresh schema in the throw-away cluster of scripts/with-postgres.sh for every test.
std::unique_ptr<CatalogueStore> OpenPostgresInFreshSchema() {
  auto conninfo = testing::FreshPostgresSchema();
  if (!conninfo) return nullptr;
  auto store = OpenCatalogueStore(*conninfo);
  return store.ok() ? std::move(store).value() : nullptr;
}

class CatalogueStoreContract : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (std::string(GetParam().name) == "postgres") DATENWERK_REQUIRE_POSTGRES();
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
    data_ = ParseCatalogue(testing::BochumFiles()).value();
  }
  KpiValue StaffValue(const std::string& kpi, const std::string& date, double v) {
    KpiValue value;
    value.kpi_id = kpi;
    value.date = date;
    value.value = v;
    value.unit = "Sensoren";
    value.qualifier = Qualifier::kAtLeast;
    value.source = "Umweltamt";
    value.entered_at = "2026-01-01T00:00:00Z";
    value.entered_by = "Team Klima";
    return value;
  }

  testing::TempDir dir_;
  std::unique_ptr<CatalogueStore> store_;
  CatalogueData data_;
};

TEST_P(CatalogueStoreContract, StartsEmptyAndImportsEverything) {
  EXPECT_TRUE(*store_->IsEmpty());
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  EXPECT_FALSE(*store_->IsEmpty());
  auto loaded = store_->LoadAll();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->themes.size(), 5u);
  EXPECT_EQ(loaded->fields.size(), 15u);
  EXPECT_EQ(loaded->measures.size(), 101u);
  EXPECT_EQ(loaded->kpis.size(), 130u);
  EXPECT_EQ(loaded->values.size(), 6u);
  EXPECT_EQ(loaded->public_indicators.size(), 17u);
  EXPECT_EQ(loaded->public_indicators.front().id, "participation-formats");  // file order kept
  EXPECT_EQ(loaded->context_facts.size(), 8u);
  Catalogue c(std::move(loaded).value());
  EXPECT_EQ(c.FindKpi("SCBOK-ZI-NI-K1.3")->sdg_targets.size(), 3u);
  EXPECT_EQ(c.FindKpi("SCBOK-ZI-NI-K6.1")->references.size(), 2u);
  EXPECT_EQ(c.LatestValue("SCBOK-ZI-NI-K6.1")->qualifier, Qualifier::kAtLeast);
}

TEST_P(CatalogueStoreContract, ImportIsIdempotentAndKeepsStaffData) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  ASSERT_TRUE(store_->AddKpiValue(StaffValue("SCBOK-NMU-KK-K1.2", "2024-08-28", 40)).ok());
  KpiSettings s;
  s.target_value = 100;
  s.target_date = "2030-12-31";
  s.direction = Direction::kUp;
  s.unit = "Sensoren";
  ASSERT_TRUE(store_->SetKpiSettings("SCBOK-NMU-KK-K1.2", s).ok());
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  Catalogue c(store_->LoadAll().value());
  EXPECT_EQ(c.data().values.size(), 7u);  // 6 imported once, 1 entered by staff
  EXPECT_EQ(c.ValuesOf("SCBOK-NMU-KK-K1.2").size(), 2u);
  EXPECT_EQ(*c.FindKpi("SCBOK-NMU-KK-K1.2")->settings.target_value, 100);
  EXPECT_EQ(c.FindKpi("SCBOK-NMU-KK-K1.2")->settings.direction, Direction::kUp);
}

TEST_P(CatalogueStoreContract, ImportThatDropsAKpiWithStaffValuesWritesNothing) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  ASSERT_TRUE(store_->AddKpiValue(StaffValue("SCBOK-ZI-NI-K1.1", "2024-01-01", 5)).ok());
  CatalogueData smaller = data_;
  std::erase_if(smaller.kpis, [](const Kpi& k) { return k.id == "SCBOK-ZI-NI-K1.1"; });
  smaller.themes[0].name = "Geändert";
  Status s = store_->ImportCatalogue(smaller);
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  Catalogue c(store_->LoadAll().value());
  EXPECT_NE(c.FindKpi("SCBOK-ZI-NI-K1.1"), nullptr);
  EXPECT_EQ(c.data().kpis.size(), 130u);
  EXPECT_EQ(c.FindTheme(data_.themes[0].id)->name, data_.themes[0].name);  // rolled back
}

TEST_P(CatalogueStoreContract, AddUpdateDeleteValue) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  auto added = store_->AddKpiValue(StaffValue("SCBOK-NMU-KK-K1.2", "2024-08-28", 40));
  ASSERT_TRUE(added.ok());
  EXPECT_GT(added->id, 0);
  KpiValue changed = *added;
  changed.value.reset();  // "not reported"
  changed.note = "Messung ausgefallen";
  ASSERT_TRUE(store_->UpdateKpiValue(changed).ok());
  Catalogue c(store_->LoadAll().value());
  const KpiValue* stored = c.ValuesOf("SCBOK-NMU-KK-K1.2").back();
  EXPECT_FALSE(stored->value.has_value());
  EXPECT_EQ(stored->note, "Messung ausgefallen");
  EXPECT_EQ(stored->entered_by, "Team Klima");

  changed.kpi_id = "SCBOK-ZI-NI-K1.1";  // right id, wrong KPI
  EXPECT_EQ(store_->UpdateKpiValue(changed).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteKpiValue("SCBOK-ZI-NI-K1.1", added->id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->DeleteKpiValue("SCBOK-NMU-KK-K1.2", added->id).ok());
  EXPECT_EQ(store_->DeleteKpiValue("SCBOK-NMU-KK-K1.2", added->id).code(), ErrorCode::kNotFound);
}

TEST_P(CatalogueStoreContract, ValueChangesApplyAllOrNothing) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  const size_t before = store_->LoadAll()->values.size();
  auto first = store_->AddKpiValue(StaffValue("SCBOK-NMU-KK-K1.2", "2024-01-31", 30));
  ASSERT_TRUE(first.ok());
  KpiValue corrected = *first;
  corrected.value = 31;
  std::vector<ValueChange> changes = {{ValueChange::Kind::kAdd, StaffValue("SCBOK-NMU-KK-K1.2", "2024-02-29", 32)},
                                      {ValueChange::Kind::kUpdate, corrected}};
  // The third change names an unknown KPI: nothing of the batch may stay.
  auto failing = changes;
  failing.push_back({ValueChange::Kind::kAdd, StaffValue("NO-SUCH-KPI", "2024-03-31", 1)});
  EXPECT_EQ(store_->ApplyValueChanges(failing).status().code(), ErrorCode::kNotFound);
  auto unchanged = store_->LoadAll();
  ASSERT_EQ(unchanged->values.size(), before + 1);
  for (const KpiValue& v : unchanged->values) {
    if (v.id == first->id) EXPECT_EQ(*v.value, 30);
  }
  auto applied = store_->ApplyValueChanges(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  ASSERT_EQ(applied->size(), 2u);
  EXPECT_GT(applied->at(0).id, first->id);
  EXPECT_EQ(store_->LoadAll()->values.size(), before + 2);
  KpiValue gone;
  gone.kpi_id = "SCBOK-NMU-KK-K1.2";
  gone.id = first->id;
  ASSERT_TRUE(store_->ApplyValueChanges({{ValueChange::Kind::kDelete, gone}}).ok());
  EXPECT_EQ(store_->LoadAll()->values.size(), before + 1);
  EXPECT_EQ(store_->ApplyValueChanges({{ValueChange::Kind::kDelete, gone}}).status().code(), ErrorCode::kNotFound);
}

TEST_P(CatalogueStoreContract, APutOfPeriodIsTheOneValueOfItsSourceAndPeriod) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  const std::string kpi = "SCBOK-NMU-KK-K1.2";
  auto computed = [&](double v) {
    KpiValue value = StaffValue(kpi, "2026-10-31", v);
    value.period = "10/2026";
    value.source = "Datenwerk (automatisch)";
    return value;
  };
  auto of_period = [&] {
    std::vector<KpiValue> out;
    const auto all = store_->LoadAll();
    for (const KpiValue& v : all->values) {
      if (v.kpi_id == kpi && v.period == "10/2026") out.push_back(v);
    }
    return out;
  };
  auto put = [&](const KpiValue& v) { return store_->ApplyValueChanges({{ValueChange::Kind::kPutOfPeriod, v}}); };
  auto first = put(computed(40));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(put(computed(41)).ok());  // again: replaced, not added
  ASSERT_EQ(of_period().size(), 1u);
  EXPECT_EQ(*of_period()[0].value, 41);
  EXPECT_EQ(of_period()[0].id, first->at(0).id);
  // A second value of the same source (an earlier release could write two): healed to one.
  ASSERT_TRUE(store_->AddKpiValue(computed(39)).ok());
  ASSERT_TRUE(put(computed(42)).ok());
  ASSERT_EQ(of_period().size(), 1u);
  EXPECT_EQ(*of_period()[0].value, 42);
  // Staff's value for the period wins: kConflict naming the period, nothing written.
  KpiValue staff = StaffValue(kpi, "2026-11-30", 50);
  staff.period = "11/2026";
  ASSERT_TRUE(store_->AddKpiValue(staff).ok());
  KpiValue november = computed(43);
  november.period = "11/2026";
  auto refused = put(november);
  EXPECT_EQ(refused.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(refused.status().field(), "period");
  size_t novembers = 0;
  const auto all = store_->LoadAll();
  for (const KpiValue& v : all->values) novembers += v.kpi_id == kpi && v.period == "11/2026";
  EXPECT_EQ(novembers, 1u);
  KpiValue unknown = computed(1);
  unknown.kpi_id = "NO-SUCH-KPI";
  EXPECT_EQ(put(unknown).status().code(), ErrorCode::kNotFound);
}

TEST_P(CatalogueStoreContract, UnknownKpiAndMeasureAreNotFound) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  EXPECT_EQ(store_->AddKpiValue(StaffValue("NOPE", "2024-01-01", 1)).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetKpiSettings("NOPE", {}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetMeasureStatus("NOPE", "In Planung").code(), ErrorCode::kNotFound);
}

TEST_P(CatalogueStoreContract, MeasureStatusChanges) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  ASSERT_TRUE(store_->SetMeasureStatus("ZI-NI-4", "Umgesetzt, im Regelbetrieb").ok());
  Catalogue c(store_->LoadAll().value());
  EXPECT_EQ(c.FindMeasure("ZI-NI-4")->stage(), MeasureStage::kImplemented);
}

TEST_P(CatalogueStoreContract, ApiKeysAreFoundByHashOnly) {
  auto key = store_->AddApiKey({0, "Amt 62", Role::kEditor, HashApiKey("secret"), "now"});
  ASSERT_TRUE(key.ok());
  auto found = store_->FindApiKeyByHash(HashApiKey("secret"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->label, "Amt 62");
  EXPECT_EQ(found->role, Role::kEditor);
  EXPECT_EQ(store_->FindApiKeyByHash(HashApiKey("wrong")).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(CatalogueStoreContract, TextSurvivesRoundTripIncludingQuotesAndUmlauts) {
  ASSERT_TRUE(store_->ImportCatalogue(data_).ok());
  KpiValue v = StaffValue("SCBOK-ZI-NI-K1.1", "2024-01-01", 1);
  v.note = "Größe \"geschätzt\"; O'Brien -- DROP TABLE kpi;";
  ASSERT_TRUE(store_->AddKpiValue(v).ok());
  Catalogue c(store_->LoadAll().value());
  EXPECT_EQ(c.ValuesOf("SCBOK-ZI-NI-K1.1").back()->note, v.note);
  EXPECT_EQ(c.data().kpis.size(), 130u);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, CatalogueStoreContract,
    ::testing::Values(StoreKind{"sqlite",
                                [](const testing::TempDir& dir) {
                                  auto s = OpenCatalogueStore(dir.File("test.db"));
                                  return s.ok() ? std::move(s).value() : nullptr;
                                }},
                      StoreKind{"postgres",
                                [](const testing::TempDir&) { return OpenPostgresInFreshSchema(); }}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SqliteCatalogueStoreTest, DataSurvivesReopening) {
  testing::TempDir dir;
  {
    auto store = OpenCatalogueStore(dir.File("keep.db")).value();
    ASSERT_TRUE(store->ImportCatalogue(ParseCatalogue(testing::BochumFiles()).value()).ok());
  }
  auto reopened = OpenCatalogueStore(dir.File("keep.db"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->LoadAll()->kpis.size(), 130u);
}

TEST(PostgresCatalogueStoreTest, UnreachableServerIsUnavailable) {
  auto store = OpenCatalogueStore("host=/nonexistent-socket-dir port=1 connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable);
}

TEST(SqliteCatalogueStoreTest, UnopenablePathIsAnError) {
  auto store = OpenCatalogueStore("/nonexistent-dir/x/y.db");
  EXPECT_FALSE(store.ok());
}

}  // namespace
}  // namespace datenwerk
