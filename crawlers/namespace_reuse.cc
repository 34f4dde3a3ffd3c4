#include "crawlers/namespace_reuse.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crawlers/sql_statement.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr double kReusedScore = 0.90;
constexpr double kReusedAfterCheckScore = 0.92;
constexpr double kRecreatedInLiveOrgScore = 0.60;
constexpr double kReopenedOrgScore = 0.88;
constexpr char kPinAdvice[] = "pin downloads by revision hash, not by name";

// The README's severity bands.
Severity SeverityFor(double score) {
  if (score >= 0.85) return Severity::kHigh;
  if (score >= 0.65) return Severity::kMedium;
  return Severity::kLow;
}

std::string Day(int64_t seconds) { return FormatUnixTime(seconds).substr(0, 10); }

// "_id X, author a, created T" (whatever is known).
std::string IdentityDetails(const NameIdentity& identity) {
  std::vector<std::string> parts;
  if (!identity.registry_id.empty()) parts.push_back(absl::StrCat("_id ", identity.registry_id));
  if (!identity.account.empty()) parts.push_back(absl::StrCat("author ", identity.account));
  if (identity.created_at) parts.push_back(absl::StrCat("created ", FormatUnixTime(*identity.created_at)));
  if (parts.empty()) return "no identity recorded";
  return absl::StrJoin(parts, ", ");
}

// The range of names under `org/` in byte order: ["org/", "org0").
std::pair<std::string, std::string> OrgRange(absl::string_view org) {
  return {absl::StrCat(org, "/"), absl::StrCat(org, "0")};
}

constexpr char kStatesJoin[] =
    " LEFT JOIN name_states s ON s.ecosystem = n.ecosystem AND s.kind = n.kind"
    " AND s.name = n.name ";

}  // namespace

NameIdentity IdentityOf(const SeenName& name) {
  return {name.registry_id, name.account, name.created_at};
}

bool SameIdentity(const NameIdentity& a, const NameIdentity& b) {
  if (!a.registry_id.empty() && !b.registry_id.empty()) {
    return a.registry_id == b.registry_id;
  }
  if (!a.account.empty() && !b.account.empty() && a.account != b.account) return false;
  if (a.created_at && b.created_at && *a.created_at != *b.created_at) return false;
  return true;
}

std::string DescribeIdentity(absl::string_view name, const NameIdentity& identity) {
  if (!identity.registry_id.empty()) {
    return absl::StrCat(name, " (_id ", identity.registry_id, ")");
  }
  std::vector<std::string> parts;
  if (!identity.account.empty()) parts.push_back(absl::StrCat("by ", identity.account));
  if (identity.created_at) parts.push_back(absl::StrCat("created ", Day(*identity.created_at)));
  if (parts.empty()) return absl::StrCat(name, " (an earlier registration)");
  return absl::StrCat(name, " (", absl::StrJoin(parts, ", "), ")");
}

std::string OrgOf(Ecosystem ecosystem, absl::string_view name) {
  if (ecosystem != Ecosystem::kHuggingFace) return "";
  size_t slash = name.find('/');
  if (slash == absl::string_view::npos || slash == 0) return "";
  return std::string(name.substr(0, slash));
}

Finding ReusedNameFinding(absl::string_view name, Ecosystem ecosystem,
                          const NameIdentity& before, const NameIdentity& now,
                          const std::optional<NameState>& state,
                          const OrgHistory& org) {
  Finding f;
  f.candidate = std::string(name);
  f.ecosystem = ecosystem;
  f.target = DescribeIdentity(name, before);
  f.target_kind = name.find('/') != absl::string_view::npos ? EntryKind::kRepo
                                                             : EntryKind::kPackage;
  f.techniques = {Technique::kReusedNamespace};
  f.distance = 0;
  f.score = kReusedScore;
  std::string history;
  if (state && state->state == "gone") {
    f.score = kReusedAfterCheckScore;
    history = absl::StrCat(", was found gone on ", FormatUnixTime(state->changed_at));
  } else if (state && state->state == "moved") {
    f.score = kReusedAfterCheckScore;
    history = absl::StrCat(", was found renamed to '", state->detail, "' on ",
                           FormatUnixTime(state->changed_at));
  }
  std::string context;
  if (!org.org.empty() && org.live > 0) {
    // Only members of an org can create repos in it: while its other repos
    // are there as we knew them, the org has not changed hands.
    f.score = kRecreatedInLiveOrgScore;
    context = absl::StrCat("; ", org.live, " other repo", org.live == 1 ? "" : "s", " of '",
                           org.org, "' are unchanged, so its owner probably re-created it");
  } else if (!org.org.empty() && org.repos > 0) {
    context = absl::StrCat("; every other repo known in '", org.org,
                           "' is gone too: the org itself may have changed hands");
  } else if (!org.org.empty()) {
    context = absl::StrCat("; '", org.org, "' may have changed hands");
  }
  f.severity = SeverityFor(f.score);
  f.explanation = absl::StrCat("'", name, "' was registered again: it was ",
                               IdentityDetails(before), history, ", and is now ",
                               IdentityDetails(now), context, "; ", kPinAdvice);
  return f;
}

