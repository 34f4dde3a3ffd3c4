#include "crawlers/state_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "crawlers/sql_statement.h"

namespace squatguard {
namespace crawlers {
namespace {

// Version 1. Times are unix seconds. Text columns are never NULL where ""
// means "unknown", so UNIQUE constraints hold (NULLs never collide).
constexpr char kSchema[] = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE sources (
  source     TEXT PRIMARY KEY,
  cursor     TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  pages         INTEGER NOT NULL DEFAULT 0,
  names_fetched INTEGER NOT NULL DEFAULT 0,
  new_names     INTEGER NOT NULL DEFAULT 0,
  new_alerts    INTEGER NOT NULL DEFAULT 0,
  errors        INTEGER NOT NULL DEFAULT 0,
  rescanned     INTEGER NOT NULL DEFAULT 0,
  status        TEXT NOT NULL DEFAULT 'running',
  error         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE names (
  id         INTEGER PRIMARY KEY,
  ecosystem  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  account    TEXT NOT NULL,
  created_at INTEGER,
  first_seen INTEGER NOT NULL,
  source     TEXT NOT NULL,
  run_id     INTEGER,
  record     TEXT NOT NULL,
  UNIQUE (ecosystem, kind, name)
);
-- Every registry identity a name has had (Hugging Face "_id"): a name that
-- reappears with a new identity was deleted and registered again.
CREATE TABLE name_identities (
  id          INTEGER PRIMARY KEY,
  ecosystem   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  registry_id TEXT NOT NULL,
  account     TEXT NOT NULL,
  created_at  INTEGER,
  first_seen  INTEGER NOT NULL,
  source      TEXT NOT NULL,
  record      TEXT NOT NULL,
  UNIQUE (ecosystem, kind, name, registry_id)
);
CREATE TABLE model_versions (
  id         INTEGER PRIMARY KEY,
  model      TEXT NOT NULL,
  version    TEXT NOT NULL,
  created_at INTEGER,
  status     TEXT NOT NULL,
  stage      TEXT NOT NULL,
  run_id     TEXT NOT NULL,
  source_uri TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  record     TEXT NOT NULL,
  UNIQUE (model, version)
);
-- Alias history: one row per (alias, version) pairing ever seen.
CREATE TABLE model_aliases (
  id         INTEGER PRIMARY KEY,
  model      TEXT NOT NULL,
  alias      TEXT NOT NULL,
  version    TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  UNIQUE (model, alias, version)
);
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  candidate   TEXT NOT NULL,
  ecosystem   TEXT NOT NULL,
  target      TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  score       REAL NOT NULL,
  severity    TEXT NOT NULL,
  techniques  TEXT NOT NULL,
  distance    INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  first_seen  INTEGER NOT NULL,
  source      TEXT NOT NULL,
  run_id      INTEGER,
  status      TEXT NOT NULL DEFAULT 'new',
  verdict     TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  reviewed_at INTEGER,
  UNIQUE (ecosystem, candidate, target)
);
CREATE INDEX alerts_first_seen ON alerts (first_seen);
)sql";

// Version 2 adds tables only (IF NOT EXISTS: a step that a kill interrupted
// runs again). namespace_reuse.cc and campaigns.cc own them.
constexpr char kSchemaV2[] = R"sql(
-- What the last check of a stored name found: 'live', 'gone' (a tombstone:
-- the registry answered 404) or 'moved' (it redirects to another name).
-- Names without a row were never checked and count as live.
CREATE TABLE IF NOT EXISTS name_states (
  ecosystem  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  checked_at INTEGER NOT NULL,
  detail     TEXT NOT NULL,
  PRIMARY KEY (ecosystem, kind, name)
);
-- Names by name alone: an org's repos ("org/" .. "org0") and the account of
-- an alert's candidate.
CREATE INDEX IF NOT EXISTS names_by_name ON names (name);
-- A campaign is stored as an alert (technique 'campaign'); these rows say
-- which group it is and which alerts are its members.
CREATE TABLE IF NOT EXISTS campaigns (
  alert_id   INTEGER PRIMARY KEY,
  grouping   TEXT NOT NULL,
  group_key  TEXT NOT NULL,
  first_time INTEGER NOT NULL,
  last_time  INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_members (
  campaign_id INTEGER NOT NULL,
  alert_id    INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, alert_id)
);
CREATE INDEX IF NOT EXISTS campaigns_by_group ON campaigns (grouping, group_key);
)sql";

constexpr char kAlertColumns[] =
    "id, candidate, ecosystem, target, target_kind, score, severity, "
    "techniques, distance, explanation, first_seen, source, status, verdict, "
    "note, reviewed_at";


std::string JoinTechniques(const std::vector<Technique>& techniques) {
  return absl::StrJoin(techniques, ",", [](std::string* out, Technique t) {
    absl::StrAppend(out, TechniqueName(t));
  });
}

StoredAlert ReadAlert(const SqlStatement& s) {
  StoredAlert a = ReadAlertFinding(s);
  a.source = s.Text(11);
  a.status = s.Text(12);
  a.verdict = s.Text(13);
  a.note = s.Text(14);
  a.reviewed_at = s.OptionalInt(15);
  return a;
}

}  // namespace

