// End to end through the real squatguard binary: `crawl` for every source
// against the fixture server, `alerts`, `review`, exit codes, and the crash
// test (kill -9 at random moments, resume, compare with an uninterrupted run).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/crawlers/cli_fixture.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace {

using ::squatguard::testing::CrawlCliTest;
using ::squatguard::testing::FixtureResponse;
using ::squatguard::testing::FixtureServer;
using ::squatguard::testing::Query;
using ::squatguard::testing::QueryErrors;
using ::squatguard::testing::QueryOne;
using ::squatguard::testing::ReadTestdata;
using ::squatguard::testing::Slurp;

const std::string kTestdata = SQUATGUARD_SOURCE_DIR "/tests/testdata/crawlers/";

using Result = ::squatguard::testing::CliResult;

class CliTest : public CrawlCliTest {
 protected:
  // Tokens are otherwise unset; a test passes its own through Run's `env`.
  CliTest()
      : CrawlCliTest("cli", {"HF_TOKEN", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_URI"}) {}

  // `crawl SOURCE` against the fixture server with the test lists.
  Result Crawl(const std::string& source, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"crawl", source, "--endpoint", server_->url(),
                                     "--db", Db(), "--protected",
                                     kTestdata + "protected.jsonl", "--rate", "0",
                                     "--format", "jsonl", "--timeout", "5"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  void ServeHf(const std::string& limit = "500") {
    const std::string q = "?sort=createdAt&direction=-1&limit=" + limit;
    const std::string page2 = "/api/models" + q + "&cursor=Mg";
    server_->Serve("/api/models" + q, {200, {{"Link", "<{{base}}" + page2 + ">; rel=\"next\""}},
                                       ReadTestdata("hf_models_1.json")});
    server_->Serve(page2, {200, {}, ReadTestdata("hf_models_2.json")});
    server_->Serve("/api/datasets" + q, {200, {}, ReadTestdata("hf_datasets_1.json")});
    server_->Serve("/api/spaces" + q, {200, {}, ReadTestdata("hf_spaces_1.json")});
  }

  void ServeMlflow() {
    const std::string search = "/api/2.0/mlflow/registered-models/search?max_results=100";
    server_->Serve(search, {200, {}, ReadTestdata("mlflow_models_1.json")});
    server_->Serve(search + "&page_token=tok%2Fpage%2B2%3D%3D",
                   {200, {}, ReadTestdata("mlflow_models_2.json")});
    const std::string versions = "/api/2.0/mlflow/model-versions/search?filter=name%3D%27";
    server_->Serve(versions + "fraud-model%27&max_results=1000",
                   {200, {}, ReadTestdata("mlflow_versions_fraud-model.json")});
    server_->Serve(versions + "fraud-model%27&max_results=1000&page_token=v2",
                   {200, {}, ReadTestdata("mlflow_versions_fraud-model_2.json")});
    server_->Serve(versions + "fraud-modle%27&max_results=1000", {200, {}, "{}"});
    server_->Serve(versions + "churn-model%27&max_results=1000",
                   {200, {}, ReadTestdata("mlflow_versions_one.json")});
  }

};

// The JSONL findings of `out`, as (candidate -> target).
std::vector<std::pair<std::string, std::string>> Alerts(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> alerts;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    if (j.is_discarded()) continue;
    alerts.emplace_back(j.value("candidate", ""), j.value("target", ""));
  }
  return alerts;
}

bool HasAlert(const std::string& out, const std::string& candidate) {
  for (const auto& [c, t] : Alerts(out)) {
    if (c == candidate) return true;
  }
  return false;
}

TEST_F(CliTest, HfCrawlRaisesAlertsOnceAcrossRuns) {
  ServeHf();
  Result r = Crawl("hf");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "meta-llarna/Llama-3-8B")) << r.out;
  EXPECT_FALSE(HasAlert(r.out, "alice/tiny-bert-sentiment")) << r.out;
  // The protected org's own repos are never findings against it.
  EXPECT_FALSE(HasAlert(r.out, "meta-llama/Llama-3-8B-Instruct-fork")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "4 pages, 8 names fetched, 8 new")) << r.err;
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM names"), "8");
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM name_identities"), "8");
  EXPECT_EQ(QueryOne(Db(), "SELECT account FROM names WHERE name = 'meta-llama-datasets/evals'"),
            "meta-llama-datasets");

  // The User-Agent names squatguard and its version.
  for (const auto& req : server_->requests()) {
    EXPECT_TRUE(absl::StartsWith(req.Header("user-agent"), "squatguard/")) << req.Header("user-agent");
  }

  // Nothing new: the next run stops at the watermark and alerts nothing.
  r = Crawl("hf");
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "0 new alerts")) << r.err;
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM names"), "8");

  // New repos since: only they are fetched and scored.
  const std::string q = "?sort=createdAt&direction=-1&limit=500";
  server_->Serve("/api/models" + q, {200, {}, ReadTestdata("hf_models_new.json")});
  r = Crawl("hf");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto alerts = Alerts(r.out);
  // A third account imitating meta-llama within days makes a campaign,
  // listed first (crawlers/campaigns.h).
  ASSERT_EQ(alerts.size(), 2u) << r.out;
  EXPECT_EQ(alerts[0].first, "3 accounts: meta-llama-datasets, meta-llarna, metallama");
  EXPECT_EQ(alerts[1].first, "metallama/Llama-3-8B");
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM names"), "10");
}

