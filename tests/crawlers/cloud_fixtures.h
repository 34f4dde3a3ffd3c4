// The cloud model registries (SageMaker, Vertex AI, Azure ML) on the fixture
// server, in three states a registry goes through in the tests:
//
//   kBaseline  fraud-detector 1, 2 (Approved), 3 (pending); churn-predictor
//              1, 2, 3 with "default" on 3; credit-scoring 1, 2, latest 2.
//              Each registry also holds a look-alike of its protected model
//              (fraud-detecter, chum-predictor, credit-scorinq).
//   kJump      a version numbered far above the rest (9000, 5000, 7000)
//              appears and the approved / default / latest pointer moves
//              onto it.
//   kReverted  the pointer is back on the old version (the jump version is
//              rejected, unaliased or archived).
//
// Responses use each API's real shapes and paging (NextToken, nextPageToken,
// nextLink) from tests/testdata/crawlers/{sagemaker,vertex,azureml}/.
//
// Also here: a reference AWS Signature Version 4 check (SHA-256 and
// HMAC-SHA256 written out from FIPS 180-4 / RFC 2104) to verify what libcurl
// signed.
#ifndef SQUATGUARD_TESTS_CRAWLERS_CLOUD_FIXTURES_H_
#define SQUATGUARD_TESTS_CRAWLERS_CLOUD_FIXTURES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace testing {

enum class RegistryState { kBaseline, kJump, kReverted };

// The ListModelPackageGroups/ListModelPackages script key of a SageMaker
// request: "<X-Amz-Target>|<ModelPackageGroupName>|<NextToken>"; "" for
// other requests. Install with server.Route(SageMakerRoute).
std::string SageMakerRoute(const RecordedRequest& request);
std::string SageMakerKey(absl::string_view operation, absl::string_view group,
                         absl::string_view token);

// Scripts the whole registry in `state` (and installs the SageMaker route).
void ServeSageMaker(FixtureServer& server, RegistryState state);
void ServeVertex(FixtureServer& server, RegistryState state);
void ServeAzureMl(FixtureServer& server, RegistryState state);

// Request targets the sources use.
inline constexpr char kVertexModels[] =
    "/v1/projects/acme-ml/locations/us-central1/models?pageSize=100";
inline constexpr char kAzureRegistry[] =
    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg/"
    "providers/Microsoft.MachineLearningServices/registries/acme-registry";
std::string AzureModels();  // kAzureRegistry + "/models?api-version=2023-04-01"

// Lower-case hex of SHA-256 / HMAC-SHA256 (reference implementations).
std::string Sha256Hex(absl::string_view data);
std::string HmacSha256(absl::string_view key, absl::string_view data);  // raw

// Recomputes the SigV4 signature of `request` from its Authorization
// header's SignedHeaders and its recorded headers and body; "" when it
// verifies, else what is wrong.
std::string CheckSigV4(const RecordedRequest& request, absl::string_view key_id,
                       absl::string_view secret, absl::string_view region,
                       absl::string_view service);

}  // namespace testing
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CRAWLERS_CLOUD_FIXTURES_H_
