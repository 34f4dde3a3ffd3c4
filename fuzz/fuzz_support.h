// Small helpers shared by the libFuzzer harnesses in this folder.
//
// A harness states what must hold for every input with FUZZ_EXPECT: a
// violated property prints the property and aborts, which libFuzzer reports
// as a crash (and the replay driver as a failed ctest).
#ifndef SQUATGUARD_FUZZ_FUZZ_SUPPORT_H_
#define SQUATGUARD_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

#define FUZZ_EXPECT(condition, detail)                                        \
  do {                                                                        \
    if (!(condition)) {                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n  %s\n", __FILE__, \
                   __LINE__, #condition, std::string(detail).c_str());        \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

namespace squatguard {
namespace fuzzing {

inline absl::string_view AsText(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits at the first occurrence of `separator`: (before, after). Without
// one, everything is `before`.
inline std::pair<absl::string_view, absl::string_view> SplitOnce(
    absl::string_view text, absl::string_view separator) {
  size_t at = text.find(separator);
  if (at == absl::string_view::npos) return {text, absl::string_view()};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

// Text for messages: printable ASCII kept, everything else as \xNN.
inline std::string Printable(absl::string_view text, size_t max_bytes = 200) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

}  // namespace fuzzing
}  // namespace squatguard

#endif  // SQUATGUARD_FUZZ_FUZZ_SUPPORT_H_
