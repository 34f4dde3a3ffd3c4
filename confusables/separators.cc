// Separator-free forms of names (npm's "too similar" rule, *_flat keys).

#include "confusables/separators.h"

#include "confusables/normalize.h"

namespace squatguard {
namespace confusables {

void AssignWithoutSeparators(absl::string_view s, std::string* out) {
  out->clear();
  out->reserve(s.size());
  // Separators are ASCII, so skipping bytes never splits a UTF-8 sequence.
  for (char c : s) {
    if (!IsSeparator(c)) out->push_back(c);
  }
}

std::string RemoveSeparators(absl::string_view s) {
  std::string out;
  AssignWithoutSeparators(s, &out);
  return out;
}

}  // namespace confusables
}  // namespace squatguard
