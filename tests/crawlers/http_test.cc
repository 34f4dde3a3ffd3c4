// HttpClient, RetryPolicy, RateLimiter and JsonFetcher against the local
// fixture server: statuses, Retry-After, truncation, timeouts, redirects.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "crawlers/http_client.h"
#include "crawlers/json_fetcher.h"
#include "crawlers/rate_limiter.h"
#include "crawlers/retry_policy.h"
#include "gtest/gtest.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace crawlers {
namespace {

using ::squatguard::testing::FixtureResponse;
using ::squatguard::testing::FixtureServer;

std::unique_ptr<FixtureServer> StartServer() {
  auto server = FixtureServer::Start();
  EXPECT_TRUE(server.ok()) << server.status();
  return *std::move(server);
}

HttpClientOptions FastHttp() {
  HttpClientOptions o;
  o.user_agent = "squatguard/test";
  o.connect_timeout = absl::Seconds(2);
  o.total_timeout = absl::Seconds(5);
  return o;
}

// Fetch options whose sleeps are recorded, not spent.
FetchOptions RecordingFetch(std::vector<absl::Duration>* sleeps) {
  FetchOptions o;
  o.http = FastHttp();
  o.requests_per_second = 0;
  o.retry.max_attempts = 4;
  o.retry.initial_backoff = absl::Milliseconds(100);
  o.retry.seed = 42;
  o.retry.sleep = [sleeps](absl::Duration d) { sleeps->push_back(d); };
  return o;
}

absl::Status AcceptAny(const HttpResponse&, const nlohmann::json&) {
  return absl::OkStatus();
}

TEST(HttpClientTest, GetsBodyAndHeadersWithUserAgent) {
  auto server = StartServer();
  server->Serve("/hello", {200, {{"Link", "<{{base}}/next>; rel=\"next\""}}, "hi"});
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/hello"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hi");
  EXPECT_EQ(r->Header("link"), "<" + server->url() + "/next>; rel=\"next\"");
  ASSERT_EQ(server->requests().size(), 1u);
  EXPECT_EQ(server->requests()[0].Header("user-agent"), "squatguard/test");
  // gzip and deflate are offered.
  EXPECT_TRUE(absl::StrContains(server->requests()[0].Header("accept-encoding"),
                                "gzip"));
}

TEST(HttpClientTest, DecodesGzipBodies) {
  auto server = StartServer();
  server->Serve("/gz", {200, {{"Content-Encoding", "gzip"}},
                        squatguard::testing::ReadTestdata("hf_models_2.json.gz")});
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/gz"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, squatguard::testing::ReadTestdata("hf_models_2.json"));
}

TEST(HttpClientTest, NonSuccessStatusIsAResponseNotAnError) {
  auto server = StartServer();
  server->Serve("/x", {503, {}, "down"});
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/x"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
}

