// Start-up configuration: command line, then DATENWERK_* environment variables, then an optional
// config file (INI/TOML), then defaults. Validated once before anything starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace datenwerk::app {

enum class Command { kServe, kImport, kImportSensors, kImportAddresses, kSimulate, kApiKeyCreate, kUserCreate, kMigrate, kCopy };

struct Config {
  Command command = Command::kServe;
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;
  std::string data_dir = "var";
  // Empty: SQLite in data_dir. A libpq connection string ("postgresql://..." or "host=...")
  // selects PostgreSQL.
  std::string database;
  // A streaming replica of `database` for SensorThings and portal reads (store/read_replica.h);
  // empty: every read on `database`. Read only while at most read_max_lag_ms behind.
  std::string read_database;
  int read_max_lag_ms = 2000;
  std::string catalogue_dir;  // default: the Bochum catalogue shipped with the source
  std::string log_level = "info";
  int threads = 0;             // 0: twice the cores, at least 4
  int max_queued_writes = 0;   // 0: 10,000
  int read_budget_ms = 10'000;  // how long one SensorThings read may run
  size_t body_limit = 1 << 20;
  std::string city_name = "Bochum";
  std::string mqtt;        // "host:port" of the MQTT broker; empty: no MQTT
  std::string public_url;  // how clients reach this server; default http://localhost:<port>
  std::string open_data_contact;  // e-mail of the open-data catalogue's contact; empty: its page
  std::string smtp_url;    // the mail relay; empty: mail waits in the outbox
  std::string smtp_from = "smart-city@localhost";
  std::string smtp_user, smtp_password;
  int reminder_hour = 7;   // Europe/Berlin
  // Sign-in against the city's directory (empty URL: none).
  std::string ldap_url, ldap_base_dn, ldap_bind_dn, ldap_bind_password;
  std::string ldap_filter = "(|(mail=%s)(userPrincipalName=%s))";
  bool ldap_start_tls = false;
  std::string mqtt_share;  // MQTT 5 shared-subscription group of several nodes; empty: one node
  int lease_s = 10;
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For names the client        // how long a node holds a background job without renewing it
  std::string mqtt_bulk_notify = "all";  // "all" or "latest": notifications of bulk creates
  std::string buergerecho_dir;     // BürgerEcho's offices and categories (default: data/bochum/buergerecho)
  std::string open311_jurisdiction;  // Open311 jurisdiction_id (default: "<city>.de", lower case)
  double buergerecho_radius_m = 50;    // "already reported?" within this distance
  int buergerecho_retention_days = 90;  // personal data erased this long after a report is closed
  int buergerecho_burst = 10;            // public forms: per client address at once, then one a minute
  int64_t buergerecho_digest_s = 86400;  // area subscribers' digest at most this often
  std::string geocoder;                  // URL template with {q} (geocode/geocoder.h); empty: none
  std::string geocoder_user_agent = "Datenwerk (Smart-City-Plattform)";
  std::string geo_dir;            // district and boundary GeoJSON (default: data/bochum/geo)
  std::string basemap;              // tile URL template of the public maps (web/basemap.h); empty: none
  std::string basemap_attribution;  // what the tiles' licence asks to be shown
  bool print_routes = false;      // serve: print the route table and exit instead of serving
  bool replay = false;            // play imported history again in the present ("Wiedergabe")
  int replay_days = 14;
  int dashboard_refresh_s = 30;   // how often the Klima-Dashboard's snapshot is rebuilt
  double coverage_radius_m = 500; // live KPIs: what counts as covered around a sensor
  double lorawan_cell_m = 500;    // live KPIs: grid cell of the measured LoRaWAN coverage
  int uplink_retention_days = 400;  // uplink records (redelivery, origin, coverage); 0: for ever
  int64_t containers_total = 0;   // live KPIs: the city's containers (0: unknown)
  bool reimport = false;
  // simulate
  std::string sim_url = "http://127.0.0.1:8080";
  std::string sim_key;
  std::string sim_mqtt;
  double sim_backfill_days = 30;
  std::string sim_until;  // RFC 3339 end of the back-fill; empty: now
  bool sim_live = false;
  uint64_t sim_seed = 42;
  int sim_scale = 1;
  int sim_connections = 4;
  // import-sensors
  std::string sensor_data_dir;     // a copy of the city's open data (data/ENVI/ inside)
  bool skip_unreadable = false;    // import the readable rows even when some are not
  std::string addresses_file;      // house coordinates (HK-DE) for BürgerEcho's address search
  // apikey create
  std::string key_role = "editor";
  std::string key_label;
  // user create
  std::string user_email;
  std::string copy_to;  // `copy --to`: a PostgreSQL conninfo or a SQLite file path
  std::string user_name;
  std::string user_role = "editor";
  bool user_directory = false;
  std::vector<std::string> user_scopes;  // themes or fields of action an editor looks after
};

// Parses argv. On --help or an error, prints and returns the process exit code in `exit_code`.
std::optional<Config> ParseConfig(int argc, char** argv, int& exit_code);

}  // namespace datenwerk::app
