// Namespace reuse: the identity and org rules, the ledger's tombstones, the
// per-page inspection, the verify pass with a scripted registry, the
// Hugging Face lookup against the fixture server, and the schema upgrade.
#include <sqlite3.h>

#include <cstdlib>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/crawl_job.h"
#include "crawlers/hf_repo_lookup.h"
#include "crawlers/http_client.h"
#include "crawlers/name_verifier.h"
#include "crawlers/namespace_reuse.h"
#include "crawlers/state_store.h"
#include "gtest/gtest.h"
#include "tests/crawlers/fixture_server.h"
#include "tests/crawlers/temp_state_store.h"

namespace squatguard {
namespace crawlers {
namespace {

using ::squatguard::testing::FixtureServer;

class TempDb : public ::squatguard::testing::TempStateStore {
 public:
  TempDb() : TempStateStore("reuse") {}
};

SeenName Repo(std::string name, std::string id, int64_t created = 1716552000,
              std::string kind = "model") {
  SeenName n;
  n.name = std::move(name);
  n.ecosystem = Ecosystem::kHuggingFace;
  n.kind = std::move(kind);
  n.account = n.name.substr(0, n.name.find('/'));
  n.registry_id = std::move(id);
  n.created_at = created;
  return n;
}

// Stores `names` as a crawl page of run `run_id` would, at `now`.
void Store(StateStore& store, std::vector<SeenName> names, int64_t now = 1000,
           int64_t run_id = 0) {
  PageWrite w;
  w.source = "hf";
  w.now = now;
  w.run_id = run_id;
  w.names = std::move(names);
  ASSERT_TRUE(store.Apply(w).ok());
}

std::string StateOf(NamespaceLedger& ledger, const std::string& name) {
  absl::StatusOr<std::optional<NameState>> s =
      ledger.State(Ecosystem::kHuggingFace, "model", name);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() && s->has_value() ? (*s)->state : "<none>";
}

TEST(NamespaceReuseTest, RegistryIdsDecideIdentityElseAccountAndTime) {
  EXPECT_TRUE(SameIdentity({"A", "alice", 1}, {"A", "bob", 2}));  // same object, moved
  EXPECT_FALSE(SameIdentity({"A", "alice", 1}, {"B", "alice", 1}));
  EXPECT_FALSE(SameIdentity({"", "alice", 1}, {"B", "bob", 1}));
  EXPECT_FALSE(SameIdentity({"A", "", 1}, {"", "", 2}));
  EXPECT_TRUE(SameIdentity({"A", "alice", std::nullopt}, {"", "alice", 5}));
  EXPECT_TRUE(SameIdentity({}, {}));  // nothing to compare: no alarm
}

TEST(NamespaceReuseTest, DescriptionsAndOrgs) {
  EXPECT_EQ(DescribeIdentity("org/m", {"66ab", "org", 1}), "org/m (_id 66ab)");
  EXPECT_EQ(DescribeIdentity("pkg", {"", "alice", 1716552000}),
            "pkg (by alice, created 2024-05-24)");
  EXPECT_EQ(DescribeIdentity("pkg", {}), "pkg (an earlier registration)");
  EXPECT_EQ(OrgOf(Ecosystem::kHuggingFace, "meta-llama/Llama-3-8B"), "meta-llama");
  EXPECT_EQ(OrgOf(Ecosystem::kHuggingFace, "gpt2"), "");
  EXPECT_EQ(OrgOf(Ecosystem::kNpm, "@scope/x"), "");
}

TEST(NamespaceReuseTest, ReusedNameScoresByWhatIsKnown) {
  const NameIdentity before{"A1", "victim", 1716552000};
  const NameIdentity now{"B2", "victim", 1718000000};
  OrgHistory alone;
  alone.org = "victim";

  Finding plain = ReusedNameFinding("victim/model", Ecosystem::kHuggingFace, before, now,
                                    std::nullopt, alone);
  EXPECT_EQ(plain.techniques, std::vector<Technique>{Technique::kReusedNamespace});
  EXPECT_EQ(plain.candidate, "victim/model");
  EXPECT_EQ(plain.target, "victim/model (_id A1)");
  EXPECT_EQ(plain.target_kind, EntryKind::kRepo);
  EXPECT_DOUBLE_EQ(plain.score, 0.90);
  EXPECT_EQ(plain.severity, Severity::kHigh);
  for (const char* part : {"_id A1", "_id B2", "author victim", "2024-05-24T12:00:00Z",
                           "pin downloads by revision hash"}) {
    EXPECT_TRUE(absl::StrContains(plain.explanation, part)) << part << ": " << plain.explanation;
  }

  NameState gone{"gone", 1717000000, 1717000000, "HTTP 404"};
  Finding after = ReusedNameFinding("victim/model", Ecosystem::kHuggingFace, before, now,
                                    gone, alone);
  EXPECT_DOUBLE_EQ(after.score, 0.92);
  EXPECT_TRUE(absl::StrContains(after.explanation, "was found gone on 2024-05-29")) << after.explanation;

  NameState moved{"moved", 1717000000, 1717000000, "new-home/model"};
  Finding renamed = ReusedNameFinding("victim/model", Ecosystem::kHuggingFace, before, now,
                                      moved, alone);
  EXPECT_TRUE(absl::StrContains(renamed.explanation, "renamed to 'new-home/model'"));

  // Other repos of the org still there as we knew them: its owner re-created it.
  OrgHistory busy{"victim", 3, 2, std::nullopt, {"victim"}};
  Finding recreated = ReusedNameFinding("victim/model", Ecosystem::kHuggingFace, before, now,
                                        std::nullopt, busy);
  EXPECT_DOUBLE_EQ(recreated.score, 0.60);
  EXPECT_EQ(recreated.severity, Severity::kLow);
  EXPECT_TRUE(absl::StrContains(recreated.explanation, "2 other repos of 'victim' are unchanged"));

  OrgHistory dead{"victim", 2, 0, 1717000000, {"victim"}};
  Finding org_gone = ReusedNameFinding("victim/model", Ecosystem::kHuggingFace, before, now,
                                       gone, dead);
  EXPECT_DOUBLE_EQ(org_gone.score, 0.92);
  EXPECT_TRUE(absl::StrContains(org_gone.explanation, "may have changed hands"));
}

TEST(NamespaceReuseTest, DeadOrgReopenedByAStranger) {
  SeenName newcomer = Repo("lab/new-model", "N1");
  EXPECT_FALSE(ReopensDeadOrg({"lab", 0, 0, std::nullopt, {}}, newcomer));  // never seen
  EXPECT_FALSE(ReopensDeadOrg({"lab", 2, 1, 1717000000, {"lab"}}, newcomer));  // one still live
  EXPECT_TRUE(ReopensDeadOrg({"lab", 2, 0, 1717000000, {"lab"}}, newcomer));
  // A source that names the registering user: the old owner coming back is no reuse.
  newcomer.account = "carol";
  EXPECT_FALSE(ReopensDeadOrg({"lab", 2, 0, 1717000000, {"carol"}}, newcomer));
  EXPECT_TRUE(ReopensDeadOrg({"lab", 2, 0, 1717000000, {"dave"}}, newcomer));

  Finding f = ReusedOrgFinding({"lab", 2, 0, 1717000000, {"dave"}}, newcomer);
  EXPECT_EQ(f.candidate, "lab");
  EXPECT_EQ(f.target, "lab (2 repos until 2024-05-29)");
  EXPECT_EQ(f.target_kind, EntryKind::kOrg);
  EXPECT_DOUBLE_EQ(f.score, 0.88);
  EXPECT_TRUE(absl::StrContains(f.explanation, "'lab/new-model' by 'carol'")) << f.explanation;
}

TEST(NamespaceLedgerTest, TombstonesKeepTheirTimeAndComeBack) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("victim/model", "A1")});
  EXPECT_EQ(StateOf(ledger, "victim/model"), "<none>");
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "victim/model", "gone",
                                 "HTTP 404", 2000).ok());
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "victim/model", "gone",
                                 "HTTP 404", 3000).ok());
  auto state = *ledger.State(Ecosystem::kHuggingFace, "model", "victim/model");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->changed_at, 2000);  // the tombstone's time stays the first sighting
  EXPECT_EQ(state->checked_at, 3000);
  EXPECT_EQ(state->detail, "HTTP 404");

  // Listed again with the identity it had: no finding, and alive once the
  // page's record step runs (in the page's transaction).
  auto plan = InspectPage(ledger, {Repo("victim/model", "A1")}, {true}, 4000, 0.5);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->findings.empty());
  EXPECT_EQ(StateOf(ledger, "victim/model"), "gone");
  ASSERT_TRUE(plan->record().ok());
  state = *ledger.State(Ecosystem::kHuggingFace, "model", "victim/model");
  EXPECT_EQ(state->state, "live");
  EXPECT_EQ(state->changed_at, 4000);
}

