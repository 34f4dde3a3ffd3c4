// End to end through the real squatguard binary: `crawl sagemaker`,
// `crawl vertex`, `crawl azureml` and the MLflow alias/stage history against
// the fixture server, crawl after crawl as the registry changes (a version
// jump and a pointer moved onto it, then moved back), with `alerts` and
// `review`; credentials from the environment or --token-file, auth failures
// (exit 4, the credential named, never printed) and throttling.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/crawlers/cli_fixture.h"
#include "tests/crawlers/cloud_fixtures.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace {

using ::squatguard::testing::AzureModels;
using ::squatguard::testing::CheckSigV4;
using ::squatguard::testing::CrawlCliTest;
using ::squatguard::testing::FixtureServer;
using ::squatguard::testing::kVertexModels;
using ::squatguard::testing::Query;
using ::squatguard::testing::ReadTestdata;
using ::squatguard::testing::RegistryState;
using ::squatguard::testing::SageMakerKey;

const std::string kTestdata = SQUATGUARD_SOURCE_DIR "/tests/testdata/crawlers/";

constexpr char kKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kSessionToken[] = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue";
constexpr char kGoogleToken[] = "ya29.a0AfB_byEXAMPLEgoogleTOKEN";
constexpr char kAzureToken[] = "eyJ0eXAiOiJKV1QiEXAMPLEazureTOKEN";

using Env = ::squatguard::testing::EnvVars;
using Result = ::squatguard::testing::CliResult;

// One alert of JSONL output.
struct Alert {
  std::string candidate, target, severity, explanation;
  std::vector<std::string> techniques;
};

std::vector<Alert> Alerts(const std::string& out) {
  std::vector<Alert> alerts;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    if (j.is_discarded()) continue;
    Alert a{j.value("candidate", ""), j.value("target", ""), j.value("severity", ""),
            j.value("explanation", ""), {}};
    for (const auto& t : j.value("techniques", nlohmann::json::array())) {
      a.techniques.push_back(t.get<std::string>());
    }
    alerts.push_back(std::move(a));
  }
  return alerts;
}

std::vector<std::string> Targets(const std::string& out) {
  std::vector<std::string> targets;
  for (const Alert& a : Alerts(out)) targets.push_back(a.target);
  std::sort(targets.begin(), targets.end());
  return targets;
}

const Alert* Find(const std::vector<Alert>& alerts, const std::string& target) {
  for (const Alert& a : alerts) {
    if (a.target == target) return &a;
  }
  return nullptr;
}

class CloudCliTest : public CrawlCliTest {
 protected:
  // Every credential variable a source reads is unset; a test sets its own.
  CloudCliTest()
      : CrawlCliTest("cloud", {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                               "GOOGLE_OAUTH_ACCESS_TOKEN", "AZURE_ACCESS_TOKEN",
                               "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_URI", "HF_TOKEN"}) {}

  // Runs squatguard with only `env` of the credential variables set.
  Result Run(const std::vector<std::string>& args, const Env& env = {}) {
    return CrawlCliTest::Run(args, /*input=*/"", env);
  }

  Result Crawl(const std::string& source, std::vector<std::string> extra,
               const Env& env) {
    std::vector<std::string> args = {"crawl", source, "--endpoint", server_->url(),
                                     "--db", Db(), "--protected",
                                     kTestdata + "protected_cloud.jsonl", "--rate", "0",
                                     "--format", "jsonl", "--timeout", "5"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, env);
  }

  // No secret in anything squatguard wrote: stdout, stderr, the database.
  void ExpectNoSecrets(const Result& r) {
    std::string db;
    for (const std::string& row : Query(Db(), "SELECT error FROM runs")) db += row;
    for (const char* sql : {"SELECT explanation FROM alerts", "SELECT record FROM names"}) {
      for (const std::string& row : Query(Db(), sql)) db += row;
    }
    for (const char* secret :
         {kSecret, kSessionToken, kGoogleToken, kAzureToken}) {
      EXPECT_FALSE(absl::StrContains(r.out + r.err + db, secret)) << secret;
    }
  }

