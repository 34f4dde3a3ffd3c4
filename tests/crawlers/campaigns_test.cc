// Campaigns: the grouping rules (checked against a brute-force reference on
// random alerts), the campaign finding, and storing campaigns: raised once,
// grown in place, quiet after a benign review.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/campaigns.h"
#include "crawlers/state_store.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1716163200;  // 2024-05-20T00:00:00Z

CampaignMember Member(int64_t id, std::string candidate, std::string target,
                      std::string account, int64_t time, double score = 0.8,
                      Ecosystem ecosystem = Ecosystem::kPyPI) {
  CampaignMember m;
  m.alert_id = id;
  m.finding.candidate = std::move(candidate);
  m.finding.target = std::move(target);
  m.finding.ecosystem = ecosystem;
  m.finding.target_kind = ecosystem == Ecosystem::kHuggingFace ? EntryKind::kRepo
                                                               : EntryKind::kPackage;
  m.finding.score = score;
  m.finding.severity = score >= 0.85 ? Severity::kHigh : Severity::kMedium;
  m.finding.techniques = {Technique::kTransposition};
  m.account = std::move(account);
  m.account_ecosystem = std::string(EcosystemName(ecosystem));
  m.time = time;
  return m;
}

std::vector<std::vector<int64_t>> Ids(const std::vector<CampaignGroup>& groups,
                                      CampaignGrouping grouping) {
  std::vector<std::vector<int64_t>> out;
  for (const CampaignGroup& g : groups) {
    if (g.grouping != grouping) continue;
    std::vector<int64_t> ids;
    for (const CampaignMember& m : g.members) ids.push_back(m.alert_id);
    out.push_back(ids);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(GroupCampaignsTest, ThreeLookAlikesFromOneAccountWithinTheWindow) {
  std::vector<CampaignMember> alerts = {
      Member(1, "reqeusts", "requests", "squatter", kStart),
      Member(2, "nunpy", "numpy", "squatter", kStart + kDay),
      Member(3, "pandsa", "pandas", "squatter", kStart + 3 * kDay),
      Member(4, "djnago", "django", "squatter", kStart + 40 * kDay),  // later: alone
      Member(5, "reqests", "requests", "someone", kStart),
  };
  std::vector<CampaignGroup> groups = GroupCampaigns(alerts, {});
  EXPECT_EQ(Ids(groups, CampaignGrouping::kAccount), (std::vector<std::vector<int64_t>>{{1, 2, 3}}));
  EXPECT_TRUE(Ids(groups, CampaignGrouping::kTarget).empty());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].key, "pypi:squatter");
  EXPECT_EQ(groups[0].label, "squatter");

  // Two names are not a campaign; one name alerted twice counts once.
  alerts = {Member(1, "reqeusts", "requests", "squatter", kStart),
            Member(2, "reqeusts", "requets", "squatter", kStart),
            Member(3, "nunpy", "numpy", "squatter", kStart + kDay)};
  EXPECT_TRUE(GroupCampaigns(alerts, {}).empty());

  // A narrower window splits them.
  alerts = {Member(1, "a1", "requests", "s", kStart), Member(2, "a2", "numpy", "s", kStart + 2 * kDay),
            Member(3, "a3", "pandas", "s", kStart + 4 * kDay)};
  EXPECT_EQ(GroupCampaigns(alerts, {}).size(), 1u);
  EXPECT_TRUE(GroupCampaigns(alerts, {.window = absl::Hours(72)}).empty());
  EXPECT_EQ(GroupCampaigns(alerts, {.window = absl::Hours(72), .min_members = 2}).size(), 1u);
}

TEST(GroupCampaignsTest, ManyAccountsImitatingOneName) {
  std::vector<CampaignMember> alerts = {
      Member(1, "meta-llarna/Llama-3-8B", "meta-llama/Llama-3-8B", "meta-llarna", kStart, 0.9,
             Ecosystem::kHuggingFace),
      Member(2, "meta-lama/Llama-3-8B", "meta-llama/Llama-3-8B", "meta-lama", kStart + kDay, 0.8,
             Ecosystem::kHuggingFace),
      // An imitation of the org itself joins its repos' group.
      Member(3, "metallama", "meta-llama", "metallama", kStart + 2 * kDay, 0.85,
             Ecosystem::kHuggingFace),
      // The same account again adds no account.
      Member(4, "meta-lama/Llama-3-70B", "meta-llama/Llama-3-8B", "meta-lama", kStart + 2 * kDay,
             0.7, Ecosystem::kHuggingFace),
  };
  std::vector<CampaignGroup> groups = GroupCampaigns(alerts, {});
  EXPECT_EQ(Ids(groups, CampaignGrouping::kTarget), (std::vector<std::vector<int64_t>>{{1, 2, 3, 4}}));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].key, "hf:meta-llama");
  EXPECT_EQ(groups[0].label, "meta-llama/Llama-3-8B");  // the most imitated

  alerts.pop_back();
  alerts.pop_back();
  EXPECT_TRUE(GroupCampaigns(alerts, {}).empty());

  // Accounts unknown: each candidate counts as its own.
  alerts = {Member(1, "requets", "requests", "", kStart), Member(2, "reqests", "requests", "", kStart),
            Member(3, "rquests", "requests", "", kStart + kDay)};
  EXPECT_EQ(Ids(GroupCampaigns(alerts, {}), CampaignGrouping::kTarget),
            (std::vector<std::vector<int64_t>>{{1, 2, 3}}));
}

