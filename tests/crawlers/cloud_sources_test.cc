// The cloud model registry sources (sagemaker, vertex, azureml) against the
// fixture server: real response shapes, paging, SigV4, credential errors
// that name what is missing without printing it, and throttling.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/azureml_source.h"
#include "crawlers/http_client.h"
#include "crawlers/sagemaker_source.h"
#include "crawlers/source_factory.h"
#include "crawlers/vertex_source.h"
#include "gtest/gtest.h"
#include "tests/crawlers/cloud_fixtures.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace crawlers {
namespace {

using ::squatguard::testing::AzureModels;
using ::squatguard::testing::CheckSigV4;
using ::squatguard::testing::FixtureResponse;
using ::squatguard::testing::FixtureServer;
using ::squatguard::testing::HmacSha256;
using ::squatguard::testing::kAzureRegistry;
using ::squatguard::testing::kVertexModels;
using ::squatguard::testing::ReadTestdata;
using ::squatguard::testing::RegistryState;
using ::squatguard::testing::SageMakerKey;
using ::squatguard::testing::Sha256Hex;

constexpr char kKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kSessionToken[] = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue";
constexpr char kBearer[] = "ya29.a0AfB_byEXAMPLEaccessTOKEN";

SourceOptions Options(const FixtureServer& server) {
  SourceOptions o;
  o.endpoint = server.url();
  o.fetch.requests_per_second = 0;
  o.fetch.retry.max_attempts = 3;
  o.fetch.retry.sleep = [](absl::Duration) {};
  o.fetch.http.total_timeout = absl::Seconds(5);
  o.cloud.region = "us-east-1";
  o.cloud.project = "acme-ml";
  o.cloud.location = "us-central1";
  o.cloud.subscription = "00000000-1111-2222-3333-444444444444";
  o.cloud.resource_group = "ml-rg";
  o.cloud.registry = "acme-registry";
  o.cloud.aws = {kKeyId, kSecret, kSessionToken};
  return o;
}

std::vector<SourcePage> Drain(Source& source) {
  std::vector<SourcePage> pages;
  std::string cursor;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<SourcePage> page = source.FetchPage(cursor);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    cursor = page->next_cursor;
    pages.push_back(*std::move(page));
    if (pages.back().done) break;
  }
  EXPECT_EQ(cursor, "");  // the next run lists the registry again
  return pages;
}

std::vector<std::string> Names(const std::vector<SourcePage>& pages) {
  std::vector<std::string> out;
  for (const SourcePage& p : pages) {
    for (const SeenName& n : p.names) out.push_back(n.name);
  }
  return out;
}

// "model version status" for every version of the pages.
std::vector<std::string> Versions(const std::vector<SourcePage>& pages) {
  std::vector<std::string> out;
  for (const SourcePage& p : pages) {
    for (const SeenModelVersion& v : p.versions) {
      out.push_back(absl::StrCat(v.model, " ", v.version,
                                 v.status.empty() ? "" : " ", v.status));
    }
  }
  return out;
}

// "model@alias=version" for every alias of the pages.
std::vector<std::string> Aliases(const std::vector<SourcePage>& pages) {
  std::vector<std::string> out;
  for (const SourcePage& p : pages) {
    for (const SeenAlias& a : p.aliases) {
      out.push_back(absl::StrCat(a.model, "@", a.alias, "=", a.version));
    }
  }
  return out;
}

void ExpectHidden(const absl::Status& status) {
  const std::string text = status.ToString();
  for (const char* secret : {kSecret, kSessionToken, kBearer}) {
    EXPECT_FALSE(absl::StrContains(text, secret)) << text;
  }
}

