#include "context.h"

#include <algorithm>

namespace squatguard {
namespace internal {

double CandidateContextFactor(const Candidate& c, bool candidate_is_protected, int64_t now) {
  double f = 1.0;
  if (c.rank.has_value() && *c.rank > 0) {
    const int64_t r = *c.rank;
    f = std::min(f, r <= 1000 ? 0.3 : r <= 5000 ? 0.4 : r <= 20000 ? 0.55 : r <= 100000 ? 0.8 : 1.0);
  }
  if (c.downloads.has_value()) {
    const int64_t d = *c.downloads;
    f = std::min(f, d >= 1000000 ? 0.35 : d >= 100000 ? 0.5 : d >= 10000 ? 0.75 : 1.0);
  }
  // A protected name is vouched for by the list itself.
  if (candidate_is_protected) f = std::min(f, 0.5);
  if (c.created_at.has_value() && now > 0) {
    constexpr int64_t kDay = 86400;
    // Registry timestamps are attacker-supplied: keep the subtraction in range.
    const int64_t created = std::clamp<int64_t>(*c.created_at, -(int64_t{1} << 40), int64_t{1} << 40);
    const int64_t age = now - created;
    if (age > 2 * 365 * kDay) f *= 0.85;        // survived two years on the registry
    else if (age >= 0 && age < 30 * kDay) f *= 1.05;  // brand new
  }
  return f;
}

}  // namespace internal
}  // namespace squatguard
