// UTF-16 plumbing for ICU's C API: converting to and from UTF-8 and calling
// ICU functions that write into a caller-sized buffer.
#ifndef SQUATGUARD_CONFUSABLES_UTF16_H_
#define SQUATGUARD_CONFUSABLES_UTF16_H_

#include <unicode/utypes.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace squatguard {
namespace confusables {

// Appends one code point (a valid scalar value) as UTF-16.
void AppendUtf16(char32_t code_point, std::u16string* out);

// Replaces *out with the UTF-8 form of s. When skip is not 0, that code point
// is left out (the pipeline uses this to drop the breaks it inserted itself).
void AssignUtf8FromUtf16(const std::u16string& s, char32_t skip,
                         std::string* out);

// An Internal error naming the failed ICU call and its UErrorCode.
absl::Status IcuError(const char* what, UErrorCode status);

// Calls fn(dest, capacity, &status), an ICU function in the usual
// preflighting style, growing *out until the result fits. *out holds exactly
// the result afterwards. `what` names the call in the error.
template <typename Fn>
absl::Status CallIcuIntoBuffer(const char* what, size_t size_guess, Fn fn,
                               std::u16string* out) {
  if (out->size() < size_guess) out->resize(size_guess);
  if (out->empty()) out->resize(1);  // ICU rejects a null destination
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = fn(out->data(), static_cast<int32_t>(out->size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    out->resize(static_cast<size_t>(length));
    length = fn(out->data(), length, &status);
  }
  if (U_FAILURE(status)) {
    out->clear();
    return IcuError(what, status);
  }
  out->resize(static_cast<size_t>(length));
  return absl::OkStatus();
}

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_UTF16_H_
