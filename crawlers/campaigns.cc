#include "crawlers/campaigns.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crawlers/namespace_reuse.h"
#include "crawlers/sql_statement.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr double kCampaignBonus = 0.05;
constexpr double kBonusPerExtraMember = 0.01;
constexpr double kMaxBonus = 0.10;
constexpr double kMaxScore = 0.99;
constexpr size_t kMembersShown = 5;
constexpr size_t kLabelsShown = 3;

Severity SeverityFor(double score) {
  if (score >= 0.85) return Severity::kHigh;
  if (score >= 0.65) return Severity::kMedium;
  return Severity::kLow;
}

std::string Day(int64_t seconds) { return FormatUnixTime(seconds).substr(0, 10); }

bool Has(const Finding& f, Technique t) {
  return std::find(f.techniques.begin(), f.techniques.end(), t) != f.techniques.end();
}

// Who stands behind a member, for the by-target count of accounts.
std::string Actor(const CampaignMember& m) {
  return m.account.empty() ? absl::StrCat("name:", m.finding.candidate)
                           : absl::StrCat("account:", m.account);
}

std::string ActorLabel(const CampaignMember& m) {
  return m.account.empty() ? m.finding.candidate : m.account;
}

// What a group counts: distinct candidates of one account, or distinct
// accounts imitating one target.
std::string CountedKey(CampaignGrouping grouping, const CampaignMember& m) {
  return grouping == CampaignGrouping::kAccount ? m.finding.candidate : Actor(m);
}

// "a, b, c +2 more" of distinct labels in order.
std::string ShortList(const std::vector<std::string>& labels, size_t shown) {
  std::vector<std::string> head(labels.begin(), labels.begin() + std::min(shown, labels.size()));
  std::string out = absl::StrJoin(head, ", ");
  if (labels.size() > shown) absl::StrAppend(&out, " +", labels.size() - shown, " more");
  return out;
}

template <typename F>
std::vector<std::string> DistinctInOrder(const std::vector<CampaignMember>& members, F label) {
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  for (const CampaignMember& m : members) {
    std::string l = label(m);
    if (seen.insert(l).second) out.push_back(std::move(l));
  }
  return out;
}

// The target most members imitate (ties: the higher score, then the name).
const CampaignMember& MostImitated(const std::vector<CampaignMember>& members) {
  std::map<std::string, std::pair<int, double>> tally;
  for (const CampaignMember& m : members) {
    auto& [count, best] = tally[m.finding.target];
    ++count;
    best = std::max(best, m.finding.score);
  }
  const CampaignMember* pick = &members.front();
  for (const CampaignMember& m : members) {
    const auto& a = tally[m.finding.target];
    const auto& b = tally[pick->finding.target];
    if (a.first > b.first || (a.first == b.first && a.second > b.second) ||
        (a.first == b.first && a.second == b.second && m.finding.target < pick->finding.target)) {
      pick = &m;
    }
  }
  return *pick;
}

// The qualifying windows of one bucket (sorted by time), merged where they
// overlap, as [first, last] index ranges.
std::vector<std::pair<size_t, size_t>> Windows(const std::vector<CampaignMember>& sorted,
                                               CampaignGrouping grouping,
                                               const CampaignRules& rules) {
  const int64_t window = absl::ToInt64Seconds(rules.window);
  std::vector<std::pair<size_t, size_t>> merged;
  absl::flat_hash_map<std::string, int> in_window;
  size_t left = 0;
  for (size_t right = 0; right < sorted.size(); ++right) {
    ++in_window[CountedKey(grouping, sorted[right])];
    while (sorted[right].time - sorted[left].time > window) {
      auto it = in_window.find(CountedKey(grouping, sorted[left]));
      if (--it->second == 0) in_window.erase(it);
      ++left;
    }
    if (static_cast<int>(in_window.size()) < rules.min_members) continue;
    if (!merged.empty() && left <= merged.back().second) {
      merged.back().second = right;
    } else {
      merged.push_back({left, right});
    }
  }
  return merged;
}

