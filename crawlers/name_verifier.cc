#include "crawlers/name_verifier.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "crawlers/namespace_reuse.h"

namespace squatguard {
namespace crawlers {
namespace {

// Stores `names` and `alerts` in one transaction; new alerts go to the summary.
absl::Status Store(StateStore& store, const VerifyOptions& options,
                   std::vector<SeenName> names, std::vector<Finding> alerts,
                   CrawlSummary* summary) {
  PageWrite write;
  write.source = summary->source;
  write.run_id = summary->run_id;
  write.now = options.now;
  write.names = std::move(names);
  write.alerts = std::move(alerts);
  absl::StatusOr<PageWriteResult> applied = store.Apply(write);
  if (!applied.ok()) return applied.status();
  for (StoredAlert& alert : applied->new_alerts) {
    ++summary->new_alerts_by_severity[alert.finding.severity];
    summary->new_alerts.push_back(std::move(alert));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyKnownNames(StateStore& store, NameLookup& lookup,
                              const VerifyOptions& options, CrawlSummary* summary,
                              VerifyCounts* counts) {
  NamespaceLedger ledger(store);
  absl::StatusOr<std::vector<StoredName>> due =
      ledger.DueForCheck(lookup.ecosystem(), lookup.kinds(), options.limit,
                         summary->run_id);
  if (!due.ok()) return due.status();

  for (const StoredName& stored : *due) {
    const SeenName& name = stored.seen;
    absl::StatusOr<LookupAnswer> answer = lookup.Lookup(name);
    if (!answer.ok()) return answer.status();
    ++counts->checked;
    absl::StatusOr<std::optional<NameState>> prior =
        ledger.State(name.ecosystem, name.kind, name.name);
    if (!prior.ok()) return prior.status();
    const bool was_missing = *prior && (*prior)->state != "live";

    absl::Status recorded;
    switch (answer->kind) {
      case LookupAnswer::Kind::kGone:
        ++counts->gone;
        recorded = ledger.RecordCheck(name.ecosystem, name.kind, name.name, "gone",
                                      answer->detail, options.now);
        break;
      case LookupAnswer::Kind::kMoved:
        ++counts->moved;
        recorded = ledger.RecordCheck(name.ecosystem, name.kind, name.name, "moved",
                                      answer->current.name, options.now);
        break;
      case LookupAnswer::Kind::kPresent: {
        SeenName current = answer->current;
        current.name = name.name;
        current.kind = name.kind;
        current.ecosystem = name.ecosystem;
        absl::StatusOr<std::vector<NameIdentity>> before =
            ledger.Identities(name.ecosystem, name.kind, name.name);
        if (!before.ok()) return before.status();
        const NameIdentity now_identity = IdentityOf(current);
        const bool same =
            before->empty() ||
            std::any_of(before->begin(), before->end(),
                        [&](const NameIdentity& b) { return SameIdentity(b, now_identity); });
        if (same) {
          if (was_missing) ++counts->restored;
          ++counts->live;
          // A name stored without a registry id gets the one now known.
          const bool id_is_new =
              !current.registry_id.empty() &&
              std::none_of(before->begin(), before->end(), [&](const NameIdentity& b) {
                return b.registry_id == current.registry_id;
              });
          if (id_is_new) {
            absl::Status s = Store(store, options, {current}, {}, summary);
            if (!s.ok()) return s;
          }
          recorded = ledger.RecordCheck(name.ecosystem, name.kind, name.name, "live",
                                        was_missing ? "back as before" : "", options.now);
          break;
        }
        ++counts->reused;
        absl::StatusOr<OrgHistory> org =
            ledger.Org(name.ecosystem, OrgOf(name.ecosystem, name.name), name.name);
        if (!org.ok()) return org.status();
        Finding f = ReusedNameFinding(name.name, name.ecosystem, before->back(), now_identity,
                                      *prior, *org);
        std::vector<Finding> alerts;
        if (f.score >= options.min_score) alerts.push_back(std::move(f));
        absl::Status s = Store(store, options, {current}, std::move(alerts), summary);
        if (!s.ok()) return s;
        recorded = ledger.RecordCheck(name.ecosystem, name.kind, name.name, "live",
                                      "registered again", options.now);
        break;
      }
    }
    if (!recorded.ok()) return recorded;
  }
  return absl::OkStatus();
}

}  // namespace crawlers
}  // namespace squatguard
