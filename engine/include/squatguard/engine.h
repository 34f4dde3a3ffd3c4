// squatguard's library API: build an Engine once from protected lists, then
// ask it whether newly seen names impersonate a protected one.
//
//   squatguard::ProtectedList list;
//   absl::Status s = list.AddPath("/usr/share/squatguard/protected");
//   absl::StatusOr<std::unique_ptr<squatguard::Engine>> engine =
//       squatguard::Engine::Create(std::move(list));
//   absl::StatusOr<std::vector<squatguard::Finding>> findings =
//       (*engine)->Check("hf:meta-Ilama/Llama-3-8B");
//   // findings->front().target == "meta-llama/Llama-3-8B", technique homoglyph
//
// Thread safety: an Engine is immutable once built; Check() and Explain() are
// const and may be called from any number of threads at once.
//
// Cost: Create() indexes every protected name (about 1.4 s of CPU and 300 MB
// per 100,000 names);
// Check() does hash probes and a few bounded edit-distance computations, tens
// of microseconds per name, and never allocates more than O(name length^2).
#ifndef SQUATGUARD_ENGINE_H_
#define SQUATGUARD_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "squatguard/candidate.h"
#include "squatguard/ecosystem.h"
#include "squatguard/finding.h"
#include "squatguard/protected_list.h"

namespace squatguard {

struct EngineOptions {
  // Findings scoring below this are dropped (SPEC default 0.5).
  double min_score = 0.5;
  // Findings kept per candidate, best first (SPEC default 3). 0: keep all.
  int top = 3;
  // Longest name accepted, in bytes. Longer names are an error: no registry
  // allows them, and the cost of matching grows with length.
  size_t max_name_bytes = 1024;
  // Most words of a name considered for word-reorder detection. Any order
  // is one lookup of the sorted words; names of up to 3 words also try each
  // ordering glued together (at most 5 lookups). More words than this are
  // rarely a reordering of a protected name and more often a sentence.
  int max_reorder_tokens = 5;
  // Words that, added to a protected name, make a combosquat
  // ("openai-research", "requests-py"); per ecosystem, from data/affixes.
  // Empty: the built-in defaults.
  std::vector<std::pair<Ecosystem, std::string>> affix_words;
};

// Every normalization step of one name, for `squatguard explain`.
struct NameSteps {
  std::string original;
  std::vector<std::pair<std::string, std::string>> steps;  // (step, value)
  std::vector<std::string> notes;  // removed invisibles, mixed script, ...
};

struct Explanation {
  NameSteps candidate;
  NameSteps target;
  // The edit path from candidate to target on the compared form, one line
  // per operation ("substitute 'I' -> 'l' at 5").
  std::vector<std::string> edit_path;
  int distance = 0;
  // The finding the engine would report for this pair, if any score at all.
  std::optional<Finding> finding;
};

class Engine {
 public:
  // Indexes `list`. Fails on a list whose entries cannot be indexed (for
  // example a name that is not valid UTF-8), naming the entry's origin.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(
      ProtectedList list, EngineOptions options = {});

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Ranks the impersonation risk of one name ("hf:org/repo", "pypi:x" or a
  // bare name compared with every ecosystem). Returns the findings at or
  // above min_score, best first, at most `top`. InvalidArgument for a name
  // that is not valid UTF-8, is empty, or is longer than max_name_bytes.
  absl::StatusOr<std::vector<Finding>> Check(absl::string_view name) const;
  absl::StatusOr<std::vector<Finding>> Check(const Candidate& candidate) const;

  // The same with explicit limits (used by the CLI's --min-score / --top).
  absl::StatusOr<std::vector<Finding>> Check(const Candidate& candidate,
                                             double min_score, int top) const;

  // Shows how `name` compares with `target` (both may carry prefixes); the
  // target need not be protected.
  absl::StatusOr<Explanation> Explain(absl::string_view name,
                                      absl::string_view target) const;

  // Number of protected names indexed (after pattern expansion).
  size_t protected_count() const;
  const EngineOptions& options() const;

  // The protected entries, in index order.
  const std::vector<ProtectedEntry>& entries() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_H_
