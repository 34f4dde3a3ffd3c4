// Strict RFC 3629 UTF-8 decoding shared by validation, decoding and escaping.

#include "confusables/utf8.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace squatguard {
namespace confusables {
namespace {

// One step of decoding: a code point and its length, or the reason the bytes at
// this position are not UTF-8 (then `length` is 1 so callers can
// resynchronize).
struct Step {
  char32_t code_point = 0;
  size_t length = 1;
  std::string error;  // empty when valid
};

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

Step DecodeOne(absl::string_view s, size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  const size_t avail = s.size() - pos;
  Step step;
  const unsigned char lead = p[0];
  if (lead < 0x80) {
    step.code_point = lead;
    return step;
  }
  size_t length;
  char32_t cp;
  char32_t min_for_length;  // smaller values are overlong encodings
  if (lead < 0xC0) {
    step.error = absl::StrFormat("stray continuation byte 0x%02X", lead);
    return step;
  } else if (lead < 0xE0) {
    length = 2, cp = lead & 0x1F, min_for_length = 0x80;
  } else if (lead < 0xF0) {
    length = 3, cp = lead & 0x0F, min_for_length = 0x800;
  } else if (lead < 0xF5) {
    length = 4, cp = lead & 0x07, min_for_length = 0x10000;
  } else {
    step.error = absl::StrFormat("byte 0x%02X never occurs in UTF-8", lead);
    return step;
  }
  for (size_t k = 1; k < length; ++k) {
    if (k >= avail) {
      step.error = "truncated sequence";
      return step;
    }
    if (!IsContinuation(p[k])) {
      step.error =
          absl::StrFormat("missing continuation byte at byte %d", pos + k);
      return step;
    }
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if (cp < min_for_length) {
    step.error = "overlong encoding";
  } else if (cp >= 0xD800 && cp <= 0xDFFF) {
    step.error = absl::StrFormat("surrogate U+%04X", static_cast<uint32_t>(cp));
  } else if (cp > 0x10FFFF) {
    step.error = "code point above U+10FFFF";
  } else {
    step.code_point = cp;
    step.length = length;
  }
  return step;
}

}  // namespace

absl::Status ValidateUtf8(absl::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // ASCII runs dominate registry names; skip them without the general
    // decoder.
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    Step step = DecodeOne(s, pos);
    if (!step.error.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("invalid UTF-8 at byte %d (%s)", pos, step.error));
    }
    pos += step.length;
  }
  return absl::OkStatus();
}

std::vector<char32_t> DecodeUtf8(absl::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    Step step = DecodeOne(s, pos);
    // Unvalidated input still decodes safely: each bad byte becomes U+FFFD.
    out.push_back(step.error.empty() ? step.code_point : U'\uFFFD');
    pos += step.length;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EscapeInvalidUtf8(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      out.push_back(s[pos++]);
      continue;
    }
    Step step = DecodeOne(s, pos);
    if (step.error.empty()) {
      out.append(s.data() + pos, step.length);
    } else {
      // One byte at a time, so the bytes after a bad lead are judged on their
      // own.
      out.append(
          absl::StrFormat("\\x%02X", static_cast<unsigned char>(s[pos])));
    }
    pos += step.length;
  }
  return out;
}

}  // namespace confusables
}  // namespace squatguard
