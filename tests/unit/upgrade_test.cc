// Upgrade without loss: a data directory as the release before the one database left it
// (sensorthings.db, observations.db with a year of one-minute readings, devices.db beside
// datenwerk.db) is merged into datenwerk.db; every row of every table is compared, the files go,
// the SensorThings service reads what was there, and an interrupted or refused merge keeps the
// files.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "app/config.h"
#include "app/database.h"
#include "series/observation_store.h"
#include "sensors/device_registry.h"
#include "sta/service.h"
#include "sta/tiered_store.h"
#include "store/legacy_files.h"
#include "store/sql_connection.h"
#include "test_data.h"

namespace datenwerk {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kT0 = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr int64_t kYearOfMinutes = 366 * 1440;

// The SensorThings documents as the release before kept them (sqlite_entity_store.cc).
constexpr const char* kLegacyEntitySchema = R"sql(
CREATE TABLE IF NOT EXISTS entity (type INTEGER NOT NULL, id INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (type, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link (from_type INTEGER NOT NULL, from_id INTEGER NOT NULL,
  nav TEXT NOT NULL, to_type INTEGER NOT NULL, to_id INTEGER NOT NULL,
  PRIMARY KEY (from_type, from_id, nav, to_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS link_to ON link (to_type, to_id);
CREATE TABLE IF NOT EXISTS sequence (type INTEGER PRIMARY KEY, last_id INTEGER NOT NULL);
)sql";

// Every row of every table of a SQLite file, as text, by table.
std::map<std::string, std::vector<std::string>> Dump(const std::string& path) {
  std::map<std::string, std::vector<std::string>> out;
  auto db = sql::OpenSqlite(path, "dump").value();
  auto tables = db->Query("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").value();
  for (const sql::Row& t : tables) {
    auto columns = db->Query("SELECT COUNT(*) FROM pragma_table_info('" + t.Text(0) + "')").value();
    const int64_t n = columns.front().Int(0);
    auto rows = db->Query("SELECT * FROM " + t.Text(0) + " ORDER BY 1, 2").value();
    auto& into = out[t.Text(0)];
    for (const sql::Row& r : rows) {
      std::string line;
      for (int64_t c = 0; c < n; ++c) line += (r.IsNull(c) ? std::string("NULL") : r.Text(c)) + "|";
      into.push_back(line);
    }
  }
  return out;
}

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = dir_holder_.File("");
    // observations.db: a year of one-minute readings in one Datastream, as the series store wrote it.
    {
      auto series = series::OpenObservationStore(Path("observations.db")).value();
      std::vector<series::Point> year;
      year.reserve(kYearOfMinutes);
      for (int64_t i = 0; i < kYearOfMinutes; ++i) year.push_back({kT0 + i * 60'000, 10.0 + (i % 97) * 0.01});
      ASSERT_TRUE(series->Append({{1, year}}).ok());
      ASSERT_TRUE(series->SetRetention(1, 400).ok());
    }
    // sensorthings.db: a Thing, its Datastream and a document Observation, linked both ways.
    {
      auto db = sql::OpenSqlite(Path("sensorthings.db"), "legacy").value();
      ASSERT_TRUE(db->Exec(kLegacyEntitySchema).ok());
      ASSERT_TRUE(db->Exec(R"sql(
        INSERT INTO entity VALUES (0, 1, '{"name":"Wetterstation Westpark","description":"d"}');
        INSERT INTO entity VALUES (5, 1, '{"name":"Temperatur","description":"d","unitOfMeasurement":{"name":"Grad Celsius","symbol":"°C","definition":"x"},"observationType":"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"}');
        INSERT INTO entity VALUES (7, 8589934592, '{"phenomenonTime":"2024-01-01T00:00:00.500Z","result":"Text","resultTime":null}');
        INSERT INTO link VALUES (0, 1, 'Datastreams', 5, 1);
        INSERT INTO link VALUES (5, 1, 'Thing', 0, 1);
        INSERT INTO link VALUES (7, 8589934592, 'Datastream', 5, 1);
        INSERT INTO link VALUES (5, 1, 'Observations', 7, 8589934592);
        INSERT INTO sequence VALUES (0, 1);
        INSERT INTO sequence VALUES (5, 1);
      )sql").ok());
    }
    // devices.db: a device profile and dead letters (AUTOINCREMENT ids).
    {
      auto devices = sensors::OpenDeviceRegistry(Path("devices.db")).value();
      ASSERT_TRUE(devices->Put({"70B3D57ED0001234", "Bodenfeuchte Westpark 1", "object", {{"moisture", 1}}}).ok());
      for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(devices->AddDeadLetter({0, "2024-01-01T00:00:00Z", "chirpstack", "kaputt", "object", "{}"}).ok());
      }
    }
    before_["sensorthings.db"] = Dump(Path("sensorthings.db"));
    before_["observations.db"] = Dump(Path("observations.db"));
    before_["devices.db"] = Dump(Path("devices.db"));
  }

  std::string Path(const std::string& name) const { return dir_ + name; }

  void ExpectEveryRowArrived(const std::map<std::string, std::vector<std::string>>& after) {
    const std::map<std::string, std::string> renamed{{"entity", "sta_entity"}, {"link", "sta_link"}, {"sequence", "sta_sequence"}};
    for (const auto& [file, tables] : before_) {
      for (const auto& [table, rows] : tables) {
        auto it = renamed.find(table);
        const std::string now = file == "sensorthings.db" && it != renamed.end() ? it->second : table;
        ASSERT_TRUE(after.contains(now)) << file << ": " << table;
        EXPECT_EQ(after.at(now), rows) << file << ": " << table;
      }
    }
  }

  datenwerk::testing::TempDir dir_holder_;
  std::string dir_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> before_;
};

TEST_F(UpgradeTest, EveryRowMovesIntoTheOneFileAndTheFilesGo) {
  ASSERT_GT(before_["observations.db"]["chunk"].size(), 60u);  // a year of minutes in chunks of 8,192
  auto db = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
  auto merged = MergeLegacyFiles(dir_, *db, LegacyFilesOfOneDatabase());
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  ASSERT_EQ(merged->size(), 3u);
  for (const char* gone : {"sensorthings.db", "observations.db", "devices.db"}) {
    EXPECT_FALSE(fs::exists(Path(gone))) << gone;
  }
  db.reset();
  ExpectEveryRowArrived(Dump(Path("datenwerk.db")));

  // The stores read what was there: the year of readings, the document Observation, the device.
  auto reopened = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
  auto series = series::OpenObservationStore(*reopened).value();
  EXPECT_EQ(series->Count(1).value(), kYearOfMinutes);
  EXPECT_EQ(series->Latest(1)->time_ms, kT0 + (kYearOfMinutes - 1) * 60'000);
  EXPECT_EQ(series->Retention(1).value(), 400);
  auto entities = sta::MakeTieredEntityStore(*series).value();
  auto doc = entities->Get(sta::EntityType::kObservation, 8589934592).value();
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->doc.at("result").as_string(), "Text");
  auto next = entities->ReserveId(sta::EntityType::kThing);
  EXPECT_EQ(next.value(), 2);  // the sequence went along
  auto devices = sensors::OpenDeviceRegistry(Path("datenwerk.db")).value();
  EXPECT_EQ(devices->Get("70B3D57ED0001234").value()->name, "Bodenfeuchte Westpark 1");
  ASSERT_TRUE(devices->AddDeadLetter({0, "2024-01-02T00:00:00Z", "tts", "kaputt", "object", "{}"}).ok());
  EXPECT_EQ(devices->DeadLetters(10).value().front().id, 4);  // AUTOINCREMENT continues

  // A second start finds nothing to do.
  auto again = MergeLegacyFiles(dir_, *reopened, LegacyFilesOfOneDatabase());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(UpgradeTest, AnUpgradeStoppedAfterItsCommitRemovesTheFileWithoutCopyingTwice) {
  // Merged and recorded, but the process died before it removed the file: put it back.
  fs::copy_file(Path("observations.db"), Path("observations.copy"));
  {
    auto db = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
    ASSERT_TRUE(MergeLegacyFiles(dir_, *db, LegacyFilesOfOneDatabase()).ok());
  }
  fs::rename(Path("observations.copy"), Path("observations.db"));
  auto db = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
  auto merged = MergeLegacyFiles(dir_, *db, LegacyFilesOfOneDatabase());
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_TRUE(merged->empty());
  EXPECT_FALSE(fs::exists(Path("observations.db")));
  db.reset();
  ExpectEveryRowArrived(Dump(Path("datenwerk.db")));
}

TEST_F(UpgradeTest, AMergeThatCannotBeCompletedWritesNothingAndKeepsTheFile) {
  // A row already in the one file under the same key: the copy of that file is refused whole.
  {
    auto db = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
    ASSERT_TRUE(db->Exec("CREATE TABLE device (dev_eui TEXT PRIMARY KEY, name TEXT NOT NULL, codec TEXT NOT NULL);"
                         "INSERT INTO device VALUES ('70B3D57ED0001234', 'schon da', 'object')")
                    .ok());
  }
  auto db = sql::OpenSqlite(Path("datenwerk.db"), "database").value();
  auto merged = MergeLegacyFiles(dir_, *db, LegacyFilesOfOneDatabase());
  EXPECT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("devices.db"), std::string::npos) << merged.status().message();
  EXPECT_TRUE(fs::exists(Path("devices.db")));
  auto rows = db->Query("SELECT COUNT(*) FROM device").value();
  EXPECT_EQ(rows.front().Int(0), 1);  // nothing of devices.db arrived
  auto noted = db->Query("SELECT file FROM datenwerk_migration ORDER BY file").value();
  ASSERT_EQ(noted.size(), 2u);  // the two files before it were merged and removed
  EXPECT_FALSE(fs::exists(Path("sensorthings.db")));
  EXPECT_EQ(Dump(Path("devices.db")), before_["devices.db"]);
}

// A city on PostgreSQL kept its time series and devices in local files (observations.db,
// devices.db) before the one database: at start they are copied into PostgreSQL in one
// transaction that compares every row, and removed; the data directory is empty afterwards.
TEST_F(UpgradeTest, APostgresCitysLocalFilesMoveIntoPostgres) {
  DATENWERK_REQUIRE_POSTGRES();
  fs::remove(Path("sensorthings.db"));  // a city on PostgreSQL had its documents there already
  app::Config config;
  config.data_dir = dir_;
  config.database = datenwerk::testing::FreshPostgresSchema().value();
  auto db = app::OpenDatabase(config);
  ASSERT_NE(db, nullptr);
  EXPECT_FALSE(fs::exists(Path("observations.db")));
  EXPECT_FALSE(fs::exists(Path("devices.db")));
  auto series = series::OpenObservationStore(*db).value();
  EXPECT_EQ(series->Count(1).value(), kYearOfMinutes);
  EXPECT_EQ(series->Latest(1)->time_ms, kT0 + (kYearOfMinutes - 1) * 60'000);
  auto day = series->Range(1, kT0 + 200 * 86'400'000LL, kT0 + 201 * 86'400'000LL, 10'000, false).value();
  ASSERT_EQ(day.size(), 1440u);
  EXPECT_EQ(day.front().value, 10.0 + ((200 * 1440) % 97) * 0.01);
  EXPECT_EQ(series->Retention(1).value(), 400);
  auto devices = sensors::OpenDeviceRegistry(*db).value();
  EXPECT_EQ(devices->Get("70B3D57ED0001234").value()->name, "Bodenfeuchte Westpark 1");
  EXPECT_EQ(devices->DeadLetters(10).value().size(), 3u);
  ASSERT_TRUE(devices->AddDeadLetter({0, "2024-01-02T00:00:00Z", "tts", "kaputt", "object", "{}"}).ok());
  EXPECT_EQ(devices->DeadLetters(10).value().front().id, 4);  // the id sequence moved past the copied ids
  series.reset();
  devices.reset();
  db.reset();
  EXPECT_NE(app::OpenDatabase(config), nullptr);  // nothing left to do
}

}  // namespace
}  // namespace datenwerk