TEST(NamespaceLedgerTest, PageWithANewIdentityForAStoredName) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("victim/model", "A1"), Repo("victim/other", "A2")});
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "victim/model", "gone",
                                 "HTTP 404", 2000).ok());
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "victim/other", "gone",
                                 "HTTP 404", 2100).ok());

  std::vector<SeenName> page = {Repo("victim/model", "B9", 1718000000),
                                Repo("victim/model", "B9", 1718000000),  // twice in a page
                                Repo("victim/other", "A2")};
  auto plan = InspectPage(ledger, page, {true, true, true}, 3000, 0.5);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->findings.size(), 1u);
  const Finding& f = plan->findings[0];
  EXPECT_EQ(f.candidate, "victim/model");
  EXPECT_EQ(f.target, "victim/model (_id A1)");
  EXPECT_DOUBLE_EQ(f.score, 0.92);  // found gone first; its sibling is gone too
  EXPECT_TRUE(absl::StrContains(f.explanation, "_id B9"));
  ASSERT_TRUE(plan->record().ok());
  EXPECT_EQ(StateOf(ledger, "victim/model"), "live");
  EXPECT_EQ(StateOf(ledger, "victim/other"), "live");  // back as it was

  // Names without a registry id are never compared; unknown names are the engine's.
  SeenName bare = Repo("victim/model", "");
  EXPECT_TRUE(InspectPage(ledger, {bare}, {true}, 3000, 0.5)->findings.empty());
  // Under --min-score the finding is not kept.
  EXPECT_TRUE(InspectPage(ledger, {Repo("victim/model", "C3")}, {true}, 3000, 0.95)->findings.empty());
}

