#include "crawlers/json_fetcher.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace squatguard {
namespace crawlers {
namespace {

std::string StatusHint(int status) {
  switch (status) {
    case 401:
      return " (unauthorized: is the token set and valid?)";
    case 403:
      return " (forbidden: does the token have read access?)";
    case 404:
      return " (not found: is --endpoint right?)";
    default:
      return "";
  }
}

}  // namespace

JsonFetcher::JsonFetcher(std::string source_name, FetchOptions options)
    : source_name_(std::move(source_name)),
      options_(std::move(options)),
      client_(options_.http),
      retry_(options_.retry),
      limiter_(options_.requests_per_second, options_.clock,
               options_.retry.sleep ? options_.retry.sleep : RealSleep) {}

absl::Status JsonFetcher::Get(const HttpRequest& request,
                              const JsonReader& read) {
  return GetBody(request, [&](const HttpResponse& response) {
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr,
                                                /*allow_exceptions=*/false);
    if (body.is_discarded()) {
      return absl::DataLossError(absl::StrCat(
          "body is not complete JSON (", response.body.size(), " bytes)"));
    }
    return read(response, body);
  });
}

absl::Status JsonFetcher::GetBody(const HttpRequest& request,
                                  const BodyReader& read) {
  const std::string where = absl::StrCat(source_name_, ": ", request.method(),
                                         " ", RedactUrl(request.url));
  for (int attempt = 1;; ++attempt) {
    limiter_.Wait();
    ++stats_.requests;
    absl::StatusOr<HttpResponse> response = client_.Get(request);
    absl::Status failure;
    std::optional<absl::Duration> retry_after;
    if (!response.ok()) {
      if (absl::IsInvalidArgument(response.status())) {
        return response.status();  // a bad URL will not get better
      }
      if (absl::IsResourceExhausted(response.status())) {
        // A body over --max-body-bytes will be over it again: downloading
        // it up to the limit once more per retry only wastes the bandwidth.
        ++stats_.failed_attempts;
        return MarkNetworkFailure(absl::ResourceExhaustedError(
            absl::StrCat(source_name_, ": ", response.status().message(),
                         " (raise --max-body-bytes to accept it)")));
      }
      failure = absl::Status(response.status().code(),
                             absl::StrCat(source_name_, ": ",
                                          response.status().message()));
    } else {
      stats_.bytes += static_cast<int64_t>(response->body.size());
      const int status = response->status;
      if (status == 429 || status == 503) {
        retry_after = ParseRetryAfter(response->Header("retry-after"),
                                      options_.clock());
      }
      std::optional<FailureReading> reading;
      if ((status < 200 || status >= 300) && failure_reader_) {
        reading = failure_reader_(*response);
      }
      if (status >= 200 && status < 300) {
        absl::Status accepted = read(*response);
        if (accepted.ok()) return accepted;
        failure = absl::Status(accepted.code(),
                               absl::StrCat(where, ": ", accepted.message()));
      } else if (reading.has_value() && reading->answer) {
        return absl::OkStatus();
      } else if (reading.has_value()) {
        std::string what = absl::StrCat(where, ": HTTP ", status,
                                        reading->detail.empty() ? "" : ": ",
                                        reading->detail);
        if (!reading->retry) {
          ++stats_.failed_attempts;
          return MarkNetworkFailure(absl::FailedPreconditionError(what));
        }
        failure = absl::UnavailableError(what);
      } else if (IsRetryableHttpStatus(status)) {
        failure = absl::UnavailableError(
            absl::StrCat(where, ": HTTP ", status));
      } else {
        ++stats_.failed_attempts;
        return MarkNetworkFailure(absl::FailedPreconditionError(
            absl::StrCat(where, ": HTTP ", status, StatusHint(status))));
      }
    }
    ++stats_.failed_attempts;
    std::optional<absl::Duration> wait = retry_.NextDelay(attempt, retry_after);
    if (!wait.has_value()) {
      std::string why =
          attempt >= retry_.options().max_attempts
              ? absl::StrCat("gave up after ", attempt, " attempts")
              : absl::StrCat("server asked to wait ",
                             absl::FormatDuration(*retry_after),
                             ", longer than the limit of ",
                             absl::FormatDuration(
                                 retry_.options().max_retry_after));
      return MarkNetworkFailure(absl::UnavailableError(
          absl::StrCat(failure.message(), "; ", why)));
    }
    retry_.Sleep(*wait);
  }
}

}  // namespace crawlers
}  // namespace squatguard
