// NameIndex against brute force on real names: the 3,000 most popular PyPI
// names are protected, 20,000 other PyPI names (and edited or re-cased
// copies of popular names) are the queries. For each query the index must
// report exactly the protected names a full scan finds: OSA distance on
// forms.folded_flat within the length-aware limit of both the name and the
// query (FindWithinDistance), and an equal key (FindEqualKeys). Plus DefaultMaxEdits and the affix/reorder paths.

#include "name_index.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/engine/corpus.h"
#include "tests/engine/reference.h"

namespace squatguard {
namespace internal {
namespace {

using confusables::NameForms;
using confusables::Normalizer;

NameForms Forms(absl::string_view name) {
  absl::StatusOr<NameForms> f = Normalizer::Default().Normalize(name);
  EXPECT_TRUE(f.ok()) << name << ": " << f.status();
  return f.ok() ? *f : NameForms();
}

TEST(DefaultMaxEditsTest, LengthAwareLimits) {
  // Names of 4 or fewer characters only meet by equal skeletons.
  for (size_t len = 0; len <= 4; ++len) EXPECT_EQ(DefaultMaxEdits(len, 9), 0) << len;
  for (size_t len = 5; len <= 8; ++len) EXPECT_EQ(DefaultMaxEdits(len, 9), 1) << len;
  for (size_t len = 9; len <= 40; ++len) EXPECT_EQ(DefaultMaxEdits(len, 9), 2) << len;
  // min_len_for_distance_2 moves the second threshold, never the first.
  EXPECT_EQ(DefaultMaxEdits(5, 5), 2);
  EXPECT_EQ(DefaultMaxEdits(6, 12), 1);
  EXPECT_EQ(DefaultMaxEdits(12, 12), 2);
  EXPECT_EQ(DefaultMaxEdits(4, 1), 0);
}

// The deletion index builds variants from the first kPrefixUnits characters
// only. Two characters dropped early from a long name push two characters
// past the query's prefix, so the query needs its full deletion budget there
// (the shorter-query discount holds only for names within the prefix).
TEST(FindWithinDistanceTest, EditsInsideThePrefixOfLongNames) {
  ASSERT_LT(DeletionIndex::kPrefixUnits, std::string("tensorflowdatasets").size());
  NameIndex index;
  for (const char* name : {"tensorflow-datasets", "sentencepiece-tokenizers"}) {
    index.Add(index.names().size(), name, Forms(name), 2);
  }
  index.Build();
  const char* const kQueries[][2] = {
      {"tesorlow-datasets", "tensorflow-datasets"},         // two deletions in the prefix
      {"tensorflow-datasetsxy", "tensorflow-datasets"},     // two insertions past it
      {"tennsorflow-datasets", "tensorflow-datasets"},      // insertion in it
      {"setencepece-tokenizers", "sentencepiece-tokenizers"},
      {"sentencepiece-tokenizer", "sentencepiece-tokenizers"},
  };
  for (const auto& [query, want] : kQueries) {
    std::vector<Hit> hits;
    index.FindWithinDistance(Forms(query), &hits);
    bool found = false;
    for (const Hit& h : hits) found = found || index.names()[h.name].shown == want;
    EXPECT_TRUE(found) << query << " should meet " << want;
  }
}

TEST(SplitWordsTest, SplitsAtSeparators) {
  EXPECT_EQ(absl::StrJoin(SplitWords("meta-llama/llama_3.1 x"), "|"), "meta|llama|llama|3|1|x");
  EXPECT_EQ(absl::StrJoin(SplitWords("--a--"), "|"), "a");
  EXPECT_TRUE(SplitWords("").empty());
}

class PypiIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (test::SharedCorporaDir().empty()) return;
    const std::vector<std::string> ranked = test::PypiNamesByRank();
    if (ranked.size() < 3000) return;
    targets_ = new std::vector<test::IndexedForms>(
        test::NormalizeAll(std::vector<std::string>(ranked.begin(), ranked.begin() + 3000)));
    index_ = new NameIndex(/*pypi_rules=*/true);
    for (uint32_t i = 0; i < targets_->size(); ++i) {
      const test::IndexedForms& t = (*targets_)[i];
      const uint32_t id = index_->Add(i, t.name, t.forms, t.max_edits);
      EXPECT_EQ(id, i);
    }
    index_->Build();

