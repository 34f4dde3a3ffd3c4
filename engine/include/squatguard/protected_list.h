// Protected lists: the names squatguard defends (SPEC.md "Protected lists").
//
// JSON Lines, one entry per line, '#' comments and blank lines allowed:
//   {"name": "meta-llama", "kind": "org", "ecosystem": "hf", "popularity": 0.99}
//   {"pattern": "meta-llama/Llama-5-{8B,70B}{,-Instruct}", "kind": "anticipated",
//    "ecosystem": "hf"}
// or plain text, one name per line, with the kind and ecosystem given by the
// caller. Anticipated patterns expand braces into concrete names.
//
// Errors name the file, the line and the problem:
//   "data/x.jsonl:12: unknown kind 'orgg' (expected org, repo, package, anticipated)"
#ifndef SQUATGUARD_PROTECTED_LIST_H_
#define SQUATGUARD_PROTECTED_LIST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "squatguard/ecosystem.h"
#include "squatguard/finding.h"

namespace squatguard {

struct ProtectedEntry {
  std::string name;       // concrete name (an anticipated pattern is expanded)
  EntryKind kind = EntryKind::kPackage;
  Ecosystem ecosystem = Ecosystem::kPyPI;
  double popularity = 0;  // 0..1; derived from rank when only rank is given
  std::optional<int64_t> rank;         // 1 = most popular
  std::string owner;                   // entries sharing an owner never flag each other
  std::vector<std::string> allow;      // names legitimately similar to this one
  std::optional<int> min_len_for_distance_2;  // overrides the default length limit
  std::optional<Severity> severity;    // fixed severity for findings against it
  bool retired = false;                // deleted or renamed: any reappearance is a finding
  // How many registry names add other words to this one (django-filter for
  // django), when known. A name many others extend is a plugin namespace, so
  // a word added to it is weak evidence of a combosquat.
  std::optional<int64_t> extensions;
  std::string pattern;                 // the brace pattern it came from, if anticipated
  std::string origin;                  // "file:line", for messages
};

// Applies to plain-text lists (and to JSONL entries that omit the field).
struct ListDefaults {
  Ecosystem ecosystem = Ecosystem::kAny;  // kAny in a text list is an error
  EntryKind kind = EntryKind::kPackage;
};

// Most names one brace pattern may expand to; more is an error, not a hang.
inline constexpr size_t kMaxPatternExpansions = 4096;

class ProtectedList {
 public:
  ProtectedList() = default;

  // Parses list text. `origin` names it in errors (a path, or "<stdin>").
  // The format is JSONL when the first non-comment line starts with '{'.
  absl::Status AddText(absl::string_view text, absl::string_view origin,
                       const ListDefaults& defaults = {});

  // Reads a file, or every *.jsonl and *.txt file of a folder (sorted by
  // name). NotFound / InvalidArgument errors name the path and line.
  absl::Status AddPath(const std::string& path, const ListDefaults& defaults = {});

  void Add(ProtectedEntry entry);

  const std::vector<ProtectedEntry>& entries() const { return entries_; }
  // Moves the entries out, leaving the list empty (Engine::Create uses it).
  std::vector<ProtectedEntry> ReleaseEntries() { return std::move(entries_); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<ProtectedEntry> entries_;
};

// Expands "a-{x,y}{,-z}" into "a-x", "a-x-z", "a-y", "a-y-z". Unbalanced
// braces or more than kMaxPatternExpansions results are an error.
absl::StatusOr<std::vector<std::string>> ExpandBracePattern(absl::string_view pattern);

}  // namespace squatguard

#endif  // SQUATGUARD_PROTECTED_LIST_H_
