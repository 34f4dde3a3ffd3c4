// The symmetric-delete index must never miss: for every protected key within
// the edit limit of a query, Candidates() returns its id. Checked by brute
// force on real PyPI names; plus the variant-hash basics it rests on.

#include "deletion_index.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/corpus.h"
#include "tests/engine/reference.h"

namespace squatguard {
namespace internal {
namespace {

std::vector<uint64_t> Variants(absl::string_view key, int max_edits) {
  std::vector<uint64_t> out;
  DeletionVariantHashes(key, max_edits, &out);
  return out;
}

bool Shares(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  for (uint64_t h : a) {
    if (std::binary_search(b.begin(), b.end(), h)) return true;
  }
  return false;
}

TEST(DeletionVariantHashesTest, CountsDistinctVariants) {
  EXPECT_EQ(Variants("abc", 0).size(), 1u);
  EXPECT_EQ(Variants("", 2).size(), 1u);          // "" only
  EXPECT_EQ(Variants("abc", 1).size(), 4u);       // abc bc ac ab
  EXPECT_EQ(Variants("aab", 1).size(), 3u);       // aab ab aa
  EXPECT_EQ(Variants("abcd", 2).size(), 11u);     // 1 + 4 + 6
  EXPECT_EQ(Variants("aaaa", 2).size(), 3u);      // aaaa aaa aa
  EXPECT_EQ(Variants("abab", 2).size(), 9u);  // abab; bab aab abb aba; ab bb ba aa
  EXPECT_EQ(Variants("a", 2).size(), 2u);         // a ""
}

TEST(DeletionVariantHashesTest, AnAccentedLetterIsDeletedWhole) {
  // Keys are compared by code point: deleting ü from nümpy gives nmpy, and
  // no variant is a broken half of a UTF-8 sequence.
  const std::vector<uint64_t> v = Variants("n\xC3\xBCmpy", 1);
  EXPECT_EQ(v.size(), 6u);  // nümpy; ümpy nmpy nüpy nümy nümp
  EXPECT_TRUE(std::binary_search(v.begin(), v.end(), Variants("nmpy", 0)[0]));
  EXPECT_TRUE(Shares(Variants("n\xC3\xBCmpy", 1), Variants("numpy", 1)));
}

TEST(DeletionVariantHashesTest, SortedDistinctAndAppended) {
  std::vector<uint64_t> out = {42};
  DeletionVariantHashes("requests", 2, &out);
  ASSERT_GT(out.size(), 1u);
  EXPECT_EQ(out[0], 42u) << "existing contents must be kept";
  std::vector<uint64_t> added(out.begin() + 1, out.end());
  EXPECT_TRUE(std::is_sorted(added.begin(), added.end()));
  EXPECT_EQ(std::adjacent_find(added.begin(), added.end()), added.end()) << "duplicates";
  EXPECT_EQ(added, Variants("requests", 2));
}

TEST(DeletionVariantHashesTest, VariantsAreTheDeletedStrings) {
  // "requests" minus one byte hashes like that string itself.
  const std::vector<uint64_t> v1 = Variants("requests", 1);
  for (const char* deleted : {"equests", "rquests", "reqests", "requets", "request"}) {
    EXPECT_TRUE(std::binary_search(v1.begin(), v1.end(), Variants(deleted, 0)[0])) << deleted;
  }
  const std::vector<uint64_t> v2 = Variants("requests", 2);
  for (const char* deleted : {"quests", "rqests", "requet", "reqests", "requests"}) {
    EXPECT_TRUE(std::binary_search(v2.begin(), v2.end(), Variants(deleted, 0)[0])) << deleted;
  }
  // Order and length matter.
  EXPECT_NE(Variants("ab", 0), Variants("ba", 0));
  EXPECT_NE(Variants("ab", 0), Variants("abb", 0));
  EXPECT_FALSE(Shares(Variants("numpy", 1), Variants("flask", 1)));
  // Within distance k, two keys share a variant of at most k deletions.
  EXPECT_TRUE(Shares(Variants("reqeusts", 1), Variants("requests", 1)));   // transposition
  EXPECT_TRUE(Shares(Variants("requestss", 1), Variants("requests", 1)));  // insertion
  EXPECT_TRUE(Shares(Variants("reqeustz", 2), Variants("requests", 2)));   // two edits
}

TEST(DeletionIndexTest, SmallIndex) {
  DeletionIndex index;
  index.Add(0, "requests", 2);
  index.Add(1, "numpy", 1);
  index.Add(2, "six", 0);
  index.Add(3, std::string(80, 'a'), 2);  // longer than kMaxKeyBytes: exact only
  index.Build();
  EXPECT_GT(index.variant_count(), 0u);
  EXPECT_GT(index.memory_bytes(), 0u);
  auto ids = [&](absl::string_view q, int k) {
    std::vector<uint32_t> out;
    index.Candidates(q, k, &out);
    return std::set<uint32_t>(out.begin(), out.end());
  };
  EXPECT_TRUE(ids("reqeusts", 2).count(0));
  EXPECT_TRUE(ids("reqeustz", 2).count(0));
  EXPECT_TRUE(ids("requests", 0).count(0));
  EXPECT_TRUE(ids("nunpy", 1).count(1));
  EXPECT_TRUE(ids("six", 2).count(2));
  EXPECT_FALSE(ids("sax", 2).count(2)) << "a key added with max_edits 0 has only itself";
  EXPECT_TRUE(ids(std::string(80, 'a'), 2).count(3));
}

TEST(DeletionIndexTest, EmptyIndexFindsNothing) {
  DeletionIndex index;
  index.Build();
  std::vector<uint32_t> out;
  index.Candidates("requests", 2, &out);
  EXPECT_TRUE(out.empty());
  DeletionIndex never_built;
  never_built.Candidates("requests", 2, &out);
  EXPECT_TRUE(out.empty());
}

// The 3,000 most popular PyPI names against 20,000 others and 5,000 edited
// copies of popular names: Candidates() must include every key within
// min(query limit, key limit).
TEST(DeletionIndexTest, NoMissesAgainstBruteForceOnPypiNames) {
  if (test::SharedCorporaDir().empty()) GTEST_SKIP() << "shared corpora not found";
  const std::vector<std::string> ranked = test::PypiNamesByRank();
  ASSERT_GE(ranked.size(), 10000u);
  const std::vector<std::string> protected_names(ranked.begin(), ranked.begin() + 3000);
  const std::vector<test::IndexedForms> targets = test::NormalizeAll(protected_names);
  ASSERT_GE(targets.size(), 2990u);

  DeletionIndex index;
  for (uint32_t i = 0; i < targets.size(); ++i) index.Add(i, targets[i].forms.folded_flat, targets[i].max_edits);
  index.Build();

  test::Random rng(99);
  std::vector<std::string> queries;
  const auto& all = test::PypiNames();
  for (size_t i : test::SampleIndices(rng, all.size(), 20000)) queries.push_back(all[i].name);
  for (int i = 0; i < 5000; ++i) {
    std::string q = targets[rng.Below(targets.size())].forms.folded_flat;
    if (q.size() < 2) continue;
    const size_t p = rng.Below(q.size() - 1);
    switch (rng.Below(3)) {
      case 0: std::swap(q[p], q[p + 1]); break;
      case 1: q.erase(p, 1); break;
      default: q.insert(p, 1, 'x'); break;
    }
    if (rng.OneIn(3)) q[rng.Below(q.size())] = 'z';
    queries.push_back(q);
  }
  std::vector<test::Histogram> target_hist;
  for (const auto& t : targets) target_hist.emplace_back(t.forms.folded_flat);

  size_t expected_pairs = 0, misses = 0;
  std::vector<uint32_t> found;
  for (const std::string& raw : queries) {
    absl::StatusOr<confusables::NameForms> forms = confusables::Normalizer::Default().Normalize(raw);
    if (!forms.ok()) continue;
    const std::string& q = forms->folded_flat;
    for (int k = 1; k <= 2; ++k) {
      found.clear();
      index.Candidates(q, k, &found);
      std::sort(found.begin(), found.end());
      const test::Histogram qh(q);
      for (uint32_t i = 0; i < targets.size(); ++i) {
        const std::string& t = targets[i].forms.folded_flat;
        const int limit = std::min(k, targets[i].max_edits);
        if (limit == 0 || q.size() > DeletionIndex::kMaxKeyBytes || t.size() > DeletionIndex::kMaxKeyBytes) continue;
        const size_t gap = q.size() > t.size() ? q.size() - t.size() : t.size() - q.size();
        if (static_cast<int>(gap) > limit || qh.LowerBound(target_hist[i]) > limit) continue;
        if (test::ReferenceOsa(q, t) > limit) continue;
        ++expected_pairs;
        if (!std::binary_search(found.begin(), found.end(), i) && ++misses <= 10) {
          ADD_FAILURE() << "query '" << q << "' (k=" << k << ") misses '" << t << "' (max_edits "
                        << targets[i].max_edits << ")";
        }
      }
    }
  }
  EXPECT_EQ(misses, 0u) << "of " << expected_pairs << " expected pairs";
  EXPECT_GT(expected_pairs, 4000u) << "the sample must contain many close pairs";
}

}  // namespace
}  // namespace internal
}  // namespace squatguard