TEST(HttpClientTest, SlowResponseTimesOut) {
  auto server = StartServer();
  FixtureResponse slow{200, {}, "[]"};
  slow.delay = absl::Seconds(2);
  server->Serve("/slow", slow);
  HttpClientOptions o = FastHttp();
  o.total_timeout = absl::Milliseconds(300);
  HttpClient client(o);
  absl::Time start = absl::Now();
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/slow"});
  EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
  EXPECT_TRUE(IsNetworkFailure(r.status()));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST(HttpClientTest, TruncatedBodyIsAnError) {
  auto server = StartServer();
  FixtureResponse cut{200, {}, std::string(1000, 'x')};
  cut.truncate_after = 100;
  server->Serve("/cut", cut);
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/cut"});
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_TRUE(IsNetworkFailure(r.status()));
}

TEST(HttpClientTest, BodyOverTheLimitIsRefused) {
  auto server = StartServer();
  server->Serve("/big", {200, {}, std::string(5000, 'x')});
  HttpClientOptions o = FastHttp();
  o.max_body_bytes = 1000;
  HttpClient client(o);
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/big"});
  EXPECT_TRUE(absl::IsResourceExhausted(r.status())) << r.status();
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  std::string url;
  {
    auto server = StartServer();
    url = server->url() + "/gone";
  }  // closed: nothing listens on that port now
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({url});
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_TRUE(IsNetworkFailure(r.status()));
}

TEST(HttpClientTest, FollowsRedirectOnSameHostOnly) {
  auto server = StartServer();
  auto other = StartServer();
  server->Serve("/old", {301, {{"Location", "/new"}}, ""});
  server->Serve("/new", {200, {}, "moved"});
  server->Serve("/away", {302, {{"Location", other->url() + "/x"}}, ""});
  other->Serve("/x", {200, {}, "elsewhere"});
  HttpClient client(FastHttp());
  absl::StatusOr<HttpResponse> r = client.Get({server->url() + "/old"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "moved");
  r = client.Get({server->url() + "/away"});
  EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
  EXPECT_EQ(other->CountRequests("/x"), 0);
}

TEST(HttpClientTest, RejectsNonHttpUrls) {
  HttpClient client(FastHttp());
  EXPECT_TRUE(absl::IsInvalidArgument(client.Get({"not a url"}).status()));
}

TEST(HttpClientTest, UrlHelpers) {
  EXPECT_EQ(UrlOrigin("https://Example.org/a?b"), "https://example.org:443");
  EXPECT_EQ(UrlOrigin("http://127.0.0.1:81/x"), "http://127.0.0.1:81");
  EXPECT_EQ(RedactUrl("https://user:secret@host/p"), "https://host/p");
  EXPECT_EQ(UrlEncode("name='a b'/+"), "name%3D%27a%20b%27%2F%2B");
}

TEST(RetryPolicyTest, BacksOffExponentiallyWithJitterAndGivesUp) {
  RetryOptions o;
  o.max_attempts = 4;
  o.initial_backoff = absl::Seconds(1);
  o.max_backoff = absl::Seconds(3);
  o.jitter = 0.5;
  o.seed = 7;
  RetryPolicy policy(o);
  auto d1 = policy.NextDelay(1, std::nullopt);
  auto d2 = policy.NextDelay(2, std::nullopt);
  auto d3 = policy.NextDelay(3, std::nullopt);
  ASSERT_TRUE(d1 && d2 && d3);
  EXPECT_GE(*d1, absl::Milliseconds(500));
  EXPECT_LE(*d1, absl::Seconds(1));
  EXPECT_GE(*d2, absl::Seconds(1));
  EXPECT_LE(*d2, absl::Seconds(2));
  EXPECT_GE(*d3, absl::Milliseconds(1500));  // capped at 3 s, then jittered
  EXPECT_LE(*d3, absl::Seconds(3));
  EXPECT_FALSE(policy.NextDelay(4, std::nullopt).has_value());
}

TEST(RetryPolicyTest, RetryAfterIsAFloorAndHasALimit) {
  RetryOptions o;
  o.initial_backoff = absl::Milliseconds(10);
  o.max_retry_after = absl::Seconds(60);
  RetryPolicy policy(o);
  EXPECT_EQ(*policy.NextDelay(1, absl::Seconds(7)), absl::Seconds(7));
  EXPECT_FALSE(policy.NextDelay(1, absl::Seconds(3600)).has_value());
}

TEST(RetryPolicyTest, ParsesRetryAfter) {
  absl::Time now = absl::FromUnixSeconds(1445412480);  // 2015-10-21 07:28:00 UTC
  EXPECT_EQ(*ParseRetryAfter("120", now), absl::Seconds(120));
  EXPECT_EQ(*ParseRetryAfter(" 0 ", now), absl::ZeroDuration());
  EXPECT_EQ(*ParseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now),
            absl::Seconds(30));
  EXPECT_EQ(*ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now),
            absl::ZeroDuration());
  EXPECT_FALSE(ParseRetryAfter("", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("soon", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("-5", now).has_value());
}

TEST(RetryPolicyTest, RetryableStatuses) {
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(IsRetryableHttpStatus(s)) << s;
  for (int s : {200, 301, 400, 401, 403, 404, 501}) EXPECT_FALSE(IsRetryableHttpStatus(s)) << s;
}

TEST(RateLimiterTest, SpacesRequestsOut) {
  absl::Time now = absl::FromUnixSeconds(1000);
  std::vector<absl::Duration> sleeps;
  RateLimiter limiter(
      4.0, [&] { return now; },
      [&](absl::Duration d) {
        sleeps.push_back(d);
        now += d;
      });
  for (int i = 0; i < 5; ++i) limiter.Wait();
  // The first goes at once; each later one a quarter second after the last.
  ASSERT_EQ(sleeps.size(), 4u);
  for (absl::Duration d : sleeps) EXPECT_EQ(d, absl::Milliseconds(250));
  RateLimiter unlimited(0);
  unlimited.Wait();  // returns at once
}

TEST(JsonFetcherTest, HonoursRetryAfterOn429) {
  auto server = StartServer();
  server->Script("/p", {{429, {{"Retry-After", "3"}}, "slow down"},
                        {200, {}, "[1]"}});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("test", RecordingFetch(&sleeps));
  ASSERT_TRUE(fetcher.Get({server->url() + "/p"}, AcceptAny).ok());
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(sleeps[0], absl::Seconds(3));
  EXPECT_EQ(fetcher.stats().requests, 2);
  EXPECT_EQ(fetcher.stats().failed_attempts, 1);
}

TEST(JsonFetcherTest, HonoursRetryAfterOn503) {
  auto server = StartServer();
  server->Script("/p", {{503, {{"Retry-After", "2"}}, ""}, {200, {}, "{}"}});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("test", RecordingFetch(&sleeps));
  ASSERT_TRUE(fetcher.Get({server->url() + "/p"}, AcceptAny).ok());
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(sleeps[0], absl::Seconds(2));
}

TEST(JsonFetcherTest, RetriesServerErrorThenSucceeds) {
  auto server = StartServer();
  server->Script("/p", {{500, {}, "oops"}, {502, {}, ""}, {200, {}, "{\"ok\":1}"}});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("test", RecordingFetch(&sleeps));
  int ok_value = 0;
  absl::Status s = fetcher.Get({server->url() + "/p"},
                               [&](const HttpResponse&, const nlohmann::json& j) {
                                 ok_value = j.value("ok", 0);
                                 return absl::OkStatus();
                               });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ok_value, 1);
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_GT(sleeps[1], sleeps[0] / 2);  // backoff grows (jitter <= 50%)
}

TEST(JsonFetcherTest, RetriesTruncatedAndMalformedBodies) {
  auto server = StartServer();
  FixtureResponse cut{200, {}, "[1, 2, 3, 4, 5, 6, 7, 8]"};
  cut.truncate_after = 6;
  FixtureResponse cut_unknown_length = cut;
  cut_unknown_length.omit_content_length = true;  // looks complete to HTTP
  server->Script("/p", {cut, cut_unknown_length, {200, {}, "[1, 2, 3]"}});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("test", RecordingFetch(&sleeps));
  size_t size = 0;
  absl::Status s = fetcher.Get({server->url() + "/p"},
                               [&](const HttpResponse&, const nlohmann::json& j) {
                                 size = j.size();
                                 return absl::OkStatus();
                               });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(size, 3u);
  EXPECT_EQ(server->CountRequests("/p"), 3);
}

TEST(JsonFetcherTest, RetriesWhenTheReaderRejectsThePage) {
  auto server = StartServer();
  server->Script("/p", {{200, {}, "{\"wrong\": true}"}, {200, {}, "[]"}});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("test", RecordingFetch(&sleeps));
  absl::Status s = fetcher.Get(
      {server->url() + "/p"}, [](const HttpResponse&, const nlohmann::json& j) {
        return j.is_array() ? absl::OkStatus()
                            : absl::DataLossError("expected an array");
      });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(server->CountRequests("/p"), 2);
}

TEST(JsonFetcherTest, SlowResponseTimesOutThenSucceeds) {
  auto server = StartServer();
  FixtureResponse slow{200, {}, "[]"};
  slow.delay = absl::Seconds(2);
  server->Script("/p", {slow, {200, {}, "[7]"}});
  std::vector<absl::Duration> sleeps;
  FetchOptions o = RecordingFetch(&sleeps);
  o.http.total_timeout = absl::Milliseconds(300);
  JsonFetcher fetcher("test", o);
  absl::Time start = absl::Now();
  ASSERT_TRUE(fetcher.Get({server->url() + "/p"}, AcceptAny).ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(fetcher.stats().failed_attempts, 1);
}

TEST(JsonFetcherTest, SourceStaysDownGivesANetworkFailure) {
  auto server = StartServer();
  server->Serve("/p", {500, {}, "down"});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("hf", RecordingFetch(&sleeps));
  absl::Status s = fetcher.Get({server->url() + "/p"}, AcceptAny);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_TRUE(IsNetworkFailure(s));
  EXPECT_TRUE(absl::StrContains(s.message(), "hf: GET")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "HTTP 500")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "gave up after 4 attempts")) << s;
  EXPECT_EQ(server->CountRequests("/p"), 4);
  EXPECT_EQ(sleeps.size(), 3u);
}

