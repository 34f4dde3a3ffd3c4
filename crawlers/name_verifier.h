// The verify pass: ask the registry about names the crawl stored earlier,
// so deleted names become tombstones and re-registered ones raise
// `reused-namespace` alerts (see namespace_reuse.h for the rules).
//
//   HfRepoLookup lookup(source_options);
//   VerifyOptions v{.limit = 500, .now = now};
//   VerifyCounts counts;
//   absl::Status s = VerifyKnownNames(store, lookup, v, &summary, &counts);
//
// Up to `limit` names of the lookup's ecosystem are checked, least recently
// checked first; names first stored by this run (summary->run_id) are left
// for later runs.
// Each answer is committed before the next request, so a killed pass loses
// nothing and a re-registration found is alerted once: its new identity and
// its alert are stored in one transaction (StateStore::Apply).
#ifndef SQUATGUARD_CRAWLERS_NAME_VERIFIER_H_
#define SQUATGUARD_CRAWLERS_NAME_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crawlers/crawl_job.h"
#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/state_store.h"
#include "squatguard/ecosystem.h"

namespace squatguard {
namespace crawlers {

// What the registry says about one stored name now.
struct LookupAnswer {
  enum class Kind {
    kPresent,  // `current` is the name as the registry shows it now
    kGone,     // no such name (404, 410)
    kMoved,    // the registry answered for another name: current.name
  };
  Kind kind = Kind::kPresent;
  SeenName current;
  std::string detail;  // kGone: "HTTP 404"
};

// Asks one registry about stored names.
class NameLookup {
 public:
  virtual ~NameLookup() = default;
  virtual Ecosystem ecosystem() const = 0;
  // The kinds of names it can ask about ("model", ...); others are skipped.
  virtual std::vector<std::string> kinds() const = 0;
  // Errors are network failures (IsNetworkFailure) or bad answers.
  virtual absl::StatusOr<LookupAnswer> Lookup(const SeenName& stored) = 0;
  virtual FetchStats stats() const { return {}; }
};

struct VerifyOptions {
  int limit = 0;              // names checked per pass; 0: none
  int64_t now = 0;            // unix seconds
  double min_score = 0;       // alerts under it are not stored
};

struct VerifyCounts {
  int64_t checked = 0;
  int64_t live = 0;
  int64_t gone = 0;      // found gone by this pass (tombstones, new or kept)
  int64_t moved = 0;
  int64_t reused = 0;    // re-registrations found
  int64_t restored = 0;  // gone or moved before, back as they were
};

// The pass. New alerts are added to `summary` (new_alerts and by
// severity) and to the run row `summary->run_id`. Stops at the first
// lookup or database error and returns it; what was checked stays stored.
absl::Status VerifyKnownNames(StateStore& store, NameLookup& lookup,
                              const VerifyOptions& options, CrawlSummary* summary,
                              VerifyCounts* counts);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_NAME_VERIFIER_H_
