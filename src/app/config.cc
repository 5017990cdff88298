#include "app/config.h"

#include <CLI/CLI.hpp>

namespace datenwerk::app {

std::optional<Config> ParseConfig(int argc, char** argv, int& exit_code) {
  Config c;
  c.catalogue_dir = DATENWERK_DEFAULT_CATALOGUE;
  c.geo_dir = DATENWERK_DEFAULT_CATALOGUE "/geo";
  c.buergerecho_dir = DATENWERK_DEFAULT_CATALOGUE "/buergerecho";
  CLI::App app{"Datenwerk " DATENWERK_VERSION
               " - open urban data platform: smart-city catalogue, KPIs and progress portal.\n"
               "Without a subcommand it serves (same as 'datenwerk serve')."};
  app.set_config("--config", "", "Optional configuration file (INI or TOML, keys as the long "
                                 "options); command-line flags and DATENWERK_* variables win");
  app.add_option("--data-dir", c.data_dir, "Directory for the database (created if missing)")
      ->envname("DATENWERK_DATA_DIR")
      ->capture_default_str();
  app.add_option("--database", c.database,
                 "PostgreSQL connection string (postgresql://... or 'host=... dbname=...'); "
                 "empty: SQLite file datenwerk.db in the data directory")
      ->envname("DATENWERK_DATABASE");
  app.add_option("--catalogue", c.catalogue_dir,
                 "Catalogue CSV directory imported when the database is empty")
      ->envname("DATENWERK_CATALOGUE")
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error or off")
      ->envname("DATENWERK_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  CLI::App* serve = app.add_subcommand("serve", "Serve the portal and the API (the default)");
  for (CLI::App* target : {&app, serve}) {
    target->add_option("--port", c.port, "TCP port")
        ->envname("DATENWERK_PORT")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    target->add_option("--bind", c.bind, "Address to listen on (0.0.0.0 for all interfaces)")
        ->envname("DATENWERK_BIND")
        ->capture_default_str();
    target->add_option("--threads", c.threads, "Worker threads (0: twice the cores, at least 4)")
        ->envname("DATENWERK_THREADS")
        ->check(CLI::Range(0, 256))
        ->capture_default_str();
    target->add_option("--max-queued-writes", c.max_queued_writes,
                       "Writes in flight (committing or queued for their group's commit) before 503 + "
                       "Retry-After (0: 10000)")
        ->envname("DATENWERK_MAX_QUEUED_WRITES")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    target->add_option("--read-budget-ms", c.read_budget_ms,
                       "How long one SensorThings read (or the reads of one $batch) may run "
                       "before it answers 503")
        ->envname("DATENWERK_READ_BUDGET_MS")
        ->check(CLI::Range(10, 3'600'000))
        ->capture_default_str();
    target->add_option("--body-limit", c.body_limit, "Largest accepted request body in bytes")
        ->envname("DATENWERK_BODY_LIMIT")
        ->check(CLI::Range(1024, 64 << 20))
        ->capture_default_str();
    target->add_option("--city-name", c.city_name, "City name shown in the portal")
        ->envname("DATENWERK_CITY_NAME")
        ->capture_default_str();
    target->add_option("--mqtt", c.mqtt,
                       "MQTT broker host:port for LoRaWAN uplinks and the SensorThings MQTT "
                       "extension (empty: off)")
        ->envname("DATENWERK_MQTT");
    target->add_option("--mqtt-share", c.mqtt_share,
                       "Several nodes on one database: the name of their MQTT shared-subscription group, so "
                       "the broker hands each uplink to one of them (empty: one node)")
        ->envname("DATENWERK_MQTT_SHARE");
    target->add_option("--trusted-proxy", c.trusted_proxies,
                       "Address of a proxy in front (HAProxy, a TLS proxy) whose X-Forwarded-For header names the "
                       "client, for the per-client limits and the logs; repeat it for several")
        ->envname("DATENWERK_TRUSTED_PROXIES")
        ->delimiter(',');
    target->add_option("--read-database", c.read_database,
                       "A streaming replica of --database (PostgreSQL) that serves SensorThings, time-series "
                       "and Klima-Dashboard reads while it is at most --read-max-lag-ms behind; else they "
                       "run on --database")
        ->envname("DATENWERK_READ_DATABASE");
    target->add_option("--read-max-lag-ms", c.read_max_lag_ms,
                       "How stale a read from the replica may be, in milliseconds")
        ->envname("DATENWERK_READ_MAX_LAG_MS")
        ->check(CLI::Range(10, 3'600'000))
        ->capture_default_str();
    target->add_option("--lease-seconds", c.lease_s,
                       "Several nodes: how long a node keeps a background job (alerts, mail, retention, ...) "
                       "without renewing it; another node takes the job over this long after the node died")
        ->check(CLI::Range(2, 600))
        ->capture_default_str();
    target->add_option("--mqtt-bulk-notify", c.mqtt_bulk_notify,
                       "Of the Observations one CreateObservations request creates, publish "
                       "all (as 18-088 asks) or only the latest per Datastream (for backfills)")
        ->envname("DATENWERK_MQTT_BULK_NOTIFY")
        ->check(CLI::IsMember({"all", "latest"}))
        ->capture_default_str();
    target->add_option("--geo-dir", c.geo_dir,
                       "Folder with bochum_boundary.geojson and bochum_stadtbezirke.geojson (the "
                       "city's boundary and districts for the Klima-Dashboard)")
        ->envname("DATENWERK_GEO_DIR")
        ->capture_default_str();
    target->add_option("--basemap,--map-tiles", c.basemap,
                       "Base map of the public maps (Klima-Dashboard, BürgerEcho): an XYZ tile URL "
                       "(https://tiles.example/{z}/{x}/{y}.png) or a WMTS REST template with "
                       "{TileMatrix}/{TileRow}/{TileCol}, such as basemap.de's web raster. Empty "
                       "(default): no base map, only borders, nothing fetched from elsewhere")
        ->envname("DATENWERK_BASEMAP");
    target->add_option("--basemap-attribution,--map-attribution", c.basemap_attribution,
                       "Attribution the base map's licence asks for, shown on the map (required with --basemap)")
        ->envname("DATENWERK_BASEMAP_ATTRIBUTION");
    target->add_flag("--print-routes", c.print_routes,
                     "Print every route (method and path pattern) and exit: for checking that each "
                     "one is documented in /openapi.json");
    target->add_flag("--replay", c.replay,
                     "Play the imported sensor history again in the present, as copies marked "
                     "'Wiedergabe' (for demonstrations; never changes the originals)")
        ->envname("DATENWERK_REPLAY");
    target->add_option("--replay-days", c.replay_days,
                       "How many of the last recorded days are played, in a loop")
        ->check(CLI::Range(1, 366))
        ->capture_default_str();
    target->add_option("--coverage-radius", c.coverage_radius_m,
                       "Metres around an active sensor that count as covered (KPIs K1.3 and K-H7)")
        ->check(CLI::Range(10.0, 100000.0))
        ->capture_default_str();
    target->add_option("--lorawan-cell", c.lorawan_cell_m,
                       "Grid cell in metres for the measured LoRaWAN coverage (KPI ZI-NI-K5.1)")
        ->check(CLI::Range(50.0, 100000.0))
        ->capture_default_str();
    target->add_option("--uplink-retention-days", c.uplink_retention_days,
                       "How long the record of each LoRaWAN uplink (frame counter, gateways) is kept: the "
                       "redelivery check, the device page and the LoRaWAN coverage KPI use it; older uplinks "
                       "are not taken (at most 400 days in any case; 0: records kept for ever)")
        ->check(CLI::Range(0, 36500))
        ->capture_default_str();
    target->add_option("--containers-total", c.containers_total,
                       "How many waste and glass containers the city has (KPI ER-K-H3; 0: not computed)")
        ->check(CLI::Range(0, 10000000))
        ->capture_default_str();
    target->add_option("--dashboard-refresh", c.dashboard_refresh_s,
                       "Seconds between rebuilds of the Klima-Dashboard's view of all sensors")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    target->add_option("--buergerecho-dir", c.buergerecho_dir,
                       "Folder with BürgerEcho's stellen.csv, kategorien.csv, merkmale.csv and "
                       "zustaendigkeiten.csv (offices, categories, their questions, routing by district)")
        ->envname("DATENWERK_BUERGERECHO_DIR")
        ->capture_default_str();
    target->add_option("--buergerecho-radius", c.buergerecho_radius_m,
                       "Metres within which open reports of the same category are shown before a new one "
                       "is filed (\"already reported?\")")
        ->check(CLI::Range(5.0, 1000.0))
        ->capture_default_str();
    target->add_option("--buergerecho-retention-days", c.buergerecho_retention_days,
                       "Days after a report is closed until its reporter's e-mail address and name are "
                       "erased (at least 15: the reporter may reopen a report within 14 days)")
        ->check(CLI::Range(15, 3650))
        ->capture_default_str();
    target->add_option("--buergerecho-burst", c.buergerecho_burst,
                       "Reports and subscriptions one client address may send at once through the public forms; "
                       "then one a minute (raise it when many citizens share one address)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    target->add_option("--buergerecho-digest-seconds", c.buergerecho_digest_s,
                       "How often at most a citizen who subscribed to an area gets the digest of its reports "
                       "(default a day)")
        ->check(CLI::Range(1, 31 * 86400))
        ->capture_default_str();
    target->add_option("--geocoder", c.geocoder,
                       "Geocoder for addresses the imported house coordinates do not know: a URL with {q}, "
                       "answering like Nominatim (format=jsonv2) or Photon (GeoJSON), e.g. "
                       "https://nominatim.stadt.de/search?format=jsonv2&countrycodes=de&q={q} (empty: none)")
        ->envname("DATENWERK_GEOCODER");
    target->add_option("--geocoder-user-agent", c.geocoder_user_agent,
                       "User-Agent sent to the geocoder (Nominatim's usage policy wants one naming the operator)")
        ->envname("DATENWERK_GEOCODER_USER_AGENT")
        ->capture_default_str();
    target->add_option("--open311-jurisdiction", c.open311_jurisdiction,
                       "Open311 jurisdiction_id of this city (default: <city name>.de in lower case)")
        ->envname("DATENWERK_OPEN311_JURISDICTION");
    target->add_option("--open-data-contact", c.open_data_contact,
                       "E-mail address named as the contact of the open-data catalogue (/catalog)")
        ->envname("DATENWERK_OPEN_DATA_CONTACT");
    target->add_option("--public-url", c.public_url,
                       "Base URL clients use, for links in MQTT messages and mails; https:// makes the "
                       "back office's cookies Secure (default http://localhost:<port>)")
        ->envname("DATENWERK_PUBLIC_URL");
    target->add_option("--smtp-url", c.smtp_url,
                       "The city's mail relay for password resets and reminders, e.g. smtp://mail.stadt.de:587 "
                       "(STARTTLS when offered) or smtps://…; empty: mail waits in the outbox")
        ->envname("DATENWERK_SMTP_URL");
    target->add_option("--smtp-from", c.smtp_from, "Sender address of the back office's mail")
        ->envname("DATENWERK_SMTP_FROM")
        ->capture_default_str();
    target->add_option("--smtp-user", c.smtp_user, "Login at the mail relay, if it wants one")
        ->envname("DATENWERK_SMTP_USER");
    target->add_option("--smtp-password", c.smtp_password, "Password at the mail relay (better: the environment)")
        ->envname("DATENWERK_SMTP_PASSWORD");
    target->add_option("--ldap-url", c.ldap_url,
                       "The city's directory for sign-in of accounts marked as directory accounts, e.g. "
                       "ldaps://dc1.stadt.local (empty: none)")
        ->envname("DATENWERK_LDAP_URL");
    target->add_option("--ldap-base-dn", c.ldap_base_dn, "Where to look for people, e.g. ou=Mitarbeitende,dc=bochum,dc=de")
        ->envname("DATENWERK_LDAP_BASE_DN");
    target->add_option("--ldap-bind-dn", c.ldap_bind_dn, "Service account for the search (empty: anonymous)")
        ->envname("DATENWERK_LDAP_BIND_DN");
    target->add_option("--ldap-bind-password", c.ldap_bind_password, "Its password (better: the environment)")
        ->envname("DATENWERK_LDAP_BIND_PASSWORD");
    target->add_option("--ldap-filter", c.ldap_filter, "Search filter; %s is the e-mail address")
        ->envname("DATENWERK_LDAP_FILTER")
        ->capture_default_str();
    target->add_flag("--ldap-starttls", c.ldap_start_tls, "Upgrade ldap:// with StartTLS")
        ->envname("DATENWERK_LDAP_STARTTLS");
    target->add_option("--reminder-hour", c.reminder_hour,
                       "Hour (Europe/Berlin) from which the daily reminders of due KPI values go out")
        ->envname("DATENWERK_REMINDER_HOUR")
        ->check(CLI::Range(0, 23))
        ->capture_default_str();
  }
  CLI::App* import = app.add_subcommand(
      "import", "Import (or re-import) the catalogue CSVs; staff-entered values are kept");
  CLI::App* import_sensors = app.add_subcommand(
      "import-sensors",
      "Import published sensor data (Bochum's open data formats: EcoWitt weather stations, "
      "TerraTransfer water loggers, TreeSense tree sensors) as SensorThings entities and "
      "Observations; importing the same files again changes nothing");
  import_sensors->add_option("folder", c.sensor_data_dir,
                             "Folder with data/ENVI/ (e.g. a clone of StadtBochum/OpenData)")
      ->required();
  import_sensors->add_flag("--skip-unreadable", c.skip_unreadable,
                           "Import what can be read even when some rows cannot (they are "
                           "listed); without it, nothing is imported then");
  CLI::App* import_addresses = app.add_subcommand(
      "import-addresses",
      "Import the city's official house coordinates (Hauskoordinaten, HK-DE: 18 fields separated "
      "by semicolons, ETRS89/UTM zone 32) for BürgerEcho's address search; replaces the ones there");
  import_addresses->add_option("file", c.addresses_file, "The HK-DE text file (UTF-8)")->required();
  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Play a simulated sensor fleet (soil moisture, rain, air, a lake probe, glass containers; "
      "marked as simulated) into a running Datenwerk as ChirpStack and The Things Stack uplinks");
  simulate->add_option("--url", c.sim_url, "The Datenwerk server")->capture_default_str();
  simulate->add_option("--key", c.sim_key, "An administrator API key (device profiles need one)")
      ->envname("DATENWERK_SIM_KEY")
      ->required();
  simulate->add_option("--mqtt", c.sim_mqtt, "host:port of an MQTT broker to publish the uplinks to "
                                              "(default: post them to the server's webhooks)");
  simulate->add_option("--backfill-days", c.sim_backfill_days, "Days of history sent first")
      ->check(CLI::Range(0.0, 3660.0))
      ->capture_default_str();
  simulate->add_option("--until", c.sim_until,
                       "End of the back-fill (RFC 3339, e.g. 2026-11-29T12:00:00Z); default now. "
                       "The same seed and span send the same uplinks");
  simulate->add_flag("--live", c.sim_live, "After the back-fill, keep sending in real time");
  simulate->add_option("--seed", c.sim_seed, "The simulated world's seed")->capture_default_str();
  simulate->add_option("--scale", c.sim_scale, "Devices per site and district, times this")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  simulate->add_option("--connections", c.sim_connections, "Parallel connections for the back-fill")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  simulate->add_option("--geo-dir", c.geo_dir, "Folder with places.csv and the district GeoJSON")
      ->capture_default_str();
  CLI::App* apikey = app.add_subcommand("apikey", "Manage API keys for the city's staff");
  apikey->require_subcommand(1);
  CLI::App* create = apikey->add_subcommand("create", "Create a key and print it once");
  create->add_option("--role", c.key_role,
                     "viewer (internal reads), editor (enters data), reviewer (checks and "
                     "publishes) or administrator (keys, devices, retention); admin = administrator")
      ->check(CLI::IsMember({"viewer", "editor", "reviewer", "administrator", "admin"}))
      ->capture_default_str();
  create->add_option("--label", c.key_label, "Who uses the key, e.g. 'Amt für Statistik'")
      ->default_val("editor");

  CLI::App* user = app.add_subcommand("user", "Manage back-office accounts");
  user->require_subcommand(1);
  CLI::App* user_create = user->add_subcommand(
      "create", "Create an account; the password is read from standard input (no echo on a terminal)");
  user_create->add_option("--email", c.user_email, "The sign-in address")->required();
  user_create->add_option("--name", c.user_name, "Shown in the back office and the audit trail (default: the address)");
  user_create->add_option("--role", c.user_role, "viewer, editor, reviewer or administrator")
      ->check(CLI::IsMember({"viewer", "editor", "reviewer", "administrator"}))
      ->capture_default_str();
  user_create->add_option("--scope", c.user_scopes,
                          "A theme or field of action (catalogue id, e.g. NMU or NMU-KK) an editor looks after; "
                          "repeatable");
  user_create->add_flag("--directory", c.user_directory,
                        "Signs in against the city's directory (LDAP) instead of a password");

  CLI::App* migrate = app.add_subcommand(
      "migrate", "Bring the database up to this release (also done at every start): the SQLite files of earlier "
                 "releases are merged into the one database, rows counted and compared before a file is removed");
  CLI::App* copy = app.add_subcommand(
      "copy", "Copy the whole city (every module's tables) from this database into another, empty one, "
              "SQLite to PostgreSQL or back, and compare every row");
  copy->add_option("--to", c.copy_to, "The target: a PostgreSQL conninfo (\"postgresql://…\", \"host=…\") or a SQLite file")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  if (*import) c.command = Command::kImport;
  if (*import_sensors) c.command = Command::kImportSensors;
  if (*import_addresses) c.command = Command::kImportAddresses;
  if (*simulate) c.command = Command::kSimulate;
  if (*user_create) c.command = Command::kUserCreate;
  if (*migrate) c.command = Command::kMigrate;
  if (*copy) c.command = Command::kCopy;
  if (*create) {
    c.command = Command::kApiKeyCreate;
    if (c.key_label.empty()) c.key_label = c.key_role;
  }
  return c;
}

}  // namespace datenwerk::app
