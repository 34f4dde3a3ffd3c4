// Building a Source by its command-line name.
//
//   SourceOptions options;
//   options.endpoint = "http://127.0.0.1:8080";   // a mirror or test server
//   absl::StatusOr<std::unique_ptr<Source>> hf = MakeSource("hf", options);
//
// Tokens come from the environment when not given: HF_TOKEN for hf,
// MLFLOW_TRACKING_TOKEN for mlflow (and MLFLOW_TRACKING_URI as mlflow's
// endpoint), GOOGLE_OAUTH_ACCESS_TOKEN for vertex, AZURE_ACCESS_TOKEN for
// azureml. They are sent as "Authorization: Bearer" and never printed.
// sagemaker signs with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (SigV4) unless options.cloud.aws is given.
#ifndef SQUATGUARD_CRAWLERS_SOURCE_FACTORY_H_
#define SQUATGUARD_CRAWLERS_SOURCE_FACTORY_H_

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crawlers/cloud_registry.h"
#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "squatguard/ecosystem.h"

namespace squatguard {
namespace crawlers {

struct SourceOptions {
  std::string endpoint;  // "" : the registry's public address
  FetchOptions fetch;
  std::string token;     // "" : from the environment, if set there
  int page_size = 0;     // names asked per request; 0: the source's default
  // The largest response body accepted, for every request (PyPI's whole
  // index included); larger is an error, not an allocation. 0: the defaults,
  // fetch.http.max_body_bytes (64 MiB) and 1 GiB for PyPI's index.
  size_t max_body_bytes = 0;

  // feed only: a path or "-" for `feed_stream`, and the ecosystem of lines
  // that do not name one.
  std::string feed_path;
  std::istream* feed_stream = nullptr;  // used for "-"; not owned
  Ecosystem feed_ecosystem = Ecosystem::kAny;

  // sagemaker, vertex, azureml: where the registry is, AWS credentials.
  CloudOptions cloud;
};

// InvalidArgument for an unknown source name or a source that needs an
// endpoint it was not given (mlflow) or a cloud location it was not given
// (sagemaker --region, vertex --project/--location, azureml
// --subscription/--resource-group/--registry); NotFound for a missing feed
// file.
absl::StatusOr<std::unique_ptr<Source>> MakeSource(absl::string_view name,
                                                   SourceOptions options);

// The names MakeSource knows, for --help.
std::vector<std::string> KnownSourceNames();

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_SOURCE_FACTORY_H_