TEST(NamespaceLedgerTest, NewRepoInAnOrgWhoseReposAreAllGone) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("lab/a", "A1"), Repo("lab/b", "A2"), Repo("lab-other/c", "A3"),
                     Repo("lab/d", "A4", 1716552000, "dataset")});
  // "lab-other/c" starts with "lab" but is another org.
  auto org = *ledger.Org(Ecosystem::kHuggingFace, "lab");
  EXPECT_EQ(org.repos, 3);
  EXPECT_EQ(org.live, 3);

  SeenName newcomer = Repo("lab/new-model", "N1", 1718000000);
  EXPECT_TRUE(InspectPage(ledger, {newcomer}, {false}, 3000, 0.5)->findings.empty());  // alive

  for (const auto& [kind, name] : std::vector<std::pair<std::string, std::string>>{
           {"model", "lab/a"}, {"model", "lab/b"}}) {
    ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, kind, name, "gone", "HTTP 404", 2000).ok());
  }
  // Its dataset is still there.
  EXPECT_TRUE(InspectPage(ledger, {newcomer}, {false}, 3000, 0.5)->findings.empty());
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "dataset", "lab/d", "moved",
                                 "elsewhere/d", 2500).ok());
  SeenName second = Repo("lab/second", "N2", 1718000000);
  auto plan = InspectPage(ledger, {newcomer, second}, {false, false}, 3000, 0.5);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->findings.size(), 1u);  // one per org and page
  EXPECT_EQ(plan->findings[0].candidate, "lab");
  EXPECT_EQ(plan->findings[0].target, "lab (3 repos until 1970-01-01)");
}

