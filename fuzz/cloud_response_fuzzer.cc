// The cloud model registry parsers (SageMaker, Vertex AI, Azure ML), through
// each source's FetchPage.
//
// Input: one byte choosing the registry, then the model-listing body, a line
// "--", and the versions body. The versions body is served for the first
// three version requests of an exec and an empty list after that. SageMaker
// requests are POSTs told apart by X-Amz-Target; the others are GETs told
// apart by path. Properties: parsed names, versions and aliases are
// non-empty and belong to the registry; errors never carry the credentials.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "crawlers/source_factory.h"
#include "fuzz/crawler_fuzzing.h"

namespace {

using squatguard::Ecosystem;
using squatguard::crawlers::SourcePage;
using squatguard::fuzzing::Server;

constexpr int kVersionBodies = 3;
constexpr char kAwsSecret[] = "fuzzAwsSecretKey0123456789abcdefEXAMPLE";

struct Registry {
  const char* source;
  Ecosystem ecosystem;
};
constexpr Registry kRegistries[] = {
    {"sagemaker", Ecosystem::kSageMaker},
    {"vertex", Ecosystem::kVertex},
    {"azureml", Ecosystem::kAzureML},
};

bool IsVersionsRequest(const squatguard::fuzzing::LoopbackRequest& request) {
  return absl::StrContains(request.head, "ListModelPackages\r") ||
         absl::StrContains(request.target, ":listVersions") ||
         absl::StrContains(request.target, "/versions");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Registry& registry = kRegistries[data[0] % 3];
  const absl::string_view input = squatguard::fuzzing::AsText(data + 1, size - 1);
  const auto [models, versions] = squatguard::fuzzing::SplitOnce(input, "\n--\n");
  const std::string models_body(models), versions_body(versions);
  int version_requests = 0;
  Server().SetResponder([&](const squatguard::fuzzing::LoopbackRequest& request) {
    squatguard::fuzzing::LoopbackResponse r;
    r.headers.emplace_back("Content-Type", "application/json");
    if (IsVersionsRequest(request)) {
      r.body = ++version_requests <= kVersionBodies ? versions_body : "{}";
    } else {
      r.body = models_body;
    }
    return r;
  });

  squatguard::crawlers::SourceOptions options = squatguard::fuzzing::QuickSourceOptions(20);
  options.cloud.region = "us-east-1";
  options.cloud.project = "fuzz-project";
  options.cloud.location = "us-central1";
  options.cloud.subscription = "00000000-0000-0000-0000-000000000000";
  options.cloud.resource_group = "fuzz-group";
  options.cloud.registry = "fuzz-registry";
  options.cloud.aws.access_key_id = "AKIAFUZZEXAMPLE";
  options.cloud.aws.secret_access_key = kAwsSecret;
  options.cloud.token_origin = "FUZZ_TOKEN";
  absl::StatusOr<std::unique_ptr<squatguard::crawlers::Source>> source =
      squatguard::crawlers::MakeSource(registry.source, options);
  FUZZ_EXPECT(source.ok(), source.status().ToString());

  absl::StatusOr<SourcePage> page = (*source)->FetchPage("");
  if (!page.ok()) {
    squatguard::fuzzing::ExpectNoToken(page.status(), input);
    if (!absl::StrContains(input, kAwsSecret)) {
      FUZZ_EXPECT(!absl::StrContains(page.status().ToString(), kAwsSecret), page.status().ToString());
    }
    return 0;
  }
  for (const squatguard::crawlers::SeenName& n : page->names) {
    FUZZ_EXPECT(!n.name.empty(), "empty model name");
    FUZZ_EXPECT(n.ecosystem == registry.ecosystem, n.name);
  }
  for (const squatguard::crawlers::SeenModelVersion& v : page->versions) {
    FUZZ_EXPECT(!v.model.empty() && !v.version.empty(), v.model);
  }
  for (const squatguard::crawlers::SeenAlias& a : page->aliases) {
    FUZZ_EXPECT(!a.alias.empty() && !a.model.empty(), a.model);
  }
  return 0;
}