TEST(ReferenceCryptoTest, MatchesPublishedVectors) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  // RFC 4231 test case 2.
  std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  std::string hex;
  for (unsigned char c : mac) absl::StrAppend(&hex, absl::Hex(c, absl::kZeroPad2));
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SageMakerSourceTest, ListsGroupsAndPackagesSignedWithSigV4) {
  auto server = *FixtureServer::Start();
  ServeSageMaker(*server, RegistryState::kBaseline);
  SageMakerSource source(Options(*server));
  std::vector<SourcePage> pages = Drain(source);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages),
            (std::vector<std::string>{"fraud-detector", "fraud-detecter", "churn-model"}));
  const SeenName& group = pages[0].names[0];
  EXPECT_EQ(group.ecosystem, Ecosystem::kSageMaker);
  EXPECT_EQ(group.kind, "model-package-group");
  EXPECT_EQ(*group.created_at, 1716552000);  // 1716552000.123 seconds
  EXPECT_TRUE(absl::StrContains(group.record, "Card fraud scoring"));
  EXPECT_EQ(Versions(pages),
            (std::vector<std::string>{
                "fraud-detector 1 Approved", "fraud-detector 2 Approved",
                "fraud-detector 3 PendingManualApproval",
                "fraud-detecter 1 PendingManualApproval", "churn-model 1 Approved"}));
  EXPECT_EQ(pages[0].versions[0].ecosystem, Ecosystem::kSageMaker);
  EXPECT_EQ(pages[0].versions[0].source_uri,
            "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detector/1");
  // "approved" is the highest Approved version; a group with none has none.
  EXPECT_EQ(Aliases(pages), (std::vector<std::string>{"fraud-detector@approved=2",
                                                      "churn-model@approved=1"}));

  std::vector<::squatguard::testing::RecordedRequest> requests = server->requests();
  ASSERT_EQ(requests.size(), 6u);  // 2 group pages, 2 + 1 + 1 package pages
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/");
    EXPECT_EQ(r.Header("content-type"), "application/x-amz-json-1.1");
    EXPECT_TRUE(absl::StartsWith(r.Header("x-amz-target"), "SageMaker.ListModelPackage"));
    EXPECT_EQ(r.Header("x-amz-security-token"), kSessionToken);
    const std::string auth = r.Header("authorization");
    EXPECT_TRUE(absl::StartsWith(
        auth, absl::StrCat("AWS4-HMAC-SHA256 Credential=", kKeyId, "/",
                           r.Header("x-amz-date").substr(0, 8),
                           "/us-east-1/sagemaker/aws4_request, SignedHeaders=")))
        << auth;
    // The target and the session token are signed, and the signature
    // (which covers the JSON body) verifies.
    EXPECT_TRUE(absl::StrContains(auth, "x-amz-security-token")) << auth;
    EXPECT_TRUE(absl::StrContains(auth, "x-amz-target")) << auth;
    EXPECT_EQ(CheckSigV4(r, kKeyId, kSecret, "us-east-1", "sagemaker"), "");
  }
  EXPECT_EQ(requests[0].body,
            R"({"MaxResults":100,"SortBy":"CreationTime","SortOrder":"Ascending"})");
  EXPECT_TRUE(absl::StrContains(requests[1].body,
                                R"("ModelPackageGroupName":"fraud-detector")"));
  EXPECT_TRUE(absl::StrContains(requests[1].body, R"("ModelPackageType":"Versioned")"));

  // A tampered body no longer matches the signature: the check has teeth.
  auto tampered = requests[0];
  tampered.body = R"({"MaxResults":99})";
  EXPECT_NE(CheckSigV4(tampered, kKeyId, kSecret, "us-east-1", "sagemaker"), "");
}

TEST(SageMakerSourceTest, ApprovedFollowsTheHighestApprovedVersion) {
  auto server = *FixtureServer::Start();
  ServeSageMaker(*server, RegistryState::kJump);
  SageMakerSource jump(Options(*server));
  EXPECT_EQ(Aliases(Drain(jump))[0], "fraud-detector@approved=9000");
  ServeSageMaker(*server, RegistryState::kReverted);
  SageMakerSource reverted(Options(*server));
  EXPECT_EQ(Aliases(Drain(reverted))[0], "fraud-detector@approved=2");
}

TEST(SageMakerSourceTest, ThrottlingIsRetriedWithBackoff) {
  auto server = *FixtureServer::Start();
  ServeSageMaker(*server, RegistryState::kBaseline);
  const std::string first = SageMakerKey("SageMaker.ListModelPackageGroups", "", "");
  server->Script(first, {{400, {}, ReadTestdata("sagemaker/throttled.json")},
                         {429, {}, ""},
                         {200, {}, ReadTestdata("sagemaker/groups_2.json")}});
  SourceOptions o = Options(*server);
  std::vector<absl::Duration> waits;
  o.fetch.retry.sleep = [&waits](absl::Duration d) { waits.push_back(d); };
  SageMakerSource source(o);
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->names.size(), 1u);
  EXPECT_EQ(waits.size(), 2u);
  EXPECT_EQ(source.stats().failed_attempts, 2);

  // Throttled for good: gives up naming the throttling, exit 4.
  server->Serve(first, {400, {}, ReadTestdata("sagemaker/throttled.json")});
  SageMakerSource stuck(Options(*server));
  page = stuck.FetchPage("");
  EXPECT_TRUE(IsNetworkFailure(page.status())) << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "ThrottlingException"))
      << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "gave up after 3 attempts"))
      << page.status();
}

