#include "tests/engine/reference.h"

#include <algorithm>
#include <cstdlib>

#include "confusables/utf8.h"
#include "name_index.h"

namespace squatguard {
namespace test {

namespace {

template <typename S>
int Osa(const S& a, const S& b) {
  const size_t n = a.size(), m = b.size();
  thread_local std::vector<int> d;
  d.assign((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> int& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) at(0, j) = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int best = at(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1);
      best = std::min({best, at(i - 1, j) + 1, at(i, j - 1) + 1});
      if (i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, at(i - 2, j - 2) + 1);
      }
      at(i, j) = best;
    }
  }
  return at(n, m);
}

}  // namespace

int ReferenceOsa(absl::string_view a, absl::string_view b) { return Osa(a, b); }
int ReferenceOsa(const std::u32string& a, const std::u32string& b) { return Osa(a, b); }

std::u32string CodePoints(absl::string_view utf8) {
  const std::vector<char32_t> cps = confusables::DecodeUtf8(utf8);
  return std::u32string(cps.begin(), cps.end());
}

Histogram::Histogram(const std::u32string& s) {
  for (char32_t c : s) {
    uint8_t& slot = counts[c & 31];
    if (slot < 255) ++slot;
  }
}

Histogram::Histogram(absl::string_view s) {
  for (char c : s) {
    uint8_t& slot = counts[static_cast<unsigned char>(c) & 31];
    if (slot < 255) ++slot;
  }
}

int Histogram::LowerBound(const Histogram& other) const {
  int l1 = 0;
  for (size_t i = 0; i < counts.size(); ++i) l1 += std::abs(int{counts[i]} - int{other.counts[i]});
  return (l1 + 1) / 2;
}

size_t CodePointCount(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::vector<IndexedForms> NormalizeAll(const std::vector<std::string>& names) {
  std::vector<IndexedForms> out;
  out.reserve(names.size());
  const confusables::Normalizer& normalizer = confusables::Normalizer::Default();
  for (const std::string& name : names) {
    absl::StatusOr<confusables::NameForms> forms = normalizer.Normalize(name);
    if (!forms.ok()) continue;
    IndexedForms f;
    f.name = name;
    f.max_edits = internal::DefaultMaxEdits(CodePointCount(forms->casefold_flat), 9);
    f.forms = std::move(*forms);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace test
}  // namespace squatguard