struct StoredCampaign {
  int64_t alert_id = 0;
  std::string grouping;
  std::string key;
  std::set<int64_t> members;
};

}  // namespace

absl::string_view CampaignGroupingName(CampaignGrouping grouping) {
  return grouping == CampaignGrouping::kAccount ? "account" : "target";
}

bool IsCampaign(const Finding& finding) { return Has(finding, Technique::kCampaign); }

bool RanksBefore(const Finding& a, const Finding& b) {
  if (IsCampaign(a) != IsCampaign(b)) return IsCampaign(a);
  return a.score > b.score;
}

std::vector<CampaignGroup> GroupCampaigns(const std::vector<CampaignMember>& alerts,
                                          const CampaignRules& rules) {
  std::map<std::pair<CampaignGrouping, std::string>, std::vector<CampaignMember>> buckets;
  for (const CampaignMember& m : alerts) {
    if (IsCampaign(m.finding)) continue;
    if (!m.account.empty()) {
      buckets[{CampaignGrouping::kAccount, absl::StrCat(m.account_ecosystem, ":", m.account)}]
          .push_back(m);
    }
    // A reused name's target is its old registration, not a protected name.
    if (Has(m.finding, Technique::kReusedNamespace)) continue;
    const std::string org = OrgOf(m.finding.ecosystem, m.finding.target);
    buckets[{CampaignGrouping::kTarget,
             absl::StrCat(EcosystemName(m.finding.ecosystem), ":",
                          org.empty() ? m.finding.target : org)}]
        .push_back(m);
  }

  std::vector<CampaignGroup> groups;
  for (auto& [bucket, members] : buckets) {
    std::sort(members.begin(), members.end(), [](const CampaignMember& a, const CampaignMember& b) {
      return std::tie(a.time, a.alert_id) < std::tie(b.time, b.alert_id);
    });
    for (const auto& [first, last] : Windows(members, bucket.first, rules)) {
      CampaignGroup g;
      g.grouping = bucket.first;
      g.key = bucket.second;
      g.members.assign(members.begin() + first, members.begin() + last + 1);
      g.label = g.grouping == CampaignGrouping::kAccount ? g.members.front().account
                                                         : MostImitated(g.members).finding.target;
      groups.push_back(std::move(g));
    }
  }
  return groups;
}

