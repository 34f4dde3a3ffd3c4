#include "crawlers/rate_limiter.h"

#include <algorithm>

namespace squatguard {
namespace crawlers {

RateLimiter::RateLimiter(double per_second, ClockFunction clock,
                         SleepFunction sleep)
    : per_second_(per_second),
      interval_(per_second > 0 ? absl::Seconds(1.0 / per_second)
                               : absl::ZeroDuration()),
      clock_(std::move(clock)),
      sleep_(std::move(sleep)) {}

void RateLimiter::Wait() {
  if (per_second_ <= 0) return;
  absl::Duration wait;
  {
    absl::MutexLock lock(&mu_);
    absl::Time now = clock_();
    absl::Time slot = std::max(now, next_);
    next_ = slot + interval_;
    wait = slot - now;
  }
  if (wait > absl::ZeroDuration()) sleep_(wait);
}

}  // namespace crawlers
}  // namespace squatguard
