// SqlStatement and SqlTransaction: RAII over the SQLite C API, shared by the
// state store and the modules that keep their own tables in the crawl state
// (namespace_reuse.cc, campaigns.cc, lifecycle_history.cc).
//
//   SqlStatement q(store.connection(), "SELECT state FROM name_states WHERE name = ?");
//   q.Bind(1, name);
//   while (q.Step() == SQLITE_ROW) Use(q.Text(0));
//   if (q.status() != SQLITE_DONE) return store.SqliteError(q.status(), "reading");
//
// Internal to crawlers/: include only from .cc files (it pulls in sqlite3.h).
#ifndef SQUATGUARD_CRAWLERS_SQL_STATEMENT_H_
#define SQUATGUARD_CRAWLERS_SQL_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace crawlers {

class SqlStatement {
 public:
  SqlStatement(sqlite3* db, const char* sql) {
    status_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~SqlStatement() { sqlite3_finalize(stmt_); }
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;

  // SQLITE_OK after a good prepare; then the last Step()'s result.
  int status() const { return status_; }
  bool prepared() const { return stmt_ != nullptr; }

  void Bind(int i, absl::string_view text) {
    // A null data() binds SQL NULL; "" must stay an empty string.
    sqlite3_bind_text(stmt_, i, text.data() != nullptr ? text.data() : "",
                      static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, const char* text) { Bind(i, absl::string_view(text)); }
  void Bind(int i, const std::string& text) { Bind(i, absl::string_view(text)); }
  void Bind(int i, int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  void Bind(int i, double value) { sqlite3_bind_double(stmt_, i, value); }
  void Bind(int i, const std::optional<int64_t>& value) {
    if (value) {
      sqlite3_bind_int64(stmt_, i, *value);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }

  // SQLITE_ROW, SQLITE_DONE or an error code (also kept in status()).
  int Step() {
    if (stmt_ == nullptr) return status_;
    status_ = sqlite3_step(stmt_);
    return status_;
  }
  // True when the statement ran to its end without error.
  bool Done() const { return status_ == SQLITE_DONE; }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::optional<int64_t> OptionalInt(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Int(col);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int status_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless committed.
class SqlTransaction {
 public:
  explicit SqlTransaction(sqlite3* db) : db_(db) {}
  ~SqlTransaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;

  int Begin() {
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    open_ = rc == SQLITE_OK;
    return rc;
  }
  int Commit() {
    int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) open_ = false;
    return rc;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_SQL_STATEMENT_H_
