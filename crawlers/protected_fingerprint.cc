#include "crawlers/protected_fingerprint.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace squatguard {
namespace crawlers {
namespace {

// FNV-1a: stable across builds and platforms, unlike std::hash.
uint64_t Fnv1a(uint64_t hash, absl::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string Canonical(const ProtectedEntry& e) {
  std::vector<std::string> allow = e.allow;
  std::sort(allow.begin(), allow.end());
  // '\x1f' cannot appear in a valid name, so fields never run together.
  return absl::StrJoin(
      {e.name, std::string(EntryKindName(e.kind)),
       std::string(EcosystemName(e.ecosystem)), absl::StrFormat("%.6f", e.popularity),
       e.rank ? absl::StrCat(*e.rank) : std::string(), e.owner,
       absl::StrJoin(allow, "\x1e"),
       e.min_len_for_distance_2 ? absl::StrCat(*e.min_len_for_distance_2)
                                : std::string(),
       e.severity ? std::string(SeverityName(*e.severity)) : std::string(),
       e.retired ? std::string("retired") : std::string(), e.pattern},
      "\x1f");
}

}  // namespace

std::string ProtectedListFingerprint(const std::vector<ProtectedEntry>& entries) {
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  for (const ProtectedEntry& e : entries) lines.push_back(Canonical(e));
  std::sort(lines.begin(), lines.end());
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const std::string& line : lines) {
    hash = Fnv1a(hash, line);
    hash = Fnv1a(hash, "\n");
  }
  return absl::StrFormat("v1:%d:%016x", lines.size(), hash);
}

}  // namespace crawlers
}  // namespace squatguard