TEST_F(CliTest, PypiCrawlSeesEachProjectOnce) {
  server_->Script("/simple/", {{200, {}, ReadTestdata("pypi_simple.json")},
                               {200, {}, ReadTestdata("pypi_simple_more.json")}});
  Result r = Crawl("pypi");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "reqeusts")) << r.out;
  EXPECT_FALSE(HasAlert(r.out, "requests")) << r.out;
  EXPECT_FALSE(HasAlert(r.out, "numpy")) << r.out;
  EXPECT_EQ(server_->requests()[0].Header("accept"), "application/vnd.pypi.simple.v1+json");

  r = Crawl("pypi");  // the index now has two more projects
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_EQ(alerts[0].first, "rquests");
  EXPECT_TRUE(absl::StrContains(r.err, "8 names fetched, 2 new")) << r.err;
}

TEST_F(CliTest, NpmCrawlFollowsTheChangesFeed) {
  server_->Serve("/_changes?since=0&limit=3", {200, {}, ReadTestdata("npm_changes_0.json")});
  server_->Serve("/_changes?since=103&limit=3", {200, {}, ReadTestdata("npm_changes_103.json")});
  server_->Serve("/_changes?since=106&limit=3", {200, {}, ReadTestdata("npm_changes_106.json")});
  Result r = Crawl("npm", {"--page-size", "3"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "lodahs")) << r.out;
  EXPECT_FALSE(HasAlert(r.out, "express")) << r.out;
  EXPECT_EQ(QueryOne(Db(), "SELECT cursor FROM sources WHERE source = 'npm'"), "107");
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM names WHERE name = 'old-package'"), "0");

  server_->Serve("/_changes?since=107&limit=3", {200, {}, "{\"results\": [], \"last_seq\": 107}"});
  r = Crawl("npm", {"--page-size", "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_->CountRequests("/_changes?since=0&limit=3"), 1);
}

TEST_F(CliTest, MlflowCrawlRecordsVersionsAndAliases) {
  ServeMlflow();
  Result r = Crawl("mlflow");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "fraud-modle")) << r.out;
  EXPECT_FALSE(HasAlert(r.out, "churn-model")) << r.out;
  EXPECT_EQ(Query(Db(), "SELECT model, version, run_id FROM model_versions ORDER BY model, version"),
            (std::vector<std::string>{"churn-model|1|abc", "fraud-model|1|000111",
                                      "fraud-model|2|d4e5f6", "fraud-model|3|a1b2c3"}));
  EXPECT_EQ(Query(Db(), "SELECT model, alias, version FROM model_aliases ORDER BY model"),
            (std::vector<std::string>{"churn-model|champion|1", "fraud-model|champion|3"}));

  // The champion alias moves: the history keeps both pairings, and the move
  // is an alert (cloud_cli_test follows the alias and stage history further).
  std::string moved = ReadTestdata("mlflow_models_1.json");
  moved.replace(moved.find("\"alias\": \"champion\", \"version\": \"3\""),
                std::string("\"alias\": \"champion\", \"version\": \"3\"").size(),
                "\"alias\": \"champion\", \"version\": \"2\"");
  server_->Serve("/api/2.0/mlflow/registered-models/search?max_results=100", {200, {}, moved});
  r = Crawl("mlflow");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(Alerts(r.out).size(), 1u) << r.out;
  EXPECT_EQ(Alerts(r.out)[0], (std::pair<std::string, std::string>{
                                  "fraud-model", "fraud-model@champion: 3 -> 2"}));
  EXPECT_EQ(Query(Db(), "SELECT version FROM model_aliases WHERE model = 'fraud-model' ORDER BY id"),
            (std::vector<std::string>{"3", "2"}));
}

