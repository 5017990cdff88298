// The device registry's uplink records on SQLite and PostgreSQL: kept per device in time order,
// re-keyed from the order of earlier releases, and forgotten after their retention in steps.
#include "sensors/device_registry.h"

#include <gtest/gtest.h>

#include <string>

#include "database_test.h"

namespace datenwerk::sensors {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'700'000'000'000;

class UplinkRecordsTest : public datenwerk::testing::DatabaseTest {
 protected:
  // `count` uplinks of `device`, one every 15 minutes from kStart + `first_day` days.
  void Sightings(DeviceRegistry& registry, const std::string& device, int count, int64_t first_day = 0) {
    ASSERT_TRUE(db_->Write([&](sql::Tx& tx) -> Status {
      for (int i = 0; i < count; ++i) {
        const sql::Statement st = registry.Sighting(device, static_cast<uint32_t>(i), kStart + first_day * kDay + int64_t{i} * 900'000,
                                                    R"([{"gateway":"gw1","rssi":-100,"snr":7.5}])");
        if (auto s = tx.Change(st.text, st.params); !s.ok()) return s.status();
      }
      return Status::Ok();
    }).ok());
  }
  int64_t Records(const std::string& where = "1=1") {
    return sql::ReadQuery(*db_, "SELECT count(*) FROM uplink_seen WHERE " + where).value().front().Int(0);
  }
};

TEST_P(UplinkRecordsTest, OldRecordsGoInStepsAndTheRecentStay) {
  auto registry = OpenDeviceRegistry(*db_).value();
  Sightings(*registry, "70B3D57ED0000001", 30'000);  // 312 days of 15-minute uplinks
  Sightings(*registry, "70B3D57ED0000002", 10);
  Sightings(*registry, "70B3D57ED0000003", 10, 400);  // all recent
  const int64_t before = kStart + 250 * kDay;
  const int64_t old1 = Records("dev_eui = '70B3D57ED0000001' AND time_ms < " + std::to_string(before));
  ASSERT_GT(old1, 20'000);  // more than one step (20,000 rows) and many statements (2,000 rows)
  int steps = 0;
  auto gone = registry->ForgetUplinksBefore(before, [&] { return ++steps < 100; });
  ASSERT_TRUE(gone.ok()) << gone.status().message();
  EXPECT_EQ(*gone, old1 + 10);
  EXPECT_GE(steps, 2);
  EXPECT_EQ(Records("time_ms < " + std::to_string(before)), 0);
  EXPECT_EQ(Records(), 30'000 - old1 + 10);
  // The newest of a device are still there, newest first; a repeat of a kept one is still one.
  auto newest = registry->Uplinks("70B3D57ED0000001", 3);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ(newest->at(0).f_cnt, 29'999u);
  EXPECT_GT(newest->at(0).time_ms, newest->at(1).time_ms);
  Sightings(*registry, "70B3D57ED0000003", 10, 400);
  EXPECT_EQ(Records("dev_eui = '70B3D57ED0000003'"), 10);
  // Nothing left to forget: one pass over the devices, nothing deleted.
  EXPECT_EQ(registry->ForgetUplinksBefore(before, [] { return true; }).value(), 0);
}

TEST_P(UplinkRecordsTest, StopsWhenAskedTo) {
  auto registry = OpenDeviceRegistry(*db_).value();
  Sightings(*registry, "70B3D57ED0000001", 100);
  EXPECT_EQ(registry->ForgetUplinksBefore(kStart + 10 * kDay, [] { return false; }).value(), 0);
  EXPECT_EQ(Records(), 100);
}

TEST_P(UplinkRecordsTest, RecordsOfEarlierReleasesAreKeyedByTime) {
  const bool sqlite = std::string(GetParam()) == "sqlite";
  // The table as releases before this one made it, keyed (dev_eui, f_cnt, time_ms).
  ASSERT_TRUE(db_->Write([&](sql::Tx& tx) {
    return tx.Exec(std::string("CREATE TABLE uplink_seen (dev_eui TEXT NOT NULL, f_cnt BIGINT NOT NULL, time_ms BIGINT NOT NULL, "
                               "gateways TEXT, PRIMARY KEY (dev_eui, f_cnt, time_ms))") +
                   (sqlite ? " WITHOUT ROWID" : "") +
                   ";INSERT INTO uplink_seen VALUES ('70B3D57ED0000001', 7, 3000, '[]'), "
                   "('70B3D57ED0000001', 9, 1000, '[{\"gateway\":\"gw\"}]'), ('70B3D57ED0000002', 1, 2000, NULL)");
  }).ok());
  auto registry = OpenDeviceRegistry(*db_).value();
  std::string key = sqlite ? sql::ReadQuery(*db_, "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('uplink_seen') "
                                                         "WHERE pk > 0 ORDER BY pk)").value().front().Text(0)
                                 : sql::ReadQuery(*db_, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                                                         "conrelid = 'uplink_seen'::regclass AND contype = 'p'").value().front().Text(0);
  std::erase(key, ' ');
  EXPECT_NE(key.find("dev_eui,time_ms,f_cnt"), std::string::npos) << key;
  EXPECT_EQ(Records(), 3);
  auto uplinks = registry->Uplinks("70B3D57ED0000001", 10);
  ASSERT_TRUE(uplinks.ok());
  ASSERT_EQ(uplinks->size(), 2u);
  EXPECT_EQ(uplinks->at(0).f_cnt, 7u);  // newest first
  EXPECT_EQ(uplinks->at(1).gateways, R"([{"gateway":"gw"}])");
  // Opening again finds it done.
  EXPECT_TRUE(OpenDeviceRegistry(*db_).ok());
  EXPECT_EQ(Records(), 3);
}

INSTANTIATE_TEST_SUITE_P(Databases, UplinkRecordsTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace datenwerk::sensors