Finding CampaignFinding(const CampaignGroup& group, const CampaignRules& rules) {
  const std::vector<CampaignMember>& members = group.members;
  Finding f;
  f.techniques = {Technique::kCampaign};
  f.distance = 0;
  f.ecosystem = members.front().finding.ecosystem;
  double best = 0;
  Severity severity = Severity::kLow;
  for (const CampaignMember& m : members) {
    if (m.finding.ecosystem != f.ecosystem) f.ecosystem = Ecosystem::kAny;
    best = std::max(best, m.finding.score);
    severity = std::max(severity, m.finding.severity);
  }
  const size_t counted =
      DistinctInOrder(members, [&](const CampaignMember& m) { return CountedKey(group.grouping, m); })
          .size();
  const double extra = static_cast<double>(counted) - rules.min_members;
  const double bonus =
      std::min(kMaxBonus, kCampaignBonus + kBonusPerExtraMember * std::max(0.0, extra));
  f.score = std::min(kMaxScore, std::round((best + bonus) * 1000) / 1000);
  f.severity = std::max(severity, SeverityFor(f.score));

  // The first alert of each distinct candidate, for the explanation.
  std::vector<const CampaignMember*> firsts;
  absl::flat_hash_set<std::string> seen;
  for (const CampaignMember& m : members) {
    if (seen.insert(m.finding.candidate).second) firsts.push_back(&m);
  }
  std::vector<std::string> shown;
  for (size_t i = 0; i < firsts.size() && i < kMembersShown; ++i) {
    const CampaignMember& m = *firsts[i];
    shown.push_back(group.grouping == CampaignGrouping::kAccount
                        ? absl::StrCat("'", m.finding.candidate, "' (", m.finding.target, ")")
                        : absl::StrCat("'", m.finding.candidate, "' (by ", ActorLabel(m), ")"));
  }
  std::string listed = absl::StrJoin(shown, ", ");
  if (firsts.size() > kMembersShown) {
    absl::StrAppend(&listed, ", and ", firsts.size() - kMembersShown, " more");
  }
  const int64_t start = members.front().time, end = members.back().time;
  const std::string when = Day(start) == Day(end)
                               ? absl::StrCat("on ", Day(start))
                               : absl::StrCat("between ", Day(start), " and ", Day(end));
  const std::string alerts = absl::StrCat(
      members.size(), " alert", members.size() == 1 ? "" : "s", ": ",
      ShortList(DistinctInOrder(members, [](const CampaignMember& m) { return absl::StrCat(m.alert_id); }),
                12));

  if (group.grouping == CampaignGrouping::kAccount) {
    const std::vector<std::string> targets =
        DistinctInOrder(members, [](const CampaignMember& m) { return m.finding.target; });
    f.candidate = absl::StrCat("account:", group.label);
    f.target = ShortList(targets, kLabelsShown);
    f.target_kind = members.front().finding.target_kind;
    f.explanation = absl::StrCat("account '", group.label, "' registered ", counted,
                                 " look-alikes of ", targets.size(), " protected name",
                                 targets.size() == 1 ? "" : "s", " ", when, ": ", listed,
                                 "; review them together (", alerts, ")");
  } else {
    const CampaignMember& top = MostImitated(members);
    const std::vector<std::string> actors = DistinctInOrder(members, ActorLabel);
    f.candidate = absl::StrCat(counted, " accounts: ", ShortList(actors, kLabelsShown));
    f.target = top.finding.target;
    f.target_kind = top.finding.target_kind;
    f.explanation = absl::StrCat(counted, " accounts imitated protected ",
                                 EntryKindName(f.target_kind), " '", f.target, "' ", when, ": ",
                                 listed, "; review them together (", alerts, ")");
  }
  return f;
}

