// HttpClient: one GET (or POST) at a time over libcurl, with the limits a
// crawler of public registries needs.
//
//   HttpClient client(HttpClientOptions{.user_agent = "squatguard/0.1.0"});
//   absl::StatusOr<HttpResponse> r = client.Get({.url = "https://..."});
//   if (r.ok() && r->status == 200) Use(r->body, r->Header("link"));
//
// What it guarantees:
//   - TLS peer and host verification are always on; only http and https.
//   - Bodies are accepted gzip/deflate-encoded and decoded.
//   - A body larger than max_body_bytes is an error, not an allocation.
//   - Redirects are followed only within the same host (scheme+host+port)
//     unless allow_cross_host_redirects, at most max_redirects of them.
//   - Request headers (which may hold tokens) never appear in an error.
//
// Errors (the Status of Get): transport failures only, each marked as a
// network failure (IsNetworkFailure): Unavailable (connection refused, reset,
// truncated body), DeadlineExceeded (connect or total timeout),
// ResourceExhausted (body too large), FailedPrecondition (redirect refused).
// Any HTTP status, 500 included, is a successful Get: the caller decides.
//
// Thread safety: an HttpClient owns one curl handle; use one per thread.
#ifndef SQUATGUARD_CRAWLERS_HTTP_CLIENT_H_
#define SQUATGUARD_CRAWLERS_HTTP_CLIENT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace squatguard {
namespace crawlers {

struct HttpClientOptions {
  std::string user_agent = "squatguard";
  absl::Duration connect_timeout = absl::Seconds(10);
  // The whole transfer, from connect to last byte.
  absl::Duration total_timeout = absl::Seconds(60);
  size_t max_body_bytes = 64 << 20;
  int max_redirects = 5;
  bool allow_cross_host_redirects = false;
};

struct HttpRequest {
  std::string url;
  // Extra request headers, e.g. {"Authorization", "Bearer ..."}.
  std::vector<std::pair<std::string, std::string>> headers;
  // Overrides HttpClientOptions::max_body_bytes when non-zero.
  size_t max_body_bytes = 0;
  // Set: the request is a POST of this body (set its Content-Type in
  // `headers`); unset: a GET.
  std::optional<std::string> post_body;
  // AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4), e.g.
  // "aws:amz:us-east-1:sagemaker"; "" for none. The signature covers the
  // method, path, query, the headers above, host, x-amz-date and the body.
  // The key id and secret, like every header, never appear in an error.
  std::string aws_sigv4;
  std::string aws_access_key_id;
  std::string aws_secret_access_key;

  absl::string_view method() const { return post_body ? "POST" : "GET"; }
};

struct HttpResponse {
  int status = 0;
  // Header names are lower-cased; values are trimmed. Of a redirect chain,
  // only the last response's headers are kept.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string url;  // the URL that produced this response (after redirects)

  // The first header of that name (lower-case), or "" when absent.
  absl::string_view Header(absl::string_view lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` (a GET, or a POST when it has a post_body).
  absl::StatusOr<HttpResponse> Get(const HttpRequest& request);

  const HttpClientOptions& options() const { return options_; }

 private:
  absl::StatusOr<HttpResponse> GetOnce(const std::string& url,
                                       const HttpRequest& request,
                                       std::string* redirect_url);

  HttpClientOptions options_;
  void* curl_;  // CURL*, kept opaque so callers need not include curl.h
};

// Marks `status` as a network or registry failure (SPEC exit code 4), and
// tells whether a status carries that mark.
absl::Status MarkNetworkFailure(absl::Status status);
bool IsNetworkFailure(const absl::Status& status);

// "scheme://host:port" of an absolute URL, lower-cased, with the default
// port made explicit; "" when the URL cannot be parsed.
std::string UrlOrigin(absl::string_view url);

// The URL with any user:password removed, for messages.
std::string RedactUrl(absl::string_view url);

// Percent-encodes one query parameter value.
std::string UrlEncode(absl::string_view text);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_HTTP_CLIENT_H_
