#include "crawlers/sagemaker_source.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/lifecycle.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr int kPackagesPageSize = 100;
// A group with more package pages than this is cut short (and says so)
// rather than looping on a misbehaving server.
constexpr int kMaxPackagePages = 100;

}  // namespace

std::string SageMakerSource::DefaultEndpoint(absl::string_view region) {
  return absl::StrCat("https://api.sagemaker.", region, ".amazonaws.com");
}

SageMakerSource::SageMakerSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty()
                    ? DefaultEndpoint(options.cloud.region)
                    : options.endpoint),
      region_(options.cloud.region),
      credentials_(options.cloud.aws),
      page_size_(options.page_size > 0
                     ? std::min(options.page_size, kDefaultPageSize)
                     : kDefaultPageSize),
      fetcher_("sagemaker", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
  fetcher_.set_failure_reader(
      AwsJsonFailureReader(&operation_, !credentials_.session_token.empty()));
}

absl::Status SageMakerSource::Call(const std::string& operation,
                                   const nlohmann::json& body,
                                   const JsonReader& read) {
  if (credentials_.access_key_id.empty() ||
      credentials_.secret_access_key.empty()) {
    return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
        "sagemaker: no AWS credentials: set ",
        credentials_.access_key_id.empty() ? "AWS_ACCESS_KEY_ID" : "",
        credentials_.access_key_id.empty() &&
                credentials_.secret_access_key.empty()
            ? " and "
            : "",
        credentials_.secret_access_key.empty() ? "AWS_SECRET_ACCESS_KEY" : "",
        " (and AWS_SESSION_TOKEN for temporary credentials)")));
  }
  operation_ = operation;
  HttpRequest request;
  request.url = absl::StrCat(endpoint_, "/");
  request.post_body = DumpRecord(body);
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", absl::StrCat("SageMaker.", operation)}};
  if (!credentials_.session_token.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token",
                                 credentials_.session_token);
  }
  request.aws_sigv4 = absl::StrCat("aws:amz:", region_, ":sagemaker");
  request.aws_access_key_id = credentials_.access_key_id;
  request.aws_secret_access_key = credentials_.secret_access_key;
  absl::Status fetched = fetcher_.Get(request, read);
  return RedactSecrets(std::move(fetched),
                       {credentials_.secret_access_key,
                        credentials_.session_token});
}

absl::StatusOr<SourcePage> SageMakerSource::FetchPage(const std::string& cursor) {
  nlohmann::json body = {{"MaxResults", page_size_},
                         {"SortBy", "CreationTime"},
                         {"SortOrder", "Ascending"}};
  if (!cursor.empty()) body["NextToken"] = cursor;
  SourcePage page;
  absl::Status fetched = Call(
      "ListModelPackageGroups", body,
      [&](const HttpResponse&, const nlohmann::json& answer) {
        page = SourcePage();
        std::vector<nlohmann::json> groups;
        absl::Status s =
            ReadArrayField(answer, "ModelPackageGroupSummaryList", &groups);
        if (!s.ok()) return s;
        for (const nlohmann::json& group : groups) {
          SeenName name;
          name.name = StringField(group, "ModelPackageGroupName");
          if (name.name.empty()) {
            return absl::DataLossError(
                "a model package group has no \"ModelPackageGroupName\"");
          }
          name.ecosystem = Ecosystem::kSageMaker;
          name.kind = "model-package-group";
          name.created_at = EpochSecondsField(group, "CreationTime");
          name.record = DumpRecord(group);
          page.names.push_back(std::move(name));
        }
        page.next_cursor = StringField(answer, "NextToken");
        return absl::OkStatus();
      });
  if (!fetched.ok()) return fetched;
  for (const SeenName& group : page.names) {
    absl::Status packages = FetchPackages(group.name, &page);
    if (!packages.ok()) return packages;
  }
  page.done = page.next_cursor.empty();
  return page;
}

absl::Status SageMakerSource::FetchPackages(const std::string& group,
                                            SourcePage* page) {
  std::string token;
  std::optional<uint64_t> approved;
  std::string approved_text;
  for (int pages = 0; pages < kMaxPackagePages; ++pages) {
    nlohmann::json body = {{"ModelPackageGroupName", group},
                           {"ModelPackageType", "Versioned"},
                           {"MaxResults", kPackagesPageSize},
                           {"SortBy", "CreationTime"},
                           {"SortOrder", "Ascending"}};
    if (!token.empty()) body["NextToken"] = token;
    std::vector<SeenModelVersion> versions;
    absl::Status fetched = Call(
        "ListModelPackages", body,
        [&](const HttpResponse&, const nlohmann::json& answer) {
          versions.clear();
          std::vector<nlohmann::json> packages;
          absl::Status s =
              ReadArrayField(answer, "ModelPackageSummaryList", &packages);
          if (!s.ok()) return s;
          for (const nlohmann::json& p : packages) {
            // Unversioned packages have no group and no version: skip them.
            std::optional<int64_t> number = IntField(p, "ModelPackageVersion");
            if (!number) continue;
            SeenModelVersion v;
            v.ecosystem = Ecosystem::kSageMaker;
            v.model = group;
            v.version = absl::StrCat(*number);
            v.created_at = EpochSecondsField(p, "CreationTime");
            v.status = StringField(p, "ModelApprovalStatus");
            v.source_uri = StringField(p, "ModelPackageArn");
            v.record = DumpRecord(p);
            versions.push_back(std::move(v));
          }
          token = StringField(answer, "NextToken");
          return absl::OkStatus();
        });
    if (!fetched.ok()) return fetched;
    for (SeenModelVersion& v : versions) {
      std::optional<uint64_t> n = NumericVersion(v.version);
      if (v.status == "Approved" && n && (!approved || *n > *approved)) {
        approved = n;
        approved_text = v.version;
      }
      page->versions.push_back(std::move(v));
    }
    if (token.empty()) {
      if (approved) {
        page->aliases.push_back(
            {Ecosystem::kSageMaker, group, "approved", approved_text});
      }
      return absl::OkStatus();
    }
  }
  return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
      "sagemaker: model package group '", group, "' has more than ",
      kMaxPackagePages, " pages of versions; the server's paging looks broken")));
}

}  // namespace crawlers
}  // namespace squatguard
