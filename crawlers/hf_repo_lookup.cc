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

// options.fetch with options.max_body_bytes, as MakeSource applies it.
FetchOptions WithBodyLimit(const SourceOptions& options) {
  FetchOptions fetch = options.fetch;
  if (options.max_body_bytes != 0) fetch.http.max_body_bytes = options.max_body_bytes;
  return fetch;
}

}  // namespace

HfRepoLookup::HfRepoLookup(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? HfSource::kDefaultEndpoint : options.endpoint),
      token_(options.token),
      fetcher_("hf", WithBodyLimit(options)) {
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
  // 404 and 410 say the repo is gone; so does 401 to an anonymous request
  // (the Hub's answer for missing or private repos). With a token, 401 is an
  // error: a bad token must not turn every repo into a tombstone.
  LookupAnswer answer;
  fetcher_.set_failure_reader([&](const HttpResponse& response) -> std::optional<FailureReading> {
    const int status = response.status;
    if (status != 404 && status != 410 && !(status == 401 && token_.empty())) return std::nullopt;
    answer = LookupAnswer();
    answer.kind = LookupAnswer::Kind::kGone;
    answer.detail = absl::StrCat("HTTP ", status);
    FailureReading reading;
    reading.answer = true;
    return reading;
  });
  absl::Status fetched = fetcher_.Get(request, [&](const HttpResponse&, const nlohmann::json& body) {
    if (!body.is_object()) return absl::DataLossError("body is not a JSON object");
    answer = LookupAnswer();
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
    answer.kind = now.name == stored.name ? LookupAnswer::Kind::kPresent : LookupAnswer::Kind::kMoved;
    return absl::OkStatus();
  });
  fetcher_.set_failure_reader(nullptr);  // it refers to this call's `answer`
  if (!fetched.ok()) return fetched;
  return answer;
}

}  // namespace crawlers
}  // namespace squatguard
