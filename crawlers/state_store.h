// StateStore: the crawl's memory, in one SQLite file (WAL mode).
//
// It holds each source's cursor, every name seen (and each registry identity
// a name has had), MLflow versions and aliases (every model registry's
// version and alias history: lifecycle_history.h), the alerts raised and
// their review verdicts, and a row per run. The schema carries a version
// (PRAGMA user_version); a newer file than this build knows is refused.
//
//   absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open("s.db");
//   PageWrite write;  ... names, alerts, cursor of one page ...
//   absl::StatusOr<PageWriteResult> r = (*store)->Apply(write);  // atomic
//
// The unit of durability is Apply(): a page's names, its alerts and the
// cursor after it commit together or not at all, so a crawler killed at any
// instant (kill -9) resumes from a consistent state. Names are unique per
// (ecosystem, kind, name) and alerts per (ecosystem, candidate, target), so
// replaying a page adds nothing: an alert is raised once, and a pair
// reviewed benign stays quiet in every later run.
//
// Errors name the file: NotFound (no database and create_if_missing off),
// PermissionDenied (read-only file or folder), DataLoss (not a squatguard
// database, or corrupt), FailedPrecondition (written by a newer squatguard),
// Unavailable (locked by another process past busy_timeout),
// ResourceExhausted (disk full).
//
// Thread safety: a StateStore is one SQLite connection; use it from one
// thread at a time. Several processes may share the file (WAL, busy_timeout).
#ifndef SQUATGUARD_CRAWLERS_STATE_STORE_H_
#define SQUATGUARD_CRAWLERS_STATE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "crawlers/source.h"
#include "squatguard/finding.h"

struct sqlite3;

namespace squatguard {
namespace crawlers {

// 1: the crawl tables; 2: adds name_states and campaigns (namespace reuse,
// campaign grouping). Opening an older file upgrades it.
inline constexpr int kStateSchemaVersion = 2;

struct StoreOptions {
  bool create_if_missing = true;
  absl::Duration busy_timeout = absl::Seconds(10);
};

// An alert as stored.
struct StoredAlert {
  int64_t id = 0;
  Finding finding;
  std::string status = "new";  // "new" until reviewed, then "reviewed"
  std::string verdict;         // "", "benign" or "malicious"
  std::string note;
  std::string source;          // the crawl source that raised it, or "rescan"
  int64_t first_seen = 0;      // unix seconds
  std::optional<int64_t> reviewed_at;
};

// What an alert adds to its Finding in listings, in this order: id, status,
// verdict, note, source, first_seen (RFC 3339 UTC, "2024-05-24T12:00:00Z").
std::vector<std::pair<std::string, std::string>> AlertFields(
    const StoredAlert& alert);

// Unix seconds as RFC 3339 UTC.
std::string FormatUnixTime(int64_t seconds);

class SqlStatement;
// An alert's id, finding and first_seen from the first 11 columns of `row`,
// in the alerts table's order: id, candidate, ecosystem, target,
// target_kind, score, severity, techniques, distance, explanation,
// first_seen. For every query that reads alerts (listings, campaigns).
StoredAlert ReadAlertFinding(const SqlStatement& row);

// A stored name, for rescans.
struct StoredName {
  int64_t id = 0;
  SeenName seen;
};

// Counters a page adds to its run's row.
struct RunCounts {
  int64_t pages = 0;
  int64_t names_fetched = 0;
  int64_t new_names = 0;
  int64_t new_alerts = 0;
  int64_t errors = 0;
  int64_t rescanned = 0;
};

// Everything one page changes, applied in one transaction.
struct PageWrite {
  std::string source;
  int64_t run_id = 0;  // 0: no run row to update
  int64_t now = 0;     // unix seconds, for first_seen
  std::optional<std::string> cursor;  // set: becomes the source's cursor
  std::vector<SeenName> names;
  std::vector<SeenModelVersion> versions;
  std::vector<SeenAlias> aliases;
  std::vector<Finding> alerts;
  RunCounts counts;
  std::vector<std::pair<std::string, std::string>> meta;  // key, value
  // Steps of modules with tables of their own (lifecycle_history.cc), run
  // inside the page's transaction after its rows: a failure rolls the whole
  // page back.
  std::vector<std::function<absl::Status()>> also;
};

struct PageWriteResult {
  int64_t new_names = 0;
  std::vector<StoredAlert> new_alerts;  // only pairs never alerted before
};

struct AlertFilter {
  std::optional<int64_t> since;    // first_seen >= since (unix seconds)
  std::string status;              // "", "new", "reviewed", "benign", "malicious"
  double min_score = 0;
  std::string ecosystem;           // "" or an EcosystemName
  std::optional<int64_t> run_id;   // raised by this run
};

struct RunRecord {
  int64_t id = 0;
  std::string source;
  int64_t started_at = 0;
  std::optional<int64_t> ended_at;
  RunCounts counts;
  std::string status;  // "running", "ok", "failed" (a killed run stays "running")
  std::string error;
};

class StateStore {
 public:
  static absl::StatusOr<std::unique_ptr<StateStore>> Open(
      const std::string& path, const StoreOptions& options = {});
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::string& path() const { return path_; }

  // The stored cursor of `source`, "" when it has none yet.
  absl::StatusOr<std::string> GetCursor(absl::string_view source);

  // A meta value ("" when absent).
  absl::StatusOr<std::string> GetMeta(absl::string_view key);

  // For each name, whether (ecosystem, kind, name) is already stored.
  absl::StatusOr<std::vector<bool>> Known(const std::vector<SeenName>& names);

  // Applies `write` atomically (BEGIN IMMEDIATE ... COMMIT).
  absl::StatusOr<PageWriteResult> Apply(const PageWrite& write);

  // Up to `limit` stored names with id > after_id, by id.
  absl::StatusOr<std::vector<StoredName>> NamesAfter(int64_t after_id, int limit);
  absl::StatusOr<int64_t> NameCount();

  // Run rows: BeginRun commits a "running" row and returns its id.
  absl::StatusOr<int64_t> BeginRun(absl::string_view source, int64_t now);
  absl::Status FinishRun(int64_t run_id, int64_t now, absl::string_view status,
                         absl::string_view error);
  absl::StatusOr<RunRecord> GetRun(int64_t run_id);

  // The SQLite connection, for the modules that keep their own tables in
  // this file (namespace_reuse.cc, campaigns.cc); same thread rules.
  sqlite3* connection() { return db_; }
  // An error for SQLite result `code`, in the words Open's errors use.
  absl::Status SqliteError(int code, absl::string_view what) const {
    return Error(code, what);
  }

  // Alerts matching `filter`, oldest first.
  absl::StatusOr<std::vector<StoredAlert>> ListAlerts(const AlertFilter& filter);
  // NotFound naming the id when there is no such alert.
  absl::StatusOr<StoredAlert> GetAlert(int64_t id);
  // Records a verdict ("benign" or "malicious") and optional note.
  absl::StatusOr<StoredAlert> Review(int64_t id, absl::string_view verdict,
                                     absl::string_view note, int64_t now);

 private:
  StateStore(sqlite3* db, std::string path);
  absl::Status Exec(const char* sql);
  absl::Status Error(int code, absl::string_view what) const;
  absl::Status InitSchema();

  sqlite3* db_;
  std::string path_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_STATE_STORE_H_
