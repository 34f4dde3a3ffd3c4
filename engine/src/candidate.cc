#include "squatguard/candidate.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace {

// created_at: unix seconds, or RFC 3339 / plain date text.
// A JSON number as a whole int64, or an error when it does not fit (a cast
// of an out-of-range double is undefined behaviour).
absl::StatusOr<int64_t> WholeNumber(const nlohmann::json& value, absl::string_view key) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(u);
  } else if (value.is_number()) {
    const double d = value.get<double>();
    if (d > -9.2e18 && d < 9.2e18) return static_cast<int64_t>(d);
  }
  return absl::InvalidArgumentError(absl::StrCat("\"", key, "\" is out of range"));
}

absl::StatusOr<int64_t> ParseCreatedAt(const nlohmann::json& value) {
  if (value.is_number()) return WholeNumber(value, "created_at");
  if (!value.is_string()) {
    return absl::InvalidArgumentError("\"created_at\" must be a number or a date string");
  }
  const std::string text = value.get<std::string>();
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err) ||
      absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S", text, &t, &err) ||
      absl::ParseTime("%Y-%m-%d", text, &t, &err)) {
    return absl::ToUnixSeconds(t);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"created_at\" is not a date: ", nlohmann::json(text).dump()));
}

absl::StatusOr<std::optional<int64_t>> OptionalInteger(const nlohmann::json& obj,
                                                       const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number()) {
    absl::StatusOr<int64_t> v = WholeNumber(*it, key);
    if (!v.ok()) return v.status();
    return std::optional<int64_t>(*v);
  }
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (s.empty()) return std::optional<int64_t>();
    try {
      size_t used = 0;
      long long v = std::stoll(s, &used);
      if (used == s.size()) return std::optional<int64_t>(v);
    } catch (...) {
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("\"", key, "\" must be a number"));
}

}  // namespace

Candidate ParseQualifiedName(absl::string_view text, Ecosystem fallback) {
  Candidate c;
  c.ecosystem = fallback;
  size_t colon = text.find(':');
  if (colon != absl::string_view::npos) {
    std::optional<Ecosystem> prefix = ParseEcosystem(text.substr(0, colon));
    if (prefix.has_value() && *prefix != Ecosystem::kAny) {
      c.ecosystem = *prefix;
      text.remove_prefix(colon + 1);
    }
  }
  c.name = std::string(text);
  return c;
}

absl::StatusOr<Candidate> ParseCandidateJson(absl::string_view line, Ecosystem fallback) {
  nlohmann::json obj = nlohmann::json::parse(line.begin(), line.end(), nullptr,
                                             /*allow_exceptions=*/false);
  if (obj.is_discarded()) return absl::InvalidArgumentError("broken JSON");
  if (!obj.is_object()) return absl::InvalidArgumentError("expected a JSON object");
  auto name = obj.find("name");
  if (name == obj.end() || !name->is_string()) {
    return absl::InvalidArgumentError("missing string field \"name\"");
  }
  Candidate c = ParseQualifiedName(name->get_ref<const std::string&>(), fallback);
  if (auto eco = obj.find("ecosystem"); eco != obj.end() && !eco->is_null()) {
    if (!eco->is_string()) return absl::InvalidArgumentError("\"ecosystem\" must be a string");
    std::optional<Ecosystem> e = ParseEcosystem(eco->get_ref<const std::string&>());
    if (!e.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown ecosystem ", eco->dump(),
                       " (expected hf, pypi, npm, mlflow, sagemaker, vertex, azureml, any)"));
    }
    c.ecosystem = *e;
  }
  if (auto acc = obj.find("account"); acc != obj.end() && acc->is_string()) {
    c.account = acc->get<std::string>();
  }
  if (auto created = obj.find("created_at"); created != obj.end() && !created->is_null()) {
    absl::StatusOr<int64_t> t = ParseCreatedAt(*created);
    if (!t.ok()) return t.status();
    c.created_at = *t;
  }
  absl::StatusOr<std::optional<int64_t>> rank = OptionalInteger(obj, "rank");
  if (!rank.ok()) return rank.status();
  c.rank = *rank;
  absl::StatusOr<std::optional<int64_t>> downloads = OptionalInteger(obj, "downloads");
  if (!downloads.ok()) return downloads.status();
  c.downloads = *downloads;
  return c;
}

}  // namespace squatguard
