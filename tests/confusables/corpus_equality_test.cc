// The ASCII fast path must give exactly what ICU gives: on every short ASCII
// string, and on every real registry name in the shared corpora.

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "confusables/normalize.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

// Compares the two paths on `name`; returns "" or a description.
std::string CompareFastPathWithIcu(const std::string& name) {
  const Normalizer& normalizer = Normalizer::Default();
  absl::StatusOr<NameForms> fast = normalizer.Normalize(name);
  absl::StatusOr<NameForms> icu = normalizer.NormalizeWithIcu(name);
  if (!fast.ok() || !icu.ok()) {
    return absl::StrCat("error: ", fast.status().ToString(), " / ",
                        icu.status().ToString());
  }
  if (!fast->ascii) return "fast path not taken";
  return DescribeFormsDifference(*fast, *icu);
}

TEST(FastPathEqualsIcuTest, EveryAsciiStringOfOneOrTwoBytes) {
  int failures = 0;
  for (int a = 0; a < 128; ++a) {
    for (int b = -1; b < 128; ++b) {
      std::string name(1, static_cast<char>(a));
      if (b >= 0) name.push_back(static_cast<char>(b));
      const std::string diff = CompareFastPathWithIcu(name);
      if (!diff.empty() && ++failures <= 10) {
        ADD_FAILURE() << "bytes " << a << "," << b << ": " << diff;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

struct Corpus {
  const char* file;
  size_t min_names;  // guards against reading the wrong column or nothing
};

void PrintTo(const Corpus& corpus, std::ostream* os) { *os << corpus.file; }

class CorpusEqualityTest : public ::testing::TestWithParam<Corpus> {};

TEST_P(CorpusEqualityTest, FastPathEqualsIcuOnEveryName) {
  const std::string dir = SharedCorporaDir();
  if (dir.empty()) {
    GTEST_SKIP() << "shared corpora not found under " << SQUATGUARD_SHARED_DIR;
  }
  const std::vector<std::string> names =
      ReadCorpusNames(absl::StrCat(dir, "/", GetParam().file));
  ASSERT_GE(names.size(), GetParam().min_names);
  size_t failures = 0;
  for (const std::string& name : names) {
    const std::string diff = CompareFastPathWithIcu(name);
    if (!diff.empty() && ++failures <= 10) {
      ADD_FAILURE() << "\"" << name << "\": " << diff;
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << names.size() << " names";
}

INSTANTIATE_TEST_SUITE_P(SharedCorpora, CorpusEqualityTest,
                         ::testing::Values(Corpus{"pypi-names.tsv", 800000},
                                           Corpus{"npm-names.tsv", 200000},
                                           Corpus{"hf-orgs.txt", 200},
                                           Corpus{"hf-models.txt", 1000}),
                         [](const ::testing::TestParamInfo<Corpus>& info) {
                           std::string label;
                           for (const char* p = info.param.file;
                                *p != '\0' && *p != '.'; ++p) {
                             label.push_back(*p == '-' ? '_' : *p);
                           }
                           return label;
                         });

}  // namespace
}  // namespace confusables
}  // namespace squatguard