TEST_F(CliTest, FeedFromStdinAndFromAFile) {
  Result r = Run({"crawl", "feed", "-", "--db", Db(), "--protected",
                  kTestdata + "protected.jsonl", "--format", "jsonl"},
                 kTestdata + "feed.jsonl");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "meta-llarna/Llama-3-8B")) << r.out;
  EXPECT_TRUE(HasAlert(r.out, "reqeusts")) << r.out;
  EXPECT_TRUE(HasAlert(r.out, "lodahs")) << r.out;
  r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Db(), "--protected",
           kTestdata + "protected.jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  std::ofstream(Path("bad.jsonl")) << "fine-name\n{\"name\": \n";
  r = Run({"crawl", "feed", Path("bad.jsonl"), "--db", Db(), "--protected",
           kTestdata + "protected.jsonl"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "bad.jsonl:2:")) << r.err;
}

TEST_F(CliTest, SourceThatStaysDownExits4) {
  server_->Serve("/simple/", {500, {}, "down"});
  Result r = Crawl("pypi", {"--retries", "2"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "HTTP 500")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "gave up after 3 attempts")) << r.err;
  EXPECT_EQ(server_->CountRequests("/simple/"), 3);
  EXPECT_EQ(QueryOne(Db(), "SELECT status FROM runs"), "failed");

  r = Run({"crawl", "npm", "--endpoint", "http://127.0.0.1:9", "--db", Db(),
           "--protected", kTestdata + "protected.jsonl", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
}

TEST_F(CliTest, TokensAreSentButNeverPrinted) {
  server_->Serve("/api/models?sort=createdAt&direction=-1&limit=500",
                 {401, {}, "{\"error\": \"Invalid credentials in Authorization header\"}"});
  Result r = Run({"crawl", "hf", "--endpoint", server_->url(), "--db", Db(), "--protected",
                  kTestdata + "protected.jsonl", "--rate", "0"},
                 "", {{"HF_TOKEN", "hf_TopSecretValue"}});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "HTTP 401")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "token")) << r.err;  // the hint
  EXPECT_FALSE(absl::StrContains(r.err + r.out, "TopSecret")) << r.err;
  ASSERT_FALSE(server_->requests().empty());
  EXPECT_EQ(server_->requests()[0].Header("authorization"), "Bearer hf_TopSecretValue");
  // Nothing in the database either.
  for (const std::string& row : Query(Db(), "SELECT error FROM runs")) {
    EXPECT_FALSE(absl::StrContains(row, "TopSecret"));
  }
}

