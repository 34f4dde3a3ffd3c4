// The labelled sets of the quality harness, in the format of
// ../shared/eval/dev-pairs.tsv and dev-negatives.tsv (tab-separated, header
// line first; columns found by header name, fields may be "quoted"):
//
//   pairs:      ecosystem  squat  target  technique  [source]
//   negatives:  ecosystem  name   nearest_popular_name  [why_legit]
#ifndef SQUATGUARD_BENCH_EVAL_LABELLED_H_
#define SQUATGUARD_BENCH_EVAL_LABELLED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "squatguard/engine.h"

namespace squatguard {
namespace bench {

struct LabelledPair {
  Ecosystem ecosystem = Ecosystem::kAny;
  std::string squat;
  std::string target;
  std::string technique;  // the set's own label (combosquat, omission, ...)
  std::string origin;     // file:line
};

struct LabelledNegative {
  Ecosystem ecosystem = Ecosystem::kAny;
  std::string name;
  std::string nearest;  // nearest_popular_name
  std::string why;
  std::string origin;
};

// InvalidArgument names the file and line (missing column, unknown ecosystem).
absl::StatusOr<std::vector<LabelledPair>> ReadLabelledPairs(const std::string& path);
absl::StatusOr<std::vector<LabelledNegative>> ReadLabelledNegatives(const std::string& path);

// Two names are one registration in `ecosystem` (PyPI: PEP 503; else exact).
std::string IdentityKey(Ecosystem ecosystem, absl::string_view name);

// What the corpora know about a name: PyPI rank, npm downloads a month.
struct CorpusContext {
  absl::flat_hash_map<std::string, int64_t> pypi_rank;       // by PEP 503 name
  absl::flat_hash_map<std::string, int64_t> npm_downloads;  // by exact name
  // Fills candidate.rank / candidate.downloads when known.
  void Fill(Candidate* candidate) const;
};
absl::StatusOr<CorpusContext> LoadCorpusContext(const std::string& shared_dir);

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_EVAL_LABELLED_H_