  // The three-crawl story every registry tells: baseline (a look-alike name),
  // a jump with the pointer moved onto it, the pointer moved back. Then a
  // quiet crawl, and a benign review that stays quiet.
  void ExpectLifecycleStory(const std::string& source,
                            const std::vector<std::string>& options, const Env& env,
                            void (*serve)(FixtureServer&, RegistryState),
                            const std::string& lookalike, const std::string& model,
                            const std::string& pointer, const std::string& was,
                            const std::string& jump) {
    serve(*server_, RegistryState::kBaseline);
    Result r = Crawl(source, options, env);
    ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
    std::vector<Alert> alerts = Alerts(r.out);
    ASSERT_EQ(alerts.size(), 1u) << r.out;
    EXPECT_EQ(alerts[0].candidate, lookalike);
    EXPECT_EQ(alerts[0].target, model);
    ExpectNoSecrets(r);

    serve(*server_, RegistryState::kJump);
    r = Crawl(source, options, env);
    ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
    const std::string moved = absl::StrCat(model, "@", pointer, ": ", was, " -> ", jump);
    EXPECT_EQ(Targets(r.out),  // sorted
              (std::vector<std::string>{absl::StrCat(model, " version ", jump), moved}))
        << r.out;
    alerts = Alerts(r.out);
    const Alert* move = Find(alerts, moved);
    ASSERT_NE(move, nullptr);
    EXPECT_EQ(move->techniques, (std::vector<std::string>{"alias-move", "version-jump"}));
    EXPECT_EQ(move->severity, "high");
    EXPECT_TRUE(absl::StrContains(move->explanation, "pin the model by version or content hash"))
        << move->explanation;

    serve(*server_, RegistryState::kReverted);
    r = Crawl(source, options, env);
    ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
    const std::string reverted =
        absl::StrCat(model, "@", pointer, ": ", was, " -> ", jump, " -> ", was);
    EXPECT_EQ(Targets(r.out), std::vector<std::string>{reverted}) << r.out;
    alerts = Alerts(r.out);
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].candidate, model);
    EXPECT_EQ(alerts[0].severity, "high");
    EXPECT_EQ(alerts[0].techniques, std::vector<std::string>{"alias-move"});
    for (const std::string part :
         {absl::StrCat("moved from version ", was, " to ", jump),
          absl::StrCat("moved back to ", was), std::string("within the 7d revert window"),
          std::string("pin the model by version or content hash")}) {
      EXPECT_TRUE(absl::StrContains(alerts[0].explanation, part))
          << part << "\n" << alerts[0].explanation;
    }
    ExpectNoSecrets(r);

    // Raised once: nothing new while nothing changes.
    r = Crawl(source, options, env);
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_TRUE(r.out.empty()) << r.out;

    // Stored, listed, reviewable; benign stays quiet when the pattern recurs.
    r = Run({"alerts", "--db", Db(), "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(Alerts(r.out).size(), 4u) << r.out;
    const std::string id = Query(
        Db(), absl::StrCat("SELECT id FROM alerts WHERE target = '", reverted, "'"))[0];
    EXPECT_EQ(Query(Db(), absl::StrCat("SELECT source FROM alerts WHERE id = ", id))[0],
              source);
    r = Run({"review", id, "--verdict", "benign", "--note", "rollback drill", "--db", Db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    serve(*server_, RegistryState::kJump);
    r = Crawl(source, options, env);
    EXPECT_EQ(r.exit_code, 1) << r.err;  // moved onto the jump again: a new move
    serve(*server_, RegistryState::kReverted);
    r = Crawl(source, options, env);
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;  // the reviewed revert: quiet
    EXPECT_EQ(Query(Db(), absl::StrCat("SELECT verdict FROM alerts WHERE id = ", id))[0],
              "benign");
  }

};

const Env kAws = {{"AWS_ACCESS_KEY_ID", kKeyId},
                  {"AWS_SECRET_ACCESS_KEY", kSecret},
                  {"AWS_SESSION_TOKEN", kSessionToken}};
const std::vector<std::string> kSageMakerOptions = {"--region", "us-east-1"};
const std::vector<std::string> kVertexOptions = {"--project", "acme-ml", "--location",
                                                 "us-central1"};
const std::vector<std::string> kAzureOptions = {
    "--subscription", "00000000-1111-2222-3333-444444444444", "--resource-group",
    "ml-rg", "--registry", "acme-registry"};

TEST_F(CloudCliTest, SageMakerLookAlikesJumpsAndApprovedMoves) {
  ExpectLifecycleStory("sagemaker", kSageMakerOptions, kAws,
                       ::squatguard::testing::ServeSageMaker, "fraud-detecter",
                       "fraud-detector", "approved", "2", "9000");
  // Every request was signed, with the session token, and verifies.
  ASSERT_FALSE(server_->requests().empty());
  for (const auto& r : server_->requests()) {
    EXPECT_EQ(r.Header("x-amz-security-token"), kSessionToken);
    EXPECT_EQ(CheckSigV4(r, kKeyId, kSecret, "us-east-1", "sagemaker"), "");
  }
  // The history, per ecosystem.
  EXPECT_EQ(Query(Db(), "SELECT version FROM alias_history WHERE ecosystem = 'sagemaker' "
                        "AND model = 'fraud-detector' ORDER BY id"),
            (std::vector<std::string>{"2", "9000", "2", "9000", "2"}));
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM version_history WHERE ecosystem = 'sagemaker'"),
            std::vector<std::string>{"6"});
}

TEST_F(CloudCliTest, VertexLookAlikesJumpsAndDefaultMoves) {
  ExpectLifecycleStory("vertex", kVertexOptions,
                       {{"GOOGLE_OAUTH_ACCESS_TOKEN", kGoogleToken}},
                       ::squatguard::testing::ServeVertex, "chum-predictor",
                       "churn-predictor", "default", "3", "5000");
  for (const auto& r : server_->requests()) {
    EXPECT_EQ(r.Header("authorization"), absl::StrCat("Bearer ", kGoogleToken));
  }
}

TEST_F(CloudCliTest, AzureMlLookAlikesJumpsAndLatestMoves) {
  ExpectLifecycleStory("azureml", kAzureOptions, {{"AZURE_ACCESS_TOKEN", kAzureToken}},
                       ::squatguard::testing::ServeAzureMl, "credit-scorinq",
                       "credit-scoring", "latest", "2", "7000");
  for (const auto& r : server_->requests()) {
    EXPECT_EQ(r.Header("authorization"), absl::StrCat("Bearer ", kAzureToken));
  }
}

TEST_F(CloudCliTest, SageMakerCredentialsMissingOrRefusedExit4) {
  ServeSageMaker(*server_, RegistryState::kBaseline);
  Result r = Crawl("sagemaker", kSageMakerOptions, {});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
      << r.err;
  EXPECT_TRUE(server_->requests().empty());

  const std::string first = SageMakerKey("SageMaker.ListModelPackageGroups", "", "");
  server_->Serve(first, {400, {}, ReadTestdata("sagemaker/unrecognized_client.json")});
  r = Crawl("sagemaker", kSageMakerOptions, kAws);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "UnrecognizedClientException")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "AWS_ACCESS_KEY_ID")) << r.err;
  ExpectNoSecrets(r);

  server_->Serve(first, {403, {}, ReadTestdata("sagemaker/access_denied.json")});
  r = Crawl("sagemaker", kSageMakerOptions, kAws);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "sagemaker:ListModelPackageGroups")) << r.err;
  ExpectNoSecrets(r);
  EXPECT_EQ(Query(Db(), "SELECT status FROM runs ORDER BY id DESC LIMIT 1")[0], "failed");
}

