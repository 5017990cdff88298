#include "store/catalogue_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "test_data.h"

namespace datenwerk {
namespace {

class FixedClock final : public Clock {
 public:
  std::string NowUtc() const override { return "2026-11-22T10:00:00Z"; }
};

class CatalogueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = std::make_unique<CatalogueService>(
        OpenCatalogueStore(dir_.File("s.db")).value(), clock_);
    ASSERT_TRUE(service_->ImportDirectory(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum").ok());
  }
  testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<CatalogueService> service_;
};

TEST_F(CatalogueServiceTest, WritesAreVisibleInANewSnapshotAndOldOnesStayIntact) {
  CatalogueSnapshot before = service_->Snapshot();
  uint64_t version = service_->Version();
  KpiValue v;
  v.kpi_id = "SCBOK-NMU-KK-K1.2";
  v.date = "2024-08-28";
  v.value = 60;
  auto stored = service_->AddValue(v, "Team Klima");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->entered_at, "2026-11-22T10:00:00Z");
  EXPECT_EQ(stored->entered_by, "Team Klima");
  EXPECT_GT(service_->Version(), version);
  EXPECT_EQ(before->ValuesOf("SCBOK-NMU-KK-K1.2").size(), 1u);
  EXPECT_EQ(service_->Snapshot()->ValuesOf("SCBOK-NMU-KK-K1.2").size(), 2u);
}

TEST_F(CatalogueServiceTest, ProgressFollowsTargetsAndValues) {
  KpiSettings s;
  s.target_value = 100;
  s.target_date = "2030-06-30";
  s.direction = Direction::kUp;
  ASSERT_TRUE(service_->SetSettings("SCBOK-NMU-KK-K1.2", s).ok());
  EXPECT_EQ(service_->Snapshot()->ProgressOf("SCBOK-NMU-KK-K1.2").status,
            ProgressStatus::kNotAssessable);  // one value only
  KpiValue v;
  v.kpi_id = "SCBOK-NMU-KK-K1.2";
  v.date = "2024-08-28";
  v.value = 60;
  ASSERT_TRUE(service_->AddValue(v, "x").ok());
  EXPECT_EQ(service_->Snapshot()->ProgressOf("SCBOK-NMU-KK-K1.2").status,
            ProgressStatus::kOnTrack);  // 23 -> 60 in 2.2 years beats 23 -> 100 in 8 years
}

TEST_F(CatalogueServiceTest, InvalidWritesChangeNothing) {
  uint64_t version = service_->Version();
  KpiValue v;
  v.kpi_id = "SCBOK-NMU-KK-K1.2";
  v.date = "2024-02-30";
  EXPECT_EQ(service_->AddValue(v, "x").status().field(), "date");
  EXPECT_EQ(service_->SetMeasureStatus("ZI-NI-1", "Vielleicht").field(), "status");
  KpiSettings s;
  s.target_value = 1;
  EXPECT_FALSE(service_->SetSettings("SCBOK-NMU-KK-K1.2", s).ok());
  EXPECT_EQ(service_->Version(), version);
}

TEST_F(CatalogueServiceTest, ApiKeysAuthenticate) {
  auto key = service_->CreateApiKey("Statistikstelle", Role::kEditor);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->starts_with("dwk_"));
  EXPECT_EQ(key->size(), 68u);
  EXPECT_EQ(service_->Authenticate(*key)->label, "Statistikstelle");
  EXPECT_EQ(service_->Authenticate("dwk_wrong").status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("").status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(*service_->CreateApiKey("b", Role::kAdministrator), *key);
}

TEST_F(CatalogueServiceTest, ConcurrentReadersSeeConsistentSnapshotsDuringWrites) {
  std::atomic<bool> stop{false};
  std::atomic<int> inconsistent{0};
  std::thread reader([&] {
    while (!stop) {
      CatalogueSnapshot s = service_->Snapshot();
      if (s->data().kpis.size() != 130u) ++inconsistent;
    }
  });
  for (int i = 0; i < 20; ++i) {
    KpiValue v;
    v.kpi_id = "SCBOK-ZI-NI-K1.1";
    v.date = "2024-01-01";
    v.value = i;
    ASSERT_TRUE(service_->AddValue(v, "x").ok());
  }
  stop = true;
  reader.join();
  EXPECT_EQ(inconsistent, 0);
  EXPECT_EQ(service_->Snapshot()->ValuesOf("SCBOK-ZI-NI-K1.1").size(), 20u);
}

}  // namespace
}  // namespace datenwerk
