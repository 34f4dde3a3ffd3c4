#include "crawlers/lifecycle.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr double kRevertScore = 0.95;
constexpr double kMoveOntoJumpScore = 0.90;
constexpr double kVersionJumpScore = 0.80;
constexpr double kRollbackScore = 0.60;
constexpr double kMoveScore = 0.55;

constexpr char kPinAdvice[] =
    "consumers should pin the model by version or content hash, not by alias, "
    "stage or 'latest'";

Severity SeverityFor(double score) {
  if (score >= 0.85) return Severity::kHigh;
  if (score >= 0.65) return Severity::kMedium;
  return Severity::kLow;
}

std::string Time(int64_t seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

bool IsStage(absl::string_view pointer) {
  return absl::StartsWith(pointer, kStagePrefix);
}

// "alias 'champion'" / "stage 'Production'" / "'default' version".
std::string PointerNoun(absl::string_view pointer) {
  if (IsStage(pointer)) {
    return absl::StrCat("stage '", pointer.substr(kStagePrefix.size()), "'");
  }
  return absl::StrCat("alias '", pointer, "'");
}

Finding NewFinding(Ecosystem ecosystem, const std::string& model,
                   std::string target, double score) {
  Finding f;
  f.candidate = model;
  f.ecosystem = ecosystem;
  f.target = std::move(target);
  f.target_kind = EntryKind::kPackage;  // model names are flat names
  f.score = score;
  f.severity = SeverityFor(score);
  f.distance = 0;
  return f;
}

}  // namespace

std::optional<uint64_t> NumericVersion(absl::string_view version) {
  if (version.empty() || version.size() > 18) return std::nullopt;
  for (char c : version) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(version, &value)) return std::nullopt;
  return value;
}

bool IsVersionJump(uint64_t previous, uint64_t version) {
  // Versions have at most 18 digits, so 10 x previous cannot overflow.
  return version > 10 * previous && version - previous >= 100;
}

std::optional<uint64_t> HighestBelow(const std::vector<std::string>& versions,
                                     uint64_t version) {
  std::optional<uint64_t> best;
  for (const std::string& v : versions) {
    std::optional<uint64_t> n = NumericVersion(v);
    if (n && *n < version && (!best || *n > *best)) best = n;
  }
  return best;
}

std::string PointerDisplay(absl::string_view model, absl::string_view pointer) {
  if (IsStage(pointer)) {
    return absl::StrCat(model, "/", pointer.substr(kStagePrefix.size()));
  }
  return absl::StrCat(model, "@", pointer);
}

std::string FormatSpan(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t days = seconds / 86400;
  const int64_t hours = seconds % 86400 / 3600;
  const int64_t minutes = seconds % 3600 / 60;
  if (days > 0) return hours > 0 ? absl::StrCat(days, "d ", hours, "h")
                                  : absl::StrCat(days, "d");
  if (hours > 0) return minutes > 0 ? absl::StrCat(hours, "h ", minutes, "m")
                                    : absl::StrCat(hours, "h");
  if (minutes > 0) return absl::StrCat(minutes, "m");
  return absl::StrCat(seconds, "s");
}

std::vector<PointerSighting> PointerSightings(const SourcePage& page) {
  // Keyed so a repeated pointer keeps its last sighting, in first-seen order.
  std::vector<PointerSighting> out;
  std::map<std::tuple<Ecosystem, std::string, std::string>, size_t> index;
  auto add = [&](PointerSighting s) {
    auto key = std::make_tuple(s.ecosystem, s.model, s.pointer);
    auto it = index.find(key);
    if (it != index.end()) {
      out[it->second] = std::move(s);
    } else {
      index.emplace(std::move(key), out.size());
      out.push_back(std::move(s));
    }
  };
  for (const SeenAlias& a : page.aliases) {
    if (a.model.empty() || a.alias.empty() || a.version.empty()) continue;
    add({a.ecosystem, a.model, a.alias, a.version});
  }
  // MLflow legacy stages: the highest version in each stage.
  std::map<std::tuple<Ecosystem, std::string, std::string>, std::string> stages;
  for (const SeenModelVersion& v : page.versions) {
    if (v.stage.empty() || v.version.empty() ||
        absl::EqualsIgnoreCase(v.stage, "None") ||
        absl::EqualsIgnoreCase(v.stage, "Archived")) {
      continue;
    }
    auto key = std::make_tuple(v.ecosystem, v.model,
                               absl::StrCat(kStagePrefix, v.stage));
    auto [it, inserted] = stages.emplace(key, v.version);
    if (inserted) continue;
    std::optional<uint64_t> have = NumericVersion(it->second);
    std::optional<uint64_t> next = NumericVersion(v.version);
    if (next && (!have || *next > *have)) it->second = v.version;
  }
  for (auto& [key, version] : stages) {
    add({std::get<0>(key), std::get<1>(key), std::get<2>(key), version});
  }
  return out;
}

