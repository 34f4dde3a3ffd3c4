// Lifecycle checks of model registries: what a version number or a
// deployment pointer did between two crawls, judged without I/O.
//
// A model registry (MLflow, SageMaker, Vertex AI, Azure ML) gives pipelines
// two ways to fetch a model without naming a version: a pointer (an MLflow
// alias "@champion" or stage "Production", Vertex AI's "default", SageMaker's
// highest Approved version, Azure ML's "latest") and "the highest version".
// Both can be abused by whoever can write to the registry:
//
//   version-jump  a new version numbered far above the previous highest
//                 ("3" then "9000"), so that "latest" resolves to it. The
//                 rule: v > 10 x p and v - p >= 100, where p is the highest
//                 known version below v. Only plain decimal versions count.
//   alias-move    a pointer names another version than at the last crawl.
//                 Worst of all a move reverted within the revert window
//                 (default 7 days): point "Production" at a poisoned
//                 version, let a check-then-download pipeline pick it up,
//                 point it back before anyone looks.
//
// Scores (severity as for names: high from 0.85, medium from 0.65):
// move-then-revert 0.95; a move onto a version-jump 0.90; a version-jump
// 0.80; a move back to an older version 0.60; a move forward 0.55 (an
// ordinary release looks like this: raise --min-score to 0.6 to drop them).
// Every finding names the versions and times involved and tells consumers
// to pin by version or hash.
//
//   std::vector<PointerSighting> seen = PointerSightings(page);
//   std::optional<Finding> f = JudgePointer(seen[0], history, versions, now, {});
#ifndef SQUATGUARD_CRAWLERS_LIFECYCLE_H_
#define SQUATGUARD_CRAWLERS_LIFECYCLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "crawlers/source.h"
#include "squatguard/ecosystem.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace crawlers {

struct LifecycleOptions {
  bool enabled = true;
  // A move reverted within this long of being seen is a move-then-revert.
  absl::Duration revert_window = absl::Hours(7 * 24);
  // Lifecycle findings scoring below this are not raised (--min-score).
  double min_score = 0.5;
};

// MLflow stages are stored as pointers named "stage:<Stage>"; ':' cannot
// occur in an MLflow alias.
inline constexpr absl::string_view kStagePrefix = "stage:";

// One pointer (alias or stage) as one crawl saw it.
struct PointerSighting {
  Ecosystem ecosystem = Ecosystem::kAny;
  std::string model;
  std::string pointer;  // "champion", "default", "approved", "stage:Production"
  std::string version;
};

// A stretch of crawls during which a pointer named one version.
struct PointerSpan {
  std::string version;
  int64_t first_seen = 0;  // unix seconds of the first crawl that saw it
  int64_t last_seen = 0;   // ... and of the last one
};

// A plain decimal version ("3", "9000"; at most 18 digits), else nullopt.
std::optional<uint64_t> NumericVersion(absl::string_view version);

// The version-jump rule above: `version` against `previous`, the highest
// known version below it.
bool IsVersionJump(uint64_t previous, uint64_t version);

// The highest numeric version in `versions` below `version`, if any.
std::optional<uint64_t> HighestBelow(const std::vector<std::string>& versions,
                                     uint64_t version);

// The page's pointers: its aliases, and for MLflow each stage other than
// "None" and "Archived" (pointing at the highest version in that stage, as
// models:/name/Production resolves). One sighting per (ecosystem, model,
// pointer), the last one given.
std::vector<PointerSighting> PointerSightings(const SourcePage& page);

// version-jump findings for the versions of `model` first seen now:
// `fresh` against everything known (`stored` and `fresh`).
std::vector<Finding> JudgeVersions(Ecosystem ecosystem, const std::string& model,
                                   const std::vector<std::string>& stored,
                                   const std::vector<std::string>& fresh,
                                   int64_t now);

// The alias-move finding for `seen` given the pointer's stored `history`
// (newest span first; empty when never seen, then nothing is raised) and
// every known version of the model (for the version-jump rule).
std::optional<Finding> JudgePointer(const PointerSighting& seen,
                                    const std::vector<PointerSpan>& history,
                                    const std::vector<std::string>& versions,
                                    int64_t now, const LifecycleOptions& options);

// "fraud-model@champion" or, for a stage, "fraud-model/Production" (the
// models:/ URI forms).
std::string PointerDisplay(absl::string_view model, absl::string_view pointer);

// "3d 4h", "26m": a span of seconds for people.
std::string FormatSpan(int64_t seconds);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_LIFECYCLE_H_
