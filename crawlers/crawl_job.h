// The nightly crawl: fetch the names a source has seen since the last run,
// score the new ones, and store names, alerts and cursor page by page.
//
//   CrawlOptions options;
//   options.check = [&](const Candidate& c) { return engine->Check(c, 0.5, 3); };
//   options.protected_fingerprint = ProtectedListFingerprint(engine->entries());
//   CrawlSummary summary = RunCrawlJob(*source, *store, options);
//   if (!summary.status.ok()) ...;  // pages before the failure stay stored
//
// Per page, in ONE transaction: the page's new names, the alerts they raise
// (a (candidate, target) pair is alerted once ever; a pair reviewed benign
// stays quiet), the model registries' alias moves and version jumps with the
// history they were judged against (lifecycle_history.h), and the cursor
// after the page. A run killed at any point and
// started again loses no name and raises no alert twice.
//
// When the protected lists' fingerprint differs from the one stored by the
// last run, every stored name is checked again first (in committed batches,
// resumable after a kill), so a new protected org is checked against all
// names seen before.
//
// Thread safety: one job at a time per StateStore.
#ifndef SQUATGUARD_CRAWLERS_CRAWL_JOB_H_
#define SQUATGUARD_CRAWLERS_CRAWL_JOB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "crawlers/lifecycle.h"
#include "crawlers/rate_limiter.h"
#include "crawlers/source.h"
#include "crawlers/state_store.h"
#include "squatguard/candidate.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace crawlers {

// Scores one name: the engine's Check with the run's --min-score and --top.
using NameChecker =
    std::function<absl::StatusOr<std::vector<Finding>>(const Candidate&)>;

struct CrawlProgress {
  int64_t pages = 0;
  int64_t names_fetched = 0;
  int64_t new_alerts = 0;
  int64_t rescanned = 0;
};

struct CrawlSummary;

struct CrawlOptions {
  NameChecker check;
  // Identifies the lists `check` scores against; a change triggers a rescan
  // of stored names. "" disables rescans.
  std::string protected_fingerprint;
  int max_pages = 0;          // 0: until the source is done
  // Polled before each page: true stops the run cleanly after the last
  // committed page (Ctrl-C); the next run continues from there.
  std::function<bool()> stop_requested;
  int rescan_batch = 2000;    // names per rescan transaction
  ClockFunction clock = absl::Now;
  // Called after each committed page or rescan batch (progress line).
  std::function<void(const CrawlProgress&)> on_progress;
  // Optional, for checks that keep tables of their own (namespace_reuse.h):
  // sees each page, and which of its names were stored before, before the
  // page is stored; the alerts and steps (PageWrite::also) it adds to
  // `write` commit with the page.
  std::function<absl::Status(const SourcePage& page, const std::vector<bool>& known,
                             PageWrite* write)>
      inspect_page;
  // Optional: runs once after the pages, also after a failed page (the
  // verify pass, campaign grouping). It may store alerts and add them to
  // the summary; its error fails a run that had not failed.
  std::function<absl::Status(CrawlSummary* summary)> after_pages;
  // Alias moves and version jumps of model registries (crawlers/lifecycle.h).
  LifecycleOptions lifecycle;
};

struct CrawlSummary {
  std::string source;
  bool interrupted = false;  // stopped by stop_requested
  int64_t run_id = 0;
  RunCounts counts;
  // Names the engine refused (invalid UTF-8, too long): stored, not scored.
  int64_t rejected_names = 0;
  std::vector<std::string> errors;  // the first few messages, for the summary
  std::vector<StoredAlert> new_alerts;  // ranked: score, then id
  std::map<Severity, int64_t> new_alerts_by_severity;
  FetchStats fetch;
  absl::Duration elapsed;
  bool hit_max_pages = false;
  // Why the run stopped early: a source failure (IsNetworkFailure for a
  // registry), bad input, or the database. OK when the run completed.
  absl::Status status;
};

CrawlSummary RunCrawlJob(Source& source, StateStore& store,
                         const CrawlOptions& options);

// The stored-names rescan alone (RunCrawlJob runs it first when needed).
// Adds to `summary`; returns the database or check error that stopped it.
absl::Status RescanIfListsChanged(StateStore& store, const CrawlOptions& options,
                                  CrawlSummary* summary);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_CRAWL_JOB_H_