TEST(GroupCampaignsTest, OverlappingWindowsMergeAndOthersAreLeftOut) {
  std::vector<CampaignMember> alerts;
  // Days 0, 1, 2 | 6, 8 (joined through 2..8 being 6 days) | 30, 31 (too few).
  int64_t id = 1;
  for (int day : {0, 1, 2, 6, 8, 30, 31}) {
    alerts.push_back(Member(id, absl::StrCat("name", id), "requests", "s", kStart + day * kDay));
    ++id;
  }
  EXPECT_EQ(Ids(GroupCampaigns(alerts, {}), CampaignGrouping::kAccount),
            (std::vector<std::vector<int64_t>>{{1, 2, 3, 4, 5}}));
  // Campaigns and reused names never form target groups.
  std::vector<CampaignMember> special = {Member(1, "x", "requests", "", kStart),
                                         Member(2, "y", "requests", "", kStart),
                                         Member(3, "z", "requests", "", kStart)};
  special[0].finding.techniques = {Technique::kCampaign};
  special[1].finding.techniques = {Technique::kReusedNamespace};
  EXPECT_TRUE(GroupCampaigns(special, {}).empty());
}

// The reference: a window anchored at each member (any qualifying window can
// slide right to start at its earliest member); ranges sharing a member merge.
std::vector<std::vector<int64_t>> Reference(std::vector<CampaignMember> alerts,
                                            const CampaignRules& rules) {
  std::map<std::string, std::vector<CampaignMember>> buckets;
  for (const CampaignMember& m : alerts) buckets[m.account].push_back(m);
  std::vector<std::vector<int64_t>> out;
  const int64_t w = absl::ToInt64Seconds(rules.window);
  for (auto& [account, members] : buckets) {
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      return std::tie(a.time, a.alert_id) < std::tie(b.time, b.alert_id);
    });
    std::vector<std::pair<size_t, size_t>> ranges;
    for (size_t a = 0; a < members.size(); ++a) {
      std::set<std::string> distinct;
      size_t end = a;
      for (size_t j = a; j < members.size() && members[j].time - members[a].time <= w; ++j) {
        distinct.insert(members[j].finding.candidate);
        end = j;
      }
      if (static_cast<int>(distinct.size()) >= rules.min_members) ranges.push_back({a, end});
    }
    std::vector<std::pair<size_t, size_t>> merged;
    for (auto r : ranges) {
      if (!merged.empty() && r.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    for (auto [a, b] : merged) {
      std::vector<int64_t> ids;
      for (size_t i = a; i <= b; ++i) ids.push_back(members[i].alert_id);
      out.push_back(ids);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(GroupCampaignsTest, AgreesWithABruteForceReferenceOnRandomAlerts) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<CampaignMember> alerts;
    const int n = std::uniform_int_distribution<int>(0, 40)(random);
    for (int i = 0; i < n; ++i) {
      const int account = std::uniform_int_distribution<int>(0, 3)(random);
      const int name = std::uniform_int_distribution<int>(0, 12)(random);
      const int64_t t = kStart + std::uniform_int_distribution<int64_t>(0, 60 * kDay)(random);
      alerts.push_back(Member(i + 1, absl::StrCat("n", name), absl::StrCat("t", i), 
                              absl::StrCat("acct", account), t));
    }
    CampaignRules rules;
    rules.window = absl::Hours(std::uniform_int_distribution<int>(1, 24 * 14)(random));
    rules.min_members = std::uniform_int_distribution<int>(2, 4)(random);
    ASSERT_EQ(Ids(GroupCampaigns(alerts, rules), CampaignGrouping::kAccount), Reference(alerts, rules))
        << "round " << round;
  }
}

CampaignGroup AccountGroup(int members, double top_score) {
  CampaignGroup g;
  g.grouping = CampaignGrouping::kAccount;
  g.key = "pypi:squatter";
  g.label = "squatter";
  for (int i = 1; i <= members; ++i) {
    g.members.push_back(Member(i, absl::StrCat("name", i), absl::StrCat("target", i), "squatter",
                               kStart + i * 3600, i == 1 ? top_score : 0.6));
  }
  return g;
}

TEST(CampaignFindingTest, ScoresAboveItsMembersAndListsThem) {
  Finding f = CampaignFinding(AccountGroup(3, 0.8), {});
  EXPECT_EQ(f.techniques, std::vector<Technique>{Technique::kCampaign});
  EXPECT_EQ(f.candidate, "account:squatter");
  EXPECT_EQ(f.target, "target1, target2, target3");
  EXPECT_DOUBLE_EQ(f.score, 0.85);
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.ecosystem, Ecosystem::kPyPI);
  EXPECT_EQ(f.explanation,
            "account 'squatter' registered 3 look-alikes of 3 protected names on 2024-05-20: "
            "'name1' (target1), 'name2' (target2), 'name3' (target3); review them together "
            "(3 alerts: 1, 2, 3)");

  f = CampaignFinding(AccountGroup(8, 0.8), {});
  EXPECT_DOUBLE_EQ(f.score, 0.90);  // +0.05, +0.01 for each of 5 more
  EXPECT_EQ(f.target, "target1, target2, target3 +5 more");
  EXPECT_TRUE(absl::StrContains(f.explanation, "'name5' (target5), and 3 more")) << f.explanation;
  EXPECT_DOUBLE_EQ(CampaignFinding(AccountGroup(30, 0.8), {}).score, 0.90);  // bonus capped
  EXPECT_DOUBLE_EQ(CampaignFinding(AccountGroup(3, 0.97), {}).score, 0.99);  // score capped

  CampaignGroup by_target;
  by_target.grouping = CampaignGrouping::kTarget;
  by_target.key = "pypi:requests";
  by_target.label = "requests";
  by_target.members = {Member(4, "requets", "requests", "a", kStart),
                       Member(5, "reqests", "requests", "", kStart + kDay),
                       Member(6, "rquests", "requests", "c", kStart + 2 * kDay, 0.7, Ecosystem::kNpm)};
  f = CampaignFinding(by_target, {});
  EXPECT_EQ(f.candidate, "3 accounts: a, reqests, c");
  EXPECT_EQ(f.target, "requests");
  EXPECT_EQ(f.ecosystem, Ecosystem::kAny);  // members in two ecosystems
  EXPECT_TRUE(absl::StartsWith(
      f.explanation, "3 accounts imitated protected package 'requests' between 2024-05-20 and "
                     "2024-05-22: 'requets' (by a), 'reqests' (by reqests)"))
      << f.explanation;
}