StoredAlert ReadAlertFinding(const SqlStatement& row) {
  StoredAlert a;
  a.id = row.Int(0);
  a.finding.candidate = row.Text(1);
  a.finding.ecosystem = ParseEcosystem(row.Text(2)).value_or(Ecosystem::kAny);
  a.finding.target = row.Text(3);
  a.finding.target_kind = ParseEntryKind(row.Text(4)).value_or(EntryKind::kPackage);
  a.finding.score = row.Real(5);
  a.finding.severity = ParseSeverity(row.Text(6)).value_or(Severity::kLow);
  for (absl::string_view word : absl::StrSplit(row.Text(7), ',', absl::SkipEmpty())) {
    if (auto t = ParseTechnique(word)) a.finding.techniques.push_back(*t);
  }
  a.finding.distance = static_cast<int>(row.Int(8));
  a.finding.explanation = row.Text(9);
  a.first_seen = row.Int(10);
  return a;
}

std::string FormatUnixTime(int64_t seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

std::vector<std::pair<std::string, std::string>> AlertFields(
    const StoredAlert& alert) {
  return {{"id", absl::StrCat(alert.id)},
          {"status", alert.status},
          {"verdict", alert.verdict},
          {"note", alert.note},
          {"source", alert.source},
          {"first_seen", FormatUnixTime(alert.first_seen)}};
}

StateStore::StateStore(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {}

StateStore::~StateStore() { sqlite3_close_v2(db_); }

absl::Status StateStore::Error(int code, absl::string_view what) const {
  const char* detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  std::string message =
      absl::StrCat("database '", path_, "': ", what, ": ", detail);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(absl::StrCat(
          message, " (another squatguard may be using it; try again later)"));
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return absl::PermissionDeniedError(
          absl::StrCat(message, " (the file or its folder is read-only)"));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::DataLossError(absl::StrCat(
          message, " (not a squatguard database, or damaged)"));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CANTOPEN:
      return absl::NotFoundError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status StateStore::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, sql);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<StateStore>> StateStore::Open(
    const std::string& path, const StoreOptions& options) {
  if (!options.create_if_missing) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(
          "no database at '", path,
          "' (a crawl creates it; pass --db to use another file)"));
    }
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
              (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<StateStore> store(new StateStore(db, path));
  if (rc != SQLITE_OK) return store->Error(rc, "cannot open");
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(
      db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  absl::Status init = store->InitSchema();
  if (!init.ok()) return init;
  return store;
}

absl::Status StateStore::InitSchema() {
  // journal_mode reads the file first, so a non-database fails here.
  {
    SqlStatement wal(db_, "PRAGMA journal_mode=WAL");
    if (wal.status() != SQLITE_OK) return Error(wal.status(), "open");
    int rc = wal.Step();
    if (rc != SQLITE_ROW) return Error(rc, "switching to WAL");
  }
  // NORMAL in WAL mode: a killed process loses nothing committed; only a
  // power loss may drop the last transactions, never corrupt the file.
  absl::Status s = Exec("PRAGMA synchronous=NORMAL");
  if (!s.ok()) return s;
  s = Exec("PRAGMA foreign_keys=ON");
  if (!s.ok()) return s;

  SqlTransaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return Error(rc, "starting a transaction");
  int64_t version = 0;
  {
    SqlStatement q(db_, "PRAGMA user_version");
    if (q.Step() == SQLITE_ROW) version = q.Int(0);
  }
  if (version > kStateSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database '", path_, "' has schema version ", version,
        "; this squatguard knows up to ", kStateSchemaVersion,
        " (upgrade squatguard)"));
  }
  if (version == kStateSchemaVersion) return absl::OkStatus();
  if (version == 0) {
    int64_t tables = 0;
    {
      SqlStatement q(db_, "SELECT count(*) FROM sqlite_schema WHERE type='table'");
      if (q.Step() == SQLITE_ROW) tables = q.Int(0);
    }
    if (tables != 0) {
      return absl::DataLossError(absl::StrCat(
          "database '", path_,
          "' is an SQLite file but not a squatguard database (it has other tables)"));
    }
    s = Exec(kSchema);
    if (!s.ok()) return s;
  }
  // Each later version only adds; a file from an older build is upgraded.
  if (version < 2) {
    s = Exec(kSchemaV2);
    if (!s.ok()) return s;
  }
  s = Exec(absl::StrCat("PRAGMA user_version=", kStateSchemaVersion).c_str());
  if (!s.ok()) return s;
  rc = txn.Commit();
  if (rc != SQLITE_OK) return Error(rc, "creating the schema");
  return absl::OkStatus();
}

