// Damerau-Levenshtein distance in its "optimal string alignment" form (OSA):
// insertions, deletions, substitutions and transpositions of two adjacent
// characters each cost 1, and no substring is edited twice.
//
// BoundedOsaDistance is the hot path (index verification): a banded DP that
// stops as soon as the bound is exceeded. OsaDistance is the plain O(n*m)
// reference the tests compare it with (on ASCII). OsaEditPath recovers the operations
// for explanations and technique classification.
#ifndef SQUATGUARD_ENGINE_EDIT_DISTANCE_H_
#define SQUATGUARD_ENGINE_EDIT_DISTANCE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace internal {

// OSA distance over code points (UTF-8 input; bytes when both are ASCII,
// the fast case) if it is <= max_distance, else max_distance + 1.
int BoundedOsaDistance(absl::string_view a, absl::string_view b, int max_distance);

// Plain full-matrix OSA distance over bytes (reference implementation for
// ASCII; BoundedOsaDistance counts code points on non-ASCII text).
int OsaDistance(absl::string_view a, absl::string_view b);

enum class EditOp { kMatch, kSubstitute, kInsert, kDelete, kTranspose };

// One step turning `from` into `to`. Positions index code points.
//   kSubstitute: from[from_pos] is replaced by to[to_pos]
//   kInsert:     to[to_pos] is added (the candidate has an extra character)
//   kDelete:     from[from_pos] is removed (the candidate lacks it)
//   kTranspose:  from[from_pos], from[from_pos+1] swapped
// Read as "candidate -> target": kInsert means the target has a character
// the candidate lacks (so the candidate *omits* it).
struct EditStep {
  EditOp op;
  size_t from_pos;
  size_t to_pos;
};

// The operations of one optimal OSA alignment over code points (matches
// omitted). Costs O(n*m) memory; callers bound the lengths.
std::vector<EditStep> OsaEditPath(const std::u32string& from, const std::u32string& to);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_EDIT_DISTANCE_H_