bool ReopensDeadOrg(const OrgHistory& org, const SeenName& newcomer) {
  if (org.org.empty() || org.repos == 0 || org.live > 0) return false;
  // Sources that name the registering user (not just the org) can tell the
  // old owner coming back from a stranger.
  if (!newcomer.account.empty() && newcomer.account != org.org &&
      std::find(org.accounts.begin(), org.accounts.end(), newcomer.account) !=
          org.accounts.end()) {
    return false;
  }
  return true;
}

Finding ReusedOrgFinding(const OrgHistory& org, const SeenName& newcomer) {
  Finding f;
  f.candidate = org.org;
  f.ecosystem = newcomer.ecosystem;
  const std::string until = org.last_gone_at ? absl::StrCat(" until ", Day(*org.last_gone_at)) : "";
  f.target = absl::StrCat(org.org, " (", org.repos, " repo", org.repos == 1 ? "" : "s", until, ")");
  f.target_kind = EntryKind::kOrg;
  f.techniques = {Technique::kReusedNamespace};
  f.score = kReopenedOrgScore;
  f.severity = SeverityFor(f.score);
  std::string by;
  if (!newcomer.account.empty() && newcomer.account != org.org) {
    by = absl::StrCat(" by '", newcomer.account, "'");
  }
  std::string when = org.last_gone_at
                         ? absl::StrCat(" (the last on ", FormatUnixTime(*org.last_gone_at), ")")
                         : "";
  f.explanation = absl::StrCat(
      "org '", org.org, "' had ", org.repos, " known repo", org.repos == 1 ? "" : "s",
      ", all since gone or renamed", when, ", and now has a new one, '", newcomer.name, "'", by,
      ", created ", newcomer.created_at ? FormatUnixTime(*newcomer.created_at) : "at an unknown time",
      ": the org may have been deleted and registered again by someone else; ", kPinAdvice);
  return f;
}

absl::StatusOr<std::vector<NameIdentity>> NamespaceLedger::Identities(
    Ecosystem ecosystem, absl::string_view kind, absl::string_view name) {
  std::vector<NameIdentity> out;
  {
    SqlStatement q(store_.connection(),
                   "SELECT registry_id, account, created_at FROM name_identities "
                   "WHERE ecosystem = ? AND kind = ? AND name = ? ORDER BY id");
    q.Bind(1, EcosystemName(ecosystem));
    q.Bind(2, kind);
    q.Bind(3, name);
    while (q.Step() == SQLITE_ROW) out.push_back({q.Text(0), q.Text(1), q.OptionalInt(2)});
    if (!q.Done()) return store_.SqliteError(q.status(), "reading a name's identities");
  }
  if (!out.empty()) return out;
  SqlStatement q(store_.connection(),
                 "SELECT account, created_at FROM names "
                 "WHERE ecosystem = ? AND kind = ? AND name = ?");
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, kind);
  q.Bind(3, name);
  while (q.Step() == SQLITE_ROW) out.push_back({"", q.Text(0), q.OptionalInt(1)});
  if (!q.Done()) return store_.SqliteError(q.status(), "reading a name");
  return out;
}