TEST(NamespaceLedgerTest, DueForCheckOldestFirstWithinKindsAndTime) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("a/one", "1"), Repo("a/two", "2")}, 100);
  Store(db.store(), {Repo("a/three", "3"), Repo("a/odd", "4", 1, "")}, 200);
  const int64_t run = *db.store().BeginRun("hf", 900);
  Store(db.store(), {Repo("a/fresh", "5")}, 900, run);
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "a/one", "live", "", 300).ok());
  const std::vector<std::string> kinds = {"model", "dataset", "space"};

  auto due = *ledger.DueForCheck(Ecosystem::kHuggingFace, kinds, 10, run);
  std::vector<std::string> names;
  for (const StoredName& n : due) names.push_back(n.seen.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a/two", "a/three", "a/one"}));  // not a/fresh
  EXPECT_EQ(ledger.DueForCheck(Ecosystem::kHuggingFace, kinds, 1, run)->size(), 1u);
  EXPECT_EQ(ledger.DueForCheck(Ecosystem::kHuggingFace, kinds, 10, 0)->size(), 4u);
  EXPECT_TRUE(ledger.DueForCheck(Ecosystem::kPyPI, kinds, 10, run)->empty());
  EXPECT_TRUE(ledger.DueForCheck(Ecosystem::kHuggingFace, kinds, 0, run)->empty());
}

// A registry with scripted answers per name.
class ScriptedLookup : public NameLookup {
 public:
  Ecosystem ecosystem() const override { return Ecosystem::kHuggingFace; }
  std::vector<std::string> kinds() const override { return {"model"}; }
  absl::StatusOr<LookupAnswer> Lookup(const SeenName& stored) override {
    asked.push_back(stored.name);
    auto it = answers.find(stored.name);
    if (it == answers.end() || it->second.empty()) {
      return MarkNetworkFailure(absl::UnavailableError("scripted: no answer"));
    }
    LookupAnswer a = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    return a;
  }
  static LookupAnswer Present(SeenName now) { return {LookupAnswer::Kind::kPresent, now, ""}; }
  static LookupAnswer Gone() { return {LookupAnswer::Kind::kGone, {}, "HTTP 404"}; }
  static LookupAnswer Moved(std::string to) {
    LookupAnswer a{LookupAnswer::Kind::kMoved, {}, ""};
    a.current.name = std::move(to);
    return a;
  }

  std::map<std::string, std::deque<LookupAnswer>> answers;
  std::vector<std::string> asked;
};

