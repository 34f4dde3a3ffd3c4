#include "keyboard.h"

#include <cstdlib>

namespace squatguard {
namespace internal {
namespace {

constexpr const char* kRows[] = {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
// Each row sits about half a key to the right of the one above.
constexpr double kRowOffset[] = {0.0, 0.5, 0.75, 1.25};

bool Locate(char32_t c, int* row, double* col) {
  if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  for (int r = 0; r < 4; ++r) {
    for (int i = 0; kRows[r][i] != '\0'; ++i) {
      if (static_cast<char32_t>(kRows[r][i]) == c) {
        *row = r;
        *col = i + kRowOffset[r];
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool KeyboardAdjacent(char32_t a, char32_t b) {
  int ra, rb;
  double ca, cb;
  if (a == b || !Locate(a, &ra, &ca) || !Locate(b, &rb, &cb)) return false;
  if (ra == rb) return std::abs(ca - cb) < 1.01;
  return std::abs(ra - rb) == 1 && std::abs(ca - cb) < 1.01;
}

}  // namespace internal
}  // namespace squatguard
