// VertexSource: the models of a Google Cloud Vertex AI Model Registry
// (one project and location), with every version and its aliases.
//
// GET <endpoint>/v1/projects/P/locations/L/models?pageSize=N[&pageToken=T]
// lists the models ("models", "nextPageToken"); for each model on a page,
// GET <endpoint>/v1/{model name}:listVersions lists its versions, each with
// "versionId" and "versionAliases" (exactly one version carries "default").
// A bearer token from GOOGLE_OAUTH_ACCESS_TOKEN or --token-file (for
// instance `gcloud auth print-access-token`).
//
// The model name is the displayName (ecosystem "vertex"); the resource name
// ("projects/123/locations/us-central1/models/456") is its registry identity,
// so a display name reused by another model shows as a new identity.
//
// Endpoint: https://LOCATION-aiplatform.googleapis.com unless given
// (https://aiplatform.googleapis.com for "global"). The cursor is the page
// token of the run under way; each run lists the registry again.
#ifndef SQUATGUARD_CRAWLERS_VERTEX_SOURCE_H_
#define SQUATGUARD_CRAWLERS_VERTEX_SOURCE_H_

#include <string>

#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class VertexSource : public Source {
 public:
  static constexpr int kDefaultPageSize = 100;

  // options.cloud.project and .location are required (MakeSource checks).
  explicit VertexSource(const SourceOptions& options);

  absl::string_view name() const override { return "vertex"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

  static std::string DefaultEndpoint(absl::string_view location);

 private:
  HttpRequest Request(std::string url) const;
  absl::Status FetchVersions(const std::string& resource,
                             const std::string& display_name, SourcePage* page);

  std::string endpoint_;
  std::string parent_;  // "projects/P/locations/L", path-encoded
  std::string token_;
  int page_size_;
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_VERTEX_SOURCE_H_
