// Each source's paging protocol against fixture files in the registries'
// real response shapes.
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "crawlers/feed_source.h"
#include "crawlers/hf_source.h"
#include "crawlers/mlflow_source.h"
#include "crawlers/npm_source.h"
#include "crawlers/pypi_source.h"
#include "crawlers/source_factory.h"
#include "gtest/gtest.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace crawlers {
namespace {

using ::squatguard::testing::FixtureResponse;
using ::squatguard::testing::FixtureServer;
using ::squatguard::testing::ReadTestdata;

constexpr char kModels[] = "/api/models?sort=createdAt&direction=-1&limit=3";
constexpr char kModelsPage2[] =
    "/api/models?sort=createdAt&direction=-1&limit=3&cursor=eyJfaWQiOiI2NjUw";
constexpr char kDatasets[] = "/api/datasets?sort=createdAt&direction=-1&limit=3";
constexpr char kSpaces[] = "/api/spaces?sort=createdAt&direction=-1&limit=3";

SourceOptions Options(const FixtureServer& server) {
  SourceOptions o;
  o.endpoint = server.url();
  o.page_size = 3;
  o.fetch.requests_per_second = 0;
  o.fetch.retry.max_attempts = 3;
  o.fetch.retry.sleep = [](absl::Duration) {};
  o.fetch.http.total_timeout = absl::Seconds(5);
  return o;
}

std::vector<std::string> Names(const SourcePage& page) {
  std::vector<std::string> out;
  for (const SeenName& n : page.names) out.push_back(n.name);
  return out;
}

void ServeHf(FixtureServer& server) {
  server.Serve(kModels, {200,
                         {{"Link", std::string("<{{base}}") + kModelsPage2 +
                                       ">; rel=\"next\""}},
                         ReadTestdata("hf_models_1.json")});
  server.Serve(kModelsPage2, {200, {}, ReadTestdata("hf_models_2.json")});
  server.Serve(kDatasets, {200, {}, ReadTestdata("hf_datasets_1.json")});
  server.Serve(kSpaces, {200, {}, ReadTestdata("hf_spaces_1.json")});
}

// Runs a source to the end of one run, as the crawl job would.
std::vector<SourcePage> Drain(Source& source, std::string* cursor) {
  std::vector<SourcePage> pages;
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<SourcePage> page = source.FetchPage(*cursor);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    *cursor = page->next_cursor;
    pages.push_back(*std::move(page));
    if (pages.back().done) break;
  }
  return pages;
}

TEST(LinkHeaderTest, FindsNext) {
  EXPECT_EQ(ParseLinkNext("<https://h/a?x=1>; rel=\"next\""), "https://h/a?x=1");
  EXPECT_EQ(ParseLinkNext("<https://h/p>; rel=\"prev\", <https://h/n>; rel=next"),
            "https://h/n");
  EXPECT_EQ(ParseLinkNext("<https://h/a,b>; rel=\"prev next\""), "https://h/a,b");
  EXPECT_EQ(ParseLinkNext("<https://h/p>; rel=\"prev\""), "");
  EXPECT_EQ(ParseLinkNext(""), "");
  EXPECT_EQ(ParseLinkNext("<broken"), "");
}