    // 20,000 other PyPI names, then look-alikes built from popular names.
    std::set<std::string> taken(ranked.begin(), ranked.begin() + 3000);
    queries_ = new std::vector<std::string>();
    test::Random rng(2026);
    const auto& all = test::PypiNames();
    for (size_t i : test::SampleIndices(rng, all.size(), 21000)) {
      if (queries_->size() < 20000 && !taken.count(all[i].name)) queries_->push_back(all[i].name);
    }
    // Look-alikes, including accented letters (one character, two bytes).
    const char* const kLookAlike[][2] = {{"l", "I"},          {"o", "0"},          {"-", "_"},         {"m", "rn"},
                                         {"e", "\xD0\xB5"}, {"u", "\xC3\xBC"}, {"a", "\xC3\xA1"}};
    for (int i = 0; i < 6000; ++i) {
      std::string q = (*targets_)[rng.Below(targets_->size())].name;
      if (q.size() < 3) continue;
      const size_t p = rng.Below(q.size() - 1);
      switch (rng.Below(6)) {
        case 0: std::swap(q[p], q[p + 1]); break;
        case 1: q.erase(p, 1); break;
        case 2: q.insert(p, 1, q[p]); break;
        case 3: q[p] = static_cast<char>(std::toupper(static_cast<unsigned char>(q[p]))); break;
        case 4: q.insert(p, "-"); break;
        default: {
          const auto& swap = kLookAlike[rng.Below(7)];
          const size_t at = q.find(swap[0]);
          if (at != std::string::npos) q.replace(at, std::char_traits<char>::length(swap[0]), swap[1]);
          break;
        }
      }
      if (rng.OneIn(4) && q.size() > 3) q.erase(rng.Below(q.size()), 1);
      queries_->push_back(q);
    }
  }
  static void TearDownTestSuite() {
    delete targets_;
    delete index_;
    delete queries_;
    targets_ = nullptr;
    index_ = nullptr;
    queries_ = nullptr;
  }
  void SetUp() override {
    if (targets_ == nullptr) GTEST_SKIP() << "shared corpora not found under " << SQUATGUARD_SHARED_DIR;
    ASSERT_GE(targets_->size(), 2990u);
    ASSERT_GE(queries_->size(), 24000u);
  }

