// Namespace reuse and campaigns end to end, through the real squatguard
// binary: `crawl hf` against the fixture server (a repo deleted, then
// registered again; an org whose repos all went away; a retired protected
// org reappearing), `crawl feed` and `crawl hf` forming campaigns, and
// `alerts --campaigns` and `review` on them.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/crawlers/cli_fixture.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace {

using ::squatguard::testing::CrawlCliTest;
using ::squatguard::testing::QueryErrors;
using ::squatguard::testing::ReadTestdata;

const std::string kTestdata = SQUATGUARD_SOURCE_DIR "/tests/testdata/crawlers/";
const std::string kListing = "?sort=createdAt&direction=-1&limit=500";

struct Result : ::squatguard::testing::CliResult {
  std::vector<nlohmann::json> rows;  // stdout as JSON lines
};

class ReuseCliTest : public CrawlCliTest {
 protected:
  ReuseCliTest() : CrawlCliTest("reuse-cli", {"HF_TOKEN"}) {}

  void SetUp() override {
    CrawlCliTest::SetUp();
    if (HasFatalFailure()) return;  // no server to script
    server_->Serve("/api/datasets" + kListing, {200, {}, "[]"});
    server_->Serve("/api/spaces" + kListing, {200, {}, "[]"});
  }

  Result Run(const std::vector<std::string>& args) {
    Result r{CrawlCliTest::Run(args), {}};
    for (absl::string_view line : absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object()) r.rows.push_back(j);
    }
    return r;
  }

  Result CrawlHf(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"crawl", "hf", "--endpoint", server_->url(), "--db", Db(),
                                     "--protected", kTestdata + "protected_reuse.jsonl",
                                     "--rate", "0", "--retries", "1", "--timeout", "5",
                                     "--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  Result CrawlFeed(const std::string& file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"crawl", "feed", kTestdata + file, "--db", Db(),
                                     "--protected", kTestdata + "protected_reuse.jsonl",
                                     "--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  void ServeModels(const std::string& fixture) {
    server_->Serve("/api/models" + kListing, {200, {}, ReadTestdata(fixture)});
  }

  // All rows, one a line; a database that will not open reads as "".
  std::string Query(const std::string& sql) {
    return absl::StrJoin(::squatguard::testing::Query(Db(), sql, QueryErrors::kIgnoreOpen),
                         "\n");
  }
};

const nlohmann::json* Find(const Result& r, const std::string& candidate) {
  for (const nlohmann::json& row : r.rows) {
    if (row.value("candidate", "") == candidate) return &row;
  }
  return nullptr;
}

bool HasTechnique(const nlohmann::json& row, const std::string& technique) {
  for (const auto& t : row["techniques"]) {
    if (t == technique) return true;
  }
  return false;
}