TEST(SageMakerSourceTest, CredentialErrorsNameTheVariableNotTheSecret) {
  auto server = *FixtureServer::Start();
  ServeSageMaker(*server, RegistryState::kBaseline);
  const std::string first = SageMakerKey("SageMaker.ListModelPackageGroups", "", "");
  server->Serve(first, {400, {}, ReadTestdata("sagemaker/unrecognized_client.json")});
  SageMakerSource source(Options(*server));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "UnrecognizedClientException"));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "AWS_ACCESS_KEY_ID"));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "ListModelPackageGroups"));
  EXPECT_EQ(server->CountRequests("/"), 1);  // not retried
  ExpectHidden(page.status());

  server->Serve(first, {400, {{"x-amzn-ErrorType", "InvalidSignatureException:http://internal"}},
                        "{\"message\": \"The request signature we calculated does not match\"}"});
  page = SageMakerSource(Options(*server)).FetchPage("");
  EXPECT_TRUE(absl::StrContains(page.status().message(), "AWS_SECRET_ACCESS_KEY"))
      << page.status();
  ExpectHidden(page.status());

  server->Serve(first, {400, {}, R"({"__type": "ExpiredTokenException", "message": "The security token included in the request is expired"})"});
  page = SageMakerSource(Options(*server)).FetchPage("");
  EXPECT_TRUE(absl::StrContains(page.status().message(), "AWS_SESSION_TOKEN"))
      << page.status();

  server->Serve(first, {403, {}, ReadTestdata("sagemaker/access_denied.json")});
  page = SageMakerSource(Options(*server)).FetchPage("");
  EXPECT_TRUE(absl::StrContains(page.status().message(), "HTTP 403")) << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(),
                                "sagemaker:ListModelPackageGroups"))
      << page.status();
  ExpectHidden(page.status());

  // No keys at all: nothing is sent, and the message says what to set.
  const int sent = server->CountRequests("/");
  SourceOptions o = Options(*server);
  o.cloud.aws = {};
  page = SageMakerSource(o).FetchPage("");
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_TRUE(absl::StrContains(page.status().message(),
                                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
      << page.status();
  EXPECT_EQ(server->CountRequests("/"), sent);
}

TEST(SageMakerSourceTest, SecretEchoedByTheServerIsRedacted) {
  auto server = *FixtureServer::Start();
  server->Route(::squatguard::testing::SageMakerRoute);
  server->Serve(SageMakerKey("SageMaker.ListModelPackageGroups", "", ""),
                {400, {}, absl::StrCat(R"({"__type": "ValidationException", "message": "bad token )",
                                       kSessionToken, R"("})")});
  absl::StatusOr<SourcePage> page = SageMakerSource(Options(*server)).FetchPage("");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(absl::StrContains(page.status().message(), "ValidationException"));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "[redacted]")) << page.status();
  ExpectHidden(page.status());
  EXPECT_TRUE(IsNetworkFailure(page.status()));
}

TEST(VertexSourceTest, PagesModelsAndVersionsWithAliases) {
  auto server = *FixtureServer::Start();
  ServeVertex(*server, RegistryState::kBaseline);
  SourceOptions o = Options(*server);
  o.token = kBearer;
  VertexSource source(o);
  std::vector<SourcePage> pages = Drain(source);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages), (std::vector<std::string>{"churn-predictor", "chum-predictor",
                                                     "sales-forecast"}));
  const SeenName& model = pages[0].names[0];
  EXPECT_EQ(model.ecosystem, Ecosystem::kVertex);
  EXPECT_EQ(model.registry_id, "projects/123456789012/locations/us-central1/models/1111");
  EXPECT_EQ(*model.created_at, 1709287200);  // 2024-03-01T10:00:00.123456Z
  EXPECT_EQ(Versions(pages),
            (std::vector<std::string>{"churn-predictor 1", "churn-predictor 2",
                                      "churn-predictor 3", "chum-predictor 1",
                                      "sales-forecast 1"}));
  EXPECT_EQ(Aliases(pages),
            (std::vector<std::string>{"churn-predictor@stable=2",
                                      "churn-predictor@default=3",
                                      "churn-predictor@prod=3",
                                      "chum-predictor@default=1",
                                      "sales-forecast@default=1"}));
  EXPECT_EQ(server->CountRequests(
                "/v1/projects/123456789012/locations/us-central1/models/1111:listVersions"),
            2);
  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.Header("authorization"), absl::StrCat("Bearer ", kBearer));
  }
}