TEST_F(CliTest, MaxBodyBytesRefusesALargerResponse) {
  // PyPI's index (333 bytes here) has its own 1 GiB default; the flag bounds
  // it too.
  server_->Serve("/simple/", {200, {}, ReadTestdata("pypi_simple.json")});
  Result r = Crawl("pypi", {"--max-body-bytes", "100", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "GET " + server_->url() + "/simple/")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "response body larger than 100 bytes")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM names"), "0");
  EXPECT_EQ(QueryOne(Db(), "SELECT status FROM runs"), "failed");
  // A limit above the body's size: the same index is read.
  r = Crawl("pypi", {"--max-body-bytes", "333", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(HasAlert(r.out, "reqeusts")) << r.out;

  // Every other source's pages (npm's changes feed: 287 bytes).
  server_->Serve("/_changes?since=0&limit=3", {200, {}, ReadTestdata("npm_changes_0.json")});
  r = Crawl("npm", {"--page-size", "3", "--max-body-bytes=286", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "response body larger than 286 bytes")) << r.err;
  EXPECT_EQ(QueryOne(Db(), "SELECT cursor FROM sources WHERE source = 'npm'"), "<no row>");
}

// A body over the limit will be over it again: one request, not one per
// retry (each would download up to the limit for nothing).
TEST_F(CliTest, AnOversizedBodyIsNotRetried) {
  server_->Serve("/simple/", {200, {}, ReadTestdata("pypi_simple.json")});
  Result r = Crawl("pypi", {"--max-body-bytes", "100", "--retries", "4"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "response body larger than 100 bytes")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "raise --max-body-bytes")) << r.err;
  EXPECT_EQ(server_->CountRequests("/simple/"), 1);
}

TEST_F(CliTest, MaxBodyBytesAndEngineLimitsRejectBadValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--max-body-bytes", "0"},  {"--max-body-bytes", "-1"},           {"--max-body-bytes", "64MiB"},
      {"--max-body-bytes", "1e6"}, {"--max-body-bytes", "99999999999999999999"}, {"--max-body-bytes", ""},
      {"--max-name-bytes", "0"},  {"--max-reorder-words", "9"},
  };
  for (const auto& [flag, value] : cases) {
    Result r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Db(), "--protected",
                    kTestdata + "protected.jsonl", flag, value});
    EXPECT_EQ(r.exit_code, 2) << flag << " '" << value << "': " << r.err;
    EXPECT_TRUE(absl::StrContains(r.err, flag + ": expected")) << r.err;
    EXPECT_TRUE(absl::StrContains(r.err, "got '" + value + "'")) << r.err;
  }
  // Nothing was crawled or stored.
  EXPECT_NE(access(Db().c_str(), F_OK), 0) << "a usage error opens no database";
}

TEST_F(CliTest, RetryAfterAndServerErrorsAreRiddenOut) {
  const std::string q = "/api/models?sort=createdAt&direction=-1&limit=500";
  ServeHf();
  server_->Script(q, {{429, {{"Retry-After", "1"}}, "slow down"},
                      {500, {}, "oops"},
                      {200, {}, ReadTestdata("hf_models_2.json")}});
  absl::Time start = absl::Now();
  Result r = Crawl("hf");
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "3 pages, 5 names fetched")) << r.err;
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));  // waited as asked
  EXPECT_EQ(server_->CountRequests(q), 3);
  EXPECT_TRUE(absl::StrContains(r.err, "(2 retried)")) << r.err;
}

