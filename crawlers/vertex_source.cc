#include "crawlers/vertex_source.h"

#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crawlers/cloud_registry.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr int kVersionsPageSize = 100;
constexpr int kMaxVersionPages = 100;

bool IsPlainSegment(absl::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// A model's resource name as the API writes it,
// "projects/P/locations/L/models/M": only then is it pasted into a URL path.
bool IsModelResourceName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  return parts.size() == 6 && parts[0] == "projects" && parts[2] == "locations" &&
         parts[4] == "models" && IsPlainSegment(parts[1]) &&
         IsPlainSegment(parts[3]) && IsPlainSegment(parts[5]);
}

}  // namespace

std::string VertexSource::DefaultEndpoint(absl::string_view location) {
  if (location == "global") return "https://aiplatform.googleapis.com";
  return absl::StrCat("https://", location, "-aiplatform.googleapis.com");
}

VertexSource::VertexSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty()
                    ? DefaultEndpoint(options.cloud.location)
                    : options.endpoint),
      parent_(absl::StrCat("projects/", UrlEncode(options.cloud.project),
                           "/locations/", UrlEncode(options.cloud.location))),
      token_(options.token),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      fetcher_("vertex", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
  fetcher_.set_failure_reader(BearerFailureReader(
      "vertex", "GOOGLE_OAUTH_ACCESS_TOKEN", options.cloud.token_origin,
      !token_.empty()));
}

HttpRequest VertexSource::Request(std::string url) const {
  HttpRequest request;
  request.url = std::move(url);
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  }
  return request;
}

absl::StatusOr<SourcePage> VertexSource::FetchPage(const std::string& cursor) {
  std::string url = absl::StrCat(endpoint_, "/v1/", parent_,
                                 "/models?pageSize=", page_size_);
  if (!cursor.empty()) absl::StrAppend(&url, "&pageToken=", UrlEncode(cursor));
  SourcePage page;
  std::vector<std::string> resources;  // per name on the page
  absl::Status fetched = fetcher_.Get(
      Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
        page = SourcePage();
        resources.clear();
        std::vector<nlohmann::json> models;
        absl::Status s = ReadArrayField(body, "models", &models);
        if (!s.ok()) return s;
        for (const nlohmann::json& model : models) {
          SeenName name;
          std::string resource = StringField(model, "name");
          if (!IsModelResourceName(resource)) {
            return absl::DataLossError(absl::StrCat(
                "a model's \"name\" is not projects/P/locations/L/models/M: '",
                resource.substr(0, 120), "'"));
          }
          name.name = StringField(model, "displayName");
          if (name.name.empty()) {
            return absl::DataLossError(
                absl::StrCat("model ", resource, " has no \"displayName\""));
          }
          name.ecosystem = Ecosystem::kVertex;
          name.kind = "model";
          name.registry_id = resource;
          std::optional<int64_t> created =
              ParseRfc3339Millis(StringField(model, "createTime"));
          if (created) name.created_at = *created / 1000;
          name.record = DumpRecord(model);
          resources.push_back(std::move(resource));
          page.names.push_back(std::move(name));
        }
        page.next_cursor = StringField(body, "nextPageToken");
        return absl::OkStatus();
      });
  if (!fetched.ok()) return RedactSecrets(std::move(fetched), {token_});
  for (size_t i = 0; i < page.names.size(); ++i) {
    absl::Status versions = FetchVersions(resources[i], page.names[i].name, &page);
    if (!versions.ok()) return RedactSecrets(std::move(versions), {token_});
  }
  page.done = page.next_cursor.empty();
  return page;
}

absl::Status VertexSource::FetchVersions(const std::string& resource,
                                         const std::string& display_name,
                                         SourcePage* page) {
  std::string token;
  for (int pages = 0; pages < kMaxVersionPages; ++pages) {
    std::string url = absl::StrCat(endpoint_, "/v1/", resource,
                                   ":listVersions?pageSize=", kVersionsPageSize);
    if (!token.empty()) absl::StrAppend(&url, "&pageToken=", UrlEncode(token));
    std::vector<SeenModelVersion> versions;
    std::vector<SeenAlias> aliases;
    absl::Status fetched = fetcher_.Get(
        Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
          versions.clear();
          aliases.clear();
          std::vector<nlohmann::json> models;
          absl::Status s = ReadArrayField(body, "models", &models);
          if (!s.ok()) return s;
          for (const nlohmann::json& m : models) {
            SeenModelVersion v;
            v.ecosystem = Ecosystem::kVertex;
            v.model = display_name;
            v.version = StringField(m, "versionId");
            if (v.version.empty()) {
              return absl::DataLossError(
                  absl::StrCat("a version of ", resource, " has no \"versionId\""));
            }
            std::optional<int64_t> created =
                ParseRfc3339Millis(StringField(m, "versionCreateTime"));
            if (created) v.created_at = *created / 1000;
            v.source_uri = StringField(m, "artifactUri");
            v.record = DumpRecord(m);
            auto list = m.find("versionAliases");
            if (list != m.end() && list->is_array()) {
              for (const nlohmann::json& alias : *list) {
                if (!alias.is_string() || alias.get<std::string>().empty()) continue;
                aliases.push_back({Ecosystem::kVertex, display_name,
                                   alias.get<std::string>(), v.version});
              }
            }
            versions.push_back(std::move(v));
          }
          token = StringField(body, "nextPageToken");
          return absl::OkStatus();
        });
    if (!fetched.ok()) return fetched;
    for (SeenModelVersion& v : versions) page->versions.push_back(std::move(v));
    for (SeenAlias& a : aliases) page->aliases.push_back(std::move(a));
    if (token.empty()) return absl::OkStatus();
  }
  return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
      "vertex: model ", resource, " has more than ", kMaxVersionPages,
      " pages of versions; the server's paging looks broken")));
}

}  // namespace crawlers
}  // namespace squatguard
