// Brute-force references the index tests compare the engine's fast paths
// with: a plain full-matrix OSA distance (written here, independent of
// engine/src/edit_distance.cc) and protected names with their forms.
#ifndef SQUATGUARD_TESTS_ENGINE_REFERENCE_H_
#define SQUATGUARD_TESTS_ENGINE_REFERENCE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace test {

// OSA distance over bytes, full matrix, no early exit.
int ReferenceOsa(absl::string_view a, absl::string_view b);

// The same over code points: what "edits" and "characters" mean to users.
int ReferenceOsa(const std::u32string& a, const std::u32string& b);

// Decodes valid UTF-8.
std::u32string CodePoints(absl::string_view utf8);

// A lower bound on the OSA distance that is cheap to compare: every edit
// changes the byte histogram's L1 distance by at most 2.
struct Histogram {
  std::array<uint8_t, 32> counts{};
  explicit Histogram(absl::string_view s);
  explicit Histogram(const std::u32string& s);
  int LowerBound(const Histogram& other) const;
};

// A protected name as the engine indexes it.
struct IndexedForms {
  std::string name;
  confusables::NameForms forms;
  int max_edits = 0;  // DefaultMaxEdits(code points of casefold_flat, 9)
};

// Normalizes each name (names that fail to normalize are skipped).
std::vector<IndexedForms> NormalizeAll(const std::vector<std::string>& names);

size_t CodePointCount(absl::string_view s);

}  // namespace test
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_ENGINE_REFERENCE_H_