absl::StatusOr<std::string> StateStore::GetCursor(absl::string_view source) {
  SqlStatement q(db_, "SELECT cursor FROM sources WHERE source = ?");
  q.Bind(1, source);
  int rc = q.Step();
  if (rc == SQLITE_ROW) return q.Text(0);
  if (rc == SQLITE_DONE) return std::string();
  return Error(rc, "reading the cursor");
}

absl::StatusOr<std::string> StateStore::GetMeta(absl::string_view key) {
  SqlStatement q(db_, "SELECT value FROM meta WHERE key = ?");
  q.Bind(1, key);
  int rc = q.Step();
  if (rc == SQLITE_ROW) return q.Text(0);
  if (rc == SQLITE_DONE) return std::string();
  return Error(rc, "reading meta");
}

absl::StatusOr<std::vector<bool>> StateStore::Known(
    const std::vector<SeenName>& names) {
  std::vector<bool> known(names.size(), false);
  SqlStatement q(db_,
              "SELECT 1 FROM names WHERE ecosystem = ? AND kind = ? AND name = ?");
  if (q.status() != SQLITE_OK) return Error(q.status(), "lookup");
  for (size_t i = 0; i < names.size(); ++i) {
    q.Bind(1, EcosystemName(names[i].ecosystem));
    q.Bind(2, names[i].kind);
    q.Bind(3, names[i].name);
    int rc = q.Step();
    if (rc == SQLITE_ROW) {
      known[i] = true;
    } else if (rc != SQLITE_DONE) {
      return Error(rc, "looking up names");
    }
    q.Reset();
  }
  return known;
}

