// RetryPolicy: how long to wait before trying a failed request again, and
// when to stop trying.
//
// Exponential backoff with jitter: before attempt n+1 the policy waits
// about initial_backoff * multiplier^(n-1), capped at max_backoff, scaled by a
// random factor in [1 - jitter, 1] so that many crawlers restarted together
// do not hit a registry in step. A server's Retry-After (on 429 and 503) is
// a floor: the wait is never shorter than what the server asked for, and a
// server asking for more than max_retry_after makes the policy give up
// rather than hold a nightly job for hours.
//
//   RetryPolicy policy(RetryOptions{});
//   for (int attempt = 1;; ++attempt) {
//     ... try; on a transient failure:
//     std::optional<absl::Duration> wait = policy.NextDelay(attempt, retry_after);
//     if (!wait) break;  // give up
//     policy.Sleep(*wait);
//   }
//
// Sleeping goes through RetryOptions::sleep so tests can record the waits
// instead of spending them. Thread safety: NextDelay and Sleep may be called
// from one thread at a time (the jitter source is not shared).
#ifndef SQUATGUARD_CRAWLERS_RETRY_POLICY_H_
#define SQUATGUARD_CRAWLERS_RETRY_POLICY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <random>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace squatguard {
namespace crawlers {

using SleepFunction = std::function<void(absl::Duration)>;

// absl::SleepFor; the default everywhere outside tests.
void RealSleep(absl::Duration duration);

struct RetryOptions {
  int max_attempts = 5;  // first try included; 1 means no retry
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(60);
  double multiplier = 2.0;
  double jitter = 0.5;  // fraction of the delay that is random, in [0, 1]
  absl::Duration max_retry_after = absl::Minutes(5);
  SleepFunction sleep = RealSleep;
  uint64_t seed = 0;  // 0: seeded from the system's random device
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options);

  // The wait before attempt `failed_attempt + 1`, or nullopt when no attempt
  // is left (or the server asked for a wait longer than max_retry_after).
  // `retry_after` is the server's Retry-After, when it sent one.
  std::optional<absl::Duration> NextDelay(
      int failed_attempt, std::optional<absl::Duration> retry_after);

  void Sleep(absl::Duration duration) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  std::mt19937_64 random_;
};

// Parses a Retry-After value: delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", measured from `now`). nullopt when the
// value is empty or unreadable; a date in the past is a zero wait.
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value,
                                              absl::Time now);

// True for HTTP statuses worth another try: 408, 425, 429 and 5xx except
// 501 and 505 (which will not change by waiting).
bool IsRetryableHttpStatus(int status);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_RETRY_POLICY_H_
