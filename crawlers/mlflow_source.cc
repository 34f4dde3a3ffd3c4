#include "crawlers/mlflow_source.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr char kApi[] = "/api/2.0/mlflow";
constexpr int kVersionsPageSize = 1000;
// A model with more version pages than this is cut short (and says so in
// the error) rather than looping on a misbehaving server.
constexpr int kMaxVersionPages = 100;

std::optional<int64_t> MillisToSeconds(std::optional<int64_t> millis) {
  if (!millis) return std::nullopt;
  return *millis / 1000;
}

// name='x' in MLflow's filter grammar; double quotes when the name has '.
std::string NameFilter(const std::string& model) {
  char quote = model.find('\'') == std::string::npos ? '\'' : '"';
  return absl::StrCat("name=", std::string(1, quote), model,
                      std::string(1, quote));
}

}  // namespace

MlflowSource::MlflowSource(const SourceOptions& options)
    : endpoint_(options.endpoint),
      token_(options.token),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      fetcher_("mlflow", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
}

HttpRequest MlflowSource::Request(std::string url) const {
  HttpRequest request;
  request.url = std::move(url);
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  }
  return request;
}

absl::StatusOr<SourcePage> MlflowSource::FetchPage(const std::string& cursor) {
  std::string url = absl::StrCat(endpoint_, kApi,
                                 "/registered-models/search?max_results=",
                                 page_size_);
  if (!cursor.empty()) absl::StrAppend(&url, "&page_token=", UrlEncode(cursor));
  SourcePage page;
  absl::Status fetched = fetcher_.Get(
      Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
        page = SourcePage();
        if (!body.is_object()) return absl::DataLossError("expected a JSON object");
        // An empty registry answers {} without the array.
        auto models = body.find("registered_models");
        if (models != body.end() && !models->is_array()) {
          return absl::DataLossError("\"registered_models\" is not an array");
        }
        if (models != body.end()) {
          for (const nlohmann::json& model : *models) {
            SeenName name;
            name.name = StringField(model, "name");
            if (name.name.empty()) {
              return absl::DataLossError("a registered model has no \"name\"");
            }
            name.ecosystem = Ecosystem::kMlflow;
            name.kind = "registered-model";
            name.account = StringField(model, "user_id");
            name.created_at = MillisToSeconds(IntField(model, "creation_timestamp"));
            name.record = DumpRecord(model);
            auto aliases = model.find("aliases");
            if (aliases != model.end() && aliases->is_array()) {
              for (const nlohmann::json& alias : *aliases) {
                SeenAlias seen{Ecosystem::kMlflow, name.name,
                               StringField(alias, "alias"),
                               StringField(alias, "version")};
                if (!seen.alias.empty()) page.aliases.push_back(std::move(seen));
              }
            }
            page.names.push_back(std::move(name));
          }
        }
        page.next_cursor = StringField(body, "next_page_token");
        return absl::OkStatus();
      });
  if (!fetched.ok()) return fetched;
  for (const SeenName& model : page.names) {
    absl::Status versions = FetchVersions(model.name, &page);
    if (!versions.ok()) return versions;
  }
  page.done = page.next_cursor.empty();
  return page;
}

absl::Status MlflowSource::FetchVersions(const std::string& model,
                                         SourcePage* page) {
  std::string token;
  for (int pages = 0; pages < kMaxVersionPages; ++pages) {
    std::string url = absl::StrCat(endpoint_, kApi,
                                   "/model-versions/search?filter=",
                                   UrlEncode(NameFilter(model)),
                                   "&max_results=", kVersionsPageSize);
    if (!token.empty()) absl::StrAppend(&url, "&page_token=", UrlEncode(token));
    std::vector<SeenModelVersion> versions;
    absl::Status fetched = fetcher_.Get(
        Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
          versions.clear();
          if (!body.is_object()) return absl::DataLossError("expected a JSON object");
          auto list = body.find("model_versions");
          if (list != body.end() && !list->is_array()) {
            return absl::DataLossError("\"model_versions\" is not an array");
          }
          if (list != body.end()) {
            for (const nlohmann::json& v : *list) {
              SeenModelVersion version;
              version.ecosystem = Ecosystem::kMlflow;
              version.model = model;
              version.version = StringField(v, "version");
              if (version.version.empty()) {
                std::optional<int64_t> number = IntField(v, "version");
                if (!number) {
                  return absl::DataLossError("a model version has no \"version\"");
                }
                version.version = absl::StrCat(*number);
              }
              version.created_at = MillisToSeconds(IntField(v, "creation_timestamp"));
              version.status = StringField(v, "status");
              version.stage = StringField(v, "current_stage");
              version.run_id = StringField(v, "run_id");
              version.source_uri = StringField(v, "source");
              version.record = DumpRecord(v);
              versions.push_back(std::move(version));
            }
          }
          token = StringField(body, "next_page_token");
          return absl::OkStatus();
        });
    if (!fetched.ok()) return fetched;
    for (SeenModelVersion& v : versions) page->versions.push_back(std::move(v));
    if (token.empty()) return absl::OkStatus();
  }
  return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
      "mlflow: model '", model, "' has more than ", kMaxVersionPages,
      " pages of versions; the server's paging looks broken")));
}

}  // namespace crawlers
}  // namespace squatguard
