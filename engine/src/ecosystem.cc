#include "squatguard/ecosystem.h"

#include <array>
#include <utility>

namespace squatguard {
namespace {

constexpr std::array<std::pair<Ecosystem, absl::string_view>, 8> kNames = {{
    {Ecosystem::kAny, "any"},
    {Ecosystem::kHuggingFace, "hf"},
    {Ecosystem::kPyPI, "pypi"},
    {Ecosystem::kNpm, "npm"},
    {Ecosystem::kMlflow, "mlflow"},
    {Ecosystem::kSageMaker, "sagemaker"},
    {Ecosystem::kVertex, "vertex"},
    {Ecosystem::kAzureML, "azureml"},
}};

}  // namespace

absl::string_view EcosystemName(Ecosystem ecosystem) {
  for (const auto& [e, name] : kNames) {
    if (e == ecosystem) return name;
  }
  return "any";
}

std::optional<Ecosystem> ParseEcosystem(absl::string_view word) {
  for (const auto& [e, name] : kNames) {
    if (name == word) return e;
  }
  if (word == "huggingface") return Ecosystem::kHuggingFace;
  return std::nullopt;
}

bool HasOrgLevel(Ecosystem ecosystem) { return ecosystem == Ecosystem::kHuggingFace; }

}  // namespace squatguard