TEST_F(CloudCliTest, SageMakerThrottlingIsRiddenOut) {
  ServeSageMaker(*server_, RegistryState::kBaseline);
  server_->Script(SageMakerKey("SageMaker.ListModelPackages", "fraud-detector", ""),
                  {{400, {}, ReadTestdata("sagemaker/throttled.json")},
                   {200, {}, ReadTestdata("sagemaker/packages_fraud-detector_1.json")}});
  Result r = Crawl("sagemaker", kSageMakerOptions, kAws);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "(1 retried)")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "3 names fetched")) << r.err;
}

TEST_F(CloudCliTest, VertexTokenFileAndAuthFailures) {
  ServeVertex(*server_, RegistryState::kBaseline);
  const std::string token_file = Path("gcp-token");
  std::ofstream(token_file) << "  " << kGoogleToken << "\n";
  Result r = Crawl("vertex", {"--project", "acme-ml", "--location", "us-central1",
                              "--token-file", token_file},
                   {{"GOOGLE_OAUTH_ACCESS_TOKEN", "ignored-when-a-file-is-given"}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_FALSE(server_->requests().empty());
  EXPECT_EQ(server_->requests()[0].Header("authorization"),
            absl::StrCat("Bearer ", kGoogleToken));

  server_->Serve(kVertexModels, {401, {}, ReadTestdata("vertex/unauthenticated.json")});
  r = Crawl("vertex", {"--project", "acme-ml", "--location", "us-central1",
                       "--token-file", token_file}, {});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "refused the access token from --token-file " +
                                           token_file))
      << r.err;
  ExpectNoSecrets(r);

  r = Crawl("vertex", kVertexOptions, {});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "set GOOGLE_OAUTH_ACCESS_TOKEN or pass --token-file"))
      << r.err;

  server_->Serve(kVertexModels, {403, {}, ReadTestdata("vertex/permission_denied.json")});
  r = Crawl("vertex", kVertexOptions, {{"GOOGLE_OAUTH_ACCESS_TOKEN", kGoogleToken}});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "GOOGLE_OAUTH_ACCESS_TOKEN")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "PERMISSION_DENIED")) << r.err;
  ExpectNoSecrets(r);

  r = Crawl("vertex", {"--project", "acme-ml", "--location", "us-central1",
                       "--token-file", Path("missing")}, {});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--token-file: cannot read")) << r.err;
}

