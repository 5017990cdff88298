#include "opendata/curation.h"

#include <algorithm>

#include "core/utf8.h"

namespace datenwerk::opendata {

namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS open_data_curation (dataset_id TEXT PRIMARY KEY, title TEXT NOT NULL, "
    "description TEXT NOT NULL, keywords TEXT NOT NULL, license TEXT NOT NULL, attribution TEXT NOT NULL, "
    "changed_at TEXT NOT NULL)";

constexpr size_t kMaxKeywords = 20;
constexpr char kKeywordSeparator = '\x1f';  // never in a keyword (control characters are refused)

Status CheckText(const std::string& text, size_t max_bytes, const std::string& field) {
  if (text.size() > max_bytes) return InvalidArgument("must be at most " + std::to_string(max_bytes) + " bytes", field);
  if (!IsUtf8(text)) return InvalidArgument("must be UTF-8", field);
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') return InvalidArgument("must not hold control characters", field);
  }
  return Status::Ok();
}

std::string JoinKeywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const std::string& k : keywords) out += (out.empty() ? "" : std::string(1, kKeywordSeparator)) + k;
  return out;
}

std::vector<std::string> SplitKeywords(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find(kKeywordSeparator, at), text.size());
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& ChoosableLicenses() {
  static const std::vector<std::pair<std::string, std::string>> kLicenses = {
      {"http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"},
      {"http://dcat-ap.de/def/licenses/dl-by-de/2.0", "Datenlizenz Deutschland Namensnennung 2.0"},
      {"http://dcat-ap.de/def/licenses/cc-zero", "Creative Commons CC Zero License (cc-zero)"},
      {"http://dcat-ap.de/def/licenses/cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"},
      {"http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
       "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International (CC-BY-SA 4.0)"},
      {"http://dcat-ap.de/def/licenses/odbl", "Open Data Commons Open Database License (ODbL)"},
  };
  return kLicenses;
}

Status Validate(const Curation& c) {
  if (c.dataset_id.empty() || c.dataset_id.size() > 200) return InvalidArgument("must name a dataset", "dataset");
  if (!c.license.empty()) {
    const auto& known = ChoosableLicenses();
    if (std::none_of(known.begin(), known.end(), [&](const auto& l) { return l.first == c.license; })) {
      return InvalidArgument("must be one of the DCAT-AP.de licences offered", "license");
    }
  }
  if (Status s = CheckText(c.title, 200, "title"); !s.ok()) return s;
  if (Status s = CheckText(c.description, 4000, "description"); !s.ok()) return s;
  if (Status s = CheckText(c.attribution, 300, "attribution"); !s.ok()) return s;
  if (c.keywords.size() > kMaxKeywords) return InvalidArgument("at most 20 keywords", "keywords");
  for (size_t i = 0; i < c.keywords.size(); ++i) {
    const std::string field = "keywords[" + std::to_string(i) + "]";
    if (c.keywords[i].empty()) return InvalidArgument("must not be empty", field);
    if (c.keywords[i].find('\n') != std::string::npos) return InvalidArgument("must be one line", field);
    if (Status s = CheckText(c.keywords[i], 60, field); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::unique_ptr<CurationStore>> CurationStore::Open(sql::Connection& db) {
  if (Status s = db.Write([](sql::Tx& tx) { return tx.Exec(kSchema); }); !s.ok()) return s;
  auto store = std::make_unique<CurationStore>(db);
  if (Status s = store->Load(); !s.ok()) return s;
  return store;
}

Status CurationStore::Load() {
  auto rows = sql::ReadQuery(db_, "SELECT dataset_id, title, description, keywords, license, attribution, changed_at "
                                  "FROM open_data_curation");
  if (!rows.ok()) return rows.status();
  auto all = std::make_shared<std::map<std::string, Curation>>();
  for (const sql::Row& r : *rows) {
    (*all)[r.Text(0)] = Curation{r.Text(0), r.Text(1), r.Text(2), SplitKeywords(r.Text(3)), r.Text(4), r.Text(5), r.Text(6)};
  }
  MutexLock lock(mu_);
  all_ = std::move(all);
  return Status::Ok();
}

std::shared_ptr<const std::map<std::string, Curation>> CurationStore::All() const {
  MutexLock lock(mu_);
  return all_;
}

uint64_t CurationStore::Version() const {
  MutexLock lock(mu_);
  return version_;
}

Status CurationStore::Put(Curation c, const std::string& now_utc, const std::function<Status()>& also) {
  if (Status s = Validate(c); !s.ok()) return s;
  c.changed_at = now_utc;
  // The copy in memory changes in commit order (`after` runs before any later write begins).
  return db_.Write([&](sql::Tx& tx) -> Status {
    if (also) {
      if (Status s = also(); !s.ok()) return s;
    }
    return tx.Change("INSERT INTO open_data_curation (dataset_id, title, description, keywords, license, attribution, changed_at) "
                     "VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (dataset_id) DO UPDATE SET title=excluded.title, "
                     "description=excluded.description, keywords=excluded.keywords, license=excluded.license, "
                     "attribution=excluded.attribution, changed_at=excluded.changed_at",
                     {c.dataset_id, c.title, c.description, JoinKeywords(c.keywords), c.license, c.attribution, c.changed_at})
        .status();
  }, [&](const Status& committed) {
    if (!committed.ok()) return;
    MutexLock lock(mu_);
    auto next = std::make_shared<std::map<std::string, Curation>>(*all_);
    (*next)[c.dataset_id] = c;
    all_ = std::move(next);
    ++version_;
  });
}

}  // namespace datenwerk::opendata
