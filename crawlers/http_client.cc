#include "crawlers/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr char kNetworkFailurePayload[] = "squatguard/network-failure";

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Per-transfer state the libcurl callbacks write into.
struct Transfer {
  HttpResponse* response;
  size_t max_body_bytes;
  bool body_too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response->body.size() + n > t->max_body_bytes) {
    t->body_too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  absl::string_view line(data, n);
  // A new status line starts a new response (e.g. after "100 Continue").
  if (absl::StartsWith(line, "HTTP/")) {
    t->response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return n;
  std::string name = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(line.substr(0, colon)));
  std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  t->response->headers.emplace_back(std::move(name), std::move(value));
  return n;
}

long Millis(absl::Duration d) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

}  // namespace

absl::string_view HttpResponse::Header(absl::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

absl::Status MarkNetworkFailure(absl::Status status) {
  if (!status.ok()) status.SetPayload(kNetworkFailurePayload, absl::Cord("1"));
  return status;
}

bool IsNetworkFailure(const absl::Status& status) {
  return status.GetPayload(kNetworkFailurePayload).has_value();
}

std::string UrlOrigin(absl::string_view url) {
  CURLU* u = curl_url();
  std::string origin;
  if (curl_url_set(u, CURLUPART_URL, std::string(url).c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      origin = absl::AsciiStrToLower(absl::StrCat(scheme, "://", host, ":", port));
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(u);
  return origin;
}

std::string RedactUrl(absl::string_view url) {
  CURLU* u = curl_url();
  std::string out(url);
  if (curl_url_set(u, CURLUPART_URL, out.c_str(), 0) == CURLUE_OK) {
    curl_url_set(u, CURLUPART_USER, nullptr, 0);
    curl_url_set(u, CURLUPART_PASSWORD, nullptr, 0);
    char* clean = nullptr;
    if (curl_url_get(u, CURLUPART_URL, &clean, 0) == CURLUE_OK) out = clean;
    curl_free(clean);
  }
  curl_url_cleanup(u);
  return out;
}

std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

absl::StatusOr<HttpResponse> HttpClient::Get(const HttpRequest& request) {
  if (curl_ == nullptr) {
    return MarkNetworkFailure(absl::InternalError("libcurl could not start"));
  }
  std::string url = request.url;
  const std::string first_origin = UrlOrigin(url);
  if (first_origin.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an http(s) URL: '", RedactUrl(url), "'"));
  }
  for (int hop = 0;; ++hop) {
    std::string redirect;
    absl::StatusOr<HttpResponse> response = GetOnce(url, request, &redirect);
    if (!response.ok() || redirect.empty()) return response;
    if (hop >= options_.max_redirects) {
      return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
          request.method(), " ", RedactUrl(request.url), ": more than ",
          options_.max_redirects, " redirects")));
    }
    if (!options_.allow_cross_host_redirects &&
        UrlOrigin(redirect) != first_origin) {
      return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
          request.method(), " ", RedactUrl(url),
          ": refused redirect to another host (", RedactUrl(redirect), ")")));
    }
    url = std::move(redirect);
  }
}

absl::StatusOr<HttpResponse> HttpClient::GetOnce(const std::string& url,
                                                 const HttpRequest& request,
                                                 std::string* redirect_url) {
  CURL* curl = static_cast<CURL*>(curl_);
  // Reset drops the previous request's options but keeps open connections.
  curl_easy_reset(curl);

  HttpResponse response;
  response.url = url;
  Transfer transfer{&response, request.max_body_bytes != 0
                                   ? request.max_body_bytes
                                   : options_.max_body_bytes};
  char error_text[CURL_ERROR_SIZE] = {0};

  struct curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
  }

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (request.post_body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.post_body->size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.post_body->data());
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  if (!request.aws_sigv4.empty()) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, request.aws_sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.aws_access_key_id.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, request.aws_secret_access_key.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // see Get()
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // all built-in decoders
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, Millis(options_.connect_timeout));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, Millis(options_.total_timeout));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(transfer.max_body_bytes));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);

  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);

  const std::string where = absl::StrCat(request.method(), " ", RedactUrl(url));
  if (code != CURLE_OK) {
    std::string detail = error_text[0] != 0 ? error_text : curl_easy_strerror(code);
    if (transfer.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return MarkNetworkFailure(absl::ResourceExhaustedError(absl::StrCat(
          where, ": response body larger than ", transfer.max_body_bytes,
          " bytes")));
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return MarkNetworkFailure(
          absl::DeadlineExceededError(absl::StrCat(where, ": ", detail)));
    }
    return MarkNetworkFailure(
        absl::UnavailableError(absl::StrCat(where, ": ", detail)));
  }

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  if (status >= 300 && status < 400) {
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) *redirect_url = location;
  }
  return response;
}

}  // namespace crawlers
}  // namespace squatguard