TEST(HfSourceTest, WalksModelsDatasetsAndSpacesFollowingLinks) {
  auto server = *FixtureServer::Start();
  ServeHf(*server);
  SourceOptions o = Options(*server);
  o.token = "hf_TESTTOKEN";
  HfSource source(o);
  std::string cursor;
  std::vector<SourcePage> pages = Drain(source, &cursor);
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_EQ(Names(pages[0]),
            (std::vector<std::string>{"meta-llarna/Llama-3-8B",
                                      "alice/tiny-bert-sentiment",
                                      "meta-llama/Llama-3-8B-Instruct-fork"}));
  EXPECT_EQ(Names(pages[1]),
            (std::vector<std::string>{"bob/whisper-small-de", "gpt2"}));
  EXPECT_EQ(Names(pages[2]), (std::vector<std::string>{"meta-llama-datasets/evals",
                                                        "alice/reviews"}));
  EXPECT_EQ(Names(pages[3]), (std::vector<std::string>{"dave/chat-demo"}));
  EXPECT_TRUE(pages[3].done);
  EXPECT_FALSE(pages[0].done);

  const SeenName& first = pages[0].names[0];
  EXPECT_EQ(first.ecosystem, Ecosystem::kHuggingFace);
  EXPECT_EQ(first.kind, "model");
  EXPECT_EQ(first.account, "meta-llarna");
  EXPECT_EQ(first.registry_id, "6650a1f0c0ffee0000000005");
  EXPECT_EQ(*first.created_at, 1716552005);
  EXPECT_TRUE(absl::StrContains(first.record, "\"pipeline_tag\":\"text-generation\""));
  EXPECT_EQ(pages[1].names[1].account, "");  // legacy name without an org
  EXPECT_EQ(pages[2].names[0].kind, "dataset");
  EXPECT_EQ(pages[3].names[0].kind, "space");

  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.Header("authorization"), "Bearer hf_TESTTOKEN");
  }
}

TEST(HfSourceTest, NextRunStopsAtWhatTheLastRunSaw) {
  auto server = *FixtureServer::Start();
  ServeHf(*server);
  HfSource source(Options(*server));
  std::string cursor;
  Drain(source, &cursor);

  // Two repos are new since; the others were seen by the first run.
  server->Clear();
  server->Serve(kModels, {200,
                          {{"Link", std::string("<{{base}}") + kModelsPage2 +
                                        ">; rel=\"next\""}},
                          ReadTestdata("hf_models_new.json")});
  server->Serve(kDatasets, {200, {}, ReadTestdata("hf_datasets_1.json")});
  server->Serve(kSpaces, {200, {}, ReadTestdata("hf_spaces_1.json")});
  HfSource again(Options(*server));
  std::vector<SourcePage> pages = Drain(again, &cursor);
  ASSERT_EQ(pages.size(), 3u);
  // The watermark is the newest repo seen, and repos at that very time are
  // kept (the store skips them): the boundary loses nothing.
  EXPECT_EQ(Names(pages[0]),
            (std::vector<std::string>{"metallama/Llama-3-8B", "carol/sd-lora",
                                      "meta-llarna/Llama-3-8B"}));
  EXPECT_EQ(server->CountRequests(kModelsPage2), 0);  // stopped: no page 2
  EXPECT_EQ(Names(pages[1]),
            (std::vector<std::string>{"meta-llama-datasets/evals"}));
  EXPECT_EQ(Names(pages[2]), (std::vector<std::string>{"dave/chat-demo"}));
}

TEST(HfSourceTest, ResumesAnInterruptedPassFromTheCursor) {
  auto server = *FixtureServer::Start();
  ServeHf(*server);
  std::string cursor;
  {
    HfSource source(Options(*server));
    absl::StatusOr<SourcePage> page = source.FetchPage(cursor);
    ASSERT_TRUE(page.ok());
    cursor = page->next_cursor;
  }  // "killed" after page one
  HfSource resumed(Options(*server));
  absl::StatusOr<SourcePage> page = resumed.FetchPage(cursor);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"bob/whisper-small-de", "gpt2"}));
  EXPECT_EQ(server->CountRequests(kModels), 1);
}

TEST(HfSourceTest, RefusesNextLinksToAnotherHost) {
  auto server = *FixtureServer::Start();
  server->Serve(kModels, {200, {{"Link", "<http://127.0.0.2:1/steal>; rel=\"next\""}},
                          ReadTestdata("hf_models_1.json")});
  SourceOptions o = Options(*server);
  o.token = "hf_SECRET";
  HfSource source(o);
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  EXPECT_FALSE(page.ok());
  EXPECT_TRUE(IsNetworkFailure(page.status()));
  EXPECT_FALSE(absl::StrContains(page.status().ToString(), "SECRET"));
}

