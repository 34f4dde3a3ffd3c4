// UTF-16 <-> UTF-8 conversion for the ICU pipeline.

#include "confusables/utf16.h"

#include <unicode/utf16.h>

#include "absl/strings/str_format.h"
#include "confusables/utf8.h"

namespace squatguard {
namespace confusables {

void AppendUtf16(char32_t cp, std::u16string* out) {
  if (cp < 0x10000) {
    out->push_back(static_cast<char16_t>(cp));
  } else {
    out->push_back(static_cast<char16_t>(U16_LEAD(cp)));
    out->push_back(static_cast<char16_t>(U16_TRAIL(cp)));
  }
}

void AssignUtf8FromUtf16(const std::u16string& s, char32_t skip,
                         std::string* out) {
  out->clear();
  out->reserve(s.size() + s.size() / 2);
  const int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U16_NEXT(s.data(), i, length, c);
    if (skip != 0 && static_cast<char32_t>(c) == skip) continue;
    // AppendUtf8 turns a lone surrogate (never produced from valid input) into
    // U+FFFD, so the result is always valid UTF-8.
    AppendUtf8(static_cast<char32_t>(c), out);
  }
}

absl::Status IcuError(const char* what, UErrorCode status) {
  return absl::InternalError(
      absl::StrFormat("ICU %s failed: %s", what, u_errorName(status)));
}

}  // namespace confusables
}  // namespace squatguard