TEST_F(CloudCliTest, AzureMlAuthFailuresAndThrottling) {
  ServeAzureMl(*server_, RegistryState::kBaseline);
  server_->Script(AzureModels(),
                  {{429, {{"Retry-After", "1"}}, ReadTestdata("azureml/too_many_requests.json")},
                   {200, {}, ReadTestdata("azureml/models_1.json")}});
  Result r = Crawl("azureml", kAzureOptions, {{"AZURE_ACCESS_TOKEN", kAzureToken}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "(1 retried)")) << r.err;

  server_->Serve(AzureModels(), {403, {}, ReadTestdata("azureml/authorization_failed.json")});
  r = Crawl("azureml", kAzureOptions, {{"AZURE_ACCESS_TOKEN", kAzureToken}});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "AZURE_ACCESS_TOKEN")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "AuthorizationFailed")) << r.err;
  ExpectNoSecrets(r);

  server_->Serve(AzureModels(), {401, {}, ReadTestdata("azureml/invalid_token.json")});
  r = Crawl("azureml", kAzureOptions, {});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "set AZURE_ACCESS_TOKEN or pass --token-file")) << r.err;
}

TEST_F(CloudCliTest, MissingLocationsAreUsageErrors) {
  Result r = Run({"crawl", "sagemaker", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--region is required")) << r.err;
  r = Run({"crawl", "vertex", "--project", "p", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--location is required")) << r.err;
  r = Run({"crawl", "azureml", "--subscription", "s", "--registry", "r", "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--resource-group is required")) << r.err;
  r = Run({"crawl", "sagemaker", "--region", "us-east-1", "--revert-window", "soon",
           "--db", Db()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--revert-window")) << r.err;
  r = Run({"crawl", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"sagemaker", "vertex", "azureml", "--region", "--token-file",
                           "--revert-window", "AWS_SESSION_TOKEN", "AZURE_ACCESS_TOKEN"}) {
    EXPECT_TRUE(absl::StrContains(r.out, word)) << word;
  }
}

// MLflow: the champion alias and the Production stage, moved and moved back.
class MlflowLifecycleTest : public CloudCliTest {
 protected:
  // fraud-model with `champion` on `alias_version` and `production` in stage
  // Production (the others Archived).
  void ServeMlflow(const std::string& alias_version, const std::string& production) {
    std::string models = ReadTestdata("mlflow_models_1.json");
    const std::string champion = "\"alias\": \"champion\", \"version\": \"3\"";
    models.replace(models.find(champion), champion.size(),
                   "\"alias\": \"champion\", \"version\": \"" + alias_version + "\"");
    const std::string search = "/api/2.0/mlflow/registered-models/search?max_results=100";
    server_->Serve(search, {200, {}, models});
    server_->Serve(search + "&page_token=tok%2Fpage%2B2%3D%3D",
                   {200, {}, ReadTestdata("mlflow_models_2.json")});
    auto version = [&](const std::string& v) {
      return absl::StrCat(R"({"name": "fraud-model", "version": ")", v,
                          R"(", "creation_timestamp": 1716552000000, "current_stage": ")",
                          v == production ? "Production" : "Archived",
                          R"(", "source": "runs:/r)", v, R"(/model", "run_id": "r)", v,
                          R"(", "status": "READY"})");
    };
    const std::string versions = "/api/2.0/mlflow/model-versions/search?filter=name%3D%27";
    server_->Serve(versions + "fraud-model%27&max_results=1000",
                   {200, {}, absl::StrCat(R"({"model_versions": [)", version("3"), ", ",
                                          version("2"), ", ", version("1"), "]}")});
    server_->Serve(versions + "fraud-modle%27&max_results=1000", {200, {}, "{}"});
    server_->Serve(versions + "churn-model%27&max_results=1000",
                   {200, {}, ReadTestdata("mlflow_versions_one.json")});
  }
  Result CrawlMlflow() { return Crawl("mlflow", {}, {}); }
};

TEST_F(MlflowLifecycleTest, AliasMovedAndMovedBack) {
  ServeMlflow("3", "3");
  Result r = CrawlMlflow();
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Targets(r.out), std::vector<std::string>{"fraud-model"});  // fraud-modle

  ServeMlflow("2", "3");
  r = CrawlMlflow();
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Targets(r.out), std::vector<std::string>{"fraud-model@champion: 3 -> 2"});
  EXPECT_EQ(Alerts(r.out)[0].severity, "low");

  ServeMlflow("3", "3");
  r = CrawlMlflow();
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Targets(r.out), std::vector<std::string>{"fraud-model@champion: 3 -> 2 -> 3"});
  std::vector<Alert> alerts = Alerts(r.out);
  EXPECT_EQ(alerts[0].severity, "high");
  EXPECT_TRUE(absl::StrContains(alerts[0].explanation, "alias 'champion' of 'fraud-model'"));
  EXPECT_TRUE(absl::StrContains(alerts[0].explanation, "pin the model by version"));

  r = CrawlMlflow();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Query(Db(), "SELECT version FROM alias_history WHERE ecosystem = 'mlflow' AND "
                        "alias = 'champion' AND model = 'fraud-model' ORDER BY id"),
            (std::vector<std::string>{"3", "2", "3"}));
}

