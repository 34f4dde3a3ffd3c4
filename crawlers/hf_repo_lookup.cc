#include "crawlers/hf_repo_lookup.h"

#include <cstdlib>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "crawlers/hf_source.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

const char* ApiPath(absl::string_view kind) {
  if (kind == "model") return "models";
  if (kind == "dataset") return "datasets";
  if (kind == "space") return "spaces";
  return nullptr;
}

// One path segment, percent-encoded; "." and ".." are encoded too, so a
// hostile stored name cannot walk to another API path.
std::string PathSegment(absl::string_view segment) {
  if (segment.find_first_not_of('.') == absl::string_view::npos) {
    std::string out;
    for (size_t i = 0; i < segment.size(); ++i) out += "%2E";
    return out;
  }
  return UrlEncode(segment);
}

// options.fetch.http with options.max_body_bytes, as MakeSource applies it.
HttpClientOptions WithBodyLimit(const SourceOptions& options) {
  HttpClientOptions http = options.fetch.http;
  if (options.max_body_bytes != 0) http.max_body_bytes = options.max_body_bytes;
  return http;
}

}  // namespace

HfRepoLookup::HfRepoLookup(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? HfSource::kDefaultEndpoint : options.endpoint),
      token_(options.token),
      client_(WithBodyLimit(options)),
      retry_(options.fetch.retry),
      limiter_(options.fetch.requests_per_second, options.fetch.clock,
               options.fetch.retry.sleep ? options.fetch.retry.sleep : RealSleep),
      clock_(options.fetch.clock) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
  if (token_.empty()) {
    if (const char* env = std::getenv("HF_TOKEN")) token_ = env;
  }
}

std::string HfRepoLookup::RepoUrl(const SeenName& stored) const {
  const char* path = ApiPath(stored.kind);
  if (path == nullptr || stored.name.empty()) return "";
  std::vector<std::string> segments;
  for (absl::string_view s : absl::StrSplit(stored.name, '/')) segments.push_back(PathSegment(s));
  return absl::StrCat(endpoint_, "/api/", path, "/", absl::StrJoin(segments, "/"));
}

absl::StatusOr<LookupAnswer> HfRepoLookup::Lookup(const SeenName& stored) {
  HttpRequest request;
  request.url = RepoUrl(stored);
  if (request.url.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("hf: no API to look up '", stored.name, "' of kind '", stored.kind, "'"));
  }
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  }
  const std::string where = absl::StrCat("hf: GET ", RedactUrl(request.url));
  for (int attempt = 1;; ++attempt) {
    limiter_.Wait();
    ++stats_.requests;
    absl::StatusOr<HttpResponse> response = client_.Get(request);
    std::string failure;
    std::optional<absl::Duration> retry_after;
    if (!response.ok()) {
      if (absl::IsInvalidArgument(response.status())) return response.status();
      failure = absl::StrCat("hf: ", response.status().message());
    } else {
      stats_.bytes += static_cast<int64_t>(response->body.size());
      const int status = response->status;
      if (status == 404 || status == 410 || (status == 401 && token_.empty())) {
        LookupAnswer gone;
        gone.kind = LookupAnswer::Kind::kGone;
        gone.detail = absl::StrCat("HTTP ", status);
        return gone;
      }
      if (status >= 200 && status < 300) {
        nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
        if (body.is_object()) {
          LookupAnswer answer;
          SeenName& now = answer.current;
          now.name = StringField(body, "id");
          if (now.name.empty()) now.name = StringField(body, "modelId");
          if (now.name.empty()) now.name = stored.name;
          now.ecosystem = Ecosystem::kHuggingFace;
          now.kind = stored.kind;
          now.registry_id = StringField(body, "_id");
          now.account = StringField(body, "author");
          if (now.account.empty()) {
            size_t slash = now.name.find('/');
            if (slash != std::string::npos) now.account = now.name.substr(0, slash);
          }
          if (std::optional<int64_t> ms = ParseRfc3339Millis(StringField(body, "createdAt"))) {
            now.created_at = *ms / 1000;
          }
          now.record = DumpRecord(body);
          answer.kind = now.name == stored.name ? LookupAnswer::Kind::kPresent
                                                : LookupAnswer::Kind::kMoved;
          return answer;
        }
        failure = absl::StrCat(where, ": body is not a JSON object (",
                               response->body.size(), " bytes)");
      } else if (IsRetryableHttpStatus(status)) {
        failure = absl::StrCat(where, ": HTTP ", status);
        if (status == 429 || status == 503) {
          retry_after = ParseRetryAfter(response->Header("retry-after"), clock_());
        }
      } else {
        ++stats_.failed_attempts;
        return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
            where, ": HTTP ", status,
            status == 401 || status == 403 ? " (is the token valid?)" : "")));
      }
    }
    ++stats_.failed_attempts;
    std::optional<absl::Duration> wait = retry_.NextDelay(attempt, retry_after);
    if (!wait) {
      return MarkNetworkFailure(absl::UnavailableError(
          absl::StrCat(failure, "; gave up after ", attempt, " attempts")));
    }
    retry_.Sleep(*wait);
  }
}

}  // namespace crawlers
}  // namespace squatguard