absl::StatusOr<PageWriteResult> StateStore::Apply(const PageWrite& write) {
  SqlTransaction txn(db_);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return Error(rc, "starting a transaction");
  PageWriteResult result;

  if (!write.names.empty()) {
    SqlStatement name_insert(
        db_,
        "INSERT OR IGNORE INTO names (ecosystem, kind, name, account, "
        "created_at, first_seen, source, run_id, record) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SqlStatement identity_insert(
        db_,
        "INSERT OR IGNORE INTO name_identities (ecosystem, kind, name, "
        "registry_id, account, created_at, first_seen, source, record) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const SeenName& n : write.names) {
      absl::string_view ecosystem = EcosystemName(n.ecosystem);
      name_insert.Bind(1, ecosystem);
      name_insert.Bind(2, n.kind);
      name_insert.Bind(3, n.name);
      name_insert.Bind(4, n.account);
      name_insert.Bind(5, n.created_at);
      name_insert.Bind(6, write.now);
      name_insert.Bind(7, write.source);
      name_insert.Bind(8, write.run_id != 0 ? std::optional<int64_t>(write.run_id)
                                            : std::nullopt);
      name_insert.Bind(9, n.record);
      rc = name_insert.Step();
      if (rc != SQLITE_DONE) return Error(rc, "storing a name");
      result.new_names += sqlite3_changes(db_);
      name_insert.Reset();
      if (n.registry_id.empty()) continue;
      identity_insert.Bind(1, ecosystem);
      identity_insert.Bind(2, n.kind);
      identity_insert.Bind(3, n.name);
      identity_insert.Bind(4, n.registry_id);
      identity_insert.Bind(5, n.account);
      identity_insert.Bind(6, n.created_at);
      identity_insert.Bind(7, write.now);
      identity_insert.Bind(8, write.source);
      identity_insert.Bind(9, n.record);
      rc = identity_insert.Step();
      if (rc != SQLITE_DONE) return Error(rc, "storing a name's identity");
      identity_insert.Reset();
    }
  }

  if (!write.versions.empty()) {
    SqlStatement q(db_,
                "INSERT OR IGNORE INTO model_versions (model, version, "
                "created_at, status, stage, run_id, source_uri, first_seen, "
                "record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const SeenModelVersion& v : write.versions) {
      // MLflow's table (no ecosystem column); every registry's versions are
      // in lifecycle_history.cc's version_history.
      if (v.ecosystem != Ecosystem::kMlflow && v.ecosystem != Ecosystem::kAny) continue;
      q.Bind(1, v.model);
      q.Bind(2, v.version);
      q.Bind(3, v.created_at);
      q.Bind(4, v.status);
      q.Bind(5, v.stage);
      q.Bind(6, v.run_id);
      q.Bind(7, v.source_uri);
      q.Bind(8, write.now);
      q.Bind(9, v.record);
      rc = q.Step();
      if (rc != SQLITE_DONE) return Error(rc, "storing a model version");
      q.Reset();
    }
  }

  if (!write.aliases.empty()) {
    SqlStatement q(db_,
                "INSERT OR IGNORE INTO model_aliases (model, alias, version, "
                "first_seen) VALUES (?, ?, ?, ?)");
    for (const SeenAlias& a : write.aliases) {
      if (a.ecosystem != Ecosystem::kMlflow && a.ecosystem != Ecosystem::kAny) continue;
      q.Bind(1, a.model);
      q.Bind(2, a.alias);
      q.Bind(3, a.version);
      q.Bind(4, write.now);
      rc = q.Step();
      if (rc != SQLITE_DONE) return Error(rc, "storing a model alias");
      q.Reset();
    }
  }

  if (!write.alerts.empty()) {
    SqlStatement q(db_,
                "INSERT OR IGNORE INTO alerts (candidate, ecosystem, target, "
                "target_kind, score, severity, techniques, distance, "
                "explanation, first_seen, source, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Finding& f : write.alerts) {
      q.Bind(1, f.candidate);
      q.Bind(2, EcosystemName(f.ecosystem));
      q.Bind(3, f.target);
      q.Bind(4, EntryKindName(f.target_kind));
      q.Bind(5, f.score);
      q.Bind(6, SeverityName(f.severity));
      q.Bind(7, JoinTechniques(f.techniques));
      q.Bind(8, static_cast<int64_t>(f.distance));
      q.Bind(9, f.explanation);
      q.Bind(10, write.now);
      q.Bind(11, write.source);
      q.Bind(12, write.run_id != 0 ? std::optional<int64_t>(write.run_id)
                                   : std::nullopt);
      rc = q.Step();
      if (rc != SQLITE_DONE) return Error(rc, "storing an alert");
      if (sqlite3_changes(db_) > 0) {
        StoredAlert a;
        a.id = sqlite3_last_insert_rowid(db_);
        a.finding = f;
        a.source = write.source;
        a.first_seen = write.now;
        result.new_alerts.push_back(std::move(a));
      }
      q.Reset();
    }
  }

  if (write.cursor.has_value()) {
    SqlStatement q(db_,
                "INSERT INTO sources (source, cursor, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, "
                "updated_at = excluded.updated_at");
    q.Bind(1, write.source);
    q.Bind(2, *write.cursor);
    q.Bind(3, write.now);
    rc = q.Step();
    if (rc != SQLITE_DONE) return Error(rc, "storing the cursor");
  }

  for (const auto& [key, value] : write.meta) {
    SqlStatement q(db_,
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value");
    q.Bind(1, key);
    q.Bind(2, value);
    rc = q.Step();
    if (rc != SQLITE_DONE) return Error(rc, "storing meta");
  }

  for (const std::function<absl::Status()>& step : write.also) {
    if (absl::Status s = step(); !s.ok()) return s;
  }

  if (write.run_id != 0) {
    SqlStatement q(db_,
                "UPDATE runs SET pages = pages + ?, names_fetched = "
                "names_fetched + ?, new_names = new_names + ?, new_alerts = "
                "new_alerts + ?, errors = errors + ?, rescanned = rescanned + ? "
                "WHERE id = ?");
    q.Bind(1, write.counts.pages);
    q.Bind(2, write.counts.names_fetched);
    q.Bind(3, result.new_names);
    q.Bind(4, static_cast<int64_t>(result.new_alerts.size()));
    q.Bind(5, write.counts.errors);
    q.Bind(6, write.counts.rescanned);
    q.Bind(7, write.run_id);
    rc = q.Step();
    if (rc != SQLITE_DONE) return Error(rc, "updating the run");
  }

  rc = txn.Commit();
  if (rc != SQLITE_OK) return Error(rc, "committing a page");
  return result;
}

absl::StatusOr<std::vector<StoredName>> StateStore::NamesAfter(int64_t after_id,
                                                               int limit) {
  SqlStatement q(db_,
              "SELECT id, ecosystem, kind, name, account, created_at, record "
              "FROM names WHERE id > ? ORDER BY id LIMIT ?");
  q.Bind(1, after_id);
  q.Bind(2, static_cast<int64_t>(limit));
  std::vector<StoredName> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    StoredName n;
    n.id = q.Int(0);
    n.seen.ecosystem = ParseEcosystem(q.Text(1)).value_or(Ecosystem::kAny);
    n.seen.kind = q.Text(2);
    n.seen.name = q.Text(3);
    n.seen.account = q.Text(4);
    n.seen.created_at = q.OptionalInt(5);
    n.seen.record = q.Text(6);
    out.push_back(std::move(n));
  }
  if (rc != SQLITE_DONE) return Error(rc, "reading stored names");
  return out;
}

