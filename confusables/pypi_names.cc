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

// Both write through a pointer into a string sized once: the engine calls
// them for every name of a registry sweep.
std::string PypiNormalize(absl::string_view s) {
  std::string out(s.size(), '\0');
  char* const begin = out.empty() ? nullptr : &out[0];
  char* w = begin;
  bool in_run = false;
  for (char c : s) {
    if (IsPypiSeparator(c)) {
      if (!in_run) *w++ = '-';
      in_run = true;
    } else {
      *w++ = absl::ascii_tolower(static_cast<unsigned char>(c));
      in_run = false;
    }
  }
  out.resize(static_cast<size_t>(w - begin));
  return out;
}

std::string PypiUltranormalize(absl::string_view s) {
  std::string out(s.size(), '\0');
  char* const begin = out.empty() ? nullptr : &out[0];
  char* w = begin;
  for (char c : s) {
    if (IsPypiSeparator(c)) continue;
    char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (lower == 'o') {
      lower = '0';
    } else if (lower == 'l' || lower == 'i') {
      lower = '1';
    }
    *w++ = lower;
  }
  out.resize(static_cast<size_t>(w - begin));
  return out;
}

}  // namespace confusables
}  // namespace squatguard
