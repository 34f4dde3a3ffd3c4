// Registries squatguard knows, and how a name is written on the command line.
#ifndef SQUATGUARD_ECOSYSTEM_H_
#define SQUATGUARD_ECOSYSTEM_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace squatguard {

enum class Ecosystem : uint8_t {
  kAny,          // "any": compare against every ecosystem's entries
  kHuggingFace,  // "hf": org or org/repo, case-sensitive identity
  kPyPI,         // "pypi": PEP 503 identity
  kNpm,          // "npm": name or @scope/name
  kMlflow,       // "mlflow": registered model names
  kSageMaker,    // "sagemaker": model package groups
  kVertex,       // "vertex": Vertex AI model display names
  kAzureML,      // "azureml": Azure ML registry models
};

// "hf", "pypi", "npm", "mlflow", "sagemaker", "vertex", "azureml", "any".
absl::string_view EcosystemName(Ecosystem ecosystem);

// The inverse of EcosystemName; nullopt for an unknown word.
std::optional<Ecosystem> ParseEcosystem(absl::string_view word);

// True where names have two levels, "org/repo" (hf, mlflow and the clouds
// have one level; npm scopes are handled separately).
bool HasOrgLevel(Ecosystem ecosystem);

}  // namespace squatguard

#endif  // SQUATGUARD_ECOSYSTEM_H_