TEST(HfSourceTest, MalformedPageIsRetriedThenFails) {
  auto server = *FixtureServer::Start();
  server->Script(kModels, {{200, {}, "{\"error\": \"not a list\"}"},
                           {200, {}, "[{\"no_id\": 1}]"},
                           {200, {}, ReadTestdata("hf_models_2.json")}});
  HfSource source(Options(*server));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->names.size(), 2u);
  EXPECT_EQ(server->CountRequests(kModels), 3);

  server->Serve(kModels, {200, {}, "[{\"id\": "});
  HfSource failing(Options(*server));
  page = failing.FetchPage("");
  EXPECT_TRUE(IsNetworkFailure(page.status())) << page.status();
}

TEST(HfSourceTest, DamagedCursorIsAClearError) {
  auto server = *FixtureServer::Start();
  HfSource source(Options(*server));
  absl::StatusOr<SourcePage> page = source.FetchPage("{not json");
  EXPECT_TRUE(absl::IsDataLoss(page.status())) << page.status();
}

TEST(PypiSourceTest, ListsTheJsonSimpleIndexInPages) {
  auto server = *FixtureServer::Start();
  server->Serve("/simple/", {200, {{"Content-Type", "application/vnd.pypi.simple.v1+json"}},
                             ReadTestdata("pypi_simple.json")});
  SourceOptions o = Options(*server);
  o.page_size = 4;
  PypiSource source(o);
  std::string cursor;
  std::vector<SourcePage> pages = Drain(source, &cursor);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages[0]), (std::vector<std::string>{"requests", "reqeusts",
                                                        "numpy", "nunpy"}));
  EXPECT_EQ(Names(pages[1]),
            (std::vector<std::string>{"python-dateutil", "requestss"}));
  EXPECT_EQ(pages[0].names[0].ecosystem, Ecosystem::kPyPI);
  EXPECT_EQ(server->CountRequests("/simple/"), 1);  // fetched once a run
  EXPECT_EQ(server->requests()[0].Header("accept"),
            "application/vnd.pypi.simple.v1+json");
}

TEST(PypiSourceTest, TruncatedIndexIsRetried) {
  auto server = *FixtureServer::Start();
  FixtureResponse cut{200, {}, ReadTestdata("pypi_simple.json")};
  cut.truncate_after = 40;
  server->Script("/simple/", {cut, {503, {{"Retry-After", "0"}}, ""},
                              {200, {}, ReadTestdata("pypi_simple.json")}});
  PypiSource source(Options(*server));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->names.size(), 3u);
  EXPECT_EQ(server->CountRequests("/simple/"), 3);
}

TEST(PypiSourceTest, ReadsProjectNamesAsAStream) {
  std::vector<std::string> names;
  ASSERT_TRUE(ReadProjectNames(
      R"({"meta": {"api-version": "1.1", "name": "not-a-project"},
          "projects": [{"name": "a", "_last-serial": 1, "x": {"name": "inner"}},
                       {"_last-serial": 2, "name": "b"}]})",
      &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(ReadProjectNames(R"({"projects": []})", &names).ok());
  EXPECT_TRUE(names.empty());
  EXPECT_TRUE(absl::IsDataLoss(ReadProjectNames(R"({"projects": [{"name": "a"})", &names)));
  EXPECT_TRUE(absl::IsDataLoss(ReadProjectNames(R"({"meta": {}})", &names)));
  EXPECT_TRUE(absl::IsDataLoss(ReadProjectNames(R"({"projects": [{"name": 5}]})", &names)));
  EXPECT_TRUE(absl::IsDataLoss(ReadProjectNames(R"([{"projects": []}])", &names)));
  EXPECT_TRUE(absl::IsDataLoss(ReadProjectNames("", &names)));
}

