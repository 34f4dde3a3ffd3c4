// UTF-8 decoding and validation for untrusted names.
//
// Strict RFC 3629: overlong encodings, surrogates (CESU-8) and code points
// above U+10FFFF are invalid. Errors name the byte offset.
#ifndef SQUATGUARD_CONFUSABLES_UTF8_H_
#define SQUATGUARD_CONFUSABLES_UTF8_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace squatguard {
namespace confusables {

// OK, or InvalidArgument "invalid UTF-8 at byte N (<reason>)".
absl::Status ValidateUtf8(absl::string_view s);

// Decodes valid UTF-8 (call ValidateUtf8 first) into code points.
std::vector<char32_t> DecodeUtf8(absl::string_view s);

// Appends the UTF-8 encoding of one code point.
void AppendUtf8(char32_t code_point, std::string* out);

// Returns s with every byte sequence that is not valid UTF-8 replaced by
// "\xNN" escapes, so the result is always valid UTF-8 and nothing is dropped.
std::string EscapeInvalidUtf8(absl::string_view s);

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_UTF8_H_
