// JsonFetcher: GET (or POST for) a registry's JSON page politely and reliably.
//
// Every request waits for the rate limiter, then goes out through one
// HttpClient. A transport failure, a retryable status (429, 5xx, ...) or a
// body that does not parse as JSON or that the caller's `read` rejects (a
// truncated or malformed page) is retried under the RetryPolicy, honouring
// Retry-After. Other statuses (401, 404, ...) fail at once.
//
//   JsonFetcher fetcher("hf", FetchOptions{});
//   absl::Status s = fetcher.Get(request,
//       [&](const HttpResponse& r, const nlohmann::json& body) {
//         return ReadModels(body, &names);   // non-OK: page is retried
//       });
//
// Errors carry the source name and URL, never the request headers (tokens),
// and are marked IsNetworkFailure(): the CLI exits 4 on them. `read` may be
// called several times for one Get; it must reset what it fills.
//
// Thread safety: one JsonFetcher per thread.
#ifndef SQUATGUARD_CRAWLERS_JSON_FETCHER_H_
#define SQUATGUARD_CRAWLERS_JSON_FETCHER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "crawlers/http_client.h"
#include "crawlers/rate_limiter.h"
#include "crawlers/retry_policy.h"

namespace squatguard {
namespace crawlers {

struct FetchOptions {
  HttpClientOptions http;
  RetryOptions retry;
  double requests_per_second = 2.0;  // polite default; <= 0: no limit
  ClockFunction clock = absl::Now;    // for Retry-After dates
};

struct FetchStats {
  int64_t requests = 0;         // attempts sent, retries included
  int64_t failed_attempts = 0;  // attempts that were retried or gave up
  int64_t bytes = 0;            // body bytes received
};

using JsonReader =
    std::function<absl::Status(const HttpResponse&, const nlohmann::json&)>;

// What a registry's error answer means, for registries whose errors say more
// than their status (AWS throttles with "400 ThrottlingException").
struct FailureReading {
  bool retry = false;  // worth another try, with backoff
  // Not a failure but the answer (a lookup's 404 means "gone"): Get returns
  // OK at once; the reader has recorded what the status means.
  bool answer = false;
  // Replaces the generic hint after "HTTP <status>"; never holds a secret.
  std::string detail;
};
// Reads a non-2xx answer; nullopt leaves it to the default handling.
using FailureReader =
    std::function<std::optional<FailureReading>(const HttpResponse&)>;
// Reads a raw 2xx body (for streaming parsers over very large documents).
using BodyReader = std::function<absl::Status(const HttpResponse&)>;

class JsonFetcher {
 public:
  JsonFetcher(std::string source_name, FetchOptions options);

  // Fetches `request` until `read` accepts a body or the policy gives up.
  absl::Status Get(const HttpRequest& request, const JsonReader& read);

  // The same for a reader of the raw body; a body it rejects is retried.
  absl::Status GetBody(const HttpRequest& request, const BodyReader& read);

  const FetchStats& stats() const { return stats_; }
  const std::string& source_name() const { return source_name_; }

  // Consulted on every non-2xx answer before the default handling.
  void set_failure_reader(FailureReader reader) {
    failure_reader_ = std::move(reader);
  }

 private:
  std::string source_name_;
  FetchOptions options_;
  HttpClient client_;
  RetryPolicy retry_;
  RateLimiter limiter_;
  FetchStats stats_;
  FailureReader failure_reader_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_JSON_FETCHER_H_