absl::StatusOr<std::optional<NameState>> NamespaceLedger::State(
    Ecosystem ecosystem, absl::string_view kind, absl::string_view name) {
  SqlStatement q(store_.connection(),
                 "SELECT state, changed_at, checked_at, detail FROM name_states "
                 "WHERE ecosystem = ? AND kind = ? AND name = ?");
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, kind);
  q.Bind(3, name);
  if (q.Step() == SQLITE_ROW) {
    return NameState{q.Text(0), q.Int(1), q.Int(2), q.Text(3)};
  }
  if (!q.Done()) return store_.SqliteError(q.status(), "reading a name's state");
  return std::optional<NameState>();
}

absl::Status NamespaceLedger::RecordCheck(Ecosystem ecosystem, absl::string_view kind,
                                          absl::string_view name, absl::string_view state,
                                          absl::string_view detail, int64_t now) {
  // In an upsert's SET, unqualified columns are the row's old values.
  SqlStatement q(store_.connection(),
                 "INSERT INTO name_states (ecosystem, kind, name, state, changed_at, "
                 "checked_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (ecosystem, kind, name) DO UPDATE SET "
                 "changed_at = CASE WHEN state = excluded.state THEN changed_at "
                 "ELSE excluded.changed_at END, state = excluded.state, "
                 "checked_at = excluded.checked_at, detail = excluded.detail");
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, kind);
  q.Bind(3, name);
  q.Bind(4, state);
  q.Bind(5, now);
  q.Bind(6, now);
  q.Bind(7, detail);
  if (q.Step() != SQLITE_DONE) return store_.SqliteError(q.status(), "recording a name check");
  return absl::OkStatus();
}

absl::StatusOr<OrgHistory> NamespaceLedger::Org(Ecosystem ecosystem, absl::string_view org,
                                                absl::string_view except) {
  OrgHistory history;
  history.org = std::string(org);
  if (org.empty()) return history;
  const auto [low, high] = OrgRange(org);
  const std::string sql = absl::StrCat(
      "SELECT n.name, n.account, s.state, s.changed_at FROM names n", kStatesJoin,
      "WHERE n.ecosystem = ? AND n.name >= ? AND n.name < ?");
  SqlStatement q(store_.connection(), sql.c_str());
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, low);
  q.Bind(3, high);
  std::set<std::string> accounts;
  while (q.Step() == SQLITE_ROW) {
    if (q.Text(0) == except) continue;
    ++history.repos;
    const std::string state = q.Text(2);
    if (state.empty() || state == "live") {
      ++history.live;
    } else if (std::optional<int64_t> at = q.OptionalInt(3)) {
      history.last_gone_at = std::max(history.last_gone_at.value_or(*at), *at);
    }
    if (std::string account = q.Text(1); !account.empty()) accounts.insert(account);
  }
  if (!q.Done()) return store_.SqliteError(q.status(), "reading an org's names");
  history.accounts.assign(accounts.begin(), accounts.end());
  return history;
}

absl::StatusOr<bool> NamespaceLedger::OrgHasLiveName(Ecosystem ecosystem,
                                                     absl::string_view org) {
  const auto [low, high] = OrgRange(org);
  const std::string sql = absl::StrCat(
      "SELECT 1 FROM names n", kStatesJoin,
      "WHERE n.ecosystem = ? AND n.name >= ? AND n.name < ? "
      "AND (s.state IS NULL OR s.state = 'live') LIMIT 1");
  SqlStatement q(store_.connection(), sql.c_str());
  q.Bind(1, EcosystemName(ecosystem));
  q.Bind(2, low);
  q.Bind(3, high);
  int rc = q.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) return store_.SqliteError(rc, "reading an org's names");
  return false;
}

