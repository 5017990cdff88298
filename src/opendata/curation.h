// What administrators decide about the published datasets: a dataset's title, description,
// keywords, and above all its licence. The city's own datasets (the strategy, its KPIs) are
// published only once a licence is set, for the dataset or as the default for all of them
// (dataset id kDefaults); the sensor data carries the licence of its source (CC0) unless one is
// set here. Stored in the deployment's one database (SQLite or PostgreSQL, the same statements);
// read from a copy in memory that a change replaces after its commit. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/thread_annotations.h"
#include "store/sql_connection.h"

namespace datenwerk::opendata {

inline constexpr char kDefaults[] = "standard";  // the defaults of the city's own datasets

struct Curation {
  std::string dataset_id;   // a dataset's id ("kennzahl-…", "station-12") or kDefaults
  std::string title;        // empty: the generated one
  std::string description;  // empty: the generated one
  std::vector<std::string> keywords;  // empty: the generated ones
  std::string license;      // an IRI of the DCAT-AP.de licence list; empty: none set
  std::string attribution;  // the name the licence asks users to give ("Stadt Bochum")
  std::string changed_at;   // RFC 3339, set by the store
};

// The licences an administrator may choose: (IRI, German name) of the DCAT-AP.de list's open
// licences that fit data.
const std::vector<std::pair<std::string, std::string>>& ChoosableLicenses();

// Checks a curation before it is stored: known licence, lengths, no control characters. The
// error names the field ("license", "keywords[2]").
Status Validate(const Curation& curation);

class CurationStore {
 public:
  // Creates the table when missing. Borrows `db`, which must outlive the store.
  static Result<std::unique_ptr<CurationStore>> Open(sql::Connection& db);

  // Every curation by dataset id.
  std::shared_ptr<const std::map<std::string, Curation>> All() const;
  // Changes with every stored change (for caches of what the curation decides).
  uint64_t Version() const;
  // Validates and stores (replacing the dataset's earlier one) in one transaction, which
  // `also` (e.g. the audit entry, through the same connection) joins; its failure undoes both.
  Status Put(Curation curation, const std::string& now_utc, const std::function<Status()>& also = {});

  explicit CurationStore(sql::Connection& db) : db_(db) {}

 private:
  Status Load();
  sql::Connection& db_;
  mutable Mutex mu_;
  std::shared_ptr<const std::map<std::string, Curation>> all_ GUARDED_BY(mu_);
  uint64_t version_ GUARDED_BY(mu_) = 0;
};

}  // namespace datenwerk::opendata
