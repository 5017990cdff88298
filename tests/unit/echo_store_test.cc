// BürgerEcho's reports in the one database, on SQLite and on PostgreSQL alike: stored with their
// first history entry, read back by id and token, listed with Open311's filters, newest first.
#include <gtest/gtest.h>

#include "echo/report_store.h"
#include "test_data.h"

namespace datenwerk::echo {
namespace {

class ReportStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      conninfo_ = testing::FreshPostgresSchema();
      ASSERT_TRUE(conninfo_);
    }
    db_ = conninfo_ ? sql::OpenPostgres(*conninfo_).value() : sql::OpenSqlite(dir_.File("db.sqlite"), "test").value();
  }
  testing::TempDir dir_;
  std::optional<std::string> conninfo_;
  std::unique_ptr<sql::Connection> db_;
};

constexpr int64_t kT0 = 1'780'000'000'000;
constexpr int64_t kDay = 86'400'000;

TEST_P(ReportStoreTest, StoresListsAndFilters) {
  auto store = ReportStore::Open(*db_).value();
  // 300 reports over 300 days, alternating categories, one without a position.
  for (int i = 0; i < 300; ++i) {
    NewReport n;
    n.service_code = i % 2 ? "strasse" : "muell";
    n.description = "Meldung " + std::to_string(i) + " – „Ölbachtal“";
    if (i != 7) {
      n.lat = 51.48 + i * 1e-4;
      n.lon = 7.21;
    } else {
      n.address = "Rathausplatz 1";
    }
    n.email = "buerger" + std::to_string(i) + "@example.org";
    n.attributes["art"] = {"sperrmuell", "bauschutt"};
    auto r = store->Create(n, {i % 2 ? "tiefbau" : "usb", "Mitte"}, kT0 + i * kDay);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->id, i + 1);
    EXPECT_EQ(r->token.size(), 43u);
  }
  auto one = store->Get(8).value();
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->lat);
  EXPECT_EQ(one->address, "Rathausplatz 1");
  EXPECT_EQ(one->description, "Meldung 7 – „Ölbachtal“");
  EXPECT_EQ(one->email, "buerger7@example.org");
  EXPECT_EQ(one->status, ReportStatus::kReceived);
  EXPECT_EQ(one->attributes.at("art").size(), 2u);
  auto by_token = store->ByToken(one->token).value();
  ASSERT_TRUE(by_token);
  EXPECT_EQ(by_token->id, 8);
  EXPECT_FALSE(store->ByToken("nichts").value());
  EXPECT_FALSE(store->Get(301).value());
  auto history = store->History(8).value();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at_ms, kT0 + 7 * kDay);

  ReportQuery q;
  q.requested_from_ms = kT0 + 210 * kDay;  // the last 90 days
  auto recent = store->List(q).value();
  ASSERT_EQ(recent.size(), 90u);
  EXPECT_EQ(recent.front().id, 300);  // newest first
  q.service_codes = {"strasse"};
  EXPECT_EQ(store->List(q).value().size(), 45u);
  q.open = false;
  EXPECT_TRUE(store->List(q).value().empty());
  q.open = true;
  EXPECT_EQ(store->List(q).value().size(), 45u);
  q = {};
  q.limit = 100;
  q.offset = 250;
  EXPECT_EQ(store->List(q).value().size(), 50u);
  q = {};
  q.ids = {3, 5, 999};
  q.service_codes = {"gibt-es-nicht"};  // ids override the rest
  EXPECT_EQ(store->List(q).value().size(), 2u);
  q = {};
  q.updated_from_ms = kT0 + 299 * kDay;
  EXPECT_EQ(store->List(q).value().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportStoreTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::echo