absl::StatusOr<std::vector<StoredName>> NamespaceLedger::DueForCheck(
    Ecosystem ecosystem, const std::vector<std::string>& kinds, int limit, int64_t skip_run_id) {
  std::vector<StoredName> out;
  if (limit <= 0 || kinds.empty()) return out;
  std::vector<std::string> marks(kinds.size(), "?");
  const std::string sql = absl::StrCat(
      "SELECT n.id, n.kind, n.name, n.account, n.created_at, n.record, "
      "coalesce(s.checked_at, n.first_seen) AS due FROM names n", kStatesJoin,
      "WHERE n.ecosystem = ? AND n.run_id IS NOT ? AND n.kind IN (", absl::StrJoin(marks, ", "),
      ") ORDER BY due, n.id LIMIT ?");
  SqlStatement q(store_.connection(), sql.c_str());
  int i = 1;
  q.Bind(i++, EcosystemName(ecosystem));
  q.Bind(i++, skip_run_id);
  for (const std::string& kind : kinds) q.Bind(i++, kind);
  q.Bind(i++, static_cast<int64_t>(limit));
  while (q.Step() == SQLITE_ROW) {
    StoredName n;
    n.id = q.Int(0);
    n.seen.ecosystem = ecosystem;
    n.seen.kind = q.Text(1);
    n.seen.name = q.Text(2);
    n.seen.account = q.Text(3);
    n.seen.created_at = q.OptionalInt(4);
    n.seen.record = q.Text(5);
    out.push_back(std::move(n));
  }
  if (!q.Done()) return store_.SqliteError(q.status(), "choosing names to check");
  return out;
}

absl::StatusOr<ReusePlan> InspectPage(NamespaceLedger& ledger,
                                      const std::vector<SeenName>& names,
                                      const std::vector<bool>& known, int64_t now,
                                      double min_score) {
  ReusePlan plan;
  std::vector<Finding>& findings = plan.findings;
  struct Back {
    Ecosystem ecosystem;
    std::string kind, name, detail;
  };
  std::vector<Back> back;  // recorded with the page
  absl::flat_hash_set<std::tuple<Ecosystem, std::string, std::string, std::string>> reported;
  absl::flat_hash_map<std::string, bool> org_alive;  // per page: org -> has a live name
  for (size_t i = 0; i < names.size() && i < known.size(); ++i) {
    const SeenName& n = names[i];
    if (known[i]) {
      // Vertex AI display names are not unique: two live models may share one.
      if (n.registry_id.empty() || n.ecosystem == Ecosystem::kVertex) continue;
      absl::StatusOr<std::vector<NameIdentity>> before =
          ledger.Identities(n.ecosystem, n.kind, n.name);
      if (!before.ok()) return before.status();
      if (before->empty()) continue;
      const NameIdentity current = IdentityOf(n);
      absl::StatusOr<std::optional<NameState>> state = ledger.State(n.ecosystem, n.kind, n.name);
      if (!state.ok()) return state.status();
      const bool had_it = std::any_of(before->begin(), before->end(),
                                      [&](const NameIdentity& b) { return SameIdentity(b, current); });
      if (had_it) {
        if (*state && (*state)->state != "live") {
          back.push_back({n.ecosystem, n.kind, n.name, "listed again as before"});
        }
        continue;
      }
      if (!reported.insert({n.ecosystem, n.kind, n.name, n.registry_id}).second) continue;
      const std::string org = OrgOf(n.ecosystem, n.name);
      absl::StatusOr<OrgHistory> history = ledger.Org(n.ecosystem, org, n.name);
      if (!history.ok()) return history.status();
      Finding f = ReusedNameFinding(n.name, n.ecosystem, before->back(), current, *state, *history);
      if (f.score >= min_score) findings.push_back(std::move(f));
      back.push_back({n.ecosystem, n.kind, n.name, "registered again"});
      continue;
    }
    const std::string org = OrgOf(n.ecosystem, n.name);
    if (org.empty()) continue;
    auto [it, first] = org_alive.try_emplace(org, true);
    if (!first) continue;  // one look (and at most one finding) per org and page
    absl::StatusOr<bool> alive = ledger.OrgHasLiveName(n.ecosystem, org);
    if (!alive.ok()) return alive.status();
    it->second = *alive;
    if (*alive) continue;
    absl::StatusOr<OrgHistory> history = ledger.Org(n.ecosystem, org);
    if (!history.ok()) return history.status();
    if (!ReopensDeadOrg(*history, n)) continue;
    Finding f = ReusedOrgFinding(*history, n);
    if (f.score >= min_score) findings.push_back(std::move(f));
  }
  plan.record = [&ledger, back = std::move(back), now]() {
    for (const Back& b : back) {
      absl::Status s = ledger.RecordCheck(b.ecosystem, b.kind, b.name, "live", b.detail, now);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  };
  return plan;
}

}  // namespace crawlers
}  // namespace squatguard
