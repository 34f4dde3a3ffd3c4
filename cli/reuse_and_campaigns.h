// Namespace reuse and campaigns on the command line: the options `crawl`
// and `alerts` add, the crawl's hooks, and campaign-aware alert listings.
// The rules are in crawlers/namespace_reuse.h and crawlers/campaigns.h.
//
//   crawl hf --verify-known 500       also re-check 500 stored repos (tombstones)
//   crawl ... --campaign-window 7d    group alerts after the run (0: off)
//   alerts --campaigns                group now; list only campaigns, with members
#ifndef SQUATGUARD_CLI_REUSE_AND_CAMPAIGNS_H_
#define SQUATGUARD_CLI_REUSE_AND_CAMPAIGNS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/args.h"
#include "cli/output.h"
#include "crawlers/campaigns.h"
#include "crawlers/crawl_job.h"
#include "crawlers/name_verifier.h"
#include "crawlers/namespace_reuse.h"
#include "crawlers/source_factory.h"
#include "crawlers/state_store.h"

namespace squatguard {
namespace cli {

// --campaign-window SPAN ("7d", "36h", "2w"; "0" turns grouping off).
void AddCampaignWindowOption(ArgParser* p);
// The rules, or nullopt when grouping is off. InvalidArgument for a bad span.
absl::StatusOr<std::optional<crawlers::CampaignRules>> ParseCampaignRules(const ArgParser& p);

// The crawl's namespace-reuse and campaign steps. Keep it alive while the
// crawl runs: the hooks it installs point into it.
class CrawlChecks {
 public:
  // --verify-known N and --campaign-window.
  static void AddOptions(ArgParser* p);

  // Reads the options and installs the hooks into `options`: every page is
  // checked for re-registered names; after the pages, the hf verify pass
  // (when --verify-known > 0) and campaign grouping. InvalidArgument for a
  // bad option value (usage error).
  absl::Status Install(const ArgParser& p, absl::string_view source_name,
                       const crawlers::SourceOptions& source_options, double min_score,
                       crawlers::StateStore& store, crawlers::CrawlOptions* options);

  // Lines for the run summary on stderr (nothing when there is nothing to say).
  void PrintSummary() const;

 private:
  absl::Status AfterPages(crawlers::CrawlSummary* summary);

  crawlers::StateStore* store_ = nullptr;
  std::unique_ptr<crawlers::NamespaceLedger> ledger_;
  std::unique_ptr<crawlers::NameLookup> lookup_;
  int verify_known_ = 0;
  std::optional<crawlers::CampaignRules> campaigns_;
  double min_score_ = 0;
  crawlers::ClockFunction clock_;
  bool verified_ = false;
  crawlers::VerifyCounts verify_counts_;
  int64_t campaigns_raised_ = 0;
  int64_t campaigns_grown_ = 0;
};

// One row of an alerts listing.
struct ListedAlert {
  crawlers::StoredAlert alert;
  ExtraFields fields;
};

// --campaigns and --campaign-window for `alerts`.
void AddAlertCampaignOptions(ArgParser* p);

// The alerts matching `filter`, campaigns first (each group oldest first).
// With --campaigns: the stored alerts are grouped now (as after a crawl)
// and only campaigns are listed, each with a "members" field (alert ids).
// InvalidArgument for a bad option value.
absl::StatusOr<std::vector<ListedAlert>> ListAlertsWithCampaigns(
    const ArgParser& p, crawlers::StateStore& store, const crawlers::AlertFilter& filter);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_REUSE_AND_CAMPAIGNS_H_
