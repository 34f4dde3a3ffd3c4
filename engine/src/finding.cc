#include "squatguard/finding.h"

#include <array>

namespace squatguard {
namespace {

// Index = enum value; the order of SPEC.md.
constexpr std::array<absl::string_view, 24> kTechniqueNames = {
    "homoglyph",   "case",          "separator",        "omission",
    "insertion",   "repetition",    "transposition",    "substitution",
    "keyboard",    "affix",         "compound",         "reorder",
    "version",     "scope",         "anticipated",      "mixed-script",
    "invisible",   "reused-namespace", "dependency",    "path-escape",
    "unpinned",    "alias-move",    "version-jump",     "campaign",
};
constexpr std::array<absl::string_view, 4> kSeverityNames = {"low", "medium", "high",
                                                             "critical"};
constexpr std::array<absl::string_view, 4> kKindNames = {"org", "repo", "package",
                                                         "anticipated"};

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<absl::string_view, N>& names,
                           absl::string_view word) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == word) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

absl::string_view TechniqueName(Technique t) {
  return kTechniqueNames[static_cast<size_t>(t)];
}
std::optional<Technique> ParseTechnique(absl::string_view word) {
  return Lookup<Technique>(kTechniqueNames, word);
}
absl::string_view SeverityName(Severity s) { return kSeverityNames[static_cast<size_t>(s)]; }
std::optional<Severity> ParseSeverity(absl::string_view word) {
  return Lookup<Severity>(kSeverityNames, word);
}
absl::string_view EntryKindName(EntryKind k) { return kKindNames[static_cast<size_t>(k)]; }
std::optional<EntryKind> ParseEntryKind(absl::string_view word) {
  return Lookup<EntryKind>(kKindNames, word);
}

}  // namespace squatguard