absl::StatusOr<int64_t> StateStore::NameCount() {
  SqlStatement q(db_, "SELECT count(*) FROM names");
  int rc = q.Step();
  if (rc != SQLITE_ROW) return Error(rc, "counting names");
  return q.Int(0);
}

absl::StatusOr<int64_t> StateStore::BeginRun(absl::string_view source,
                                             int64_t now) {
  SqlStatement q(db_, "INSERT INTO runs (source, started_at) VALUES (?, ?)");
  q.Bind(1, source);
  q.Bind(2, now);
  int rc = q.Step();
  if (rc != SQLITE_DONE) return Error(rc, "recording the run");
  return sqlite3_last_insert_rowid(db_);
}

absl::Status StateStore::FinishRun(int64_t run_id, int64_t now,
                                   absl::string_view status,
                                   absl::string_view error) {
  SqlStatement q(db_, "UPDATE runs SET ended_at = ?, status = ?, error = ? WHERE id = ?");
  q.Bind(1, now);
  q.Bind(2, status);
  q.Bind(3, error);
  q.Bind(4, run_id);
  int rc = q.Step();
  if (rc != SQLITE_DONE) return Error(rc, "finishing the run");
  return absl::OkStatus();
}

absl::StatusOr<RunRecord> StateStore::GetRun(int64_t run_id) {
  SqlStatement q(db_,
              "SELECT id, source, started_at, ended_at, pages, names_fetched, "
              "new_names, new_alerts, errors, rescanned, status, error "
              "FROM runs WHERE id = ?");
  q.Bind(1, run_id);
  int rc = q.Step();
  if (rc == SQLITE_DONE) {
    return absl::NotFoundError(absl::StrCat("no run ", run_id, " in ", path_));
  }
  if (rc != SQLITE_ROW) return Error(rc, "reading a run");
  RunRecord r;
  r.id = q.Int(0);
  r.source = q.Text(1);
  r.started_at = q.Int(2);
  r.ended_at = q.OptionalInt(3);
  r.counts = {q.Int(4), q.Int(5), q.Int(6), q.Int(7), q.Int(8), q.Int(9)};
  r.status = q.Text(10);
  r.error = q.Text(11);
  return r;
}

