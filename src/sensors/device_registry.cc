#include "sensors/device_registry.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "store/sqlite_db.h"

namespace datenwerk::sensors {

namespace {

using sqlite::Exec;
using sqlite::Statement;
using sqlite::Transaction;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS device (dev_eui TEXT PRIMARY KEY, name TEXT NOT NULL,
  codec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS device_field (dev_eui TEXT NOT NULL, field TEXT NOT NULL,
  datastream INTEGER NOT NULL, PRIMARY KEY (dev_eui, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uplink_seen (dev_eui TEXT NOT NULL, f_cnt INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, gateways TEXT, PRIMARY KEY (dev_eui, f_cnt, time_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letter (id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, field TEXT,
  payload TEXT);
)sql";

Status Run(Statement& q) {
  q.Step();
  return q.status();
}

class SqliteDeviceRegistry final : public DeviceRegistry {
 public:
  explicit SqliteDeviceRegistry(sqlite::DbHandle db) : db_(std::move(db)) {}

  Status Init() {
    if (Status s = Exec(db_.get(), kSchema); !s.ok()) return s;
    // Registries from before the uplink log: add its column (an error means it is there).
    IgnoreError(Exec(db_.get(), "ALTER TABLE uplink_seen ADD COLUMN gateways TEXT"));
    return Status::Ok();
  }

  Status Put(const DeviceProfile& p) override {
    std::lock_guard lock(mu_);
    Transaction tx(db_.get());
    if (!tx.status().ok()) return tx.status();
    Statement device(db_.get(), "INSERT OR REPLACE INTO device VALUES (?,?,?)");
    device.Bind(1, p.dev_eui).Bind(2, p.name).Bind(3, p.codec);
    if (auto s = Run(device); !s.ok()) return s;
    Statement clear(db_.get(), "DELETE FROM device_field WHERE dev_eui=?");
    clear.Bind(1, p.dev_eui);
    if (auto s = Run(clear); !s.ok()) return s;
    Statement field(db_.get(), "INSERT INTO device_field VALUES (?,?,?)");
    for (const auto& [name, ds] : p.datastreams) {
      field.Reset();
      field.Bind(1, p.dev_eui).Bind(2, name).Bind(3, ds);
      if (auto s = Run(field); !s.ok()) return s;
    }
    return tx.Commit();
  }

  Result<std::optional<DeviceProfile>> Get(const std::string& dev_eui) override {
    std::lock_guard lock(mu_);
    return Load(dev_eui);
  }

  Result<std::vector<DeviceProfile>> List() override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "SELECT dev_eui FROM device ORDER BY dev_eui");
    std::vector<std::string> euis;
    while (q.Step()) euis.push_back(q.Text(0));
    if (!q.status().ok()) return q.status();
    std::vector<DeviceProfile> out;
    for (const std::string& eui : euis) {
      auto p = Load(eui);
      if (!p.ok()) return p.status();
      if (*p) out.push_back(std::move(**p));
    }
    return out;
  }

  Status Remove(const std::string& dev_eui) override {
    std::lock_guard lock(mu_);
    Transaction tx(db_.get());
    if (!tx.status().ok()) return tx.status();
    for (const char* sql : {"DELETE FROM device WHERE dev_eui=?", "DELETE FROM device_field WHERE dev_eui=?"}) {
      Statement q(db_.get(), sql);
      q.Bind(1, dev_eui);
      if (auto s = Run(q); !s.ok()) return s;
    }
    return tx.Commit();
  }

  Result<bool> FirstSighting(const std::string& dev_eui, uint32_t f_cnt, int64_t time_ms,
                             const std::string& gateways) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "INSERT OR IGNORE INTO uplink_seen (dev_eui, f_cnt, time_ms, gateways) "
                           "VALUES (?,?,?,?)");
    q.Bind(1, dev_eui).Bind(2, int64_t{f_cnt}).Bind(3, time_ms).Bind(4, gateways);
    if (auto s = Run(q); !s.ok()) return s;
    return sqlite3_changes(db_.get()) == 1;
  }

  Result<std::vector<UplinkRecord>> Uplinks(const std::string& dev_eui, size_t limit) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "SELECT f_cnt, time_ms, COALESCE(gateways, '[]') FROM uplink_seen "
                           "WHERE dev_eui=? ORDER BY time_ms DESC LIMIT ?");
    q.Bind(1, dev_eui).Bind(2, static_cast<int64_t>(limit));
    std::vector<UplinkRecord> out;
    while (q.Step()) {
      out.push_back({static_cast<uint32_t>(q.Int(0)), q.Int(1), q.Text(2)});
    }
    if (!q.status().ok()) return q.status();
    return out;
  }

