// RateLimiter: keeps requests to one registry at most `per_second` apart,
// so a nightly crawl stays a polite client.
//
//   RateLimiter limiter(2.0);   // at most two requests a second
//   limiter.Wait();             // before each request
//
// per_second <= 0 disables the limit (tests against a local server).
// Thread safety: Wait() may be called from several threads; callers are
// spaced out in the order they acquire the internal lock.
#ifndef SQUATGUARD_CRAWLERS_RATE_LIMITER_H_
#define SQUATGUARD_CRAWLERS_RATE_LIMITER_H_

#include <functional>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "crawlers/retry_policy.h"

namespace squatguard {
namespace crawlers {

using ClockFunction = std::function<absl::Time()>;

class RateLimiter {
 public:
  explicit RateLimiter(double per_second, ClockFunction clock = absl::Now,
                       SleepFunction sleep = RealSleep);

  // Blocks until the next request may go out, then reserves that slot.
  void Wait();

  double per_second() const { return per_second_; }

 private:
  const double per_second_;
  const absl::Duration interval_;
  ClockFunction clock_;
  SleepFunction sleep_;
  absl::Mutex mu_;
  absl::Time next_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_RATE_LIMITER_H_
