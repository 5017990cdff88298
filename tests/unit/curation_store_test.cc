// The open-data curation in the one database, on SQLite and on PostgreSQL alike: stored,
// replaced, read back after reopening, refused when invalid (nothing written).
#include <gtest/gtest.h>

#include "opendata/curation.h"
#include "test_data.h"

namespace datenwerk::opendata {
namespace {

class CurationStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      conninfo_ = testing::FreshPostgresSchema();
      ASSERT_TRUE(conninfo_);
    }
    db_ = Connect();
  }
  std::unique_ptr<sql::Connection> Connect() {
    return conninfo_ ? sql::OpenPostgres(*conninfo_).value() : sql::OpenSqlite(dir_.File("db.sqlite"), "test").value();
  }
  testing::TempDir dir_;
  std::optional<std::string> conninfo_;
  std::unique_ptr<sql::Connection> db_;
};

TEST_P(CurationStoreTest, StoresReplacesAndReadsBack) {
  auto store = CurationStore::Open(*db_).value();
  EXPECT_TRUE(store->All()->empty());
  ASSERT_TRUE(store->Put({kDefaults, "", "", {}, "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "Stadt Bochum", ""},
                         "2026-12-06T10:00:00Z").ok());
  ASSERT_TRUE(store->Put({"station-4", "Pegel „Ölbach“", "Zeile 1\nZeile 2", {"Wasser", "Pegel"}, "", "", ""},
                         "2026-12-06T10:01:00Z").ok());
  ASSERT_TRUE(store->Put({"station-4", "Pegel Ölbach", "", {"Wasser"}, "http://dcat-ap.de/def/licenses/cc-zero", "", ""},
                         "2026-12-06T10:02:00Z").ok());
  const Status refused = store->Put({"station-4", "", "", {}, "http://example.org/x", "", ""}, "2026-12-06T10:03:00Z");
  EXPECT_EQ(refused.field(), "license");

  db_.reset();
  db_ = Connect();
  auto reopened = CurationStore::Open(*db_).value();
  auto all = reopened->All();
  ASSERT_EQ(all->size(), 2u);
  const Curation& station = all->at("station-4");
  EXPECT_EQ(station.title, "Pegel Ölbach");
  EXPECT_EQ(station.keywords, std::vector<std::string>{"Wasser"});
  EXPECT_EQ(station.license, "http://dcat-ap.de/def/licenses/cc-zero");
  EXPECT_EQ(station.changed_at, "2026-12-06T10:02:00Z");
  EXPECT_EQ(all->at(kDefaults).attribution, "Stadt Bochum");
}

INSTANTIATE_TEST_SUITE_P(Stores, CurationStoreTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::opendata
