#include "store/sqlite_db.h"

namespace datenwerk::sqlite {

namespace {
// What a failed call means for the client: a full disk (nothing was written) or a locked
// database (try again) are not bugs; the detail stays in the message for the log.
ErrorCode CodeFor(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_FULL: return ErrorCode::kStorageFull;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR: return ErrorCode::kUnavailable;
    default: return ErrorCode::kInternal;
  }
}

Status Described(ErrorCode code, std::string detail) {
  switch (code) {
    case ErrorCode::kStorageFull:
      return Status(code, "the disk is full", "database").WithDetail(std::move(detail));
    case ErrorCode::kUnavailable:
      return Unavailable("the database is busy; send again shortly", "database")
          .WithDetail(std::move(detail));
    default: return Internal(std::move(detail));
  }
}

Status SqlError(sqlite3* db, std::string_view what) {
  return Described(CodeFor(sqlite3_extended_errcode(db)),
                   std::string(what) + ": " + sqlite3_errmsg(db));
}
}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    status_ = SqlError(db, "prepare");
  }
  stmt_.reset(raw);
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (stmt_) sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                               SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t number) {
  if (stmt_) sqlite3_bind_int64(stmt_.get(), index, number);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<double> number) {
  if (!stmt_) return *this;
  if (number) {
    sqlite3_bind_double(stmt_.get(), index, *number);
  } else {
    sqlite3_bind_null(stmt_.get(), index);
  }
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (stmt_) sqlite3_bind_blob(stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()),
                               SQLITE_TRANSIENT);
  return *this;
}

void Statement::Reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::string_view Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_.get(), column);
  if (!data) return {};
  return {static_cast<const char*>(data),
          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))};
}

bool Statement::Step() {
  if (!stmt_ || !status_.ok()) return false;
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqlError(db_, "step");
  return false;
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

std::optional<double> Statement::Real(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(stmt_.get(), column);
}

Status Exec(sqlite3* db, std::string_view sql) {
  std::string owned(sql);
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db, owned.c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    Status s = Described(CodeFor(rc), std::string("exec: ") + (error ? error : "unknown error"));
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

Result<DbHandle> Open(const std::string& path, std::string_view what, bool read_only,
                      int threading) {
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | threading, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    return Internal("cannot open " + std::string(what) + " '" + path + "': " +
                    (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  for (const char* pragma : {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL",
                             "PRAGMA synchronous=FULL"}) {
    if (auto s = Exec(db.get(), pragma); !s.ok()) return s;
    if (read_only) break;
  }
  return db;
}

Transaction::Transaction(sqlite3* db) : db_(db), begin_(Exec(db, "BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (begin_.ok() && !done_) IgnoreError(Exec(db_, "ROLLBACK"));  // a failed ROLLBACK ends it too
}

Status Transaction::Commit() {
  if (!begin_.ok()) return begin_;
  Status s = Exec(db_, "COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace datenwerk::sqlite
