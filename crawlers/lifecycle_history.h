// The lifecycle checks' memory, in the crawl database: every version each
// model registry has shown, with its record (table version_history; MLflow's
// are also in StateStore's model_versions) and what each alias or
// stage pointed at, crawl after crawl (table alias_history: one row per
// stretch of crawls that saw the same version; first_seen/last_seen).
// Keyed by ecosystem, so an MLflow model and a SageMaker group of the same
// name never mix. The rules themselves are in crawlers/lifecycle.h.
//
// The crawl job plans each page before storing it:
//
//   absl::StatusOr<LifecyclePlan> plan = PlanLifecycle(store, page, now, options);
//   write.alerts += plan->findings;       // alias-move, version-jump
//   write.also.push_back(plan->record);   // history, in the page's transaction
//
// so a page's alerts and the history they were judged against commit
// together: a page replayed after a kill is judged the same way, and an
// alert is raised once (alerts are unique per (ecosystem, model, target),
// the target naming the versions: "fraud-model@champion: 3 -> 4").
//
// Thread safety: as StateStore.
#ifndef SQUATGUARD_CRAWLERS_LIFECYCLE_HISTORY_H_
#define SQUATGUARD_CRAWLERS_LIFECYCLE_HISTORY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crawlers/lifecycle.h"
#include "crawlers/source.h"
#include "crawlers/state_store.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace crawlers {

struct LifecyclePlan {
  // Findings at or above options.min_score.
  std::vector<Finding> findings;
  // Stores the page's versions and pointer sightings; run it inside the
  // page's transaction. Never empty.
  std::function<absl::Status()> record;
};

// Judges `page` (seen at `now`, unix seconds) against the stored history.
// Errors are the database's. With options.enabled off, no findings and a
// record step that stores nothing.
absl::StatusOr<LifecyclePlan> PlanLifecycle(StateStore& store,
                                            const SourcePage& page, int64_t now,
                                            const LifecycleOptions& options);

// The stored spans of one pointer, newest first, at most `limit`.
absl::StatusOr<std::vector<PointerSpan>> StoredPointerHistory(
    StateStore& store, Ecosystem ecosystem, const std::string& model,
    const std::string& pointer, int limit);

// Every version stored for `model`, in no particular order.
absl::StatusOr<std::vector<std::string>> StoredVersions(
    StateStore& store, Ecosystem ecosystem, const std::string& model);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_LIFECYCLE_HISTORY_H_
