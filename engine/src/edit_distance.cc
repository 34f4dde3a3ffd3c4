#include "edit_distance.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string_view>

namespace squatguard {
namespace internal {

namespace {

template <typename Text>
int BoundedOsa(Text a, Text b, int k);

bool IsAscii(absl::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::u32string CodePointsOf(absl::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    char32_t cp = len == 1 ? b : b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

}  // namespace

int BoundedOsaDistance(absl::string_view a, absl::string_view b, int k) {
  if (IsAscii(a) && IsAscii(b)) return BoundedOsa(a, b, k);
  const std::u32string ua = CodePointsOf(a), ub = CodePointsOf(b);
  return BoundedOsa(std::u32string_view(ua), std::u32string_view(ub), k);
}

namespace {

template <typename Text>
int BoundedOsa(Text a, Text b, int k) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > k) return k + 1;
  if (k == 0) return a == b ? 0 : 1;
  // Trim the common prefix and suffix: registry look-alikes share most of
  // their text, so this usually leaves a few characters.
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  a.remove_prefix(pre);
  b.remove_prefix(pre);
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  const int rn = static_cast<int>(a.size());
  const int rm = static_cast<int>(b.size());
  if (rn == 0 || rm == 0) return std::max(rn, rm) <= k ? std::max(rn, rm) : k + 1;
  // Banded DP over three rows; cells outside |i-j| <= k are "infinite".
  const int big = k + 1;
  constexpr int kMaxStack = 256;
  int stack_rows[3][kMaxStack + 1];
  std::vector<int> heap;
  int* rows[3];
  if (rm <= kMaxStack) {
    for (int r = 0; r < 3; ++r) rows[r] = stack_rows[r];
  } else {
    heap.assign(3 * (rm + 1), big);
    for (int r = 0; r < 3; ++r) rows[r] = heap.data() + r * (rm + 1);
  }
  int* prev2 = rows[0];
  int* prev = rows[1];
  int* cur = rows[2];
  for (int j = 0; j <= rm; ++j) prev[j] = j <= k ? j : big;
  for (int i = 1; i <= rn; ++i) {
    const int lo = std::max(1, i - k);
    const int hi = std::min(rm, i + k);
    cur[0] = i <= k ? i : big;
    if (lo > 1) cur[lo - 1] = big;
    int row_min = cur[0];
    for (int j = lo; j <= hi; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = prev[j - 1] + cost;
      v = std::min(v, prev[j] + 1);      // prev[hi_prev + 1] was set to big
      v = std::min(v, cur[j - 1] + 1);   // cur[lo - 1] was set to big
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = std::min(v, big);
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < rm) cur[hi + 1] = big;
    if (row_min > k) return k + 1;
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return std::min(prev[rm], big);
}

}  // namespace

int OsaDistance(absl::string_view a, absl::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::vector<EditStep> OsaEditPath(const std::u32string& a, const std::u32string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<int> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> int& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) at(0, j) = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, at(i - 2, j - 2) + 1);
      }
      at(i, j) = v;
    }
  }
  std::vector<EditStep> path;
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    const int here = at(i, j);
    if (i > 0 && j > 0 && a[i - 1] == b[j - 1] && at(i - 1, j - 1) == here) {
      --i, --j;
      continue;
    }
    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
        at(i - 2, j - 2) + 1 == here) {
      path.push_back({EditOp::kTranspose, i - 2, j - 2});
      i -= 2, j -= 2;
      continue;
    }
    if (i > 0 && j > 0 && at(i - 1, j - 1) + 1 == here) {
      path.push_back({EditOp::kSubstitute, i - 1, j - 1});
      --i, --j;
      continue;
    }
    if (i > 0 && at(i - 1, j) + 1 == here) {
      path.push_back({EditOp::kDelete, i - 1, j});
      --i;
      continue;
    }
    path.push_back({EditOp::kInsert, i, j - 1});
    --j;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace internal
}  // namespace squatguard
