// A Finding: one candidate name that looks like an impersonation of one
// protected name, with a score, the techniques used and an explanation.
#ifndef SQUATGUARD_FINDING_H_
#define SQUATGUARD_FINDING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "squatguard/ecosystem.h"

namespace squatguard {

// The SPEC.md vocabulary, in that order.
enum class Technique : uint8_t {
  kHomoglyph, kCase, kSeparator, kOmission, kInsertion, kRepetition,
  kTransposition, kSubstitution, kKeyboard, kAffix, kCompound, kReorder,
  kVersion, kScope, kAnticipated, kMixedScript, kInvisible, kReusedNamespace,
  kDependency, kPathEscape, kUnpinned, kAliasMove, kVersionJump, kCampaign,
};
absl::string_view TechniqueName(Technique technique);
std::optional<Technique> ParseTechnique(absl::string_view word);

enum class Severity : uint8_t { kLow, kMedium, kHigh, kCritical };
absl::string_view SeverityName(Severity severity);  // "low" ... "critical"
std::optional<Severity> ParseSeverity(absl::string_view word);

// What a protected entry stands for.
enum class EntryKind : uint8_t { kOrg, kRepo, kPackage, kAnticipated };
absl::string_view EntryKindName(EntryKind kind);  // "org", "repo", ...
std::optional<EntryKind> ParseEntryKind(absl::string_view word);

struct Finding {
  std::string candidate;  // the name as given (original bytes, valid UTF-8)
  Ecosystem ecosystem = Ecosystem::kAny;  // the target's ecosystem
  std::string target;     // the protected name it imitates
  EntryKind target_kind = EntryKind::kPackage;
  double score = 0;       // in [0, 1]; orders findings
  Severity severity = Severity::kLow;
  std::vector<Technique> techniques;  // strongest first, no repeats
  int distance = 0;       // edits between the compared forms (0: equal keys)
  std::string explanation;  // one line, for people
};

}  // namespace squatguard

#endif  // SQUATGUARD_FINDING_H_