std::vector<Finding> JudgeVersions(Ecosystem ecosystem, const std::string& model,
                                   const std::vector<std::string>& stored,
                                   const std::vector<std::string>& fresh,
                                   int64_t now) {
  std::vector<std::string> known = stored;
  known.insert(known.end(), fresh.begin(), fresh.end());
  std::vector<Finding> out;
  absl::flat_hash_set<std::string> done;
  for (const std::string& v : fresh) {
    if (!done.insert(v).second) continue;
    std::optional<uint64_t> n = NumericVersion(v);
    if (!n) continue;
    std::optional<uint64_t> previous = HighestBelow(known, *n);
    if (!previous || !IsVersionJump(*previous, *n)) continue;
    Finding f = NewFinding(ecosystem, model,
                           absl::StrCat(model, " version ", v), kVersionJumpScore);
    f.techniques = {Technique::kVersionJump};
    f.explanation = absl::StrCat(
        "version ", v, " of '", model, "' (first seen ", Time(now),
        ") is numbered far above the previous highest version, ", *previous,
        ": a version made to win 'latest' resolution; ", kPinAdvice);
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<Finding> JudgePointer(const PointerSighting& seen,
                                    const std::vector<PointerSpan>& history,
                                    const std::vector<std::string>& versions,
                                    int64_t now, const LifecycleOptions& options) {
  if (history.empty() || history[0].version == seen.version) return std::nullopt;
  const PointerSpan& last = history[0];
  const std::string noun = PointerNoun(seen.pointer);
  const std::string where = PointerDisplay(seen.model, seen.pointer);
  const std::string moved = absl::StrCat(
      noun, " of '", seen.model, "' moved from version ", last.version, " to ",
      seen.version);

  // Move-then-revert: A (older span), B (last span), A again now.
  const int64_t window = absl::ToInt64Seconds(options.revert_window);
  if (history.size() >= 2 && history[1].version == seen.version &&
      now - last.first_seen <= window) {
    const PointerSpan& before = history[1];
    Finding f = NewFinding(
        seen.ecosystem, seen.model,
        absl::StrCat(where, ": ", seen.version, " -> ", last.version, " -> ",
                     seen.version),
        kRevertScore);
    f.techniques = {Technique::kAliasMove};
    f.explanation = absl::StrCat(
        noun, " of '", seen.model, "' was moved from version ", before.version,
        " to ", last.version, " (seen from ", Time(last.first_seen), " to ",
        Time(last.last_seen), "; still ", before.version, " at ",
        Time(before.last_seen), ") and moved back to ", seen.version,
        " (seen ", Time(now), "), ", FormatSpan(now - last.first_seen),
        " after the move was seen, within the ", FormatSpan(window),
        " revert window: the move-then-revert pattern that slips version ",
        last.version, " past a check-then-download pipeline; ", kPinAdvice);
    return f;
  }

  const std::string times = absl::StrCat(" (seen ", Time(now), "; still ",
                                         last.version, " at ",
                                         Time(last.last_seen), ")");
  std::optional<uint64_t> to = NumericVersion(seen.version);
  std::optional<uint64_t> from = NumericVersion(last.version);
  std::optional<uint64_t> below = to ? HighestBelow(versions, *to) : std::nullopt;
  Finding f = NewFinding(seen.ecosystem, seen.model,
                         absl::StrCat(where, ": ", last.version, " -> ",
                                      seen.version),
                         kMoveScore);
  f.techniques = {Technique::kAliasMove};
  if (to && below && IsVersionJump(*below, *to)) {
    f.score = kMoveOntoJumpScore;
    f.techniques.push_back(Technique::kVersionJump);
    f.explanation = absl::StrCat(
        moved, times, ", a version numbered far above the previous highest, ",
        *below, ": whoever loads ", where, " now gets it; ", kPinAdvice);
  } else if (to && from && *to < *from) {
    f.score = kRollbackScore;
    bool returned = false;
    for (size_t i = 1; i < history.size(); ++i) {
      if (history[i].version == seen.version) returned = true;
    }
    f.explanation = absl::StrCat(
        moved, times, ": a move back to an older version",
        returned ? " it pointed at before" : "",
        "; whoever loads ", where, " now gets version ", seen.version, "; ",
        kPinAdvice);
  } else {
    f.explanation = absl::StrCat(moved, times, ": whoever loads ", where,
                                 " now gets version ", seen.version, "; ",
                                 kPinAdvice);
  }
  f.severity = SeverityFor(f.score);
  return f;
}

}  // namespace crawlers
}  // namespace squatguard