TEST(CampaignFindingTest, CampaignsRankFirst) {
  Finding campaign, single;
  campaign.techniques = {Technique::kCampaign};
  campaign.score = 0.7;
  single.score = 0.99;
  EXPECT_TRUE(RanksBefore(campaign, single));
  EXPECT_FALSE(RanksBefore(single, campaign));
  Finding other = single;
  other.score = 0.5;
  EXPECT_TRUE(RanksBefore(single, other));
  EXPECT_TRUE(IsCampaign(campaign));
  EXPECT_FALSE(IsCampaign(single));
}

class CampaignStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/squatguard-campaigns-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store_ = *StateStore::Open(dir_ + "/s.db");
  }
  void TearDown() override {
    store_.reset();
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  // A feed page: the name (with its account and time) and its alert.
  void Add(const std::string& name, const std::string& target, const std::string& account,
           std::optional<int64_t> created, int64_t now = 5000, int64_t run_id = 0) {
    PageWrite w;
    w.source = "feed";
    w.now = now;
    w.run_id = run_id;
    SeenName n;
    n.name = name;
    n.ecosystem = Ecosystem::kPyPI;
    n.kind = "package";
    n.account = account;
    n.created_at = created;
    w.names = {n};
    Finding f;
    f.candidate = name;
    f.target = target;
    f.ecosystem = Ecosystem::kPyPI;
    f.score = 0.8;
    f.severity = Severity::kMedium;
    f.techniques = {Technique::kTransposition};
    w.alerts = {f};
    ASSERT_TRUE(store_->Apply(w).ok());
  }

  CampaignUpdate Update(int64_t run_id = 0) {
    absl::StatusOr<CampaignUpdate> u = UpdateCampaigns(*store_, {}, "feed", run_id, 9000);
    EXPECT_TRUE(u.ok()) << u.status();
    return u.ok() ? *u : CampaignUpdate{};
  }

  std::string dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(CampaignStoreTest, RaisedOnceGrownInPlace) {
  int64_t run = *store_->BeginRun("feed", 4000);
  Add("reqeusts", "requests", "squatter", kStart);
  Add("nunpy", "numpy", "squatter", kStart + kDay);
  EXPECT_TRUE(Update().raised.empty());
  Add("pandsa", "pandas", "squatter", kStart + 2 * kDay);
  CampaignUpdate first = Update(run);
  ASSERT_EQ(first.raised.size(), 1u);
  const int64_t id = first.raised[0].id;
  EXPECT_EQ(first.raised[0].finding.candidate, "account:squatter");
  EXPECT_EQ(*CampaignMembers(*store_, id), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(store_->GetRun(run)->counts.new_alerts, 1);
  EXPECT_TRUE(IsCampaign(store_->GetAlert(id)->finding));

  // Again: nothing changes.
  CampaignUpdate again = Update();
  EXPECT_TRUE(again.raised.empty());
  EXPECT_EQ(again.grown, 0);

  // A fourth look-alike: the same alert grows.
  Add("reqests", "requests", "squatter", kStart + 3 * kDay);
  CampaignUpdate grown = Update();
  EXPECT_TRUE(grown.raised.empty());
  EXPECT_EQ(grown.grown, 1);
  EXPECT_EQ(*CampaignMembers(*store_, id), (std::vector<int64_t>{1, 2, 3, 5}));
  StoredAlert stored = *store_->GetAlert(id);
  EXPECT_TRUE(absl::StrContains(stored.finding.explanation, "4 look-alikes")) << stored.finding.explanation;
  EXPECT_DOUBLE_EQ(stored.finding.score, 0.86);
  EXPECT_EQ(store_->ListAlerts({})->size(), 5u);
  // Not a member of anything: an alert that is no campaign.
  EXPECT_TRUE(CampaignMembers(*store_, 1)->empty());
}

TEST_F(CampaignStoreTest, BenignCampaignStaysQuietAndBenignMembersLeave) {
  Add("reqeusts", "requests", "squatter", kStart);
  Add("nunpy", "numpy", "squatter", kStart + kDay);
  Add("pandsa", "pandas", "squatter", kStart + 2 * kDay);
  CampaignUpdate first = Update();
  ASSERT_EQ(first.raised.size(), 1u);
  const int64_t id = first.raised[0].id;
  ASSERT_TRUE(store_->Review(id, "benign", "a mirror", 9100).ok());

  Add("reqests", "requests", "squatter", kStart + 3 * kDay);
  CampaignUpdate grown = Update();
  EXPECT_TRUE(grown.raised.empty());  // quiet
  EXPECT_EQ(store_->GetAlert(id)->verdict, "benign");
  EXPECT_EQ(CampaignMembers(*store_, id)->size(), 4u);
  // Members keep their own status.
  EXPECT_EQ(store_->GetAlert(1)->status, "new");

  // A member reviewed benign leaves the group.
  ASSERT_TRUE(store_->Review(1, "benign", "", 9200).ok());
  Add("rquests", "requests", "squatter", kStart + 4 * kDay);
  Update();
  std::vector<int64_t> members = *CampaignMembers(*store_, id);
  EXPECT_EQ(std::count(members.begin(), members.end(), 1), 0);
  EXPECT_EQ(members.size(), 4u);

  // A burst long after is a new campaign.
  Add("djnago", "django", "squatter", kStart + 60 * kDay);
  Add("flsk", "flask", "squatter", kStart + 61 * kDay);
  Add("numpyy", "numpy", "squatter", kStart + 61 * kDay);
  CampaignUpdate later = Update();
  ASSERT_EQ(later.raised.size(), 1u);
  EXPECT_NE(later.raised[0].id, id);
}

TEST_F(CampaignStoreTest, NamesOfUnknownAgeFromAFirstRunAreNotGrouped) {
  // The first crawl of an index without dates sees years of typosquats at once.
  const int64_t baseline = *store_->BeginRun("feed", 5000);
  Add("reqeusts", "requests", "", std::nullopt, 5000, baseline);
  Add("requestss", "requests", "", std::nullopt, 5000, baseline);
  Add("rquests", "requests", "", std::nullopt, 5000, baseline);
  EXPECT_TRUE(Update().raised.empty());
  // Later runs see names as they appear: three in a day are a campaign.
  const int64_t next = *store_->BeginRun("feed", 90000);
  Add("requets", "requests", "", std::nullopt, 90000, next);
  Add("reqests", "requests", "", std::nullopt, 90000, next);
  Add("requestz", "requests", "", std::nullopt, 91000, next);
  CampaignUpdate u = Update();
  ASSERT_EQ(u.raised.size(), 1u);
  EXPECT_EQ(u.raised[0].finding.candidate, "3 accounts: requets, reqests, requestz");
  EXPECT_EQ(*CampaignMembers(*store_, u.raised[0].id), (std::vector<int64_t>{4, 5, 6}));
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
