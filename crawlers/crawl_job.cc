#include "crawlers/crawl_job.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "crawlers/campaigns.h"
#include "crawlers/lifecycle_history.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr char kFingerprintKey[] = "protected_fingerprint";
// A rescan under way: for which fingerprint, and the last name id done.
constexpr char kRescanFingerprintKey[] = "rescan_fingerprint";
constexpr char kRescanAfterKey[] = "rescan_after_id";
constexpr size_t kMaxErrorMessages = 5;

void NoteError(CrawlSummary* summary, std::string message) {
  if (summary->errors.size() < kMaxErrorMessages) {
    summary->errors.push_back(std::move(message));
  }
}

// Scores `names`, appending findings to `alerts`. A name the engine refuses
// is counted and reported, not fatal: one odd registry name must not stop
// the night's run.
void Score(const std::vector<const SeenName*>& names,
           const CrawlOptions& options, std::vector<Finding>* alerts,
           int64_t* errors, CrawlSummary* summary) {
  for (const SeenName* name : names) {
    Candidate candidate;
    candidate.name = name->name;
    candidate.ecosystem = name->ecosystem;
    candidate.account = name->account;
    candidate.created_at = name->created_at;
    absl::StatusOr<std::vector<Finding>> findings = options.check(candidate);
    if (!findings.ok()) {
      ++*errors;
      ++summary->rejected_names;
      NoteError(summary, std::string(findings.status().message()));
      continue;
    }
    for (Finding& f : *findings) alerts->push_back(std::move(f));
  }
}

void AddResult(PageWriteResult result, CrawlSummary* summary) {
  for (StoredAlert& alert : result.new_alerts) {
    ++summary->new_alerts_by_severity[alert.finding.severity];
    summary->new_alerts.push_back(std::move(alert));
  }
}

int64_t UnixNow(const CrawlOptions& options) {
  return absl::ToUnixSeconds(options.clock());
}

void Report(const CrawlOptions& options, const CrawlSummary& summary) {
  if (!options.on_progress) return;
  CrawlProgress p;
  p.pages = summary.counts.pages;
  p.names_fetched = summary.counts.names_fetched;
  p.new_alerts = static_cast<int64_t>(summary.new_alerts.size());
  p.rescanned = summary.counts.rescanned;
  options.on_progress(p);
}

}  // namespace

