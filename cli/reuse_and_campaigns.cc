#include "cli/reuse_and_campaigns.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "crawlers/hf_repo_lookup.h"

namespace squatguard {
namespace cli {
namespace {

constexpr int kMaxVerifyKnown = 1000000;

}  // namespace

void AddCampaignWindowOption(ArgParser* p) {
  p->AddOption("--campaign-window", "SPAN",
               "group alerts into campaigns within SPAN: 7d (default), 36h, 2w; 0 for off");
}

absl::StatusOr<std::optional<crawlers::CampaignRules>> ParseCampaignRules(const ArgParser& p) {
  crawlers::CampaignRules rules;
  if (auto v = p.Get("--campaign-window")) {
    if (*v == "0") return std::optional<crawlers::CampaignRules>();  // off
    absl::StatusOr<absl::Duration> span = ParseSpanOption("--campaign-window", *v, "7d, 36h or 2w (0 for off)");
    if (!span.ok()) return span.status();
    rules.window = *span;
  }
  return std::optional<crawlers::CampaignRules>(rules);
}

void CrawlChecks::AddOptions(ArgParser* p) {
  p->AddOption("--verify-known", "N",
               "hf: also re-check up to N stored repos, least recently checked first; a "
               "deleted one becomes a tombstone, a re-registered one an alert (default 0)");
  AddCampaignWindowOption(p);
}

absl::Status CrawlChecks::Install(const ArgParser& p, absl::string_view source_name,
                                  const crawlers::SourceOptions& source_options,
                                  double min_score, crawlers::StateStore& store,
                                  crawlers::CrawlOptions* options) {
  if (auto v = p.Get("--verify-known")) {
    if (!absl::SimpleAtoi(*v, &verify_known_) || verify_known_ < 0 ||
        verify_known_ > kMaxVerifyKnown) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--verify-known: expected 0 to ", kMaxVerifyKnown, ", got '", *v, "'"));
    }
    if (verify_known_ > 0 && source_name != "hf") {
      return absl::InvalidArgumentError(
          "--verify-known: only the hf source can re-check stored names");
    }
  }
  absl::StatusOr<std::optional<crawlers::CampaignRules>> rules = ParseCampaignRules(p);
  if (!rules.ok()) return rules.status();
  campaigns_ = *rules;

  store_ = &store;
  min_score_ = min_score;
  clock_ = options->clock;
  ledger_ = std::make_unique<crawlers::NamespaceLedger>(store);
  if (verify_known_ > 0) lookup_ = std::make_unique<crawlers::HfRepoLookup>(source_options);

  options->inspect_page = [this](const crawlers::SourcePage& page, const std::vector<bool>& known,
                                 crawlers::PageWrite* write) {
    absl::StatusOr<crawlers::ReusePlan> plan =
        crawlers::InspectPage(*ledger_, page.names, known, write->now, min_score_);
    if (!plan.ok()) return plan.status();
    for (Finding& f : plan->findings) write->alerts.push_back(std::move(f));
    write->also.push_back(std::move(plan->record));
    return absl::OkStatus();
  };
  options->after_pages = [this](crawlers::CrawlSummary* summary) { return AfterPages(summary); };
  return absl::OkStatus();
}

absl::Status CrawlChecks::AfterPages(crawlers::CrawlSummary* summary) {
  absl::Status status;
  // The verify pass talks to the registry: not after the listing failed.
  if (lookup_ != nullptr && summary->status.ok()) {
    crawlers::VerifyOptions v;
    v.limit = verify_known_;
    v.now = absl::ToUnixSeconds(clock_());
    v.min_score = min_score_;
    verified_ = true;
    status = crawlers::VerifyKnownNames(*store_, *lookup_, v, summary, &verify_counts_);
    const crawlers::FetchStats stats = lookup_->stats();
    summary->fetch.requests += stats.requests;
    summary->fetch.failed_attempts += stats.failed_attempts;
    summary->fetch.bytes += stats.bytes;
  }
  // Campaigns group what is stored, whatever stopped the run.
  if (campaigns_) {
    absl::StatusOr<crawlers::CampaignUpdate> update = crawlers::UpdateCampaigns(
        *store_, *campaigns_, summary->source, summary->run_id, absl::ToUnixSeconds(clock_()));
    if (!update.ok()) {
      if (status.ok()) status = update.status();
    } else {
      campaigns_raised_ = static_cast<int64_t>(update->raised.size());
      campaigns_grown_ = update->grown;
      for (crawlers::StoredAlert& a : update->raised) {
        ++summary->new_alerts_by_severity[a.finding.severity];
        summary->new_alerts.push_back(std::move(a));
      }
    }
  }
  return status;
}

void CrawlChecks::PrintSummary() const {
  if (verified_) {
    const crawlers::VerifyCounts& c = verify_counts_;
    std::fprintf(stderr,
                 "  known names checked: %lld (%lld live, %lld gone, %lld renamed, "
                 "%lld registered again, %lld back)\n",
                 static_cast<long long>(c.checked), static_cast<long long>(c.live),
                 static_cast<long long>(c.gone), static_cast<long long>(c.moved),
                 static_cast<long long>(c.reused), static_cast<long long>(c.restored));
  }
  if (campaigns_raised_ > 0 || campaigns_grown_ > 0) {
    std::fprintf(stderr, "  campaigns: %lld new, %lld grown\n",
                 static_cast<long long>(campaigns_raised_),
                 static_cast<long long>(campaigns_grown_));
  }
}

void AddAlertCampaignOptions(ArgParser* p) {
  p->AddFlag("--campaigns",
             "group the stored alerts into campaigns now and list only campaigns, with their "
             "member alert ids");
  AddCampaignWindowOption(p);
}

absl::StatusOr<std::vector<ListedAlert>> ListAlertsWithCampaigns(
    const ArgParser& p, crawlers::StateStore& store, const crawlers::AlertFilter& filter) {
  const bool only_campaigns = p.Has("--campaigns");
  if (only_campaigns) {
    absl::StatusOr<std::optional<crawlers::CampaignRules>> rules = ParseCampaignRules(p);
    if (!rules.ok()) return rules.status();
    if (!rules->has_value()) {
      return absl::InvalidArgumentError("--campaigns: the window must not be 0");
    }
    absl::StatusOr<crawlers::CampaignUpdate> update = crawlers::UpdateCampaigns(
        store, **rules, "alerts", 0, absl::ToUnixSeconds(absl::Now()));
    if (!update.ok()) return update.status();
  } else if (p.Get("--campaign-window")) {
    return absl::InvalidArgumentError("--campaign-window: only with --campaigns");
  }
  absl::StatusOr<std::vector<crawlers::StoredAlert>> alerts = store.ListAlerts(filter);
  if (!alerts.ok()) return alerts.status();
  std::vector<ListedAlert> out;
  for (crawlers::StoredAlert& a : *alerts) {
    const bool campaign = crawlers::IsCampaign(a.finding);
    if (only_campaigns && !campaign) continue;
    ListedAlert row;
    row.fields = crawlers::AlertFields(a);
    if (only_campaigns) {
      absl::StatusOr<std::vector<int64_t>> members = crawlers::CampaignMembers(store, a.id);
      if (!members.ok()) return members.status();
      row.fields.emplace_back("members", absl::StrJoin(*members, ","));
    }
    row.alert = std::move(a);
    out.push_back(std::move(row));
  }
  // Campaigns first: they rank above the alerts they gather.
  std::stable_partition(out.begin(), out.end(), [](const ListedAlert& row) {
    return crawlers::IsCampaign(row.alert.finding);
  });
  return out;
}

}  // namespace cli
}  // namespace squatguard
