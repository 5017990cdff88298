// The audit trail: every write to the back office and the API (values, targets, statuses, texts,
// accounts, keys, settings, sign-ins and failed sign-ins) as one entry: who, when, from where,
// what, before and after. Append-only (the tables refuse UPDATE and DELETE by trigger) and
// chained: each entry's hash covers the previous entry's hash, so a changed or removed entry
// breaks Verify(). Thread-safe: the connection serialises; Append takes the chain's head and
// writes in one transaction, joining a transaction the caller has open on this thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::audit {

struct Entry {
  int64_t seq = 0;      // 1, 2, 3, … without gaps
  int64_t at_ms = 0;    // Unix milliseconds
  std::string actor;    // "konto:3 anna@bochum.de", "schluessel:2 Amt für Statistik", "system"
  std::string from;     // client address, "" for the command line
  std::string action;   // e.g. "anmeldung", "anmeldung_fehlgeschlagen", "wert.entwurf"
  std::string object;   // e.g. "kpi:SCBOK-ZI-NI-K1.1/wert:12"
  std::string before;   // JSON text or ""
  std::string after;    // JSON text or ""
  std::string hash;     // hex SHA-256 over the previous hash and the fields above
};

struct Filter {
  std::string actor;   // substring
  std::string action;  // exact; "" for all
  std::string object;  // prefix
  std::optional<int64_t> from_ms, to_ms;
  int64_t limit = 100, offset = 0;
};

// What Verify found: `ok`, or the first entry whose hash or sequence does not fit.
struct Verification {
  bool ok = true;
  int64_t entries = 0;
  int64_t first_broken_seq = 0;
};

class AuditLog {
 public:
  // Creates the tables when missing. Borrows the connection, which must outlive the log.
  static Result<std::unique_ptr<AuditLog>> Open(sql::Connection& db);
  explicit AuditLog(sql::Connection& db) : db_(db) {}

  // Fills seq and hash; returns the stored entry.
  Result<Entry> Append(Entry entry);
  // The same inside the caller's write transaction `tx` (on the log's database): the entry is
  // committed, or undone, with the change it records.
  static Result<Entry> Append(sql::Tx& tx, Entry entry);
  // Newest first.
  Result<std::vector<Entry>> Find(const Filter& filter);
  Result<int64_t> Count(const Filter& filter);
  // Re-computes the chain from the first entry.
  Result<Verification> Verify();

 private:
  sql::Connection& db_;
};

// The hash of `entry` after `previous_hash` (pure; exposed for tests).
std::string ChainHash(const std::string& previous_hash, const Entry& entry);

}  // namespace datenwerk::audit
