// Namespace reuse: a registry name deleted or renamed, then registered again.
//
// When a Hugging Face org, user or repo is deleted or renamed, its name goes
// back to the pool, and whoever registers it next serves every pipeline that
// still loads "old-org/model" by name. The crawl state remembers each name
// with the identity the registry gave it (Hugging Face "_id", author,
// createdAt: table name_identities) and what the last check of the name
// found (table name_states: live, gone or moved).
//
// How squatguard learns that a name went away or came back:
//  - The verify pass (VerifyKnownNames; `crawl hf --verify-known N`) asks
//    the registry about up to N stored names per run, least recently
//    checked first (a name never checked counts from when it was first
//    seen). 404 or 410 makes a tombstone: state 'gone' and its time. An
//    answer for another name (the registry redirected a renamed repo) is
//    'moved'. An answer with another identity is a re-registration.
//  - Every listing page (InspectPage, run by the crawl before the page is
//    stored): a stored name listed with a registry id it never had is a
//    re-registration. Hugging Face lists repos newest first, and a
//    re-created repo has a new createdAt, so it shows up in the next run.
//    Only names whose source gives a registry id (SeenName::registry_id)
//    are compared this way, and not Vertex AI display names, which two live
//    models may share.
//
// What raises a `reused-namespace` alert:
//  - A stored name with a new identity (ReusedNameFinding). Candidate: the
//    name; target: the name as it was, "org/model (_id 6650...)"; the
//    explanation gives old and new ids, authors and times, and tells
//    consumers to pin by revision hash. Score 0.90; 0.92 when a check had
//    found it gone or moved; 0.60 when other repos of its org are still
//    live as we knew them (the org's own members likely re-created it).
//  - A name never seen before, in an org all of whose stored repos are gone
//    or moved (ReusedOrgFinding). Candidate: the org. Score 0.88.
//  - Protected entries marked "retired": the engine flags any reappearance.
// Each old identity is its own target, so a name taken over twice alerts
// twice, and a benign review of one takeover does not hide the next.
//
// Thread safety: like StateStore, one thread at a time.
#ifndef SQUATGUARD_CRAWLERS_NAMESPACE_REUSE_H_
#define SQUATGUARD_CRAWLERS_NAMESPACE_REUSE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crawlers/source.h"
#include "crawlers/state_store.h"
#include "squatguard/ecosystem.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace crawlers {

// Who a name belonged to at one registration.
struct NameIdentity {
  std::string registry_id;            // "" when the source gives none
  std::string account;                // author or owner, "" when unknown
  std::optional<int64_t> created_at;  // unix seconds
};

NameIdentity IdentityOf(const SeenName& name);

// Whether `a` and `b` may be the same registration. Registry ids decide
// when both are known; otherwise differing accounts or creation times (both
// known) tell two registrations apart; with nothing to compare, true.
bool SameIdentity(const NameIdentity& a, const NameIdentity& b);

// "org/model (_id 6650...)", or with account and time when there is no id.
std::string DescribeIdentity(absl::string_view name, const NameIdentity& identity);

// The org of a two-level registry name ("org" of Hugging Face "org/model"),
// "" for flat names and other ecosystems.
std::string OrgOf(Ecosystem ecosystem, absl::string_view name);

// What the last check of a name found.
struct NameState {
  std::string state = "live";  // "live", "gone" or "moved"
  int64_t changed_at = 0;      // when it became that (a tombstone's time)
  int64_t checked_at = 0;
  std::string detail;          // gone: "HTTP 404"; moved: the new name
};

// The other stored names of an org, as far as the crawl knows them.
struct OrgHistory {
  std::string org;
  int64_t repos = 0;       // stored names under the org (the name itself excluded)
  int64_t live = 0;        // of those, not found gone or moved
  std::optional<int64_t> last_gone_at;  // latest tombstone among them
  std::vector<std::string> accounts;    // accounts seen registering them
};

// A stored name back with another identity. `state` is its last check.
Finding ReusedNameFinding(absl::string_view name, Ecosystem ecosystem,
                          const NameIdentity& before, const NameIdentity& now,
                          const std::optional<NameState>& state,
                          const OrgHistory& org);

// Whether `newcomer`, a name never stored, reopens an org whose stored
// repos are all gone: the org has repos, none live, and the newcomer's
// account (when the source tells one apart from the org) is not one seen
// registering them.
bool ReopensDeadOrg(const OrgHistory& org, const SeenName& newcomer);
Finding ReusedOrgFinding(const OrgHistory& org, const SeenName& newcomer);

// Reads and writes names' identities and check states in the crawl state.
class NamespaceLedger {
 public:
  explicit NamespaceLedger(StateStore& store) : store_(store) {}

  // Every identity stored for a name, oldest first: its name_identities
  // rows, or the names row's account and time when it has none. Empty for
  // a name never stored.
  absl::StatusOr<std::vector<NameIdentity>> Identities(Ecosystem ecosystem,
                                                       absl::string_view kind,
                                                       absl::string_view name);

  // The name's last check, nullopt when never checked.
  absl::StatusOr<std::optional<NameState>> State(Ecosystem ecosystem,
                                                 absl::string_view kind,
                                                 absl::string_view name);

  // Records a check at `now`. changed_at moves only when the state changes.
  absl::Status RecordCheck(Ecosystem ecosystem, absl::string_view kind,
                           absl::string_view name, absl::string_view state,
                           absl::string_view detail, int64_t now);

  // The stored names of `org` other than `except` (any kind).
  absl::StatusOr<OrgHistory> Org(Ecosystem ecosystem, absl::string_view org,
                                 absl::string_view except = "");
  // Whether `org` has a stored name not found gone or moved (fast path).
  absl::StatusOr<bool> OrgHasLiveName(Ecosystem ecosystem, absl::string_view org);

  // Up to `limit` stored names of `ecosystem` and one of `kinds` to check,
  // least recently checked first (never checked: from when first seen).
  // Names first stored by run `skip_run_id` (this run) are left out.
  absl::StatusOr<std::vector<StoredName>> DueForCheck(
      Ecosystem ecosystem, const std::vector<std::string>& kinds, int limit,
      int64_t skip_run_id);

 private:
  StateStore& store_;
};

// What one listing page shows about namespace reuse.
struct ReusePlan {
  std::vector<Finding> findings;  // at or above min_score
  // Marks the page's stored names that came back (as before, or registered
  // again) live in name_states. Run it inside the page's transaction
  // (PageWrite::also), so a page replayed after a kill is judged the same.
  std::function<absl::Status()> record;
};

// Judges one listing page before it is stored (see above), given which of
// its names are stored already.
absl::StatusOr<ReusePlan> InspectPage(NamespaceLedger& ledger,
                                      const std::vector<SeenName>& names,
                                      const std::vector<bool>& known, int64_t now,
                                      double min_score);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_NAMESPACE_REUSE_H_