  static std::vector<test::IndexedForms>* targets_;
  static NameIndex* index_;
  static std::vector<std::string>* queries_;
};

std::vector<test::IndexedForms>* PypiIndexTest::targets_ = nullptr;
NameIndex* PypiIndexTest::index_ = nullptr;
std::vector<std::string>* PypiIndexTest::queries_ = nullptr;

TEST_F(PypiIndexTest, IndexedNamesKeepTheirForms) {
  ASSERT_EQ(index_->names().size(), targets_->size());
  for (size_t i = 0; i < targets_->size(); ++i) {
    const IndexedName& n = index_->names()[i];
    const test::IndexedForms& t = (*targets_)[i];
    EXPECT_EQ(n.entry, i);
    EXPECT_EQ(n.shown, t.name);
    EXPECT_EQ(n.folded_flat, t.forms.folded_flat);
    EXPECT_EQ(n.max_edits, t.max_edits);
  }
}

// Compares FindWithinDistance with a full scan for the queries whose
// folded key is (`ascii`) or is not pure ASCII; returns the number of pairs.
size_t CompareWithinDistance(const NameIndex& index, const std::vector<test::IndexedForms>& targets,
                             const std::vector<std::string>& queries, bool ascii) {
  // Distances count code points (README: "1 edit below 9 characters").
  std::vector<std::u32string> keys;
  std::vector<test::Histogram> hist;
  for (const auto& t : targets) {
    keys.push_back(test::CodePoints(t.forms.folded_flat));
    hist.emplace_back(keys.back());
  }
  size_t expected_pairs = 0, wrong_queries = 0;
  std::vector<Hit> hits;
  for (const std::string& raw : queries) {
    absl::StatusOr<NameForms> forms = Normalizer::Default().Normalize(raw);
    if (!forms.ok()) continue;
    const std::string& q = forms->folded_flat;
    if (ascii != std::all_of(q.begin(), q.end(), [](char c) { return (c & 0x80) == 0; })) continue;
    const std::u32string q32 = test::CodePoints(q);
    const test::Histogram qh(q32);
    // The length rule holds on both sides (README "Scoring model"): a short
    // query meets nothing by distance, whatever the name's own limit.
    const int query_limit = DefaultMaxEdits(test::CodePointCount(forms->casefold_flat), 9);
    std::map<uint32_t, int> want;
    for (uint32_t i = 0; i < targets.size(); ++i) {
      const test::IndexedForms& t = targets[i];
      const std::string& key = t.forms.folded_flat;
      // Once the query passes the length rule, the name's own limit holds.
      const int limit = query_limit == 0 ? 0 : t.max_edits;
      // The deletion index does no fuzzy matching past kMaxKeyBytes.
      if (limit == 0 || key.size() > DeletionIndex::kMaxKeyBytes || q.size() > DeletionIndex::kMaxKeyBytes) continue;
      const std::u32string& k32 = keys[i];
      const size_t gap = q32.size() > k32.size() ? q32.size() - k32.size() : k32.size() - q32.size();
      const bool visual_differs = forms->visual_flat != q;
      if (!visual_differs && (static_cast<int>(gap) > limit || qh.LowerBound(hist[i]) > limit)) continue;
      int d = test::ReferenceOsa(q32, k32);
      // The index also searches from the visual key (0 is 'o' there, 'O' in
      // the folded key), keeping the smaller distance.
      if (visual_differs) {
        d = std::min(d, test::ReferenceOsa(test::CodePoints(forms->visual_flat), k32));
      }
      if (d >= 1 && d <= limit) want[i] = d;
    }
    hits.clear();
    index.FindWithinDistance(*forms, &hits);
    std::map<uint32_t, int> got;
    bool duplicate = false;
    for (const Hit& h : hits) {
      EXPECT_EQ(h.kind, HitKind::kDistance);
      duplicate = duplicate || got.count(h.name);
      got[h.name] = h.distance;
    }
    expected_pairs += want.size();
    if ((got != want || duplicate) && ++wrong_queries <= 10) {
      std::string detail;
      for (const auto& [i, d] : want) {
        if (!got.count(i) || got[i] != d) absl::StrAppend(&detail, " missed '", targets[i].name, "' d=", d, ";");
      }
      for (const auto& [i, d] : got) {
        if (!want.count(i) || want[i] != d) absl::StrAppend(&detail, " extra '", targets[i].name, "' d=", d, ";");
      }
      if (duplicate) detail += " duplicate hits;";
      ADD_FAILURE() << "query '" << raw << "' (key '" << q << "'):" << detail;
    }
  }
  EXPECT_EQ(wrong_queries, 0u) << (ascii ? "ASCII" : "non-ASCII") << " queries";
  return expected_pairs;
}

TEST_F(PypiIndexTest, FindWithinDistanceEqualsBruteForce) {
  EXPECT_GT(CompareWithinDistance(*index_, *targets_, *queries_, /*ascii=*/true), 2000u)
      << "the sample must contain many close pairs";
}

// Accented letters (two UTF-8 bytes, one character): distances and limits
// count characters, as README's "1 edit below 9 characters" says.
TEST_F(PypiIndexTest, FindWithinDistanceCountsCharactersNotBytes) {
  EXPECT_GT(CompareWithinDistance(*index_, *targets_, *queries_, /*ascii=*/false), 100u)
      << "the sample must contain many close pairs";
}

// One protected name per length: the query-side deletion budget must come
// from the lengths that are actually present, so every near miss of a
// different length is still found.
TEST_F(PypiIndexTest, SparseLengthsFindEveryCloseQuery) {
  std::vector<std::string> names;
  std::set<size_t> lengths;
  for (const test::IndexedForms& t : *targets_) {
    const size_t len = t.forms.folded_flat.size();
    if (len >= 5 && len <= 24 && len % 2 == 1 && lengths.insert(len).second) names.push_back(t.name);
  }
  ASSERT_GE(names.size(), 8u);
  const std::vector<test::IndexedForms> sparse = test::NormalizeAll(names);
  NameIndex index(/*pypi_rules=*/true);
  for (uint32_t i = 0; i < sparse.size(); ++i) index.Add(i, sparse[i].name, sparse[i].forms, sparse[i].max_edits);
  index.Build();
  test::Random rng(77);
  std::vector<std::string> queries;
  for (const test::IndexedForms& t : sparse) {
    for (int n = 0; n < 300; ++n) {
      std::string q = t.forms.folded_flat;
      const int edits = 1 + static_cast<int>(rng.Below(2));
      for (int e = 0; e < edits; ++e) {
        const size_t p = rng.Below(q.size());
        switch (rng.Below(4)) {
          case 0: q.insert(p, 1, "xyzq"[rng.Below(4)]); break;
          case 1: if (q.size() > 1) q.erase(p, 1); break;
          case 2: q[p] = "xyzq"[rng.Below(4)]; break;
          default: if (p + 1 < q.size()) std::swap(q[p], q[p + 1]); break;
        }
      }
      queries.push_back(q);
    }
  }
  EXPECT_GT(CompareWithinDistance(index, sparse, queries, /*ascii=*/true), 2000u);
}

TEST_F(PypiIndexTest, FindEqualKeysEqualsBruteForce) {
  // Equal keys: the query's folded key equals a name's folded key, or the
  // query's visual key equals either key of a name (a capital I imitating
  // an l), or (PyPI) the ultranormalized forms are equal.
  std::map<std::string, std::set<uint32_t>> by_key, by_ultra;
  for (uint32_t i = 0; i < targets_->size(); ++i) {
    const NameForms& f = (*targets_)[i].forms;
    by_key["F" + f.folded_flat].insert(i);
    by_key["V" + f.visual_flat].insert(i);
    by_ultra[confusables::PypiUltranormalize(f.nfkc)].insert(i);
  }
  size_t matched_queries = 0, wrong = 0;
  std::vector<Hit> hits;
  for (const std::string& raw : *queries_) {
    absl::StatusOr<NameForms> q = Normalizer::Default().Normalize(raw);
    if (!q.ok()) continue;
    std::set<uint32_t> want;
    for (const std::string& key : {"F" + q->folded_flat, "V" + q->visual_flat, "F" + q->visual_flat}) {
      if (auto it = by_key.find(key); it != by_key.end()) want.insert(it->second.begin(), it->second.end());
    }
    if (auto it = by_ultra.find(confusables::PypiUltranormalize(q->nfkc)); it != by_ultra.end()) {
      want.insert(it->second.begin(), it->second.end());
    }
    hits.clear();
    index_->FindEqualKeys(*q, &hits);
    std::set<uint32_t> got;
    for (const Hit& h : hits) {
      EXPECT_EQ(h.kind, HitKind::kEqualKey);
      EXPECT_TRUE(got.insert(h.name).second) << "duplicate hit for '" << raw << "'";
    }
    matched_queries += !want.empty();
    if (got != want && ++wrong <= 10) {
      ADD_FAILURE() << "query '" << raw << "': index found " << got.size() << ", brute force " << want.size();
    }
  }
  EXPECT_EQ(wrong, 0u);
  EXPECT_GT(matched_queries, 1000u) << "re-cased and re-separated copies must meet their originals";
}

// --- Affix, compound and reorder ------------------------------------------

class AffixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* w : {"research", "official", "py", "python", "hf"}) vocabulary_.Add(w);
    for (const char* name : {"openai", "requests", "meta-llama", "django", "xai", "numpy"}) {
      const NameForms f = Forms(name);
      index_.Add(static_cast<uint32_t>(names_.size()), name, f,
                 DefaultMaxEdits(test::CodePointCount(f.casefold_flat), 9));
      names_.push_back(name);
    }
    index_.Build();
  }

  // "target:kind:added words" for every affix/reorder hit.
  std::set<std::string> Affixed(absl::string_view query) {
    std::vector<Hit> hits;
    index_.FindAffixed(Forms(query), vocabulary_, 5, &hits);
    std::set<std::string> out;
    for (const Hit& h : hits) {
      const char* kind = h.kind == HitKind::kAffix ? "affix" : h.kind == HitKind::kReorder ? "reorder" : "other";
      out.insert(absl::StrCat(names_[index_.names()[h.name].entry], ":", kind, ":",
                              absl::StrJoin(h.added_words, "+"), h.added_are_affix_words ? ":vocab" : ""));
    }
    return out;
  }

  AffixVocabulary vocabulary_;
  NameIndex index_;
  std::vector<std::string> names_;
};