  Result<bool> ReceivedBetween(const std::string& dev_eui, int64_t from_ms, int64_t to_ms) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "SELECT 1 FROM uplink_seen WHERE dev_eui=? AND time_ms>=? AND time_ms<? "
                           "AND gateways IS NOT NULL AND gateways <> '[]' LIMIT 1");
    q.Bind(1, dev_eui).Bind(2, from_ms).Bind(3, to_ms);
    const bool found = q.Step();
    if (!q.status().ok()) return q.status();
    return found;
  }

  Status ForgetSighting(const std::string& dev_eui, uint32_t f_cnt, int64_t time_ms) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "DELETE FROM uplink_seen WHERE dev_eui=? AND f_cnt=? AND time_ms=?");
    q.Bind(1, dev_eui).Bind(2, int64_t{f_cnt}).Bind(3, time_ms);
    return Run(q);
  }

  Status AddDeadLetter(const DeadLetter& d) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "INSERT INTO dead_letter (received_at, source, reason, field, payload) "
                           "VALUES (?,?,?,?,?)");
    q.Bind(1, d.received_at).Bind(2, d.source).Bind(3, d.reason).Bind(4, d.field);
    q.Bind(5, std::string_view(d.payload).substr(0, 64 * 1024));
    return Run(q);
  }

  Result<std::vector<DeadLetter>> DeadLetters(size_t limit) override {
    std::lock_guard lock(mu_);
    Statement q(db_.get(), "SELECT id, received_at, source, reason, field, payload FROM dead_letter "
                           "ORDER BY id DESC LIMIT ?");
    q.Bind(1, static_cast<int64_t>(limit));
    std::vector<DeadLetter> out;
    while (q.Step()) {
      out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)});
    }
    if (!q.status().ok()) return q.status();
    return out;
  }

 private:
  Result<std::optional<DeviceProfile>> Load(const std::string& dev_eui) {
    Statement d(db_.get(), "SELECT name, codec FROM device WHERE dev_eui=?");
    d.Bind(1, dev_eui);
    if (!d.Step()) {
      if (!d.status().ok()) return d.status();
      return std::optional<DeviceProfile>();
    }
    DeviceProfile p{dev_eui, d.Text(0), d.Text(1), {}};
    Statement f(db_.get(), "SELECT field, datastream FROM device_field WHERE dev_eui=?");
    f.Bind(1, dev_eui);
    while (f.Step()) p.datastreams[f.Text(0)] = f.Int(1);
    if (!f.status().ok()) return f.status();
    return std::optional<DeviceProfile>(std::move(p));
  }

  std::mutex mu_;
  sqlite::DbHandle db_;
};

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

Result<std::unique_ptr<DeviceRegistry>> OpenSqliteDeviceRegistry(const std::string& path) {
  auto db = sqlite::Open(path, "device registry");
  if (!db.ok()) return db.status();
  auto registry = std::make_unique<SqliteDeviceRegistry>(std::move(db).value());
  if (auto s = registry->Init(); !s.ok()) return s;
  return std::unique_ptr<DeviceRegistry>(std::move(registry));
}

}  // namespace datenwerk::sensors