absl::Status RescanIfListsChanged(StateStore& store, const CrawlOptions& options,
                                  CrawlSummary* summary) {
  if (options.protected_fingerprint.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> stored = store.GetMeta(kFingerprintKey);
  if (!stored.ok()) return stored.status();
  if (*stored == options.protected_fingerprint) return absl::OkStatus();

  // Resume a rescan for these same lists that a kill interrupted.
  int64_t after_id = 0;
  absl::StatusOr<std::string> rescanning = store.GetMeta(kRescanFingerprintKey);
  if (!rescanning.ok()) return rescanning.status();
  if (*rescanning == options.protected_fingerprint) {
    absl::StatusOr<std::string> after = store.GetMeta(kRescanAfterKey);
    if (!after.ok()) return after.status();
    if (!absl::SimpleAtoi(*after, &after_id)) after_id = 0;
  }

  const int batch_size = std::max(1, options.rescan_batch);
  for (;;) {
    absl::StatusOr<std::vector<StoredName>> batch =
        store.NamesAfter(after_id, batch_size);
    if (!batch.ok()) return batch.status();
    PageWrite write;
    // Alerts a list change raises say so, whichever source runs the rescan.
    write.source = "rescan";
    write.run_id = summary->run_id;
    write.now = UnixNow(options);
    if (batch->empty()) {
      write.meta = {{kFingerprintKey, options.protected_fingerprint},
                    {kRescanFingerprintKey, ""},
                    {kRescanAfterKey, ""}};
      absl::StatusOr<PageWriteResult> done = store.Apply(write);
      return done.status();
    }
    std::vector<const SeenName*> names;
    names.reserve(batch->size());
    for (const StoredName& n : *batch) names.push_back(&n.seen);
    Score(names, options, &write.alerts, &write.counts.errors, summary);
    after_id = batch->back().id;
    write.counts.rescanned = static_cast<int64_t>(batch->size());
    write.meta = {{kRescanFingerprintKey, options.protected_fingerprint},
                  {kRescanAfterKey, absl::StrCat(after_id)}};
    absl::StatusOr<PageWriteResult> applied = store.Apply(write);
    if (!applied.ok()) return applied.status();
    summary->counts.rescanned += write.counts.rescanned;
    summary->counts.errors += write.counts.errors;
    AddResult(*std::move(applied), summary);
    Report(options, *summary);
  }
}

CrawlSummary RunCrawlJob(Source& source, StateStore& store,
                         const CrawlOptions& options) {
  const absl::Time started = options.clock();
  CrawlSummary summary;
  summary.source = std::string(source.name());

  absl::StatusOr<int64_t> run_id = store.BeginRun(source.name(), UnixNow(options));
  if (!run_id.ok()) {
    summary.status = run_id.status();
    return summary;
  }
  summary.run_id = *run_id;

  summary.status = RescanIfListsChanged(store, options, &summary);

  absl::StatusOr<std::string> cursor = store.GetCursor(source.name());
  if (summary.status.ok() && !cursor.ok()) summary.status = cursor.status();

  while (summary.status.ok()) {
    if (options.stop_requested && options.stop_requested()) {
      summary.interrupted = true;
      break;
    }
    if (options.max_pages > 0 && summary.counts.pages >= options.max_pages) {
      summary.hit_max_pages = true;
      break;
    }
    absl::StatusOr<SourcePage> page = source.FetchPage(*cursor);
    if (!page.ok()) {
      summary.status = page.status();
      break;
    }

    // Only names never stored are scored; within a page, each name once.
    absl::StatusOr<std::vector<bool>> known = store.Known(page->names);
    if (!known.ok()) {
      summary.status = known.status();
      break;
    }
    PageWrite write;
    write.source = summary.source;
    write.run_id = summary.run_id;
    write.now = UnixNow(options);
    write.cursor = page->next_cursor;
    write.counts.pages = 1;
    write.counts.names_fetched = static_cast<int64_t>(page->names.size());
    std::vector<const SeenName*> fresh;
    absl::flat_hash_set<std::tuple<Ecosystem, std::string, std::string>> in_page;
    for (size_t i = 0; i < page->names.size(); ++i) {
      const SeenName& n = page->names[i];
      if ((*known)[i]) continue;
      if (in_page.insert({n.ecosystem, n.kind, n.name}).second) {
        fresh.push_back(&n);
      }
    }
    Score(fresh, options, &write.alerts, &write.counts.errors, &summary);
    if (options.inspect_page) {
      absl::Status inspected = options.inspect_page(*page, *known, &write);
      if (!inspected.ok()) {
        summary.status = inspected;
        break;
      }
    }
    // Model registries: alias moves and version jumps against the history.
    absl::StatusOr<LifecyclePlan> lifecycle =
        PlanLifecycle(store, *page, write.now, options.lifecycle);
    if (!lifecycle.ok()) {
      summary.status = lifecycle.status();
      break;
    }
    for (Finding& f : lifecycle->findings) write.alerts.push_back(std::move(f));
    write.also.push_back(std::move(lifecycle->record));
    for (size_t i = 0; i < page->names.size(); ++i) {
      // Known names still go in when they carry a registry identity: a new
      // identity for an old name is how a re-registered namespace shows.
      if (!(*known)[i] || !page->names[i].registry_id.empty()) {
        write.names.push_back(std::move(page->names[i]));
      }
    }
    write.versions = std::move(page->versions);
    write.aliases = std::move(page->aliases);

    absl::StatusOr<PageWriteResult> applied = store.Apply(write);
    if (!applied.ok()) {
      summary.status = applied.status();
      break;
    }
    summary.counts.pages += 1;
    summary.counts.names_fetched += write.counts.names_fetched;
    summary.counts.new_names += applied->new_names;
    summary.counts.errors += write.counts.errors;
    AddResult(*std::move(applied), &summary);
    Report(options, summary);
    *cursor = std::move(page->next_cursor);
    if (page->done) break;
  }

  summary.fetch = source.stats();
  if (options.after_pages) {
    absl::Status after = options.after_pages(&summary);
    if (summary.status.ok()) summary.status = after;
  }
  summary.counts.new_alerts = static_cast<int64_t>(summary.new_alerts.size());
  std::stable_sort(summary.new_alerts.begin(), summary.new_alerts.end(),
                   [](const StoredAlert& a, const StoredAlert& b) {
                     return RanksBefore(a.finding, b.finding);
                   });
  if (!summary.status.ok()) {
    summary.counts.errors += 1;
    NoteError(&summary, std::string(summary.status.message()));
  }
  absl::Status finished = store.FinishRun(
      summary.run_id, UnixNow(options), summary.status.ok() ? "ok" : "failed",
      summary.status.message());
  if (summary.status.ok() && !finished.ok()) summary.status = finished;
  summary.elapsed = options.clock() - started;
  return summary;
}

}  // namespace crawlers
}  // namespace squatguard
