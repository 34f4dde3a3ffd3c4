// What made a candidate meet a protected name: the techniques (SPEC.md
// vocabulary), the edit count, the evidence strength before context
// (popularity, age) is applied, and the words of the explanation.
#ifndef SQUATGUARD_ENGINE_PAIR_ANALYSIS_H_
#define SQUATGUARD_ENGINE_PAIR_ANALYSIS_H_

#include <optional>
#include <string>
#include <vector>

#include "confusables/normalize.h"
#include "name_index.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace internal {

struct PairAnalysis {
  std::vector<Technique> techniques;  // strongest first
  int distance = 0;
  double strength = 0;  // evidence in [0, 1] before context adjustments
  // How the names meet, completing "<candidate> <how> <target>", e.g.
  // "equals ... after confusable mapping (I -> l)".
  std::string how;
  // Context for the end of the explanation ("2,422 registry names extend it").
  std::string note;
};

// Plugin families: many protected names share a first word (django-*,
// pytest-*, types-*). Siblings in a family differ by ordinary edits, and
// additions to the family's head are usually plugins.
struct FamilyContext {
  bool same_family = false;         // query and name share a family's first word
  bool target_heads_family = false;  // the name is itself a family head
  bool flat = true;                  // a flat registry name (not an org)
  std::optional<int64_t> target_extensions;  // registry names extending the target
  double target_popularity = 0;              // 0..1, 0 when unknown
};

// Classifies a hit of `query` against `name` (see NameIndex).
PairAnalysis AnalyzeHit(const confusables::NameForms& query, const IndexedName& name,
                        const Hit& hit, const FamilyContext& family);

// The edit operations from candidate to target text, grouped into chunks
// ("rn -> m", "I -> l", "+s"). Shared by explanations and `explain`.
std::vector<std::string> DescribeEdits(absl::string_view from, absl::string_view to);

// One edit path line per operation, for `squatguard explain`.
std::vector<std::string> EditPathLines(absl::string_view from, absl::string_view to);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_PAIR_ANALYSIS_H_
