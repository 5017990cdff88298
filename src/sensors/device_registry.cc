#include "sensors/device_registry.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <unordered_map>

#include "core/thread_annotations.h"
#include "sensors/uplink_records.h"
#include "store/change_feed.h"


namespace datenwerk::sensors {

namespace {

constexpr std::string_view kSqliteSchema = R"sql(
CREATE TABLE IF NOT EXISTS device (dev_eui TEXT PRIMARY KEY, name TEXT NOT NULL,
  codec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS device_field (dev_eui TEXT NOT NULL, field TEXT NOT NULL,
  datastream INTEGER NOT NULL, PRIMARY KEY (dev_eui, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uplink_seen (dev_eui TEXT NOT NULL, f_cnt INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, gateways TEXT, PRIMARY KEY (dev_eui, time_ms, f_cnt)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letter (id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, field TEXT,
  payload TEXT);
)sql";

constexpr std::string_view kPostgresSchema = R"sql(
SET client_min_messages TO warning;
CREATE TABLE IF NOT EXISTS device (dev_eui TEXT PRIMARY KEY, name TEXT NOT NULL,
  codec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS device_field (dev_eui TEXT NOT NULL, field TEXT NOT NULL,
  datastream BIGINT NOT NULL, PRIMARY KEY (dev_eui, field));
CREATE TABLE IF NOT EXISTS uplink_seen (dev_eui TEXT NOT NULL, f_cnt BIGINT NOT NULL,
  time_ms BIGINT NOT NULL, gateways TEXT, PRIMARY KEY (dev_eui, time_ms, f_cnt));
CREATE TABLE IF NOT EXISTS dead_letter (id BIGSERIAL PRIMARY KEY,
  received_at TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, field TEXT,
  payload TEXT);
)sql";

// One implementation over the shared data-access layer, in the deployment's one database.
class SqlDeviceRegistry final : public DeviceRegistry {
 public:
  SqlDeviceRegistry(sql::Connection& db, std::unique_ptr<sql::Connection> owned)
      : owned_(std::move(owned)), db_(db) {}

  Status Init() {
    const bool sqlite = std::string_view(db_.Dialect()) == "sqlite";
    if (Status s = db_.Write([&](sql::Tx& tx) { return tx.Exec(std::string(sqlite ? kSqliteSchema : kPostgresSchema)); });
        !s.ok()) {
      return s;
    }
    // SQLite registries from before the uplink log: add its column (an error means it is there).
    if (sqlite) IgnoreError(db_.Write([](sql::Tx& tx) { return tx.Exec("ALTER TABLE uplink_seen ADD COLUMN gateways TEXT"); }));
    return KeyUplinkRecordsByTime(db_);
  }

  Status Put(const DeviceProfile& p) override {
    Forget(p.dev_eui);
    return db_.Write([&](sql::Tx& tx) -> Status {
      auto device = tx.Query("INSERT INTO device VALUES ($1,$2,$3) ON CONFLICT (dev_eui) DO UPDATE SET "
                             "name=excluded.name, codec=excluded.codec",
                             {p.dev_eui, p.name, p.codec});
      if (!device.ok()) return device.status();
      if (auto s = tx.Query("DELETE FROM device_field WHERE dev_eui=$1", {p.dev_eui}); !s.ok()) return s.status();
      for (const auto& [name, ds] : p.datastreams) {
        if (auto s = tx.Query("INSERT INTO device_field VALUES ($1,$2,$3)", {p.dev_eui, name, ds}); !s.ok()) {
          return s.status();
        }
      }
      return sql::Announce(tx, kDevicesTopic);
    }, [&](const Status&) { Forget(p.dev_eui); });  // before and after: no reader keeps the old one
  }

  Result<std::optional<DeviceProfile>> Get(const std::string& dev_eui) override {
    const auto now = std::chrono::steady_clock::now();
    uint64_t generation = 0;
    {
      MutexLock lock(cache_mu_);
      if (auto it = cache_.find(dev_eui); it != cache_.end() && now - it->second.loaded < kCacheFor) {
        return std::optional<DeviceProfile>(it->second.profile);
      }
      generation = generation_;
    }
    std::optional<DeviceProfile> out;
    Status s = db_.Read([&](sql::Tx& tx) -> Status {
      auto p = Load(tx, dev_eui);
      if (!p.ok()) return p.status();
      out = std::move(p).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (out) {
      MutexLock lock(cache_mu_);
      if (generation == generation_) {  // no profile changed meanwhile (it could be an old one)
        if (cache_.size() >= kMaxCached) cache_.clear();
        cache_.insert_or_assign(dev_eui, Cached{*out, now});
      }
    }
    return out;
  }

  Result<std::vector<DeviceProfile>> List() override {
    std::vector<DeviceProfile> out;
    Status s = db_.Read([&](sql::Tx& tx) -> Status {
      auto devices = tx.Query("SELECT dev_eui, name, codec FROM device ORDER BY dev_eui");
      if (!devices.ok()) return devices.status();
      auto fields = tx.Query("SELECT dev_eui, field, datastream FROM device_field ORDER BY dev_eui");
      if (!fields.ok()) return fields.status();
      std::map<std::string, DeviceProfile> by_eui;
      for (const sql::Row& r : *devices) by_eui[r.Text(0)] = DeviceProfile{r.Text(0), r.Text(1), r.Text(2), {}};
      for (const sql::Row& r : *fields) {
        if (auto it = by_eui.find(r.Text(0)); it != by_eui.end()) it->second.datastreams[r.Text(1)] = r.Int(2);
      }
      for (auto& [eui, profile] : by_eui) out.push_back(std::move(profile));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status Remove(const std::string& dev_eui) override {
    Forget(dev_eui);
    return db_.Write([&](sql::Tx& tx) -> Status {
      for (const char* sql : {"DELETE FROM device WHERE dev_eui=$1", "DELETE FROM device_field WHERE dev_eui=$1"}) {
        if (auto s = tx.Query(sql, {dev_eui}); !s.ok()) return s.status();
      }
      return sql::Announce(tx, kDevicesTopic);
    }, [&](const Status&) { Forget(dev_eui); });
  }

  sql::Statement Sighting(const std::string& dev_eui, uint32_t f_cnt, int64_t time_ms,
                          const std::string& gateways) const override {
    return {"INSERT INTO uplink_seen (dev_eui, f_cnt, time_ms, gateways) VALUES ($1,$2,$3,$4) "
            "ON CONFLICT DO NOTHING",
            {dev_eui, int64_t{f_cnt}, time_ms, gateways}};
  }

  Result<std::vector<UplinkRecord>> Uplinks(const std::string& dev_eui, size_t limit) override {
    auto rows = db_.ReadOne("SELECT f_cnt, time_ms, COALESCE(gateways, '[]') FROM uplink_seen "
                            "WHERE dev_eui=$1 ORDER BY time_ms DESC LIMIT $2",
                            {dev_eui, static_cast<int64_t>(limit)});
    if (!rows.ok()) return rows.status();
    std::vector<UplinkRecord> out;
    for (const sql::Row& r : *rows) out.push_back({static_cast<uint32_t>(r.Int(0)), r.Int(1), r.Text(2)});
    return out;
  }

  Result<bool> ReceivedBetween(const std::string& dev_eui, int64_t from_ms, int64_t to_ms) override {
    auto rows = db_.ReadOne("SELECT 1 FROM uplink_seen WHERE dev_eui=$1 AND time_ms>=$2 AND time_ms<$3 "
                            "AND gateways IS NOT NULL AND gateways <> '[]' LIMIT 1",
                            {dev_eui, from_ms, to_ms});
    if (!rows.ok()) return rows.status();
    return !rows->empty();
  }

  Result<int64_t> ForgetUplinksBefore(int64_t before_ms, const std::function<bool()>& go_on) override {
    int64_t deleted = 0;
    std::optional<std::string> after = "";
    while (after && go_on()) {
      UplinkPruning step;
      Status s = db_.Write([&](sql::Tx& tx) -> Status {
        auto pruned = PruneUplinkRecords(tx, before_ms, *after, kPruneRowsPerStep);
        if (!pruned.ok()) return pruned.status();
        step = std::move(pruned).value();
        return Status::Ok();
      });
      if (!s.ok()) return s;
      deleted += step.deleted;
      after = std::move(step.resume_after);
    }
    return deleted;
  }

  Status AddDeadLetter(const DeadLetter& d) override {
    return db_.Write([&](sql::Tx& tx) {
      return tx.Query("INSERT INTO dead_letter (received_at, source, reason, field, payload) VALUES ($1,$2,$3,$4,$5)",
                      {d.received_at, d.source, d.reason, d.field, std::string(std::string_view(d.payload).substr(0, 64 * 1024))})
          .status();
    });
  }

  Result<std::vector<DeadLetter>> DeadLetters(size_t limit) override {
    auto rows = db_.ReadOne("SELECT id, received_at, source, reason, field, payload FROM dead_letter "
                            "ORDER BY id DESC LIMIT $1",
                            {static_cast<int64_t>(limit)});
    if (!rows.ok()) return rows.status();
    std::vector<DeadLetter> out;
    for (const sql::Row& r : *rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
    return out;
  }

 private:
  // Profiles are read for every uplink and change rarely: kept for kCacheFor (a change shows here
  // at once, and on the other nodes when the change feed tells them, or after kCacheFor at most).
  static constexpr std::chrono::seconds kCacheFor{10};
  static constexpr size_t kMaxCached = 100'000;
  static constexpr int64_t kPruneRowsPerStep = 20'000;
  struct Cached {
    DeviceProfile profile;
    std::chrono::steady_clock::time_point loaded;
  };

  void ForgetCached() override EXCLUDES(cache_mu_) {
    MutexLock lock(cache_mu_);
    cache_.clear();
    ++generation_;
  }

  void Forget(const std::string& dev_eui) EXCLUDES(cache_mu_) {
    MutexLock lock(cache_mu_);
    cache_.erase(dev_eui);
    ++generation_;
  }

  static Result<std::optional<DeviceProfile>> Load(sql::Tx& tx, const std::string& dev_eui) {
    auto device = tx.Query("SELECT name, codec FROM device WHERE dev_eui=$1", {dev_eui});
    if (!device.ok()) return device.status();
    if (device->empty()) return std::optional<DeviceProfile>();
    DeviceProfile p{dev_eui, device->front().Text(0), device->front().Text(1), {}};
    auto fields = tx.Query("SELECT field, datastream FROM device_field WHERE dev_eui=$1", {dev_eui});
    if (!fields.ok()) return fields.status();
    for (const sql::Row& r : *fields) p.datastreams[r.Text(0)] = r.Int(1);
    return std::optional<DeviceProfile>(std::move(p));
  }

  std::unique_ptr<sql::Connection> owned_;  // when the registry has a database of its own
  sql::Connection& db_;
  Mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_ GUARDED_BY(cache_mu_);
  uint64_t generation_ GUARDED_BY(cache_mu_) = 0;  // counts profile changes
};

Result<std::unique_ptr<DeviceRegistry>> Make(sql::Connection& db, std::unique_ptr<sql::Connection> owned) {
  auto registry = std::make_unique<SqlDeviceRegistry>(db, std::move(owned));
  if (auto s = registry->Init(); !s.ok()) return s;
  return std::unique_ptr<DeviceRegistry>(std::move(registry));
}

}  // namespace

bool IsDevEui(std::string_view key) {
  return key.size() == 16 && std::all_of(key.begin(), key.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

bool IsDeviceId(std::string_view key) {
  if (key.size() < 2 || key.size() > 36 || key.front() == '-' || key.back() == '-') return false;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && key[i - 1] != '-');
    if (!ok) return false;
  }
  return true;
}

Status ValidateDeviceProfile(DeviceProfile& p) {
  if (IsDevEui(p.dev_eui)) {
    for (char& c : p.dev_eui) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (!IsDeviceId(p.dev_eui)) {
    return InvalidArgument("must be a DevEUI (16 hexadecimal digits) or a device id (2 to 36 "
                           "lower-case letters, digits and single dashes)",
                           "devEui");
  }
  if (p.codec != "object" && p.codec != "cayenne") {
    return InvalidArgument("must be object or cayenne", "codec");
  }
  if (p.name.size() > 200) return InvalidArgument("longer than 200 bytes", "name");
  if (p.datastreams.empty()) return InvalidArgument("map at least one field to a Datastream", "fields");
  for (const auto& [field, ds] : p.datastreams) {
    if (field.empty() || field.size() > 200) return InvalidArgument("bad field name", "fields");
    if (ds <= 0) return InvalidArgument("must be a Datastream id", "fields." + field);
  }
  return Status::Ok();
}

Result<std::unique_ptr<DeviceRegistry>> OpenDeviceRegistry(sql::Connection& db) { return Make(db, nullptr); }

Result<std::unique_ptr<DeviceRegistry>> OpenDeviceRegistry(const std::string& path_or_conninfo) {
  return sql::OpenOwned(path_or_conninfo, "device registry", Make);
}

}  // namespace datenwerk::sensors
