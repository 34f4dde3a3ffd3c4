#include "crawlers/cloud_registry.h"

#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

// Enough of a server's error text to recognise it, not enough to flood a log.
constexpr size_t kMaxServerDetail = 160;

std::string Clip(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() > kMaxServerDetail) {
    text.resize(kMaxServerDetail);
    text += "...";
  }
  return text;
}

// The server's error code and message, as Google and Azure write them:
// {"error": {"code": 401, "message": "...", "status": "UNAUTHENTICATED"}} or
// {"error": {"code": "InvalidAuthenticationToken", "message": "..."}}.
std::string ServerSays(const HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return "";
  auto error = body.find("error");
  if (error == body.end() || !error->is_object()) return "";
  std::string code = StringField(*error, "status");
  if (code.empty()) code = StringField(*error, "code");
  std::string message = StringField(*error, "message");
  if (code.empty() && message.empty()) return "";
  return Clip(absl::StrCat("; the server says ", code,
                           code.empty() || message.empty() ? "" : ": ", message));
}

bool IsAwsThrottling(absl::string_view type) {
  static constexpr absl::string_view kTypes[] = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete"};
  for (absl::string_view t : kTypes) {
    if (type == t) return true;
  }
  return false;
}

}  // namespace

std::string AwsErrorType(const HttpResponse& response) {
  std::string type;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_discarded() && body.is_object()) {
    type = StringField(body, "__type");
    if (type.empty()) type = StringField(body, "code");
  }
  if (type.empty()) type = std::string(response.Header("x-amzn-errortype"));
  // "com.amazon.coral.service#ThrottlingException", or
  // "UnrecognizedClientException:http://internal.amazon.com/coral/..."
  size_t hash = type.rfind('#');
  if (hash != std::string::npos) type = type.substr(hash + 1);
  size_t colon = type.find(':');
  if (colon != std::string::npos) type = type.substr(0, colon);
  return type;
}

FailureReader BearerFailureReader(std::string source, std::string env_variable,
                                  std::string token_origin, bool token_sent) {
  return [source = std::move(source), env_variable = std::move(env_variable),
          token_origin = std::move(token_origin),
          token_sent](const HttpResponse& r) -> std::optional<FailureReading> {
    if (r.status != 401 && r.status != 403) return std::nullopt;
    FailureReading reading;
    if (!token_sent) {
      reading.detail = absl::StrCat(
          source, " needs an access token and none was sent: set ",
          env_variable, " or pass --token-file PATH");
    } else if (r.status == 401) {
      reading.detail = absl::StrCat(
          source, " refused the access token from ", token_origin,
          " (expired or invalid? fetch a new one)");
    } else {
      reading.detail = absl::StrCat(
          source, " accepted the access token from ", token_origin,
          " but it may not list this registry's models (missing role or "
          "permission?)");
    }
    reading.detail += ServerSays(r);
    return reading;
  };
}

FailureReader AwsJsonFailureReader(const std::string* operation,
                                   bool session_token_sent) {
  return [operation, session_token_sent](
             const HttpResponse& r) -> std::optional<FailureReading> {
    const std::string type = AwsErrorType(r);
    const std::string op = operation != nullptr ? *operation : "";
    FailureReading reading;
    if (IsAwsThrottling(type) || r.status == 429) {
      reading.retry = true;
      reading.detail = absl::StrCat(type, " on ", op, " (throttled; retrying)");
      return reading;
    }
    std::string why;
    if (type == "UnrecognizedClientException" || type == "InvalidClientTokenId") {
      why = session_token_sent
                ? "AWS_ACCESS_KEY_ID or AWS_SESSION_TOKEN is not recognised "
                  "(a revoked key, or a token of other credentials?)"
                : "AWS_ACCESS_KEY_ID is not recognised (temporary credentials "
                  "also need AWS_SESSION_TOKEN)";
    } else if (type == "InvalidSignatureException" ||
               type == "SignatureDoesNotMatch" || type == "IncompleteSignature") {
      why = "the request signature was refused: AWS_SECRET_ACCESS_KEY does not "
            "match AWS_ACCESS_KEY_ID (or this machine's clock is off)";
    } else if (type == "ExpiredTokenException" || type == "ExpiredToken" ||
               type == "RequestExpired") {
      why = "the credentials have expired: refresh AWS_SESSION_TOKEN (and the "
            "key pair that goes with it)";
    } else if (type == "MissingAuthenticationTokenException" ||
               type == "MissingAuthenticationToken") {
      why = "the request was not signed: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY";
    } else if (type == "AccessDeniedException" || type == "AccessDenied" ||
               type == "NotAuthorized") {
      why = absl::StrCat("the credentials in AWS_ACCESS_KEY_ID may not call ",
                         op.empty() ? "this operation" : op,
                         " (grant sagemaker:", op.empty() ? "List*" : op, ")");
    } else if (r.status == 401 || r.status == 403) {
      why = "the credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY were "
            "refused";
    } else if (r.status >= 400 && r.status < 500 && r.status != 408) {
      // ValidationException and the like: say what the server said.
      nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
      std::string message = StringField(body, "message");
      if (message.empty()) message = StringField(body, "Message");
      why = Clip(message);
    } else {
      return std::nullopt;
    }
    reading.detail = absl::StrCat("sagemaker ", op, op.empty() ? "" : ": ",
                                  type, type.empty() || why.empty() ? "" : ": ",
                                  why);
    return reading;
  };
}

std::optional<int64_t> EpochSecondsField(const nlohmann::json& object,
                                         const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_float()) {
    double seconds = it->get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e13) {
      return std::nullopt;
    }
    return static_cast<int64_t>(seconds);
  }
  return IntField(object, key);
}

absl::Status RedactSecrets(absl::Status status,
                           const std::vector<std::string>& secrets) {
  if (status.ok()) return status;
  std::string message(status.message());
  bool changed = false;
  for (const std::string& secret : secrets) {
    // Short values ("", "a") would mangle ordinary words; real secrets are long.
    if (secret.size() < 8) continue;
    if (message.find(secret) == std::string::npos) continue;
    message = absl::StrReplaceAll(message, {{secret, "[redacted]"}});
    changed = true;
  }
  if (!changed) return status;
  absl::Status out(status.code(), message);
  status.ForEachPayload([&out](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  return out;
}

absl::Status ReadArrayField(const nlohmann::json& body, const char* key,
                            std::vector<nlohmann::json>* items) {
  items->clear();
  if (!body.is_object()) return absl::DataLossError("expected a JSON object");
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array()) {
    return absl::DataLossError(absl::StrCat("\"", key, "\" is not an array"));
  }
  items->assign(it->begin(), it->end());
  return absl::OkStatus();
}

}  // namespace crawlers
}  // namespace squatguard