TEST_F(ReuseCliTest, DeletedRepoTombstonedThenReRegisteredRaisesReusedNamespace) {
  // Run 1: the repos as their owners made them.
  ServeModels("reuse_models_1.json");
  Result r = CrawlHf({"--verify-known", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(server_->CountRequests("/api/models/victim-org/useful-model"), 0)
      << "names first seen in this run are not re-checked";

  // Run 2: the listing has nothing new; the verify pass finds all three gone.
  server_->Serve("/api/models/victim-org/useful-model", {404, {}, R"({"error":"Repository not found"})"});
  server_->Serve("/api/models/gone-lab/model-a", {404, {}, "{}"});
  server_->Serve("/api/models/gone-lab/model-b", {404, {}, "{}"});
  r = CrawlHf({"--verify-known", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "known names checked: 3 (0 live, 3 gone")) << r.err;
  EXPECT_EQ(Query("SELECT name, state, detail FROM name_states ORDER BY name"),
            "gone-lab/model-a|gone|HTTP 404\ngone-lab/model-b|gone|HTTP 404\n"
            "victim-org/useful-model|gone|HTTP 404");

  // Run 3: the name is registered again (a new _id), a new repo appears in
  // the emptied org, and a retired protected org shows up.
  ServeModels("reuse_models_3.json");
  r = CrawlHf();
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
  const nlohmann::json* taken = Find(r, "victim-org/useful-model");
  ASSERT_NE(taken, nullptr) << r.out;
  EXPECT_TRUE(HasTechnique(*taken, "reused-namespace"));
  EXPECT_EQ((*taken)["target"], "victim-org/useful-model (_id 6650b2f0c0ffee0000000003)");
  EXPECT_EQ((*taken)["severity"], "high");
  const std::string why = (*taken)["explanation"];
  for (const char* part : {"_id 6650b2f0c0ffee0000000003", "_id 6666c3a0badc0de000000009",
                           "created 2024-05-24T12:00:03Z", "created 2024-06-10T08:00:00Z",
                           "was found gone on", "pin downloads by revision hash"}) {
    EXPECT_TRUE(absl::StrContains(why, part)) << part << " in " << why;
  }
  const nlohmann::json* org = Find(r, "gone-lab");
  ASSERT_NE(org, nullptr) << r.out;
  EXPECT_TRUE(HasTechnique(*org, "reused-namespace"));
  EXPECT_EQ((*org)["target_kind"], "org");
  EXPECT_TRUE(absl::StrContains((*org)["explanation"].get<std::string>(), "'gone-lab/model-c'"));
  const nlohmann::json* retired = Find(r, "old-research-lab/bert-base");
  ASSERT_NE(retired, nullptr) << r.out;
  EXPECT_TRUE(HasTechnique(*retired, "reused-namespace"));
  EXPECT_EQ((*retired)["target"], "old-research-lab");
  EXPECT_EQ(Query("SELECT state FROM name_states WHERE name = 'victim-org/useful-model'"), "live");
  EXPECT_EQ(Query("SELECT count(*) FROM name_identities WHERE name = 'victim-org/useful-model'"), "2");

  // Run 4: nothing is raised twice.
  r = CrawlHf();
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;

  // The alerts listing has them, for the SPEC's consumers.
  r = Run({"alerts", "--db", Db(), "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  int reused = 0;
  for (const nlohmann::json& row : r.rows) reused += HasTechnique(row, "reused-namespace");
  EXPECT_EQ(reused, 3) << r.out;
}

TEST_F(ReuseCliTest, VerifyPassFindsAReRegistrationTheListingMissed) {
  ServeModels("reuse_models_1.json");
  ASSERT_EQ(CrawlHf().exit_code, 0);
  // The same name answers with another _id; the others are as they were.
  server_->Serve("/api/models/victim-org/useful-model", {200, {}, ReadTestdata("reuse_repo_taken.json")});
  server_->Serve("/api/models/gone-lab/model-a", {200, {}, ReadTestdata("reuse_repo_original.json")});
  server_->Serve("/api/models/gone-lab/model-b",
                 {200, {}, R"({"_id": "6650b2f0c0ffee0000000001", "id": "gone-lab/model-b-renamed"})"});
  Result r = CrawlHf({"--verify-known", "5"});
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
  ASSERT_EQ(r.rows.size(), 1u) << r.out;
  EXPECT_EQ(r.rows[0]["candidate"], "victim-org/useful-model");
  EXPECT_EQ(r.rows[0]["score"], 0.9);
  EXPECT_TRUE(absl::StrContains(r.err, "(1 live, 0 gone, 1 renamed, 1 registered again")) << r.err;
  EXPECT_EQ(Query("SELECT state, detail FROM name_states WHERE name = 'gone-lab/model-b'"),
            "moved|gone-lab/model-b-renamed");
  // The oldest-checked come first: a limit of 1 re-checks one name per run.
  r = CrawlHf({"--verify-known", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "known names checked: 1 ")) << r.err;
}

TEST_F(ReuseCliTest, VerifyKnownOptionErrors) {
  Result r = CrawlFeed("campaign_feed_1.jsonl", {"--verify-known", "5"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "only the hf source")) << r.err;
  r = CrawlHf({"--verify-known", "-1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = CrawlHf({"--campaign-window", "soon"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--campaign-window")) << r.err;
  // A registry that fails the verify pass fails the run (exit 4).
  ServeModels("reuse_models_1.json");
  ASSERT_EQ(CrawlHf().exit_code, 0);
  server_->Serve("/api/models/victim-org/useful-model", {500, {}, "down"});
  r = CrawlHf({"--verify-known", "5"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
}

TEST_F(ReuseCliTest, FeedCampaignsRaisedOnceGrowAndStayQuietWhenBenign) {
  Result r = CrawlFeed("campaign_feed_1.jsonl");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  ASSERT_GE(r.rows.size(), 2u) << r.out;
  // Campaigns come first.
  EXPECT_TRUE(HasTechnique(r.rows[0], "campaign")) << r.out;
  EXPECT_TRUE(HasTechnique(r.rows[1], "campaign")) << r.out;
  const nlohmann::json* account = Find(r, "account:squatter42");
  ASSERT_NE(account, nullptr) << r.out;
  EXPECT_EQ((*account)["target"], "requests, numpy, pandas");
  const std::string why = (*account)["explanation"];
  EXPECT_TRUE(absl::StrContains(why, "'reqeusts' (requests), 'nunpy' (numpy), 'pandsa' (pandas)")) << why;
  EXPECT_FALSE(absl::StrContains(why, "djnago")) << "outside the window: " << why;
  double top_member = 0;
  for (const nlohmann::json& row : r.rows) {
    if (!HasTechnique(row, "campaign") && row["ecosystem"] == "pypi" &&
        row["candidate"] != "djnago" && row["candidate"] != "requestz") {
      top_member = std::max(top_member, row["score"].get<double>());
    }
  }
  EXPECT_NEAR((*account)["score"].get<double>(), top_member + 0.05, 0.0011);
  const nlohmann::json* target = Find(r, "3 accounts: meta-llarna, meta-lama, metallama");
  ASSERT_NE(target, nullptr) << r.out;
  EXPECT_EQ((*target)["target"], "meta-llama/Llama-3-8B");
  EXPECT_TRUE(absl::StrContains(r.err, "campaigns: 2 new, 0 grown")) << r.err;
  const int64_t account_id = (*account)["id"];

  // The next day: both grow, neither is raised again.
  r = CrawlFeed("campaign_feed_2.jsonl");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  for (const nlohmann::json& row : r.rows) EXPECT_FALSE(HasTechnique(row, "campaign")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "campaigns: 0 new, 2 grown")) << r.err;

  r = Run({"alerts", "--db", Db(), "--campaigns", "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(r.rows.size(), 2u) << r.out;
  const nlohmann::json* grown = Find(r, "account:squatter42");
  ASSERT_NE(grown, nullptr) << r.out;
  EXPECT_EQ((*grown)["id"], account_id);
  EXPECT_EQ((*grown)["members"], "1,2,3,11") << r.out;
  EXPECT_TRUE(absl::StrContains((*grown)["explanation"].get<std::string>(), "4 look-alikes"));

  // The plain listing shows campaigns first, then every alert oldest first.
  r = Run({"alerts", "--db", Db(), "--format", "jsonl"});
  ASSERT_EQ(r.rows.size(), 12u) << r.out;
  EXPECT_TRUE(HasTechnique(r.rows[0], "campaign"));
  EXPECT_TRUE(HasTechnique(r.rows[1], "campaign"));
  EXPECT_EQ(r.rows[2]["candidate"], "reqeusts");
  EXPECT_EQ(r.rows[2].count("members"), 0u);

  // Benign: the campaign stays quiet as it grows; its members keep their status.
  r = Run({"review", "--db", Db(), std::to_string(account_id), "--verdict", "benign",
           "--note", "the account's owner maintains forks"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(dir_ + "/day3.jsonl")
      << R"({"name": "requets", "ecosystem": "pypi", "account": "squatter42", "created_at": "2024-05-24T07:00:00Z"})"
      << "\n";
  r = Run({"crawl", "feed", dir_ + "/day3.jsonl", "--db", Db(), "--protected",
           kTestdata + "protected_reuse.jsonl", "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(r.rows.size(), 1u) << r.out;
  EXPECT_EQ(r.rows[0]["candidate"], "requets");
  EXPECT_EQ(Query("SELECT verdict FROM alerts WHERE id = " + std::to_string(account_id)), "benign");
  EXPECT_EQ(Query("SELECT count(*) FROM campaign_members WHERE campaign_id = " +
                  std::to_string(account_id)),
            "5");
  EXPECT_EQ(Query("SELECT status FROM alerts WHERE candidate = 'reqeusts'"), "new");
}

TEST_F(ReuseCliTest, HfAccountPublishingLookAlikesIsOneCampaign) {
  ServeModels("campaign_hf_models.json");
  Result r = CrawlHf();
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
  ASSERT_FALSE(r.rows.empty());
  EXPECT_EQ(r.rows[0]["candidate"], "account:meta-llarna") << r.out;
  EXPECT_TRUE(HasTechnique(r.rows[0], "campaign"));
  const std::string why = r.rows[0]["explanation"];
  EXPECT_TRUE(absl::StrContains(why, "registered 3 look-alikes")) << why;
  EXPECT_TRUE(absl::StrContains(why, "between 2024-05-24 and 2024-05-26")) << why;
  EXPECT_FALSE(absl::StrContains(why, "alice")) << why;
  for (size_t i = 1; i < r.rows.size(); ++i) {
    EXPECT_LT(r.rows[i]["score"].get<double>(), r.rows[0]["score"].get<double>()) << r.out;
  }

  // With grouping off, only the single alerts.
  std::system(("rm -f '" + Db() + "' '" + Db() + "-wal' '" + Db() + "-shm'").c_str());
  r = CrawlHf({"--campaign-window", "0"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  for (const nlohmann::json& row : r.rows) EXPECT_FALSE(HasTechnique(row, "campaign")) << r.out;
  // A narrow window splits the account's three days apart.
  r = Run({"alerts", "--db", Db(), "--campaigns", "--campaign-window", "36h", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = Run({"alerts", "--db", Db(), "--campaigns", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  ASSERT_EQ(r.rows.size(), 1u) << r.out;
  EXPECT_EQ(r.rows[0]["source"], "alerts");
  EXPECT_EQ(r.rows[0]["members"], "3,2,1");  // by registration time
}

}  // namespace
}  // namespace squatguard