TEST_F(CliTest, TruncatedAndSlowPagesAreRetried) {
  FixtureResponse cut{200, {}, ReadTestdata("pypi_simple.json")};
  cut.truncate_after = 50;
  FixtureResponse slow{200, {}, ReadTestdata("pypi_simple.json")};
  slow.delay = absl::Seconds(20);
  server_->Script("/simple/", {cut, slow, {200, {}, ReadTestdata("pypi_simple.json")}});
  absl::Time start = absl::Now();
  Result r = Crawl("pypi", {"--timeout", "0.5"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Two timeouts of 0.5 s and two backoffs of at most 1 s and 2 s: the slow
  // answer was cut short, not waited for.
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_EQ(server_->CountRequests("/simple/"), 3);
}

TEST_F(CliTest, ReviewBenignKeepsThePairQuietAcrossListRefreshes) {
  server_->Serve("/simple/", {200, {}, ReadTestdata("pypi_simple.json")});
  Result r = Crawl("pypi");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  std::string id = QueryOne(Db(), "SELECT id FROM alerts WHERE candidate = 'reqeusts'");

  r = Run({"review", id, "--verdict", "benign", "--note", "our mirror", "--db", Db(),
           "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json reviewed = nlohmann::json::parse(r.out);
  EXPECT_EQ(reviewed["verdict"], "benign");
  EXPECT_EQ(reviewed["status"], "reviewed");
  EXPECT_EQ(reviewed["note"], "our mirror");

  // The lists change: stored names are checked again against them; the new
  // protected name catches an old name, the benign pair stays quiet.
  r = Crawl("pypi", {"--add-protected", kTestdata + "protected_more.jsonl"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_EQ(alerts[0], (std::pair<std::string, std::string>{"nunpy", "numpy"}));
  EXPECT_TRUE(absl::StrContains(r.err, "stored names checked again")) << r.err;
  EXPECT_EQ(QueryOne(Db(), "SELECT source FROM alerts WHERE candidate = 'nunpy'"), "rescan");
  EXPECT_EQ(QueryOne(Db(), "SELECT count(*) FROM alerts WHERE candidate = 'reqeusts'"), "1");

  r = Run({"alerts", "--db", Db(), "--status", "benign", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(Alerts(r.out).size(), 1u);
  EXPECT_EQ(Alerts(r.out)[0].first, "reqeusts");

  r = Run({"review", "999", "--verdict", "benign", "--db", Db()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  r = Run({"review", id, "--verdict", "maybe", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(CliTest, AlertsListsInEveryFormatWithFilters) {
  Result r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Db(), "--protected",
                  kTestdata + "protected.jsonl", "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 1) << r.err;

  r = Run({"alerts", "--db", Db(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_EQ(j["findings"].size(), 3u);
  EXPECT_TRUE(j["findings"][0]["id"].is_number());
  EXPECT_EQ(j["findings"][0]["status"], "new");
  EXPECT_TRUE(j["findings"][0].contains("first_seen"));

  r = Run({"alerts", "--db", Db(), "--format", "csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StartsWith(r.out, "id,status,verdict,note,source,first_seen,candidate")) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4);

  r = Run({"alerts", "--db", Db(), "--format", "sarif"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded());

  r = Run({"alerts", "--db", Db(), "--format", "table"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.out, "lodahs"));

  r = Run({"alerts", "--db", Db(), "--ecosystem", "npm", "--format", "jsonl"});
  EXPECT_EQ(Alerts(r.out).size(), 1u);
  r = Run({"alerts", "--db", Db(), "--min-score", "0.99", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  r = Run({"alerts", "--db", Db(), "--since", "1h", "--format", "jsonl"});
  EXPECT_EQ(Alerts(r.out).size(), 3u);
  r = Run({"alerts", "--db", Db(), "--since", "2999-01-01", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0);
  r = Run({"alerts", "--db", Db(), "--since", "last tuesday"});
  EXPECT_EQ(r.exit_code, 2);
  r = Run({"alerts", "--db", Path("missing.db")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(absl::StrContains(r.err, "missing.db")) << r.err;
}

TEST_F(CliTest, ReportFileAndBadInputs) {
  Result r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Db(), "--protected",
                  kTestdata + "protected.jsonl", "--report", Path("new.json")});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json report = nlohmann::json::parse(Slurp(Path("new.json")), nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["findings"].size(), 3u);
  EXPECT_EQ(report["stats"]["source"], "feed");

  std::ofstream(Path("more.txt")) << "npm:lodasj\n";
  r = Run({"crawl", "feed", Path("more.txt"), "--db", Db(), "--protected",
           kTestdata + "protected.jsonl", "--report", Path("new.csv")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::string csv = Slurp(Path("new.csv"));
  EXPECT_TRUE(absl::StrContains(csv, "lodasj")) << csv;

  r = Run({"crawl", "feed", "--report", Path("x.txt"), "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Run({"crawl", "ftp", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Run({"crawl", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;

  std::ofstream(Path("junk.db")) << std::string(200, 'j');
  r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Path("junk.db"),
           "--protected", kTestdata + "protected.jsonl"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "junk.db")) << r.err;

  std::ofstream(Path("bad-list.jsonl")) << "{\"name\": \"x\", \"kind\": \"orgg\", \"ecosystem\": \"hf\"}\n";
  r = Run({"crawl", "feed", kTestdata + "feed.jsonl", "--db", Db(), "--protected",
           Path("bad-list.jsonl")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "bad-list.jsonl:1")) << r.err;
}

// --- The crash test ---------------------------------------------------------

constexpr int kCrashModelPages = 24;
constexpr int kCrashPageSize = 25;

// A Hub with kCrashModelPages pages of models (a few of them squats), plus a
// page each of datasets and spaces. Pages answer after a short delay so that
// a kill lands in the middle of a run.
void ServeBigHub(FixtureServer& server) {
  const std::string q = "?sort=createdAt&direction=-1&limit=" + std::to_string(kCrashPageSize);
  int64_t t = 1716552000;
  for (int page = 0; page < kCrashModelPages; ++page) {
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < kCrashPageSize; ++i, --t) {
      int n = page * kCrashPageSize + i;
      std::string id = n % 37 == 5   ? absl::StrCat("meta-llarna/Llama-3-8B-v", n)
                       : n % 41 == 7 ? absl::StrCat("meta-lIama/Llama-3-8B-", n)
                                     : absl::StrCat("user", n % 53, "/model-", n);
      items.push_back({{"_id", absl::StrCat("id", n)},
                       {"id", id},
                       {"createdAt", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                                                      absl::FromUnixSeconds(t),
                                                      absl::UTCTimeZone())}});
    }
    std::string target = page == 0 ? "/api/models" + q
                                   : absl::StrCat("/api/models", q, "&cursor=c", page);
    FixtureResponse r{200, {}, items.dump()};
    if (page + 1 < kCrashModelPages) {
      r.headers.push_back({"Link", absl::StrCat("<{{base}}/api/models", q, "&cursor=c",
                                                page + 1, ">; rel=\"next\"")});
    }
    r.delay = absl::Milliseconds(15);
    server.Serve(target, r);
  }
  server.Serve("/api/datasets" + q, {200, {}, ReadTestdata("hf_datasets_1.json")});
  server.Serve("/api/spaces" + q, {200, {}, ReadTestdata("hf_spaces_1.json")});
}

std::vector<std::string> Snapshot(const std::string& db) {
  std::vector<std::string> all;
  for (const char* sql :
       {"SELECT 'name', ecosystem, kind, name, account, created_at, source, record "
        "FROM names ORDER BY ecosystem, kind, name",
        "SELECT 'identity', ecosystem, kind, name, registry_id FROM name_identities "
        "ORDER BY ecosystem, kind, name, registry_id",
        "SELECT 'alert', candidate, ecosystem, target, target_kind, score, severity, "
        "techniques, distance, explanation, status FROM alerts "
        "ORDER BY ecosystem, candidate, target",
        "SELECT 'cursor', source, cursor FROM sources ORDER BY source",
        "SELECT 'meta', key, value FROM meta ORDER BY key"}) {
    std::vector<std::string> rows = Query(db, sql);
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

TEST_F(CliTest, KilledAtRandomMomentsLosesNothingAndRepeatsNothing) {
  ServeBigHub(*server_);
  auto crawl_args = [&](const std::string& db) {
    return std::vector<std::string>{
        "crawl", "hf", "--endpoint", server_->url(), "--db", db, "--protected",
        kTestdata + "protected.jsonl", "--rate", "0", "--page-size",
        std::to_string(kCrashPageSize), "--format", "jsonl"};
  };

  // The reference: one uninterrupted run.
  absl::Time start = absl::Now();
  Result reference = Run(crawl_args(Path("reference.db")));
  const absl::Duration full_run = absl::Now() - start;
  ASSERT_EQ(reference.exit_code, 1) << reference.err;
  const std::vector<std::string> expected = Snapshot(Path("reference.db"));
  const int expected_names = kCrashModelPages * kCrashPageSize + 3;
  ASSERT_EQ(QueryOne(Path("reference.db"), "SELECT count(*) FROM names"),
            std::to_string(expected_names));

  // A run with nothing new costs start-up plus three requests; a page of
  // the pass costs about (full - noop) / pages. Kills land within start-up
  // plus a few pages, so most interrupt a pass that still has work to do.
  start = absl::Now();
  ASSERT_EQ(Run(crawl_args(Path("reference.db"))).exit_code, 0);
  const absl::Duration noop_run = absl::Now() - start;
  const absl::Duration per_page =
      std::max(absl::Milliseconds(1), (full_run - noop_run) / (kCrashModelPages - 1));
  std::mt19937 random(20240524);
  std::uniform_int_distribution<int64_t> when(
      0, absl::ToInt64Milliseconds(noop_run + 3 * per_page));
  int killed_mid_run = 0;
  int partial = 0;  // kills that left some, but not all, names stored
  std::vector<std::string> progress;
  for (int attempt = 0; attempt < 15; ++attempt) {
    pid_t pid = Spawn(crawl_args(Path("crashed.db")));
    absl::SleepFor(absl::Milliseconds(when(random)));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      if (WIFSIGNALED(status)) ++killed_mid_run;
    }
    // Between kills the database is always consistent. (A kill in the first
    // milliseconds leaves no file, or one without the schema yet.)
    if (access(Path("crashed.db").c_str(), F_OK) == 0) {
      ASSERT_EQ(QueryOne(Path("crashed.db"), "PRAGMA integrity_check"), "ok");
      std::string names =
          QueryOne(Path("crashed.db"), "SELECT count(*) FROM names", QueryErrors::kIgnore);
      progress.push_back(names);
      if (names != "<no row>" && names != "0" &&
          names != std::to_string(expected_names)) {
        ++partial;
      }
    }
  }
  Result last = Run(crawl_args(Path("crashed.db")));
  ASSERT_TRUE(last.exit_code == 0 || last.exit_code == 1) << last.err;

  EXPECT_GE(killed_mid_run, 8) << "kills should mostly land mid-run";
  EXPECT_GE(partial, 5) << "names stored after each kill: " << absl::StrJoin(progress, " ");
  const std::vector<std::string> actual = Snapshot(Path("crashed.db"));
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual, expected);
  // No alert twice: one row per (ecosystem, candidate, target) by schema,
  // and the count matches the uninterrupted run.
  EXPECT_EQ(QueryOne(Path("crashed.db"), "SELECT count(*) FROM alerts"),
            QueryOne(Path("reference.db"), "SELECT count(*) FROM alerts"));
  std::printf("crash test: uninterrupted run %s, no-op run %s; %d of 15 runs "
              "killed mid-run; names stored after each kill: %s; %zu rows "
              "compared equal\n",
              absl::FormatDuration(full_run).c_str(),
              absl::FormatDuration(noop_run).c_str(), killed_mid_run,
              absl::StrJoin(progress, " ").c_str(), actual.size());
}

}  // namespace
}  // namespace squatguard
