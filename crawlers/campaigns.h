// Campaigns: stored alerts grouped by who raised them and when.
//
// Impostors rarely come alone: one fresh account registers look-alikes of
// several protected names, or many accounts copy one protected name within
// days of its release. Two groupings, over every stored alert that is not
// a campaign and not reviewed benign:
//  - by account: at least `min_members` (3) distinct candidates registered
//    by one account (per ecosystem) within `window` (7 days);
//  - by target: at least 3 distinct accounts imitating one protected name
//    within the window (a candidate whose account is unknown counts as an
//    account of its own). On Hugging Face the key is the protected org, so
//    copies of "meta-llama/Llama-3-8B" and of "meta-llama" are one group.
// A member's time is its candidate's registry creation time when known,
// else when the alert was first seen; an alert without a creation time is
// left out when its name came with a source's first run (the baseline
// crawl sees a registry's whole history at once) or a protected-list
// rescan. Windows holding enough members merge when they overlap, so a
// steady stream stays one campaign.
//
// Each group is stored as one alert (technique `campaign`): candidate
// "account:NAME" or "N accounts: a, b, c", target the protected names or
// name, score = highest member score + 0.05 (+0.01 for each distinct
// member beyond the minimum, at most +0.10), capped at 0.99; listings show
// campaigns before single alerts. The explanation lists the first members
// and how many there are; `CampaignMembers` gives all of them. A campaign
// is raised once: when its group grows, the same alert is updated
// (members, score, explanation) and not raised again.
//
// Reviews: a campaign reviewed benign stays quiet as it grows (its row is
// updated, never raised again); its members keep their own verdicts, since
// "not a coordinated campaign" says nothing about each name. A member
// reviewed benign leaves every group. A later burst from the same account,
// separated from the reviewed one by more than the window, is a new group.
//
//   CampaignRules rules;  // 7 days, 3 members
//   absl::StatusOr<CampaignUpdate> u = UpdateCampaigns(store, rules, "feed", run_id, now);
#ifndef SQUATGUARD_CRAWLERS_CAMPAIGNS_H_
#define SQUATGUARD_CRAWLERS_CAMPAIGNS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "crawlers/state_store.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace crawlers {

struct CampaignRules {
  absl::Duration window = absl::Hours(24 * 7);
  int min_members = 3;  // distinct candidates (account) or accounts (target)
};

// One stored alert, with what is known about its candidate.
struct CampaignMember {
  int64_t alert_id = 0;
  Finding finding;
  std::string account;            // "" when unknown
  std::string account_ecosystem;  // where the account lives ("pypi", "hf", "any")
  int64_t time = 0;               // created_at, else first_seen (unix seconds)
};

enum class CampaignGrouping { kAccount, kTarget };
absl::string_view CampaignGroupingName(CampaignGrouping grouping);  // "account", "target"

struct CampaignGroup {
  CampaignGrouping grouping = CampaignGrouping::kAccount;
  std::string key;   // "pypi:squatter42" or "hf:meta-llama"
  std::string label; // the account, or the protected name most imitated
  std::vector<CampaignMember> members;  // by time, then alert id
};

// The groups `alerts` form under `rules` (pure; any order of input).
std::vector<CampaignGroup> GroupCampaigns(const std::vector<CampaignMember>& alerts,
                                          const CampaignRules& rules);

// The campaign alert for `group` (candidate, target, score, explanation).
Finding CampaignFinding(const CampaignGroup& group, const CampaignRules& rules);

bool IsCampaign(const Finding& finding);

// Whether `a` ranks before `b`: campaigns first, then higher score first.
bool RanksBefore(const Finding& a, const Finding& b);

struct CampaignUpdate {
  std::vector<StoredAlert> raised;  // campaigns new in this update
  int64_t grown = 0;                // stored campaigns that gained members
};

// Groups the stored alerts and stores the result in one transaction: new
// groups become new alerts (source `source`, run `run_id`, 0 for none),
// grown ones are updated in place. Running it again changes nothing.
absl::StatusOr<CampaignUpdate> UpdateCampaigns(StateStore& store, const CampaignRules& rules,
                                               absl::string_view source, int64_t run_id,
                                               int64_t now);

// The member alert ids of the campaign stored as alert `campaign_id`, in
// member order; empty for an alert that is no campaign.
absl::StatusOr<std::vector<int64_t>> CampaignMembers(StateStore& store, int64_t campaign_id);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_CAMPAIGNS_H_