absl::StatusOr<std::vector<StoredAlert>> StateStore::ListAlerts(
    const AlertFilter& filter) {
  std::string sql = absl::StrCat("SELECT ", kAlertColumns,
                                 " FROM alerts WHERE score >= ?1");
  if (filter.since) sql += " AND first_seen >= ?2";
  if (filter.status == "new" || filter.status == "reviewed") {
    sql += " AND status = ?3";
  } else if (!filter.status.empty()) {
    sql += " AND verdict = ?3";
  }
  if (!filter.ecosystem.empty()) sql += " AND ecosystem = ?4";
  if (filter.run_id) sql += " AND run_id = ?5";
  sql += " ORDER BY id";
  SqlStatement q(db_, sql.c_str());
  if (q.status() != SQLITE_OK) return Error(q.status(), "listing alerts");
  q.Bind(1, filter.min_score);
  if (filter.since) q.Bind(2, *filter.since);
  if (!filter.status.empty()) q.Bind(3, filter.status);
  if (!filter.ecosystem.empty()) q.Bind(4, filter.ecosystem);
  if (filter.run_id) q.Bind(5, *filter.run_id);
  std::vector<StoredAlert> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadAlert(q));
  if (rc != SQLITE_DONE) return Error(rc, "listing alerts");
  return out;
}

absl::StatusOr<StoredAlert> StateStore::GetAlert(int64_t id) {
  std::string sql =
      absl::StrCat("SELECT ", kAlertColumns, " FROM alerts WHERE id = ?");
  SqlStatement q(db_, sql.c_str());
  q.Bind(1, id);
  int rc = q.Step();
  if (rc == SQLITE_DONE) {
    return absl::NotFoundError(
        absl::StrCat("no alert with id ", id, " in '", path_, "'"));
  }
  if (rc != SQLITE_ROW) return Error(rc, "reading an alert");
  return ReadAlert(q);
}

absl::StatusOr<StoredAlert> StateStore::Review(int64_t id,
                                               absl::string_view verdict,
                                               absl::string_view note,
                                               int64_t now) {
  if (verdict != "benign" && verdict != "malicious") {
    return absl::InvalidArgumentError(absl::StrCat(
        "verdict '", verdict, "' is not one of: benign, malicious"));
  }
  SqlStatement q(db_,
              "UPDATE alerts SET status = 'reviewed', verdict = ?, note = ?, "
              "reviewed_at = ? WHERE id = ?");
  q.Bind(1, verdict);
  q.Bind(2, note);
  q.Bind(3, now);
  q.Bind(4, id);
  int rc = q.Step();
  if (rc != SQLITE_DONE) return Error(rc, "recording the review");
  if (sqlite3_changes(db_) == 0) {
    return absl::NotFoundError(
        absl::StrCat("no alert with id ", id, " in '", path_, "'"));
  }
  return GetAlert(id);
}

}  // namespace crawlers
}  // namespace squatguard
