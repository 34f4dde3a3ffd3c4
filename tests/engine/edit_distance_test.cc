// BoundedOsaDistance (the banded, early-exit hot path) against the plain
// full-matrix OsaDistance, and OsaDistance against textbook values and a
// second, independent reference written here. OsaEditPath must be an optimal
// alignment: as many operations as the distance, and replaying them turns
// one string into the other.
//
// Inputs: a small always-on set, exhaustive tiny strings, and thousands of
// real PyPI names (random pairs, alphabetical neighbours, and names with
// random transpositions, insertions, deletions and substitutions applied).

#include "edit_distance.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/engine/corpus.h"

namespace squatguard {
namespace internal {
namespace {

using test::Random;

// Optimal string alignment distance straight from its definition, written
// independently of the engine's code.
template <typename S>
int TestOsa(const S& a, const S& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<int> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> int& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) {
    for (size_t j = 0; j <= m; ++j) {
      if (i == 0 || j == 0) {
        at(i, j) = static_cast<int>(i + j);
        continue;
      }
      int best = at(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1);
      best = std::min(best, at(i - 1, j) + 1);
      best = std::min(best, at(i, j - 1) + 1);
      if (i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, at(i - 2, j - 2) + 1);
      }
      at(i, j) = best;
    }
  }
  return at(n, m);
}

std::u32string U32(const std::string& ascii) { return std::u32string(ascii.begin(), ascii.end()); }

// Replays `path` on `from`; returns the result, or "" with *error set when
// the path is not a well-formed alignment (positions out of order, a
// "match" between different characters, a transposition of non-swapped
// characters).
std::u32string Replay(const std::u32string& from, const std::u32string& to,
                      const std::vector<EditStep>& path, std::string* error) {
  std::u32string out;
  size_t i = 0, j = 0;
  auto copy_matches_until = [&](size_t fi, size_t tj) {
    if (fi < i || tj < j || fi - i != tj - j) {
      *error = absl::StrCat("step positions (", fi, ",", tj, ") do not follow (", i, ",", j, ")");
      return false;
    }
    for (; i < fi; ++i, ++j) {
      if (i >= from.size() || j >= to.size() || from[i] != to[j]) {
        *error = absl::StrCat("unlisted difference at (", i, ",", j, ")");
        return false;
      }
      out.push_back(from[i]);
    }
    return true;
  };
  for (const EditStep& s : path) {
    if (!copy_matches_until(s.from_pos, s.to_pos)) return U"";
    switch (s.op) {
      case EditOp::kMatch:
        *error = "kMatch listed (matches are omitted)";
        return U"";
      case EditOp::kSubstitute:
        if (i >= from.size() || j >= to.size() || from[i] == to[j]) {
          *error = absl::StrCat("bad substitution at (", i, ",", j, ")");
          return U"";
        }
        out.push_back(to[j]);
        ++i, ++j;
        break;
      case EditOp::kInsert:
        if (j >= to.size()) {
          *error = "insert past the end";
          return U"";
        }
        out.push_back(to[j]);
        ++j;
        break;
      case EditOp::kDelete:
        if (i >= from.size()) {
          *error = "delete past the end";
          return U"";
        }
        ++i;
        break;
      case EditOp::kTranspose:
        if (i + 1 >= from.size() || j + 1 >= to.size() || from[i] != to[j + 1] || from[i + 1] != to[j]) {
          *error = absl::StrCat("bad transposition at (", i, ",", j, ")");
          return U"";
        }
        out.push_back(from[i + 1]);
        out.push_back(from[i]);
        i += 2, j += 2;
        break;
    }
  }
  if (!copy_matches_until(from.size(), to.size())) return U"";
  return out;
}

// Checks every promise on one pair; returns "" or what went wrong.
std::string CheckPair(const std::string& a, const std::string& b) {
  const int ref = OsaDistance(a, b);
  if (ref != OsaDistance(b, a)) return absl::StrCat("OsaDistance not symmetric: ", ref, " vs ", OsaDistance(b, a));
  for (int bound = 0; bound <= 3; ++bound) {
    const int got = BoundedOsaDistance(a, b, bound);
    const int want = std::min(ref, bound + 1);
    if (got != want) {
      return absl::StrCat("BoundedOsaDistance(bound ", bound, ") = ", got, ", reference ", ref,
                          " so expected ", want);
    }
  }
  const std::vector<EditStep> path = OsaEditPath(U32(a), U32(b));
  if (static_cast<int>(path.size()) != ref) {
    return absl::StrCat("OsaEditPath has ", path.size(), " steps, distance is ", ref);
  }
  std::string error;
  const std::u32string replayed = Replay(U32(a), U32(b), path, &error);
  if (!error.empty()) return absl::StrCat("OsaEditPath: ", error);
  if (replayed != U32(b)) return "OsaEditPath does not turn the first string into the second";
  return "";
}

#define EXPECT_PAIR_OK(a, b) EXPECT_EQ(CheckPair(a, b), "") << "'" << (a) << "' vs '" << (b) << "'"

TEST(OsaDistanceTest, TextbookValues) {
  EXPECT_EQ(OsaDistance("", ""), 0);
  EXPECT_EQ(OsaDistance("abc", ""), 3);
  EXPECT_EQ(OsaDistance("", "abc"), 3);
  EXPECT_EQ(OsaDistance("requests", "requests"), 0);
  EXPECT_EQ(OsaDistance("kitten", "sitting"), 3);
  EXPECT_EQ(OsaDistance("ab", "ba"), 1);
  EXPECT_EQ(OsaDistance("requests", "reqeusts"), 1);   // transposition
  EXPECT_EQ(OsaDistance("requests", "requestss"), 1);  // insertion
  EXPECT_EQ(OsaDistance("requests", "requets"), 1);    // deletion
  EXPECT_EQ(OsaDistance("requests", "requezts"), 1);   // substitution
  // OSA edits no substring twice: "ca" -> "abc" costs 3 (true
  // Damerau-Levenshtein would say 2).
  EXPECT_EQ(OsaDistance("ca", "abc"), 3);
  EXPECT_EQ(OsaDistance("abcd", "badc"), 2);
  EXPECT_EQ(OsaDistance("numpy", "nupmy"), 1);
  EXPECT_EQ(OsaDistance("django", "djnago"), 1);
}

TEST(BoundedOsaDistanceTest, AlwaysOnPairs) {
  const std::pair<const char*, const char*> pairs[] = {
      {"", ""},           {"a", ""},          {"", "ab"},           {"ab", "ba"},
      {"ca", "abc"},      {"abc", "ca"},      {"kitten", "sitting"}, {"requests", "reqeusts"},
      {"requests", "requestss"}, {"requests", "python-requests"}, {"numpy", "nunpy"},
      {"flask", "task"},  {"xai", "xbi"},      {"aaaa", "aaa"},      {"abab", "baba"},
      {"metallama", "metailama"}, {"tensorflow", "tensorflwo"}, {"a", "b"},
      {"abcdef", "badcfe"}, {"abcdefgh", "hgfedcba"}, {"zope.interface", "zope_interface"},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_PAIR_OK(std::string(a), std::string(b));
  }
}

TEST(BoundedOsaDistanceTest, ExhaustiveOverTinyStrings) {
  // Every string of length 0..5 over {a, b, c}: 364 strings, 132,496 pairs.
  std::vector<std::string> strings = {""};
  for (size_t begin = 0, len = 1; len <= 5; ++len) {
    const size_t end = strings.size();
    for (size_t i = begin; i < end; ++i) {
      for (char c : {'a', 'b', 'c'}) strings.push_back(strings[i] + c);
    }
    begin = end;
  }
  ASSERT_EQ(strings.size(), 364u);
  int failures = 0;
  for (const std::string& a : strings) {
    for (const std::string& b : strings) {
      const int ref = OsaDistance(a, b);
      int bad = ref != TestOsa(a, b) ? 1 : 0;
      for (int bound = 0; bound <= 3 && !bad; ++bound) {
        bad = BoundedOsaDistance(a, b, bound) != std::min(ref, bound + 1);
      }
      if (bad && ++failures <= 10) {
        ADD_FAILURE() << "'" << a << "' vs '" << b << "': " << CheckPair(a, b) << " (test reference "
                      << TestOsa(a, b) << ")";
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(BoundedOsaDistanceTest, LongStringsUseTheSameResult) {
  // Longer than the 256-byte stack rows: the heap path.
  std::string a, b;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&a, "segment", i, "-");
  b = a;
  std::swap(b[100], b[101]);
  b[200] = 'Z';
  b.insert(b.begin() + 280, 'q');
  ASSERT_GT(a.size(), 256u);
  EXPECT_PAIR_OK(a, b);
  EXPECT_EQ(OsaDistance(a, b), 3);
  EXPECT_EQ(BoundedOsaDistance(a, b, 3), 3);
  EXPECT_EQ(BoundedOsaDistance(a, b, 2), 3);
  const std::string c = a + std::string(300, 'x');
  EXPECT_EQ(BoundedOsaDistance(a, c, 3), 4);
}

TEST(OsaEditPathTest, CodePointsNotBytes) {
  // Cyrillic e (U+0435) for Latin e: one substitution of one code point.
  const std::u32string from = U"m\u0435ta-llama", to = U"meta-llama";
  const std::vector<EditStep> path = OsaEditPath(from, to);
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(path[0].op, EditOp::kSubstitute);
  EXPECT_EQ(path[0].from_pos, 1u);
  EXPECT_EQ(path[0].to_pos, 1u);

  const std::vector<EditStep> swap = OsaEditPath(U"reqeusts", U"requests");
  ASSERT_EQ(swap.size(), 1u);
  EXPECT_EQ(swap[0].op, EditOp::kTranspose);
  EXPECT_EQ(swap[0].from_pos, 3u);

  // "Read as candidate -> target": the candidate lacking a character is an
  // insert (it omits it), an extra character a delete.
  const std::vector<EditStep> omit = OsaEditPath(U"reqests", U"requests");
  ASSERT_EQ(omit.size(), 1u);
  EXPECT_EQ(omit[0].op, EditOp::kInsert);
  EXPECT_EQ(omit[0].to_pos, 3u);
  const std::vector<EditStep> extra = OsaEditPath(U"requestsx", U"requests");
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_EQ(extra[0].op, EditOp::kDelete);
  EXPECT_EQ(extra[0].from_pos, 8u);
}

TEST(OsaEditPathTest, RandomUnicodeStringsReplayCorrectly) {
  const char32_t alphabet[] = {U'a', U'b', U'l', U'I', U'\u0435', U'\u0430', U'\u200b', U'\U0001D41A'};
  Random rng(7);
  int failures = 0;
  for (int n = 0; n < 3000; ++n) {
    std::u32string a, b;
    for (size_t len = rng.Below(9); a.size() < len;) a.push_back(alphabet[rng.Below(8)]);
    for (size_t len = rng.Below(9); b.size() < len;) b.push_back(alphabet[rng.Below(8)]);
    const std::vector<EditStep> path = OsaEditPath(a, b);
    std::string error;
    const std::u32string replayed = Replay(a, b, path, &error);
    const int distance = TestOsa(a, b);
    if ((static_cast<int>(path.size()) != distance || !error.empty() || replayed != b) && ++failures <= 10) {
      ADD_FAILURE() << "pair " << n << ": " << path.size() << " steps, distance " << distance << " " << error;
    }
  }
  EXPECT_EQ(failures, 0);
}

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

TEST(BoundedOsaDistanceTest, CountsCodePointsInNonAsciiText) {
  // An accented or non-Latin letter is one character: one edit, as users
  // and the length limits count it.
  EXPECT_EQ(BoundedOsaDistance("n\xC3\xBCmpy", "numpy", 2), 1);         // ü for u
  EXPECT_EQ(BoundedOsaDistance("requ\xC3\xA9sts", "requests", 1), 1);   // é for e
  EXPECT_EQ(BoundedOsaDistance("g\xD0\xBE\xD0\xBEgle", "google", 3), 2);  // two Cyrillic o
  EXPECT_EQ(BoundedOsaDistance("\xF0\x9D\x90\x9A" "a", "a\xF0\x9D\x90\x9A", 1), 1);  // 4-byte letter swapped
  EXPECT_EQ(BoundedOsaDistance("nmpy", "n\xC3\xBCmpy", 1), 1);          // omitted letter
}

TEST(BoundedOsaDistanceTest, RandomNonAsciiStringsAgainstCodePointReference) {
  const char32_t alphabet[] = {U'a', U'b', U'l', U'-', U'\u00fc', U'\u0435', U'\u4e2d', U'\U0001D41A'};
  Random rng(11);
  int failures = 0;
  for (int n = 0; n < 20000; ++n) {
    std::u32string a;
    for (size_t len = rng.Below(10); a.size() < len;) a.push_back(alphabet[rng.Below(8)]);
    std::u32string b = a;
    for (size_t e = rng.Below(4); e > 0 && !b.empty(); --e) {
      const size_t p = rng.Below(b.size());
      switch (rng.Below(4)) {
        case 0: b.erase(p, 1); break;
        case 1: b.insert(p, 1, alphabet[rng.Below(8)]); break;
        case 2: b[p] = alphabet[rng.Below(8)]; break;
        default: if (p + 1 < b.size()) std::swap(b[p], b[p + 1]); break;
      }
    }
    if (rng.OneIn(4)) {  // unrelated strings too
      b.clear();
      for (size_t len = rng.Below(10); b.size() < len;) b.push_back(alphabet[rng.Below(8)]);
    }
    const int ref = TestOsa(a, b);
    for (int bound = 0; bound <= 3; ++bound) {
      const int got = BoundedOsaDistance(Utf8(a), Utf8(b), bound);
      if (got != std::min(ref, bound + 1) && ++failures <= 10) {
        ADD_FAILURE() << "'" << Utf8(a) << "' vs '" << Utf8(b) << "' bound " << bound << ": " << got
                      << ", code-point distance " << ref;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// --- Real names ------------------------------------------------------------

// One random edit of a kind chosen by `kind` (0 transposition, 1 insertion,
// 2 deletion, 3 substitution), using characters that occur in names.
std::string ApplyEdit(std::string s, int kind, Random& rng) {
  static const std::string kChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
  switch (kind) {
    case 0:
      if (s.size() >= 2) {
        const size_t i = rng.Below(s.size() - 1);
        std::swap(s[i], s[i + 1]);
      }
      break;
    case 1:
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng.Below(s.size() + 1)), kChars[rng.Below(kChars.size())]);
      break;
    case 2:
      if (!s.empty()) s.erase(s.begin() + static_cast<std::ptrdiff_t>(rng.Below(s.size())));
      break;
    default:
      if (!s.empty()) s[rng.Below(s.size())] = kChars[rng.Below(kChars.size())];
      break;
  }
  return s;
}

class CorpusPairsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::SharedCorporaDir().empty()) {
      GTEST_SKIP() << "shared corpora not found under " << SQUATGUARD_SHARED_DIR;
    }
    for (const test::RankedName& r : test::PypiNames()) names_.push_back(r.name);
    ASSERT_GT(names_.size(), 800000u) << "pypi-names.tsv read wrongly";
  }

  // Runs CheckPair on each pair; reports at most 10 failures.
  void CheckAll(const std::vector<std::pair<std::string, std::string>>& pairs, int min_close) {
    int failures = 0, close = 0;
    for (const auto& [a, b] : pairs) {
      const std::string problem = CheckPair(a, b);
      if (!problem.empty() && ++failures <= 10) ADD_FAILURE() << "'" << a << "' vs '" << b << "': " << problem;
      close += OsaDistance(a, b) <= 3;
    }
    EXPECT_EQ(failures, 0) << "of " << pairs.size() << " pairs";
    // The sample must exercise the interesting range, not only far pairs.
    EXPECT_GE(close, min_close);
  }

  std::vector<std::string> names_;
};

TEST_F(CorpusPairsTest, RandomPairsOfPypiNames) {
  Random rng(20261125);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 4000; ++i) {
    pairs.emplace_back(names_[rng.Below(names_.size())], names_[rng.Below(names_.size())]);
  }
  CheckAll(pairs, 0);
}

TEST_F(CorpusPairsTest, AlphabeticalNeighbours) {
  // Neighbours in sorted order share prefixes and often differ by a suffix
  // or a digit: close pairs from real data.
  std::vector<std::string> sorted = names_;
  std::sort(sorted.begin(), sorted.end());
  Random rng(42);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 4000; ++i) {
    const size_t k = rng.Below(sorted.size() - 3);
    pairs.emplace_back(sorted[k], sorted[k + 1 + rng.Below(3)]);
  }
  CheckAll(pairs, 400);
}

TEST_F(CorpusPairsTest, NamesWithRandomEdits) {
  Random rng(1);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 8000; ++i) {
    const std::string& name = names_[rng.Below(names_.size())];
    std::string edited = name;
    const int edits = 1 + static_cast<int>(rng.Below(4));
    for (int e = 0; e < edits; ++e) edited = ApplyEdit(std::move(edited), static_cast<int>(rng.Below(4)), rng);
    pairs.emplace_back(name, edited);
  }
  CheckAll(pairs, 6000);
}

TEST_F(CorpusPairsTest, EachEditKindAloneIsDistanceOne) {
  Random rng(3);
  for (int kind = 0; kind < 4; ++kind) {
    int checked = 0;
    for (int i = 0; i < 500; ++i) {
      const std::string& name = names_[rng.Below(names_.size())];
      const std::string edited = ApplyEdit(name, kind, rng);
      if (edited == name) continue;  // swapped equal letters, same substitute
      ++checked;
      EXPECT_EQ(OsaDistance(name, edited), 1) << "edit kind " << kind << ": '" << name << "' -> '" << edited << "'";
      EXPECT_EQ(BoundedOsaDistance(name, edited, 1), 1) << "'" << name << "' -> '" << edited << "'";
      EXPECT_EQ(BoundedOsaDistance(name, edited, 0), 1) << "'" << name << "' -> '" << edited << "'";
    }
    EXPECT_GT(checked, 300);
  }
}

}  // namespace
}  // namespace internal
}  // namespace squatguard