TEST(VerifyKnownNamesTest, TombstoneThenReRegistrationAlertsOnce) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("victim/model", "A1"), Repo("alice/keeper", "K1"),
                     Repo("bob/renamed", "R1")}, 100);
  ScriptedLookup lookup;
  lookup.answers["victim/model"] = {ScriptedLookup::Gone()};
  lookup.answers["alice/keeper"] = {ScriptedLookup::Present(Repo("alice/keeper", "K1"))};
  lookup.answers["bob/renamed"] = {ScriptedLookup::Moved("bob/new-name")};

  CrawlSummary summary;
  summary.source = "hf";
  summary.run_id = *db.store().BeginRun("hf", 1000);
  VerifyCounts counts;
  VerifyOptions options{.limit = 10, .now = 1000, .min_score = 0.5};
  ASSERT_TRUE(VerifyKnownNames(db.store(), lookup, options, &summary, &counts).ok());
  EXPECT_EQ(counts.checked, 3);
  EXPECT_EQ(counts.gone, 1);
  EXPECT_EQ(counts.live, 1);
  EXPECT_EQ(counts.moved, 1);
  EXPECT_TRUE(summary.new_alerts.empty());
  EXPECT_EQ(StateOf(ledger, "victim/model"), "gone");
  auto moved = *ledger.State(Ecosystem::kHuggingFace, "model", "bob/renamed");
  EXPECT_EQ(moved->state, "moved");
  EXPECT_EQ(moved->detail, "bob/new-name");

  // Someone registers the name again: a new _id.
  lookup.answers["victim/model"] = {ScriptedLookup::Present(Repo("victim/model", "B9", 1718000000))};
  options.now = 2000;
  counts = {};
  ASSERT_TRUE(VerifyKnownNames(db.store(), lookup, options, &summary, &counts).ok());
  EXPECT_EQ(counts.reused, 1);
  ASSERT_EQ(summary.new_alerts.size(), 1u);
  const StoredAlert& alert = summary.new_alerts[0];
  EXPECT_EQ(alert.finding.candidate, "victim/model");
  EXPECT_EQ(alert.finding.target, "victim/model (_id A1)");
  EXPECT_DOUBLE_EQ(alert.finding.score, 0.92);
  EXPECT_TRUE(absl::StrContains(alert.finding.explanation, "found gone on")) << alert.finding.explanation;
  EXPECT_EQ(StateOf(ledger, "victim/model"), "live");
  EXPECT_EQ(db.store().GetRun(summary.run_id)->counts.new_alerts, 1);

  // Checked again: the new identity is stored now, nothing is raised twice.
  options.now = 3000;
  counts = {};
  ASSERT_TRUE(VerifyKnownNames(db.store(), lookup, options, &summary, &counts).ok());
  EXPECT_EQ(counts.reused, 0);
  EXPECT_EQ(summary.new_alerts.size(), 1u);
  EXPECT_EQ(db.store().ListAlerts({})->size(), 1u);
}

TEST(VerifyKnownNamesTest, StopsAtTheFirstLookupErrorKeepingWhatWasChecked) {
  TempDb db;
  NamespaceLedger ledger(db.store());
  Store(db.store(), {Repo("a/first", "1")}, 100);
  Store(db.store(), {Repo("a/second", "2")}, 200);
  ScriptedLookup lookup;
  lookup.answers["a/first"] = {ScriptedLookup::Gone()};
  CrawlSummary summary;
  VerifyCounts counts;
  absl::Status s = VerifyKnownNames(db.store(), lookup, {.limit = 5, .now = 500},
                                    &summary, &counts);
  EXPECT_TRUE(IsNetworkFailure(s)) << s;
  EXPECT_EQ(counts.checked, 1);
  EXPECT_EQ(StateOf(ledger, "a/first"), "gone");
  // The next pass starts with the name the failure left unchecked.
  lookup.asked.clear();
  lookup.answers["a/second"] = {ScriptedLookup::Present(Repo("a/second", "2"))};
  ASSERT_TRUE(VerifyKnownNames(db.store(), lookup, {.limit = 1, .now = 600},
                               &summary, &counts).ok());
  EXPECT_EQ(lookup.asked, std::vector<std::string>{"a/second"});
}

SourceOptions LocalOptions(const FixtureServer& server, std::string token = "") {
  SourceOptions o;
  o.endpoint = server.url();
  o.token = std::move(token);
  o.fetch.requests_per_second = 0;
  o.fetch.retry.max_attempts = 3;
  o.fetch.retry.sleep = [](absl::Duration) {};
  return o;
}