absl::StatusOr<CampaignUpdate> UpdateCampaigns(StateStore& store, const CampaignRules& rules,
                                               absl::string_view source, int64_t run_id,
                                               int64_t now) {
  sqlite3* db = store.connection();
  SqlTransaction txn(db);
  int rc = txn.Begin();
  if (rc != SQLITE_OK) return store.SqliteError(rc, "starting a transaction");

  // Every open alert with its candidate's account and creation time (the
  // names row of the same ecosystem first, else any with that name), and
  // whether that name came with a source's first run.
  std::vector<CampaignMember> alerts;
  {
    SqlStatement q(db,
                   "WITH open AS (SELECT a.*, coalesce("
                   "(SELECT m.id FROM names m WHERE m.name = a.candidate "
                   "AND m.ecosystem = a.ecosystem LIMIT 1), "
                   "(SELECT m.id FROM names m WHERE m.name = a.candidate ORDER BY m.id LIMIT 1)"
                   ") AS name_id FROM alerts a WHERE a.verdict != 'benign' "
                   "AND a.id NOT IN (SELECT alert_id FROM campaigns)) "
                   "SELECT o.id, o.candidate, o.ecosystem, o.target, o.target_kind, o.score, "
                   "o.severity, o.techniques, o.distance, o.explanation, o.first_seen, "
                   "n.ecosystem, n.account, n.created_at, o.source, "
                   "n.run_id = (SELECT min(r.id) FROM runs r WHERE r.source = n.source) "
                   "FROM open o LEFT JOIN names n ON n.id = o.name_id ORDER BY o.id");
    while (q.Step() == SQLITE_ROW) {
      StoredAlert a = ReadAlertFinding(q);
      CampaignMember m;
      m.alert_id = a.id;
      m.finding = std::move(a.finding);
      m.account_ecosystem = q.Text(11);
      m.account = q.Text(12);
      if (std::optional<int64_t> created = q.OptionalInt(13)) {
        m.time = *created;
      } else if (q.Text(14) == "rescan" || q.Int(15) == 1) {
        // When the crawl first saw it says nothing of when it was made: a
        // source's first run and a list rescan see names of any age at once.
        continue;
      } else {
        m.time = a.first_seen;
      }
      alerts.push_back(std::move(m));
    }
    if (!q.Done()) return store.SqliteError(q.status(), "reading alerts to group");
  }

  std::vector<StoredCampaign> stored;
  {
    SqlStatement q(db, "SELECT alert_id, grouping, group_key FROM campaigns ORDER BY alert_id");
    while (q.Step() == SQLITE_ROW) stored.push_back({q.Int(0), q.Text(1), q.Text(2), {}});
    if (!q.Done()) return store.SqliteError(q.status(), "reading campaigns");
    SqlStatement m(db, "SELECT campaign_id, alert_id FROM campaign_members");
    absl::flat_hash_map<int64_t, std::set<int64_t>> members;
    while (m.Step() == SQLITE_ROW) members[m.Int(0)].insert(m.Int(1));
    if (!m.Done()) return store.SqliteError(m.status(), "reading campaign members");
    for (StoredCampaign& c : stored) c.members = std::move(members[c.alert_id]);
  }

  CampaignUpdate update;
  for (const CampaignGroup& group : GroupCampaigns(alerts, rules)) {
    const std::string grouping(CampaignGroupingName(group.grouping));
    std::set<int64_t> ids;
    for (const CampaignMember& m : group.members) ids.insert(m.alert_id);
    StoredCampaign* match = nullptr;
    for (StoredCampaign& c : stored) {
      if (c.grouping != grouping || c.key != group.key) continue;
      if (std::any_of(ids.begin(), ids.end(), [&](int64_t id) { return c.members.count(id) > 0; })) {
        match = &c;
        break;
      }
    }
    const Finding f = CampaignFinding(group, rules);
    int64_t campaign_id = 0;
    if (match != nullptr) {
      if (std::includes(match->members.begin(), match->members.end(), ids.begin(), ids.end())) {
        continue;  // nothing new in it
      }
      campaign_id = match->alert_id;
      SqlStatement u(db,
                     "UPDATE alerts SET candidate = ?, target = ?, target_kind = ?, score = ?, "
                     "severity = ?, explanation = ? WHERE id = ?");
      u.Bind(1, f.candidate);
      u.Bind(2, f.target);
      u.Bind(3, EntryKindName(f.target_kind));
      u.Bind(4, f.score);
      u.Bind(5, SeverityName(f.severity));
      u.Bind(6, f.explanation);
      u.Bind(7, campaign_id);
      if (u.Step() != SQLITE_DONE) {
        if ((u.status() & 0xff) != SQLITE_CONSTRAINT) {
          return store.SqliteError(u.status(), "updating a campaign");
        }
        // Another alert already reads the same: keep the old labels.
        SqlStatement k(db,
                       "UPDATE alerts SET score = ?, severity = ?, explanation = ? WHERE id = ?");
        k.Bind(1, f.score);
        k.Bind(2, SeverityName(f.severity));
        k.Bind(3, f.explanation);
        k.Bind(4, campaign_id);
        if (k.Step() != SQLITE_DONE) return store.SqliteError(k.status(), "updating a campaign");
      }
      SqlStatement d(db, "DELETE FROM campaign_members WHERE campaign_id = ?");
      d.Bind(1, campaign_id);
      if (d.Step() != SQLITE_DONE) return store.SqliteError(d.status(), "updating a campaign");
      match->members = ids;
      ++update.grown;
    } else {
      SqlStatement insert(db,
                          "INSERT OR IGNORE INTO alerts (candidate, ecosystem, target, "
                          "target_kind, score, severity, techniques, distance, explanation, "
                          "first_seen, source, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)");
      Finding shown = f;
      for (int attempt = 0; attempt < 2 && campaign_id == 0; ++attempt) {
        // A second burst may read exactly like an earlier campaign.
        if (attempt == 1) {
          absl::StrAppend(&shown.target, " from ", Day(group.members.front().time));
        }
        insert.Reset();
        insert.Bind(1, shown.candidate);
        insert.Bind(2, EcosystemName(shown.ecosystem));
        insert.Bind(3, shown.target);
        insert.Bind(4, EntryKindName(shown.target_kind));
        insert.Bind(5, shown.score);
        insert.Bind(6, SeverityName(shown.severity));
        insert.Bind(7, TechniqueName(Technique::kCampaign));
        insert.Bind(8, shown.explanation);
        insert.Bind(9, now);
        insert.Bind(10, source);
        insert.Bind(11, run_id != 0 ? std::optional<int64_t>(run_id) : std::nullopt);
        if (insert.Step() != SQLITE_DONE) return store.SqliteError(insert.status(), "storing a campaign");
        if (sqlite3_changes(db) > 0) campaign_id = sqlite3_last_insert_rowid(db);
      }
      if (campaign_id == 0) continue;
      SqlStatement c(db,
                     "INSERT INTO campaigns (alert_id, grouping, group_key, first_time, "
                     "last_time, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
      c.Bind(1, campaign_id);
      c.Bind(2, grouping);
      c.Bind(3, group.key);
      c.Bind(4, group.members.front().time);
      c.Bind(5, group.members.back().time);
      c.Bind(6, now);
      if (c.Step() != SQLITE_DONE) return store.SqliteError(c.status(), "storing a campaign");
      stored.push_back({campaign_id, grouping, group.key, ids});
      StoredAlert raised;
      raised.id = campaign_id;
      raised.finding = shown;
      raised.source = std::string(source);
      raised.first_seen = now;
      update.raised.push_back(std::move(raised));
    }
    SqlStatement t(db,
                   "UPDATE campaigns SET first_time = ?, last_time = ?, updated_at = ? "
                   "WHERE alert_id = ?");
    t.Bind(1, group.members.front().time);
    t.Bind(2, group.members.back().time);
    t.Bind(3, now);
    t.Bind(4, campaign_id);
    if (t.Step() != SQLITE_DONE) return store.SqliteError(t.status(), "storing a campaign");
    SqlStatement m(db, "INSERT OR IGNORE INTO campaign_members (campaign_id, alert_id) VALUES (?, ?)");
    for (const CampaignMember& member : group.members) {
      m.Reset();
      m.Bind(1, campaign_id);
      m.Bind(2, member.alert_id);
      if (m.Step() != SQLITE_DONE) return store.SqliteError(m.status(), "storing campaign members");
    }
  }

  if (run_id != 0 && !update.raised.empty()) {
    SqlStatement r(db, "UPDATE runs SET new_alerts = new_alerts + ? WHERE id = ?");
    r.Bind(1, static_cast<int64_t>(update.raised.size()));
    r.Bind(2, run_id);
    if (r.Step() != SQLITE_DONE) return store.SqliteError(r.status(), "updating the run");
  }
  rc = txn.Commit();
  if (rc != SQLITE_OK) return store.SqliteError(rc, "committing campaigns");
  return update;
}

absl::StatusOr<std::vector<int64_t>> CampaignMembers(StateStore& store, int64_t campaign_id) {
  std::vector<int64_t> out;
  SqlStatement q(store.connection(),
                 "SELECT alert_id FROM campaign_members WHERE campaign_id = ? ORDER BY rowid");
  q.Bind(1, campaign_id);
  while (q.Step() == SQLITE_ROW) out.push_back(q.Int(0));
  if (!q.Done()) return store.SqliteError(q.status(), "reading campaign members");
  return out;
}

}  // namespace crawlers
}  // namespace squatguard