TEST(NpmSourceTest, FollowsTheChangesFeedFromTheStoredSequence) {
  auto server = *FixtureServer::Start();
  server->Serve("/_changes?since=0&limit=3", {200, {}, ReadTestdata("npm_changes_0.json")});
  server->Serve("/_changes?since=103&limit=3",
                {200, {}, ReadTestdata("npm_changes_103.json")});
  server->Serve("/_changes?since=106&limit=3",
                {200, {}, ReadTestdata("npm_changes_106.json")});
  NpmSource source(Options(*server));
  std::string cursor;
  std::vector<SourcePage> pages = Drain(source, &cursor);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(Names(pages[0]), (std::vector<std::string>{"lodash", "lodahs"}));
  EXPECT_EQ(Names(pages[1]), (std::vector<std::string>{"express", "@types/lodash"}));
  EXPECT_EQ(Names(pages[2]), (std::vector<std::string>{"lodash-utils-pro"}));
  EXPECT_EQ(pages[0].next_cursor, "103");
  EXPECT_TRUE(pages[2].done);  // fewer results than the limit
  EXPECT_EQ(cursor, "107");

  // The next run starts from the stored sequence, even a string one.
  server->Serve("/_changes?since=107&limit=3", {200, {}, "{\"results\": [], \"last_seq\": \"108-g1AAAA\"}"});
  server->Serve("/_changes?since=108-g1AAAA&limit=3", {200, {}, "{\"results\": [], \"last_seq\": \"108-g1AAAA\"}"});
  NpmSource again(Options(*server));
  absl::StatusOr<SourcePage> page = again.FetchPage(cursor);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->done);
  EXPECT_EQ(page->next_cursor, "\"108-g1AAAA\"");
  page = again.FetchPage(page->next_cursor);
  ASSERT_TRUE(page.ok()) << page.status();
}

// A sequence past 2^64 (or with a fraction) parses as a double; stored as the
// cursor it would be refused on every later run. The page is refused instead
// (retried, then the run stops with the cursor where it was).
TEST(NpmSourceTest, ASequenceThatIsNotAWholeNumberIsRefused) {
  auto server = *FixtureServer::Start();
  server->Serve("/_changes?since=0&limit=3",
                {200, {}, R"({"results": [{"seq": 1, "id": "lodash"}], "last_seq": 999223372036854775808})"});
  server->Serve("/_changes?since=5&limit=3", {200, {}, R"({"results": [{"seq": 6.5, "id": "lodash"}]})"});
  SourceOptions o = Options(*server);
  o.fetch.retry.max_attempts = 1;
  NpmSource source(o);
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(absl::StrContains(page.status().message(), "\"last_seq\" is neither a whole number nor a string"))
      << page.status();
  page = source.FetchPage("5");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(absl::StrContains(page.status().message(), "\"seq\" is neither a whole number nor a string: 6.5"))
      << page.status();
}

TEST(MlflowSourceTest, PagesModelsWithVersionsAndAliases) {
  auto server = *FixtureServer::Start();
  const std::string search = "/api/2.0/mlflow/registered-models/search?max_results=3";
  server->Serve(search, {200, {}, ReadTestdata("mlflow_models_1.json")});
  server->Serve(search + "&page_token=tok%2Fpage%2B2%3D%3D",
                {200, {}, ReadTestdata("mlflow_models_2.json")});
  const std::string versions =
      "/api/2.0/mlflow/model-versions/search?filter=name%3D%27";
  server->Serve(versions + "fraud-model%27&max_results=1000",
                {200, {}, ReadTestdata("mlflow_versions_fraud-model.json")});
  server->Serve(versions + "fraud-model%27&max_results=1000&page_token=v2",
                {200, {}, ReadTestdata("mlflow_versions_fraud-model_2.json")});
  server->Serve(versions + "fraud-modle%27&max_results=1000", {200, {}, "{}"});
  server->Serve(versions + "churn-model%27&max_results=1000",
                {200, {}, ReadTestdata("mlflow_versions_one.json")});
  SourceOptions o = Options(*server);
  o.token = "mlflow-token";
  MlflowSource source(o);
  std::string cursor;
  std::vector<SourcePage> pages = Drain(source, &cursor);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages[0]), (std::vector<std::string>{"fraud-model", "fraud-modle"}));
  EXPECT_EQ(pages[0].next_cursor, "tok/page+2==");
  EXPECT_EQ(Names(pages[1]), (std::vector<std::string>{"churn-model"}));
  EXPECT_TRUE(pages[1].done);
  EXPECT_EQ(cursor, "");  // the next run lists the registry again

  const SeenName& fraud = pages[0].names[0];
  EXPECT_EQ(fraud.ecosystem, Ecosystem::kMlflow);
  EXPECT_EQ(fraud.account, "risk-team");
  EXPECT_EQ(*fraud.created_at, 1716552000);
  ASSERT_EQ(pages[0].versions.size(), 3u);
  EXPECT_EQ(pages[0].versions[0].version, "3");
  EXPECT_EQ(pages[0].versions[0].run_id, "a1b2c3");
  EXPECT_EQ(pages[0].versions[2].version, "1");
  EXPECT_EQ(pages[0].versions[2].stage, "Archived");
  ASSERT_EQ(pages[0].aliases.size(), 1u);
  EXPECT_EQ(pages[0].aliases[0].alias, "champion");
  EXPECT_EQ(pages[0].aliases[0].version, "3");
  EXPECT_EQ(pages[1].versions.size(), 1u);
  for (const auto& r : server->requests()) {
    EXPECT_EQ(r.Header("authorization"), "Bearer mlflow-token");
  }
}