TEST(VertexSourceTest, AuthFailuresSayWhichTokenAndHideIt) {
  auto server = *FixtureServer::Start();
  server->Serve(kVertexModels, {401, {}, ReadTestdata("vertex/unauthenticated.json")});
  SourceOptions o = Options(*server);
  o.token = kBearer;
  o.cloud.token_origin = "GOOGLE_OAUTH_ACCESS_TOKEN";
  absl::StatusOr<SourcePage> page = VertexSource(o).FetchPage("");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "HTTP 401")) << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(),
                                "refused the access token from GOOGLE_OAUTH_ACCESS_TOKEN"))
      << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "UNAUTHENTICATED"));
  EXPECT_EQ(server->CountRequests(kVertexModels), 1);
  ExpectHidden(page.status());

  o.token.clear();
  page = VertexSource(o).FetchPage("");
  EXPECT_TRUE(absl::StrContains(
      page.status().message(),
      "none was sent: set GOOGLE_OAUTH_ACCESS_TOKEN or pass --token-file"))
      << page.status();

  server->Serve(kVertexModels, {403, {}, ReadTestdata("vertex/permission_denied.json")});
  o.token = kBearer;
  o.cloud.token_origin = "--token-file /run/secrets/gcp";
  page = VertexSource(o).FetchPage("");
  EXPECT_TRUE(absl::StrContains(page.status().message(), "--token-file /run/secrets/gcp"))
      << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "aiplatform.models.list"));
  ExpectHidden(page.status());
}

TEST(VertexSourceTest, QuotaExhaustionIsRetried) {
  auto server = *FixtureServer::Start();
  ServeVertex(*server, RegistryState::kBaseline);
  server->Script(kVertexModels,
                 {{429, {}, ReadTestdata("vertex/resource_exhausted.json")},
                  {200, {}, ReadTestdata("vertex/models_2.json")}});
  VertexSource source(Options(*server));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->names[0].name, "sales-forecast");
  EXPECT_EQ(server->CountRequests(kVertexModels), 2);
}

TEST(VertexSourceTest, ModelNamesAreCheckedBeforeTheyBecomeUrls) {
  auto server = *FixtureServer::Start();
  server->Serve(kVertexModels,
                {200, {}, R"({"models": [{"name": "projects/p/locations/l/models/../../../../admin?x=", "displayName": "evil"}]})"});
  absl::StatusOr<SourcePage> page = VertexSource(Options(*server)).FetchPage("");
  EXPECT_FALSE(page.ok());
  EXPECT_TRUE(absl::StrContains(page.status().message(), "is not projects/P/locations/L/models/M"))
      << page.status();
  EXPECT_EQ(server->CountRequests("/admin"), 0);
}

TEST(AzureMlSourceTest, FollowsNextLinksForModelsAndVersions) {
  auto server = *FixtureServer::Start();
  ServeAzureMl(*server, RegistryState::kBaseline);
  SourceOptions o = Options(*server);
  o.token = kBearer;
  AzureMlSource source(o);
  std::vector<SourcePage> pages = Drain(source);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages), (std::vector<std::string>{"credit-scoring", "credit-scorinq",
                                                     "income-model"}));
  EXPECT_EQ(pages[0].next_cursor,
            absl::StrCat(server->url(), AzureModels(), "&$skip=eyJza2lwIjoyfQ%3D%3D"));
  const SeenName& model = pages[0].names[1];
  EXPECT_EQ(model.ecosystem, Ecosystem::kAzureML);
  EXPECT_EQ(model.account, "build-agent-7");
  EXPECT_EQ(*model.created_at, 1716592200);  // 2024-05-24T23:10:00Z
  EXPECT_EQ(Versions(pages),
            (std::vector<std::string>{"credit-scoring 1 active", "credit-scoring 2 active",
                                      "credit-scorinq 1 active", "income-model 1 active",
                                      "income-model 2 active"}));
  EXPECT_EQ(pages[0].versions[0].source_uri,
            "azureml://registries/acme-registry/models/credit-scoring/versions/1");
  // "latest" from latestVersion, else the highest active version.
  EXPECT_EQ(Aliases(pages), (std::vector<std::string>{"credit-scoring@latest=2",
                                                      "credit-scorinq@latest=1",
                                                      "income-model@latest=2"}));
  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.Header("authorization"), absl::StrCat("Bearer ", kBearer));
    EXPECT_TRUE(absl::StartsWith(r.target, kAzureRegistry)) << r.target;
  }

  ServeAzureMl(*server, RegistryState::kJump);
  AzureMlSource jump(o);
  std::vector<SourcePage> jumped = Drain(jump);
  EXPECT_EQ(Aliases(jumped)[0], "credit-scoring@latest=7000");
  EXPECT_EQ(Versions(jumped)[2], "credit-scoring 7000 active");
}

