// Separator characters shared by the registries' name rules: '-', '_', '.', '
// '.
#ifndef SQUATGUARD_CONFUSABLES_SEPARATORS_H_
#define SQUATGUARD_CONFUSABLES_SEPARATORS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace confusables {

inline bool IsSeparator(char c) {
  return c == '-' || c == '_' || c == '.' || c == ' ';
}

// Like RemoveSeparators(), but writes into *out (replacing its contents) so hot
// loops can reuse its capacity.
void AssignWithoutSeparators(absl::string_view s, std::string* out);

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_SEPARATORS_H_
