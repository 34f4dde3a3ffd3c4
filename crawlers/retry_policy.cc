#include "crawlers/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace squatguard {
namespace crawlers {

void RealSleep(absl::Duration duration) { absl::SleepFor(duration); }

RetryPolicy::RetryPolicy(RetryOptions options)
    : options_(std::move(options)),
      random_(options_.seed != 0 ? options_.seed : std::random_device{}()) {
  options_.max_attempts = std::max(1, options_.max_attempts);
  options_.jitter = std::clamp(options_.jitter, 0.0, 1.0);
  if (!options_.sleep) options_.sleep = RealSleep;
}

std::optional<absl::Duration> RetryPolicy::NextDelay(
    int failed_attempt, std::optional<absl::Duration> retry_after) {
  if (failed_attempt >= options_.max_attempts) return std::nullopt;
  if (retry_after.has_value() && *retry_after > options_.max_retry_after) {
    return std::nullopt;
  }
  double exponent = std::max(0, failed_attempt - 1);
  absl::Duration backoff =
      options_.initial_backoff * std::pow(options_.multiplier, exponent);
  backoff = std::min(backoff, options_.max_backoff);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  backoff *= 1.0 - options_.jitter * unit(random_);
  if (retry_after.has_value()) backoff = std::max(backoff, *retry_after);
  return backoff;
}

void RetryPolicy::Sleep(absl::Duration duration) const {
  if (duration > absl::ZeroDuration()) options_.sleep(duration);
}

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value,
                                              absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (absl::ascii_isdigit(static_cast<unsigned char>(value.front()))) {
    int64_t seconds = 0;
    if (!absl::SimpleAtoi(value, &seconds) || seconds < 0) return std::nullopt;
    return absl::Seconds(seconds);
  }
  // curl_getdate reads every date format RFC 9110 allows.
  time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max(absl::ZeroDuration(), absl::FromTimeT(when) - now);
}

bool IsRetryableHttpStatus(int status) {
  if (status == 408 || status == 425 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501 && status != 505;
}

}  // namespace crawlers
}  // namespace squatguard
