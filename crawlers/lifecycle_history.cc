#include "crawlers/lifecycle_history.h"

#include <sqlite3.h>

#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "crawlers/sql_statement.h"

namespace squatguard {
namespace crawlers {
namespace {

// Created on first use (IF NOT EXISTS): the tables belong to this module.
constexpr char kTables[] = R"sql(
CREATE TABLE IF NOT EXISTS version_history (
  ecosystem  TEXT NOT NULL,
  model      TEXT NOT NULL,
  version    TEXT NOT NULL,
  created_at INTEGER,
  status     TEXT NOT NULL,
  source_uri TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  record     TEXT NOT NULL,
  PRIMARY KEY (ecosystem, model, version)
);
CREATE TABLE IF NOT EXISTS alias_history (
  id         INTEGER PRIMARY KEY,
  ecosystem  TEXT NOT NULL,
  model      TEXT NOT NULL,
  alias      TEXT NOT NULL,
  version    TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alias_history_by_pointer
  ON alias_history (ecosystem, model, alias, id);
)sql";


absl::Status EnsureTables(StateStore& store) {
  sqlite3* db = store.connection();
  {
    SqlStatement q(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                "name IN ('version_history', 'alias_history')");
    if (q.status() != SQLITE_OK) {
      return store.SqliteError(q.status(), "reading the schema");
    }
    int rc = q.Step();
    if (rc != SQLITE_ROW) return store.SqliteError(rc, "reading the schema");
    if (q.Int(0) == 2) return absl::OkStatus();
  }
  int rc = sqlite3_exec(db, kTables, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return store.SqliteError(rc, "creating the lifecycle history tables");
  }
  return absl::OkStatus();
}

// What a page shows of one model's versions.
struct VersionRow {
  std::string version;
  std::optional<int64_t> created_at;
  std::string status;
  std::string source_uri;
  std::string record;
};
using ModelKey = std::pair<Ecosystem, std::string>;

absl::Status Record(StateStore& store,
                    const std::map<ModelKey, std::vector<VersionRow>>& versions,
                    const std::vector<PointerSighting>& pointers, int64_t now) {
  sqlite3* db = store.connection();
  if (!versions.empty()) {
    SqlStatement q(db,
            "INSERT OR IGNORE INTO version_history (ecosystem, model, version, "
            "created_at, status, source_uri, first_seen, record) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (q.status() != SQLITE_OK) {
      return store.SqliteError(q.status(), "storing model versions");
    }
    for (const auto& [key, rows] : versions) {
      for (const VersionRow& row : rows) {
        q.Bind(1, EcosystemName(key.first));
        q.Bind(2, key.second);
        q.Bind(3, row.version);
        q.Bind(4, row.created_at);
        q.Bind(5, row.status);
        q.Bind(6, row.source_uri);
        q.Bind(7, now);
        q.Bind(8, row.record);
        int rc = q.Step();
        if (rc != SQLITE_DONE) return store.SqliteError(rc, "storing a model version");
        q.Reset();
      }
    }
  }
  if (pointers.empty()) return absl::OkStatus();
  SqlStatement latest(db,
               "SELECT id, version FROM alias_history WHERE ecosystem = ? AND "
               "model = ? AND alias = ? ORDER BY id DESC LIMIT 1");
  SqlStatement extend(db,
               "UPDATE alias_history SET last_seen = max(last_seen, ?) "
               "WHERE id = ?");
  SqlStatement insert(db,
               "INSERT INTO alias_history (ecosystem, model, alias, version, "
               "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)");
  for (SqlStatement* q : {&latest, &extend, &insert}) {
    if (q->status() != SQLITE_OK) {
      return store.SqliteError(q->status(), "storing alias history");
    }
  }
  for (const PointerSighting& p : pointers) {
    latest.Bind(1, EcosystemName(p.ecosystem));
    latest.Bind(2, p.model);
    latest.Bind(3, p.pointer);
    int rc = latest.Step();
    std::optional<int64_t> same_id;
    if (rc == SQLITE_ROW) {
      if (latest.Text(1) == p.version) same_id = latest.Int(0);
    } else if (rc != SQLITE_DONE) {
      return store.SqliteError(rc, "reading alias history");
    }
    latest.Reset();
    if (same_id) {
      extend.Bind(1, now);
      extend.Bind(2, *same_id);
      rc = extend.Step();
      if (rc != SQLITE_DONE) return store.SqliteError(rc, "storing alias history");
      extend.Reset();
      continue;
    }
    insert.Bind(1, EcosystemName(p.ecosystem));
    insert.Bind(2, p.model);
    insert.Bind(3, p.pointer);
    insert.Bind(4, p.version);
    insert.Bind(5, now);
    insert.Bind(6, now);
    rc = insert.Step();
    if (rc != SQLITE_DONE) return store.SqliteError(rc, "storing alias history");
    insert.Reset();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<PointerSpan>> StoredPointerHistory(
    StateStore& store, Ecosystem ecosystem, const std::string& model,
    const std::string& pointer, int limit) {
  if (absl::Status s = EnsureTables(store); !s.ok()) return s;
  SqlStatement q(store.connection(),
          "SELECT version, first_seen, last_seen FROM alias_history WHERE "
          "ecosystem = ? AND model = ? AND alias = ? ORDER BY id DESC LIMIT ?");
  if (q.status() != SQLITE_OK) {
    return store.SqliteError(q.status(), "reading alias history");
  }
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, model);
  q.Bind(3, pointer);
  q.Bind(4, static_cast<int64_t>(limit));
  std::vector<PointerSpan> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    out.push_back({q.Text(0), q.Int(1), q.Int(2)});
  }
  if (rc != SQLITE_DONE) return store.SqliteError(rc, "reading alias history");
  return out;
}

absl::StatusOr<std::vector<std::string>> StoredVersions(
    StateStore& store, Ecosystem ecosystem, const std::string& model) {
  if (absl::Status s = EnsureTables(store); !s.ok()) return s;
  SqlStatement q(store.connection(),
          "SELECT version FROM version_history WHERE ecosystem = ? AND model = ?");
  if (q.status() != SQLITE_OK) {
    return store.SqliteError(q.status(), "reading model versions");
  }
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, model);
  std::vector<std::string> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(q.Text(0));
  if (rc != SQLITE_DONE) return store.SqliteError(rc, "reading model versions");
  return out;
}

absl::StatusOr<LifecyclePlan> PlanLifecycle(StateStore& store,
                                            const SourcePage& page, int64_t now,
                                            const LifecycleOptions& options) {
  LifecyclePlan plan;
  if (!options.enabled || (page.versions.empty() && page.aliases.empty())) {
    plan.record = [] { return absl::OkStatus(); };
    return plan;
  }
  if (absl::Status s = EnsureTables(store); !s.ok()) return s;

  // The page's versions by model, each version once.
  std::map<ModelKey, std::vector<VersionRow>> versions;
  {
    absl::flat_hash_set<std::tuple<Ecosystem, std::string, std::string>> seen;
    for (const SeenModelVersion& v : page.versions) {
      if (v.model.empty() || v.version.empty()) continue;
      if (!seen.insert({v.ecosystem, v.model, v.version}).second) continue;
      versions[{v.ecosystem, v.model}].push_back(
          {v.version, v.created_at, v.status, v.source_uri, v.record});
    }
  }
  std::vector<PointerSighting> pointers = PointerSightings(page);

  // Every version known of each model concerned: stored, and on this page.
  std::map<ModelKey, std::vector<std::string>> known;
  for (const auto& [key, rows] : versions) {
    absl::StatusOr<std::vector<std::string>> stored =
        StoredVersions(store, key.first, key.second);
    if (!stored.ok()) return stored.status();
    absl::flat_hash_set<std::string> have(stored->begin(), stored->end());
    std::vector<std::string> fresh;
    for (const VersionRow& row : rows) {
      if (!have.contains(row.version)) fresh.push_back(row.version);
    }
    for (Finding& f : JudgeVersions(key.first, key.second, *stored, fresh, now)) {
      plan.findings.push_back(std::move(f));
    }
    std::vector<std::string>& all = known[key];
    all = *std::move(stored);
    all.insert(all.end(), fresh.begin(), fresh.end());
  }
  for (const PointerSighting& p : pointers) {
    ModelKey key{p.ecosystem, p.model};
    if (known.find(key) == known.end()) {
      absl::StatusOr<std::vector<std::string>> stored =
          StoredVersions(store, p.ecosystem, p.model);
      if (!stored.ok()) return stored.status();
      known[key] = *std::move(stored);
    }
    absl::StatusOr<std::vector<PointerSpan>> history =
        StoredPointerHistory(store, p.ecosystem, p.model, p.pointer, 2);
    if (!history.ok()) return history.status();
    std::optional<Finding> f = JudgePointer(p, *history, known[key], now, options);
    if (f) plan.findings.push_back(*std::move(f));
  }

  std::vector<Finding> kept;
  for (Finding& f : plan.findings) {
    if (f.score >= options.min_score) kept.push_back(std::move(f));
  }
  plan.findings = std::move(kept);

  StateStore* target = &store;
  plan.record = [target, versions = std::move(versions),
                 pointers = std::move(pointers), now] {
    return Record(*target, versions, pointers, now);
  };
  return plan;
}

}  // namespace crawlers
}  // namespace squatguard
