#include "crawlers/source_factory.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crawlers/cloud_source_factory.h"
#include "crawlers/feed_source.h"
#include "crawlers/hf_source.h"
#include "crawlers/mlflow_source.h"
#include "crawlers/npm_source.h"
#include "crawlers/pypi_source.h"

namespace squatguard {
namespace crawlers {
namespace {

std::string FromEnvironment(const char* variable) {
  const char* value = std::getenv(variable);
  return value != nullptr ? value : "";
}

}  // namespace

std::vector<std::string> KnownSourceNames() {
  return {"hf", "pypi", "npm", "mlflow", "sagemaker", "vertex", "azureml", "feed"};
}

absl::StatusOr<std::unique_ptr<Source>> MakeSource(absl::string_view name,
                                                   SourceOptions options) {
  if (options.max_body_bytes != 0) options.fetch.http.max_body_bytes = options.max_body_bytes;
  if (name == "hf") {
    if (options.token.empty()) options.token = FromEnvironment("HF_TOKEN");
    return std::make_unique<HfSource>(options);
  }
  if (name == "pypi") return std::make_unique<PypiSource>(options);
  if (name == "npm") return std::make_unique<NpmSource>(options);
  if (name == "mlflow") {
    if (options.token.empty()) {
      options.token = FromEnvironment("MLFLOW_TRACKING_TOKEN");
    }
    if (options.endpoint.empty()) {
      options.endpoint = FromEnvironment("MLFLOW_TRACKING_URI");
    }
    if (options.endpoint.empty()) {
      return absl::InvalidArgumentError(
          "mlflow: no server given; pass --endpoint URL or set MLFLOW_TRACKING_URI");
    }
    return std::make_unique<MlflowSource>(options);
  }
  if (name == "sagemaker" || name == "vertex" || name == "azureml") {
    return MakeCloudSource(name, std::move(options));
  }
  if (name == "feed") {
    if (options.feed_path.empty() || options.feed_path == "-") {
      if (options.feed_stream == nullptr) {
        return absl::InvalidArgumentError("feed: no input stream");
      }
      return std::make_unique<FeedSource>(options.feed_stream, "<stdin>",
                                          options.feed_ecosystem,
                                          options.page_size);
    }
    absl::StatusOr<std::unique_ptr<FeedSource>> feed = FeedSource::Open(
        options.feed_path, options.feed_ecosystem, options.page_size);
    if (!feed.ok()) return feed.status();
    return std::unique_ptr<Source>(*std::move(feed));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown source '", name, "' (expected one of: ",
                   absl::StrJoin(KnownSourceNames(), ", "), ")"));
}

}  // namespace crawlers
}  // namespace squatguard
