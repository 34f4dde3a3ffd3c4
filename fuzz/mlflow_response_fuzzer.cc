// The MLflow registry parsers (registered models, model versions, aliases),
// through MlflowSource::FetchPage.
//
// Input: the registered-models search body, then a line "--", then the
// model-versions search body. The versions body is served for the first
// three version requests of an exec and an empty list after that, so a
// body with a next_page_token cannot make one exec take a hundred requests.
// Properties: parsed names, versions and aliases are non-empty and belong to
// MLflow; errors never carry the token.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "crawlers/mlflow_source.h"
#include "fuzz/crawler_fuzzing.h"

namespace {

using squatguard::crawlers::MlflowSource;
using squatguard::crawlers::SourcePage;
using squatguard::fuzzing::Server;

constexpr int kVersionBodies = 3;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [models, versions] =
      squatguard::fuzzing::SplitOnce(squatguard::fuzzing::AsText(data, size), "\n--\n");
  const std::string models_body(models), versions_body(versions);
  int version_requests = 0;
  Server().SetResponder([&](const squatguard::fuzzing::LoopbackRequest& request) {
    const std::string& target = request.target;
    squatguard::fuzzing::LoopbackResponse r;
    r.headers.emplace_back("Content-Type", "application/json");
    if (absl::StrContains(target, "/registered-models/search")) {
      r.body = models_body;
    } else if (absl::StrContains(target, "/model-versions/search")) {
      r.body = ++version_requests <= kVersionBodies ? versions_body : "{\"model_versions\": []}";
    } else {
      r.status = 404;
      r.body = "{}";
    }
    return r;
  });

  MlflowSource source(squatguard::fuzzing::QuickSourceOptions(/*page_size=*/20));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  if (!page.ok()) {
    squatguard::fuzzing::ExpectNoToken(page.status(), squatguard::fuzzing::AsText(data, size));
    return 0;
  }
  for (const squatguard::crawlers::SeenName& n : page->names) {
    FUZZ_EXPECT(!n.name.empty(), "empty model name");
    FUZZ_EXPECT(n.ecosystem == squatguard::Ecosystem::kMlflow, n.name);
  }
  for (const squatguard::crawlers::SeenModelVersion& v : page->versions) {
    FUZZ_EXPECT(!v.model.empty() && !v.version.empty(), v.model);
  }
  for (const squatguard::crawlers::SeenAlias& a : page->aliases) {
    FUZZ_EXPECT(!a.alias.empty() && !a.model.empty(), a.model);
  }
  FUZZ_EXPECT(page->done == page->next_cursor.empty(), page->next_cursor);
  return 0;
}