TEST(FeedSourceTest, ReadsJsonlAndPlainLines) {
  std::istringstream in(ReadTestdata("feed.jsonl"));
  FeedSource source(&in, "feed.jsonl", Ecosystem::kAny, 3);
  std::string cursor;
  std::vector<SourcePage> pages = Drain(source, &cursor);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Names(pages[0]), (std::vector<std::string>{"meta-llarna/Llama-3-8B",
                                                        "reqeusts", "numpy"}));
  EXPECT_EQ(Names(pages[1]), (std::vector<std::string>{"lodahs", "lodash"}));
  EXPECT_EQ(pages[0].names[0].ecosystem, Ecosystem::kHuggingFace);
  EXPECT_EQ(pages[0].names[0].account, "newuser1");
  EXPECT_TRUE(pages[0].names[0].created_at.has_value());
  EXPECT_EQ(*pages[0].names[1].created_at, 1716552000);
  EXPECT_EQ(pages[0].names[2].ecosystem, Ecosystem::kPyPI);
  EXPECT_EQ(pages[1].names[0].ecosystem, Ecosystem::kNpm);
}

TEST(FeedSourceTest, BadLineNamesFileAndLine) {
  std::istringstream in("good-name\n{\"name\": 5}\n");
  FeedSource source(&in, "names.jsonl", Ecosystem::kPyPI, 10);
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  EXPECT_TRUE(absl::IsInvalidArgument(page.status())) << page.status();
  EXPECT_TRUE(absl::StrContains(page.status().message(), "names.jsonl:2:"))
      << page.status();
  EXPECT_FALSE(IsNetworkFailure(page.status()));
}

TEST(FeedSourceTest, MissingFileIsNotFound) {
  SourceOptions o;
  o.feed_path = "/nonexistent/feed.jsonl";
  absl::StatusOr<std::unique_ptr<Source>> source = MakeSource("feed", o);
  EXPECT_TRUE(absl::IsNotFound(source.status())) << source.status();
  EXPECT_TRUE(absl::StrContains(source.status().message(), "/nonexistent/feed.jsonl"));
}

TEST(SourceFactoryTest, KnowsEverySourceAndRefusesOthers) {
  SourceOptions o;
  std::istringstream empty;
  o.feed_stream = &empty;
  o.endpoint = "http://127.0.0.1:9";
  o.cloud.region = "us-east-1";
  o.cloud.project = "p";
  o.cloud.location = "us-central1";
  o.cloud.subscription = "s";
  o.cloud.resource_group = "g";
  o.cloud.registry = "r";
  for (const std::string& name : KnownSourceNames()) {
    absl::StatusOr<std::unique_ptr<Source>> s = MakeSource(name, o);
    ASSERT_TRUE(s.ok()) << name << ": " << s.status();
    EXPECT_EQ((*s)->name(), name);
  }
  EXPECT_TRUE(absl::IsInvalidArgument(MakeSource("pipy", o).status()));
  SourceOptions no_endpoint;
  unsetenv("MLFLOW_TRACKING_URI");
  EXPECT_TRUE(absl::IsInvalidArgument(MakeSource("mlflow", no_endpoint).status()));
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
