#include "crawlers/azureml_source.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/cloud_registry.h"
#include "crawlers/lifecycle.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr int kMaxVersionPages = 100;

const nlohmann::json& Member(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::optional<int64_t> CreatedAt(const nlohmann::json& resource) {
  std::optional<int64_t> millis =
      ParseRfc3339Millis(StringField(Member(resource, "systemData"), "createdAt"));
  if (!millis) return std::nullopt;
  return *millis / 1000;
}

}  // namespace

AzureMlSource::AzureMlSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? kDefaultEndpoint : options.endpoint),
      registry_path_(absl::StrCat(
          "/subscriptions/", UrlEncode(options.cloud.subscription),
          "/resourceGroups/", UrlEncode(options.cloud.resource_group),
          "/providers/Microsoft.MachineLearningServices/registries/",
          UrlEncode(options.cloud.registry))),
      token_(options.token),
      fetcher_("azureml", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
  fetcher_.set_failure_reader(BearerFailureReader(
      "azureml", "AZURE_ACCESS_TOKEN", options.cloud.token_origin,
      !token_.empty()));
}

HttpRequest AzureMlSource::Request(std::string url) const {
  HttpRequest request;
  request.url = std::move(url);
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  }
  return request;
}

absl::Status AzureMlSource::CheckLink(const std::string& link) const {
  if (UrlOrigin(link) != UrlOrigin(endpoint_)) {
    return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
        "azureml: refused a nextLink to another host (", RedactUrl(link),
        "); the access token is only sent to ", UrlOrigin(endpoint_))));
  }
  return absl::OkStatus();
}

absl::StatusOr<SourcePage> AzureMlSource::FetchPage(const std::string& cursor) {
  // A cursor from a run against another endpoint (or a tampered one) is
  // not followed: the listing starts over, as every run's does.
  std::string url = cursor;
  if (url.empty() || UrlOrigin(url) != UrlOrigin(endpoint_)) {
    url = absl::StrCat(endpoint_, registry_path_, "/models?api-version=",
                       kApiVersion);
  }
  SourcePage page;
  std::vector<nlohmann::json> containers;
  absl::Status fetched = fetcher_.Get(
      Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
        page = SourcePage();
        absl::Status s = ReadArrayField(body, "value", &containers);
        if (!s.ok()) return s;
        for (const nlohmann::json& container : containers) {
          SeenName name;
          name.name = StringField(container, "name");
          if (name.name.empty()) {
            return absl::DataLossError("a model container has no \"name\"");
          }
          name.ecosystem = Ecosystem::kAzureML;
          name.kind = "model";
          name.account = StringField(Member(container, "systemData"), "createdBy");
          name.created_at = CreatedAt(container);
          name.record = DumpRecord(container);
          page.names.push_back(std::move(name));
        }
        page.next_cursor = StringField(body, "nextLink");
        return absl::OkStatus();
      });
  if (!fetched.ok()) return RedactSecrets(std::move(fetched), {token_});
  if (!page.next_cursor.empty()) {
    if (absl::Status s = CheckLink(page.next_cursor); !s.ok()) return s;
  }
  for (size_t i = 0; i < page.names.size(); ++i) {
    absl::Status versions = FetchVersions(containers[i], page.names[i].name, &page);
    if (!versions.ok()) return RedactSecrets(std::move(versions), {token_});
  }
  page.done = page.next_cursor.empty();
  return page;
}

absl::Status AzureMlSource::FetchVersions(const nlohmann::json& container,
                                          const std::string& model,
                                          SourcePage* page) {
  std::string url = absl::StrCat(endpoint_, registry_path_, "/models/",
                                 UrlEncode(model), "/versions?api-version=",
                                 kApiVersion);
  // "latest" when the container does not say: the highest active version.
  std::optional<uint64_t> highest;
  std::string highest_text;
  for (int pages = 0; pages < kMaxVersionPages; ++pages) {
    std::vector<SeenModelVersion> versions;
    std::string next;
    absl::Status fetched = fetcher_.Get(
        Request(url), [&](const HttpResponse&, const nlohmann::json& body) {
          versions.clear();
          std::vector<nlohmann::json> items;
          absl::Status s = ReadArrayField(body, "value", &items);
          if (!s.ok()) return s;
          for (const nlohmann::json& item : items) {
            SeenModelVersion v;
            v.ecosystem = Ecosystem::kAzureML;
            v.model = model;
            v.version = StringField(item, "name");
            if (v.version.empty()) {
              return absl::DataLossError(
                  absl::StrCat("a version of model '", model, "' has no \"name\""));
            }
            const nlohmann::json& props = Member(item, "properties");
            v.created_at = CreatedAt(item);
            // properties.stage is a free-form label, not a pointer: it stays
            // in the record, out of `stage` (read as MLflow's stages).
            v.status = Member(props, "isArchived") == true ? "archived" : "active";
            v.run_id = StringField(props, "jobName");
            v.source_uri = StringField(props, "modelUri");
            v.record = DumpRecord(item);
            versions.push_back(std::move(v));
          }
          next = StringField(body, "nextLink");
          return absl::OkStatus();
        });
    if (!fetched.ok()) return fetched;
    for (SeenModelVersion& v : versions) {
      std::optional<uint64_t> n = NumericVersion(v.version);
      if (v.status == "active" && n && (!highest || *n > *highest)) {
        highest = n;
        highest_text = v.version;
      }
      page->versions.push_back(std::move(v));
    }
    if (next.empty()) {
      std::string latest =
          StringField(Member(container, "properties"), "latestVersion");
      if (latest.empty()) latest = highest_text;
      if (!latest.empty()) {
        page->aliases.push_back({Ecosystem::kAzureML, model, "latest", latest});
      }
      return absl::OkStatus();
    }
    if (absl::Status s = CheckLink(next); !s.ok()) return s;
    url = std::move(next);
  }
  return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
      "azureml: model '", model, "' has more than ", kMaxVersionPages,
      " pages of versions; the server's paging looks broken")));
}

}  // namespace crawlers
}  // namespace squatguard