TEST(HfRepoLookupTest, PresentGoneMovedAndRetried) {
  auto server = *FixtureServer::Start();
  server->Serve("/api/models/victim/model",
                {200, {}, R"({"_id": "B9", "id": "victim/model", "author": "victim",
                              "createdAt": "2024-06-10T08:00:00.000Z"})"});
  server->Serve("/api/datasets/victim/data", {404, {}, R"({"error": "Repository not found"})"});
  server->Serve("/api/spaces/victim/app", {410, {}, ""});
  server->Serve("/api/models/old/name", {200, {}, R"({"_id": "R1", "id": "new/name"})"});
  server->Script("/api/models/flaky/model",
                 {{500, {}, "oops"}, {200, {}, "{\"_id\": "}, {200, {}, R"({"_id": "F1", "id": "flaky/model"})"}});
  unsetenv("HF_TOKEN");
  HfRepoLookup lookup(LocalOptions(*server));

  auto present = lookup.Lookup(Repo("victim/model", "A1"));
  ASSERT_TRUE(present.ok()) << present.status();
  EXPECT_EQ(present->kind, LookupAnswer::Kind::kPresent);
  EXPECT_EQ(present->current.registry_id, "B9");
  EXPECT_EQ(present->current.account, "victim");
  EXPECT_EQ(present->current.created_at, 1718006400);

  auto gone = lookup.Lookup(Repo("victim/data", "D1", 1, "dataset"));
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->kind, LookupAnswer::Kind::kGone);
  EXPECT_EQ(gone->detail, "HTTP 404");
  EXPECT_EQ(lookup.Lookup(Repo("victim/app", "S1", 1, "space"))->kind, LookupAnswer::Kind::kGone);

  auto moved = lookup.Lookup(Repo("old/name", "R1"));
  EXPECT_EQ(moved->kind, LookupAnswer::Kind::kMoved);
  EXPECT_EQ(moved->current.name, "new/name");

  auto flaky = lookup.Lookup(Repo("flaky/model", "F1"));
  ASSERT_TRUE(flaky.ok()) << flaky.status();
  EXPECT_EQ(flaky->current.registry_id, "F1");
  EXPECT_EQ(server->CountRequests("/api/models/flaky/model"), 3);

  EXPECT_TRUE(absl::IsInvalidArgument(lookup.Lookup(Repo("x/y", "1", 1, "")).status()));
  EXPECT_EQ(lookup.stats().requests, 7);
}

TEST(HfRepoLookupTest, UnauthorizedIsGoneOnlyWithoutAToken) {
  auto server = *FixtureServer::Start();
  server->Serve("/api/models/private/model", {401, {}, R"({"error": "Invalid credentials"})"});
  unsetenv("HF_TOKEN");
  HfRepoLookup anonymous(LocalOptions(*server));
  EXPECT_EQ(anonymous.Lookup(Repo("private/model", "P1"))->kind, LookupAnswer::Kind::kGone);

  HfRepoLookup with_token(LocalOptions(*server, "hf_SECRET"));
  absl::StatusOr<LookupAnswer> refused = with_token.Lookup(Repo("private/model", "P1"));
  EXPECT_TRUE(IsNetworkFailure(refused.status())) << refused.status();
  EXPECT_FALSE(absl::StrContains(refused.status().message(), "hf_SECRET"));
  EXPECT_EQ(server->requests().back().Header("authorization"), "Bearer hf_SECRET");
}

TEST(HfRepoLookupTest, StoredNamesAreEncodedIntoOnePath) {
  auto server = *FixtureServer::Start();
  HfRepoLookup lookup(LocalOptions(*server));
  EXPECT_EQ(lookup.RepoUrl(Repo("org/model", "1")), server->url() + "/api/models/org/model");
  EXPECT_EQ(lookup.RepoUrl(Repo("../../admin", "1")),
            server->url() + "/api/models/%2E%2E/%2E%2E/admin");
  EXPECT_EQ(lookup.RepoUrl(Repo("o/m?x=1#y", "1", 1, "space")),
            server->url() + "/api/spaces/o/m%3Fx%3D1%23y");
  EXPECT_EQ(lookup.RepoUrl(Repo("o/m", "1", 1, "package")), "");
}

TEST(NamespaceSchemaTest, VersionOneFileIsUpgradedKeepingItsRows) {
  TempDb db;
  Store(db.store(), {Repo("victim/model", "A1")});
  // Make it a version-1 file: without the tables version 2 added.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "DROP TABLE name_states; DROP TABLE campaigns; DROP TABLE "
                         "campaign_members; DROP INDEX names_by_name; PRAGMA user_version=1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  db.Reopen();
  NamespaceLedger ledger(db.store());
  EXPECT_EQ(*db.store().NameCount(), 1);
  ASSERT_TRUE(ledger.RecordCheck(Ecosystem::kHuggingFace, "model", "victim/model", "gone",
                                 "HTTP 404", 10).ok());
  EXPECT_EQ(StateOf(ledger, "victim/model"), "gone");
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
