// What the cloud model registries (SageMaker, Vertex AI, Azure ML) share:
// their options, credentials, and how their error answers are read.
//
// Each cloud source lists the registry's models and every version of each,
// and reports the pointer a deployment pipeline follows as an alias:
// SageMaker "approved" (the highest Approved version), Vertex AI's
// versionAliases ("default" and custom ones), Azure ML "latest". The crawl
// job's lifecycle checks (crawlers/lifecycle.h) turn those into alias-move
// and version-jump alerts.
//
// Credentials never appear in an error: a 401/403 (or AWS's "400
// UnrecognizedClientException" and kin) becomes a message naming the source
// and the variable or file the credential came from, marked
// IsNetworkFailure() (exit 4). Throttling (429, AWS "ThrottlingException")
// is retried with backoff like any transient failure.
#ifndef SQUATGUARD_CRAWLERS_CLOUD_REGISTRY_H_
#define SQUATGUARD_CRAWLERS_CLOUD_REGISTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "crawlers/json_fetcher.h"

namespace squatguard {
namespace crawlers {

struct AwsCredentials {
  std::string access_key_id;      // AWS_ACCESS_KEY_ID
  std::string secret_access_key;  // AWS_SECRET_ACCESS_KEY
  std::string session_token;      // AWS_SESSION_TOKEN; "" for long-term keys
};

// Where each cloud registry is; unused fields are ignored.
struct CloudOptions {
  std::string region;          // sagemaker: "us-east-1"
  std::string project;         // vertex: project id or number
  std::string location;        // vertex: "us-central1"
  std::string subscription;    // azureml: subscription id
  std::string resource_group;  // azureml
  std::string registry;        // azureml: registry name
  AwsCredentials aws;          // sagemaker; "" fields: from the environment
  // Where the bearer token came from, for messages: "GOOGLE_OAUTH_ACCESS_TOKEN",
  // "AZURE_ACCESS_TOKEN" or "--token-file PATH". Filled by MakeSource.
  std::string token_origin;
};

// The bearer-token registries' reading of a 401 or 403 (Vertex AI and Azure
// ML): which credential is missing or refused, and the server's own error
// code. `env_variable` is what a user sets ("AZURE_ACCESS_TOKEN").
FailureReader BearerFailureReader(std::string source, std::string env_variable,
                                  std::string token_origin, bool token_sent);

// AWS JSON 1.1 (SageMaker): throttling error types are retried, credential
// error types name AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN. `operation` is read at each failure (the reader is
// shared by the source's calls).
FailureReader AwsJsonFailureReader(const std::string* operation,
                                   bool session_token_sent);

// The "__type" of an AWS JSON error body without its namespace
// ("com.amazon.coral.service#ThrottlingException" -> "ThrottlingException"),
// or the x-amzn-ErrorType header's; "" when neither says.
std::string AwsErrorType(const HttpResponse& response);

// Unix seconds of a JSON number of seconds (AWS timestamps: 1716552000.123).
std::optional<int64_t> EpochSecondsField(const nlohmann::json& object,
                                         const char* key);

// `status` with every occurrence of each secret replaced by "[redacted]":
// the last guard against a server that echoes credentials in its errors.
absl::Status RedactSecrets(absl::Status status,
                           const std::vector<std::string>& secrets);

// A registry listing page of `items` (an array, or absent for none);
// DataLoss when the field is something else.
absl::Status ReadArrayField(const nlohmann::json& body, const char* key,
                            std::vector<nlohmann::json>* items);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_CLOUD_REGISTRY_H_