TEST(JsonFetcherTest, ClientErrorsFailAtOnceWithoutLeakingTheToken) {
  auto server = StartServer();
  server->Serve("/p", {401, {}, "{\"error\": \"bad token\"}"});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("hf", RecordingFetch(&sleeps));
  HttpRequest request{server->url() + "/p", {{"Authorization", "Bearer hf_SECRET"}}};
  absl::Status s = fetcher.Get(request, AcceptAny);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(IsNetworkFailure(s));
  EXPECT_TRUE(absl::StrContains(s.message(), "401")) << s;
  EXPECT_FALSE(absl::StrContains(s.ToString(), "SECRET")) << s;
  EXPECT_EQ(server->CountRequests("/p"), 1);
  EXPECT_EQ(server->requests()[0].Header("authorization"), "Bearer hf_SECRET");
}

TEST(JsonFetcherTest, RetryAfterBeyondTheLimitGivesUp) {
  auto server = StartServer();
  server->Serve("/p", {429, {{"Retry-After", "86400"}}, ""});
  std::vector<absl::Duration> sleeps;
  JsonFetcher fetcher("npm", RecordingFetch(&sleeps));
  absl::Status s = fetcher.Get({server->url() + "/p"}, AcceptAny);
  EXPECT_TRUE(IsNetworkFailure(s));
  EXPECT_TRUE(absl::StrContains(s.message(), "asked to wait")) << s;
  EXPECT_TRUE(sleeps.empty());
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
