#include "app/database.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "accounts/account_store.h"
#include "alerts/alert_store.h"
#include "audit/audit_log.h"
#include "cluster/leases.h"
#include "mail/outbox.h"
#include "echo/addresses.h"
#include "echo/office_areas.h"
#include "echo/rate_limit.h"
#include "echo/report_store.h"
#include "echo/subscription_store.h"
#include "opendata/curation.h"
#include "review/review_store.h"
#include "sensors/device_registry.h"
#include "series/observation_store.h"
#include "sta/tiered_store.h"
#include "store/catalogue_store.h"
#include "store/legacy_files.h"
#include "store/table_copy.h"

namespace datenwerk::app {

namespace {

// What a city on PostgreSQL kept in local files before the one database.
constexpr const char* kLocalFilesOfPostgresCities[] = {"observations.db", "devices.db"};

std::vector<TableCopy> SameNames(const std::vector<std::string>& tables) {
  std::vector<TableCopy> out;
  for (const std::string& t : tables) out.push_back({t, t});
  return out;
}

// Copies a local file's tables into PostgreSQL in one transaction that also compares every row
// and records the file; removes the file after the commit. A file recorded before (the process
// stopped before removing it) is only checked and removed.
Status MergeIntoPostgres(const std::string& path, const std::string& file, sql::Connection& db) {
  auto legacy = sql::OpenSqlite(path, file);
  if (!legacy.ok()) return legacy.status();
  auto tables = ListTables(**legacy);
  if (!tables.ok()) return tables.status();
  const std::vector<TableCopy> copies = SameNames(*tables);
  int64_t rows = 0;
  bool copied = false;
  Status s = db.Write([&](sql::Tx& tx) -> Status {
    auto done = tx.Query("SELECT 1 FROM datenwerk_migration WHERE file = $1", {file});
    if (!done.ok()) return done.status();
    if (!done->empty()) {
      for (const TableCopy& t : copies) {
        auto here = tx.Query("SELECT COUNT(*) FROM " + t.to);
        auto there = (*legacy)->ReadOne("SELECT COUNT(*) FROM " + t.from);
        if (!here.ok()) return here.status();
        if (!there.ok()) return there.status();
        if (here->front().Int(0) < there->front().Int(0)) {
          return Internal(file + " was merged, but table " + t.from + " has more rows there; the file is kept");
        }
      }
      return Status::Ok();
    }
    auto reports = CopyTables(**legacy, db, tx, copies);
    if (!reports.ok()) return reports.status();
    if (Status c = CompareTables(db, tx, copies, *reports); !c.ok()) return c;
    for (const TableReport& r : *reports) rows += r.rows;
    copied = true;
    return tx.Query("INSERT INTO datenwerk_migration (file, tables, rows) VALUES ($1, $2, $3)",
                    {file, static_cast<int64_t>(copies.size()), rows})
        .status();
  });
  if (!s.ok()) return s;
  legacy->reset();
  if (Status removed = RemoveDatabaseFile(path); !removed.ok()) return removed;
  if (copied) {
    spdlog::info("copied {} into PostgreSQL: {} tables, {} rows, every row compared; the file is removed", file,
                 copies.size(), rows);
  }
  return Status::Ok();
}

Status MergeLocalFilesIntoPostgres(const std::string& data_dir, sql::Connection& db) {
  bool any = false;
  for (const char* file : kLocalFilesOfPostgresCities) any = any || std::filesystem::exists(data_dir + "/" + file);
  if (!any) return Status::Ok();
  if (Status s = CreateAllTables(db); !s.ok()) return s;
  if (Status s = db.Write([](sql::Tx& tx) {
        return tx.Exec("CREATE TABLE IF NOT EXISTS datenwerk_migration (file TEXT PRIMARY KEY, tables BIGINT NOT NULL, "
                       "rows BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now())");
      });
      !s.ok()) {
    return s;
  }
  for (const char* file : kLocalFilesOfPostgresCities) {
    const std::string path = data_dir + "/" + file;
    if (!std::filesystem::exists(path)) continue;
    if (Status s = MergeIntoPostgres(path, file, db); !s.ok()) {
      return Status(s.code(), file + std::string(": ") + s.message(), file);
    }
  }
  return Status::Ok();
}

}  // namespace

std::unique_ptr<sql::Connection> OpenDatabase(const Config& config) {
  std::error_code ec;
  if (config.database.empty()) std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data directory {}: {}", config.data_dir, ec.message());
    return nullptr;
  }
  auto db = config.database.empty() ? sql::OpenSqlite(config.data_dir + "/datenwerk.db", "database")
                                    : sql::OpenPostgres(config.database);
  if (!db.ok()) {
    spdlog::error("{}", db.status().message());
    return nullptr;
  }
  if (!config.database.empty()) {
    if (Status s = MergeLocalFilesIntoPostgres(config.data_dir, **db); !s.ok()) {
      spdlog::error("cannot copy the local files of the earlier release into PostgreSQL (they are kept): {}",
                    s.message());
      return nullptr;
    }
    return std::move(db).value();
  }
  auto merged = MergeLegacyFiles(config.data_dir, **db, LegacyFilesOfOneDatabase());
  if (!merged.ok()) {
    spdlog::error("cannot merge the files of the earlier release into datenwerk.db: {}", merged.status().message());
    return nullptr;
  }
  for (const MergeReport& m : *merged) {
    spdlog::info("merged {} into datenwerk.db: {} tables, {} rows, counts compared; the file is removed", m.file,
                 m.tables, m.rows);
  }
  return std::move(db).value();
}

