#include "crawlers/cloud_source_factory.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "crawlers/azureml_source.h"
#include "crawlers/sagemaker_source.h"
#include "crawlers/vertex_source.h"

namespace squatguard {
namespace crawlers {
namespace {

std::string FromEnvironment(const char* variable) {
  const char* value = std::getenv(variable);
  return value != nullptr ? value : "";
}

// Region, project and location names go into host names and the SigV4
// scope: letters, digits, '-', '_' and '.' only.
absl::Status CheckPart(absl::string_view source, absl::string_view option,
                       const std::string& value) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", option, " is required"));
  }
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": ", option, " '", value,
          "' may hold only letters, digits, '-', '_' and '.'"));
    }
  }
  return absl::OkStatus();
}

// Azure resource group names also allow parentheses; they are URL-encoded.
absl::Status CheckPresent(absl::string_view source, absl::string_view option,
                          const std::string& value) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", option, " is required"));
  }
  return absl::OkStatus();
}

// The bearer token from `variable` unless one was given; says where it came
// from for error messages.
void BearerToken(const char* variable, SourceOptions* options) {
  if (options->token.empty()) {
    options->token = FromEnvironment(variable);
    options->cloud.token_origin = variable;
  } else if (options->cloud.token_origin.empty()) {
    options->cloud.token_origin = "the given token";
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Source>> MakeCloudSource(absl::string_view name,
                                                        SourceOptions options) {
  CloudOptions& cloud = options.cloud;
  if (name == "sagemaker") {
    if (absl::Status s = CheckPart(name, "--region", cloud.region); !s.ok()) {
      return s;
    }
    AwsCredentials& aws = cloud.aws;
    if (aws.access_key_id.empty() && aws.secret_access_key.empty()) {
      aws.access_key_id = FromEnvironment("AWS_ACCESS_KEY_ID");
      aws.secret_access_key = FromEnvironment("AWS_SECRET_ACCESS_KEY");
      aws.session_token = FromEnvironment("AWS_SESSION_TOKEN");
    }
    return std::make_unique<SageMakerSource>(options);
  }
  if (name == "vertex") {
    if (absl::Status s = CheckPart(name, "--project", cloud.project); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckPart(name, "--location", cloud.location); !s.ok()) {
      return s;
    }
    BearerToken("GOOGLE_OAUTH_ACCESS_TOKEN", &options);
    return std::make_unique<VertexSource>(options);
  }
  if (name == "azureml") {
    if (absl::Status s = CheckPart(name, "--subscription", cloud.subscription);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            CheckPresent(name, "--resource-group", cloud.resource_group);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckPart(name, "--registry", cloud.registry); !s.ok()) {
      return s;
    }
    BearerToken("AZURE_ACCESS_TOKEN", &options);
    return std::make_unique<AzureMlSource>(options);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not a cloud registry source: '", name, "'"));
}

}  // namespace crawlers
}  // namespace squatguard