TEST(AzureMlSourceTest, RefusesNextLinksToAnotherHost) {
  auto server = *FixtureServer::Start();
  server->Serve(AzureModels(),
                {200, {}, R"({"value": [], "nextLink": "https://attacker.example/steal?api-version=2023-04-01"})"});
  SourceOptions o = Options(*server);
  o.token = kBearer;
  absl::StatusOr<SourcePage> page = AzureMlSource(o).FetchPage("");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_TRUE(absl::StrContains(page.status().message(), "another host")) << page.status();
  ExpectHidden(page.status());
  // Nor from a stored cursor: one for another host starts the listing over.
  ServeAzureMl(*server, RegistryState::kBaseline);
  page = AzureMlSource(o).FetchPage("http://127.0.0.2:1/models?api-version=2023-04-01");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->names[0].name, "credit-scoring");
  for (const auto& r : server->requests()) {
    EXPECT_TRUE(absl::StartsWith(r.target, kAzureRegistry)) << r.target;
  }
}

TEST(AzureMlSourceTest, AuthFailuresAndThrottling) {
  auto server = *FixtureServer::Start();
  ServeAzureMl(*server, RegistryState::kBaseline);
  server->Script(AzureModels(),
                 {{429, {{"Retry-After", "1"}}, ReadTestdata("azureml/too_many_requests.json")},
                  {200, {}, ReadTestdata("azureml/models_2.json")}});
  SourceOptions o = Options(*server);
  std::vector<absl::Duration> waits;
  o.fetch.retry.sleep = [&waits](absl::Duration d) { waits.push_back(d); };
  absl::StatusOr<SourcePage> page = AzureMlSource(o).FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_GE(waits[0], absl::Seconds(1));  // Retry-After honoured

  server->Serve(AzureModels(), {401, {}, ReadTestdata("azureml/invalid_token.json")});
  o.token = kBearer;
  o.cloud.token_origin = "AZURE_ACCESS_TOKEN";
  page = AzureMlSource(o).FetchPage("");
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_TRUE(absl::StrContains(page.status().message(),
                                "refused the access token from AZURE_ACCESS_TOKEN"))
      << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "InvalidAuthenticationToken"));
  ExpectHidden(page.status());

  server->Serve(AzureModels(), {403, {}, ReadTestdata("azureml/authorization_failed.json")});
  page = AzureMlSource(o).FetchPage("");
  EXPECT_TRUE(absl::StrContains(page.status().message(), "AuthorizationFailed"))
      << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "HTTP 403"));
}

TEST(CloudSourceFactoryTest, LocationsAreRequiredAndCredentialsComeFromTheEnvironment) {
  SourceOptions o;
  o.endpoint = "http://127.0.0.1:9";
  absl::StatusOr<std::unique_ptr<Source>> s = MakeSource("sagemaker", o);
  EXPECT_TRUE(absl::IsInvalidArgument(s.status()));
  EXPECT_TRUE(absl::StrContains(s.status().message(), "--region")) << s.status();
  o.cloud.region = "us-east-1:evil";
  s = MakeSource("sagemaker", o);
  EXPECT_TRUE(absl::IsInvalidArgument(s.status())) << s.status();
  s = MakeSource("vertex", o);
  EXPECT_TRUE(absl::StrContains(s.status().message(), "--project")) << s.status();
  o.cloud.project = "p";
  s = MakeSource("vertex", o);
  EXPECT_TRUE(absl::StrContains(s.status().message(), "--location")) << s.status();
  s = MakeSource("azureml", o);
  EXPECT_TRUE(absl::StrContains(s.status().message(), "--subscription")) << s.status();

  // The environment's credentials are used, and sent.
  auto server = *FixtureServer::Start();
  ServeSageMaker(*server, RegistryState::kBaseline);
  setenv("AWS_ACCESS_KEY_ID", kKeyId, 1);
  setenv("AWS_SECRET_ACCESS_KEY", kSecret, 1);
  unsetenv("AWS_SESSION_TOKEN");
  SourceOptions env = Options(*server);
  env.cloud.aws = {};
  s = MakeSource("sagemaker", env);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<SourcePage> page = (*s)->FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(server->requests()[0].Header("x-amz-security-token"), "");
  EXPECT_EQ(CheckSigV4(server->requests()[0], kKeyId, kSecret, "us-east-1", "sagemaker"), "");
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