TEST_F(MlflowLifecycleTest, ProductionStageMovedAndMovedBack) {
  ServeMlflow("3", "3");
  ASSERT_EQ(CrawlMlflow().exit_code, 1);
  ServeMlflow("3", "2");
  Result r = CrawlMlflow();
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Targets(r.out), std::vector<std::string>{"fraud-model/Production: 3 -> 2"});
  ServeMlflow("3", "3");
  r = CrawlMlflow();
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Targets(r.out),
            std::vector<std::string>{"fraud-model/Production: 3 -> 2 -> 3"});
  EXPECT_TRUE(absl::StrContains(Alerts(r.out)[0].explanation, "stage 'Production'"));

  r = Run({"alerts", "--db", Db(), "--format", "table"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.out, "fraud-model/Production: 3 -> 2 -> 3")) << r.out;
}

TEST_F(MlflowLifecycleTest, RevertWindowOption) {
  ServeMlflow("3", "3");
  CrawlMlflow();
  ServeMlflow("2", "3");
  CrawlMlflow();
  ServeMlflow("3", "3");
  // The window reaches the job (lifecycle_test checks one that is exceeded).
  Result r = Crawl("mlflow", {"--revert-window", "1m"}, {});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  std::vector<Alert> alerts = Alerts(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_TRUE(absl::StrContains(alerts[0].explanation, "within the 1m revert window"))
      << alerts[0].explanation;
}

}  // namespace
}  // namespace squatguard