Status CreateAllTables(sql::Connection& db) {
  Status first;
  auto note = [&](const Status& s) {
    if (first.ok() && !s.ok()) first = s;
  };
  note(OpenCatalogueStore(db).status());
  auto series = series::OpenObservationStore(db);
  note(series.status());
  if (series.ok()) note(sta::MakeTieredEntityStore(**series).status());
  note(alerts::AlertStore::Open(db).status());
  note(audit::AuditLog::Open(db).status());
  note(accounts::AccountStore::Open(db).status());
  note(review::ReviewStore::Open(db).status());
  note(mail::Outbox::Open(db).status());
  note(sensors::OpenDeviceRegistry(db).status());
  note(opendata::CurationStore::Open(db).status());
  note(echo::ReportStore::Open(db).status());
  note(echo::AddressStore::Open(db).status());
  note(echo::SubscriptionStore::Open(db).status());
  note(echo::OfficeAreaStore::Open(db).status());
  note(cluster::LeaseTable::Open(db).status());
  note(echo::RateLimiter::OpenTable(db));
  return first;
}

int Migrate(const Config& config) {
  auto db = OpenDatabase(config);
  if (!db) return 1;
  if (Status s = CreateAllTables(*db); !s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  spdlog::info("the database is up to date");
  return 0;
}

int CopyDatabase(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  auto source = OpenDatabase(config);
  if (!source) return 1;
  if (Status s = CreateAllTables(*source); !s.ok()) {
    spdlog::error("source: {}", s.message());
    return 1;
  }
  auto target = sql::Open(config.copy_to, "target");
  if (!target.ok()) {
    spdlog::error("target: {}", target.status().message());
    return 1;
  }
  if (Status s = CreateAllTables(**target); !s.ok()) {
    spdlog::error("target: {}", s.message());
    return 1;
  }
  auto tables = ListTables(*source);
  if (!tables.ok()) {
    spdlog::error("source: {}", tables.status().message());
    return 1;
  }
  const std::vector<TableCopy> copies = SameNames(*tables);
  std::vector<TableReport> reports;
  Status s = (*target)->Write([&](sql::Tx& tx) -> Status {
    auto copied = CopyTables(*source, **target, tx, copies);
    if (!copied.ok()) return copied.status();
    reports = std::move(copied).value();
    return CompareTables(**target, tx, copies, reports);
  });
  if (s.ok()) {
    // Once more as anyone reads it now, after the commit.
    s = (*target)->Read([&](sql::Tx& tx) { return CompareTables(**target, tx, copies, reports); });
  }
  if (!s.ok()) {
    spdlog::error("nothing copied: {}", s.message());
    return 1;
  }
  int64_t rows = 0;
  for (const TableReport& r : reports) {
    rows += r.rows;
    std::fprintf(stderr, "%-24s %12lld Zeilen\n", r.table.c_str(), static_cast<long long>(r.rows));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "%zu Tabellen, %lld Zeilen kopiert und Zeile für Zeile verglichen in %.1f s.\n",
               reports.size(), static_cast<long long>(rows), seconds);
  return 0;
}

}  // namespace datenwerk::app
