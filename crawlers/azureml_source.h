// AzureMlSource: the models of an Azure Machine Learning registry, with
// every version and which one is "latest".
//
// GET <endpoint>/subscriptions/S/resourceGroups/G/providers/
// Microsoft.MachineLearningServices/registries/R/models?api-version=2023-04-01
// lists the model containers ("value", "nextLink"); for each model on a page,
// .../models/{name}/versions?api-version=2023-04-01 lists its versions
// (paged by "nextLink" too). A bearer token from AZURE_ACCESS_TOKEN or
// --token-file (for instance `az account get-access-token --query
// accessToken -o tsv`).
//
// The model name is the container name (ecosystem "azureml"); its alias
// "latest" is the container's properties.latestVersion, or when absent the
// highest numeric version that is not archived: what `azureml://registries/
// R/models/NAME/labels/latest` resolves to.
//
// nextLink is followed only on the endpoint's own scheme, host and port (the
// token goes with it). Endpoint: https://management.azure.com unless given.
// The cursor is the nextLink of the run under way (one for another host, say
// from a run against another --endpoint, starts the listing over); each run
// lists again.
#ifndef SQUATGUARD_CRAWLERS_AZUREML_SOURCE_H_
#define SQUATGUARD_CRAWLERS_AZUREML_SOURCE_H_

#include <string>

#include <nlohmann/json.hpp>

#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class AzureMlSource : public Source {
 public:
  static constexpr char kDefaultEndpoint[] = "https://management.azure.com";
  static constexpr char kApiVersion[] = "2023-04-01";

  // options.cloud.subscription, .resource_group and .registry are required
  // (MakeSource checks them).
  explicit AzureMlSource(const SourceOptions& options);

  absl::string_view name() const override { return "azureml"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

 private:
  HttpRequest Request(std::string url) const;
  // InvalidArgument unless `link` is on the endpoint's origin.
  absl::Status CheckLink(const std::string& link) const;
  absl::Status FetchVersions(const nlohmann::json& container,
                             const std::string& model, SourcePage* page);

  std::string endpoint_;
  std::string registry_path_;  // "/subscriptions/.../registries/R"
  std::string token_;
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_AZUREML_SOURCE_H_
