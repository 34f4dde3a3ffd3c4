// PyPI's own name identities: PEP 503 normalization and Warehouse's
// "ultranormalized" form (the SQL function ultranormalize_name, migration
// d18d443f89f0), which PyPI uses to refuse look-alike registrations.
//
// Both lowercase ASCII only; other bytes pass through unchanged, so UTF-8
// input stays valid UTF-8.

#include <string>

#include "absl/strings/ascii.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace confusables {
namespace {

bool IsPypiSeparator(char c) { return c == '-' || c == '_' || c == '.'; }

}  // namespace

std::string PypiNormalize(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_run = false;
  for (char c : s) {
    if (IsPypiSeparator(c)) {
      if (!in_run) out.push_back('-');
      in_run = true;
    } else {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      in_run = false;
    }
  }
  return out;
}

std::string PypiUltranormalize(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsPypiSeparator(c)) continue;
    char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (lower == 'o') {
      lower = '0';
    } else if (lower == 'l' || lower == 'i') {
      lower = '1';
    }
    out.push_back(lower);
  }
  return out;
}

}  // namespace confusables
}  // namespace squatguard