TEST_F(AffixTest, KnownWordsAroundAProtectedName) {
  EXPECT_EQ(Affixed("openai-research"), std::set<std::string>{"openai:affix:research:vocab"});
  EXPECT_EQ(Affixed("official-openai"), std::set<std::string>{"openai:affix:official:vocab"});
  EXPECT_EQ(Affixed("python-requests"), std::set<std::string>{"requests:affix:python:vocab"});
  EXPECT_EQ(Affixed("requests-py"), std::set<std::string>{"requests:affix:py:vocab"});
  // Glued on without a separator.
  EXPECT_EQ(Affixed("requestspy"), std::set<std::string>{"requests:affix:py:vocab"});
  EXPECT_EQ(Affixed("pyrequests"), std::set<std::string>{"requests:affix:py:vocab"});
}

TEST_F(AffixTest, OtherWordsNeedALongerTarget) {
  // Any word added to a name of 5+ letters is an affix hit, outside the vocabulary.
  EXPECT_EQ(Affixed("requests-toolbelt"), std::set<std::string>{"requests:affix:toolbelt"});
  // A 3-letter protected name only meets vocabulary words.
  EXPECT_TRUE(Affixed("xai-foundation").empty());
  EXPECT_EQ(Affixed("xai-official"), std::set<std::string>{"xai:affix:official:vocab"});
}

TEST_F(AffixTest, CompoundAndRepetition) {
  std::vector<Hit> hits;
  index_.FindAffixed(Forms("django-numpy"), vocabulary_, 5, &hits);
  bool compound = false;
  for (const Hit& h : hits) compound = compound || h.added_contains_protected;
  EXPECT_TRUE(compound) << "two protected names joined";
  hits.clear();
  index_.FindAffixed(Forms("djangodjango"), vocabulary_, 5, &hits);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(names_[index_.names()[hits[0].name].entry], "django");
}

TEST_F(AffixTest, Reorder) {
  EXPECT_EQ(Affixed("llama-meta"), std::set<std::string>{"meta-llama:reorder:"});
  EXPECT_EQ(Affixed("llama_meta"), std::set<std::string>{"meta-llama:reorder:"});
  // The name itself, and a single word, are not affixed forms of anything.
  EXPECT_TRUE(Affixed("meta-llama").empty());
  EXPECT_TRUE(Affixed("openai").empty());
}

}  // namespace
}  // namespace internal
}  // namespace squatguard
