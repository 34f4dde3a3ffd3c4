// Names built to hurt: empty, huge, expanding, stacked combining marks,
// random bytes. Every one must finish in linear time and never crash.

#include <chrono>
#include <random>
#include <string>

#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

// Quadratic work on a 1 MB name takes minutes; linear work well under this
// even in sanitizer builds.
constexpr double kLinearTimeBudgetSeconds = 30.0;

std::string Repeat(absl::string_view piece, size_t total_bytes) {
  std::string out;
  out.reserve(total_bytes + piece.size());
  while (out.size() + piece.size() <= total_bytes) {
    out.append(piece.data(), piece.size());
  }
  return out;
}

size_t Count(const std::string& utf8, char32_t c) {
  size_t n = 0;
  for (char32_t x : DecodeUtf8(utf8)) n += (x == c);
  return n;
}

void ExpectAllFormsValid(const NameForms& forms) {
  for (const std::string* s :
       {&forms.visible, &forms.nfkc, &forms.casefold, &forms.visual,
        &forms.folded, &forms.casefold_flat, &forms.visual_flat,
        &forms.folded_flat}) {
    EXPECT_TRUE(ValidateUtf8(*s).ok());
  }
}

// Normalizes on both paths, checks they agree, and returns the elapsed time.
double NormalizeBothWays(const std::string& name, NameForms* out) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<NameForms> fast = Normalizer::Default().Normalize(name);
  absl::StatusOr<NameForms> icu = Normalizer::Default().NormalizeWithIcu(name);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_TRUE(fast.ok()) << fast.status();
  EXPECT_TRUE(icu.ok()) << icu.status();
  if (fast.ok() && icu.ok()) {
    EXPECT_EQ(DescribeFormsDifference(*fast, *icu), "");
    ExpectAllFormsValid(*icu);
    *out = *std::move(icu);
  }
  return seconds;
}

TEST(HostileInputTest, EmptyNameIsValidWithEmptyForms) {
  for (const auto& result : {Normalizer::Default().Normalize(""),
                             Normalizer::Default().NormalizeWithIcu("")}) {
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(DescribeFormsDifference(*result, NameForms()), "");
  }
}

TEST(HostileInputTest, OnlyInvisiblesLeavesEmptyForms) {
  NameForms forms;
  NormalizeBothWays("\u200B\u200B\x01", &forms);
  EXPECT_TRUE(forms.visible.empty());
  EXPECT_TRUE(forms.visual.empty());
  EXPECT_EQ(forms.removed.size(), 3u);
}

TEST(HostileInputTest, LongAsciiNames) {
  for (size_t size : {size_t{10} << 10, size_t{1} << 20}) {
    const std::string name = Repeat("meta-Ilama_", size);
    NameForms forms;
    EXPECT_LT(NormalizeBothWays(name, &forms), kLinearTimeBudgetSeconds);
    EXPECT_EQ(forms.visible.size(), name.size());
    EXPECT_EQ(forms.visual, Repeat("rneta-llarna_", forms.visual.size()));
  }
}

TEST(HostileInputTest, LongNonAsciiName) {
  // Cyrillic look-alike of "meta-llama", repeated to 1 MB.
  const std::string name = Repeat("m\u0435ta-llama ", size_t{1} << 20);
  NameForms forms;
  EXPECT_LT(NormalizeBothWays(name, &forms), kLinearTimeBudgetSeconds);
  EXPECT_TRUE(forms.mixed_script);
  EXPECT_EQ(forms.visual_flat, Repeat("rnetallarna", forms.visual_flat.size()));
}

TEST(HostileInputTest, ArabicLigatureExpandsEighteenfold) {
  // U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: one code point, 18
  // after NFKC.
  NameForms one;
  NormalizeBothWays("\uFDFA", &one);
  EXPECT_EQ(DecodeUtf8(one.nfkc).size(), 18u);
  // 1 MB of it: about 6 million code points after NFKC.
  const std::string name = Repeat("\uFDFA", size_t{1} << 20);
  NameForms many;
  EXPECT_LT(NormalizeBothWays(name, &many), kLinearTimeBudgetSeconds);
  EXPECT_EQ(DecodeUtf8(many.nfkc).size(), 18 * (name.size() / 3));
}

TEST(HostileInputTest, FiveHundredCombiningMarksOnOneLetter) {
  std::string name = "a";
  for (int i = 0; i < 500; ++i) {
    // Alternate acute (class 230) and grave-below (220) so NFKC must reorder.
    name += (i % 2 == 0) ? "\u0301" : "\u0316";
  }
  NameForms forms;
  NormalizeBothWays(name, &forms);
  EXPECT_EQ(Count(forms.nfkc, 0x0301) + Count(forms.nfkc, 0x00E1), 250u);
  EXPECT_EQ(Count(forms.nfkc, 0x0316), 250u);
  EXPECT_EQ(Count(forms.nfkc, 0x034F), 0u) << "internal run breaks leaked";
}

// Megabyte runs of marks that ICU reorders by insertion: without run breaks
// each of these takes minutes.
TEST(HostileInputTest, MegabyteRunsOfReorderedMarksStayLinear) {
  const struct {
    const char* label;
    std::string name;
  } cases[] = {
      {"acute/grave-below", "a" + Repeat("\u0301\u0316", size_t{1} << 20)},
      // U+0F73 is a starter whose decomposition is two marks.
      {"tibetan U+0F73", "\u0F73" + Repeat("\u0F73", size_t{1} << 20)},
      // U+FF9E becomes a class-8 mark only under NFKC.
      {"halfwidth voiced mark/acute",
       "\u304B" + Repeat("\uFF9E\u0301", size_t{1} << 20)},
  };
  for (const auto& c : cases) {
    NameForms forms;
    EXPECT_LT(NormalizeBothWays(c.name, &forms), kLinearTimeBudgetSeconds)
        << c.label;
    EXPECT_FALSE(forms.nfkc.empty()) << c.label;
    EXPECT_EQ(Count(forms.nfkc, 0x034F), 0u) << c.label;
    EXPECT_EQ(Count(forms.visual, 0x034F), 0u) << c.label;
  }
}

TEST(HostileInputTest, MarksAreKeptAcrossRunBreaks) {
  // 100 acute accents on 'e': a run break goes in, but no mark is lost and
  // the key still starts with the letter.
  std::string name = "e";
  for (int i = 0; i < 100; ++i) name += "\u0301";
  NameForms forms;
  NormalizeBothWays(name, &forms);
  EXPECT_EQ(Count(forms.folded, 0x0301), 100u);
  EXPECT_EQ(forms.folded[0], 'e');
}

TEST(HostileInputTest, RandomBytesAreRejectedOrNormalizedNeverCrash) {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string bytes(rng() % 40, '\0');
    for (char& b : bytes) {
      // Mostly high bytes, so some random sequences are valid UTF-8.
      b = static_cast<char>(rng() % 3 == 0 ? rng() % 128 : 0x80 + rng() % 128);
    }
    absl::StatusOr<NameForms> forms = Normalizer::Default().Normalize(bytes);
    EXPECT_EQ(forms.ok(), ValidateUtf8(bytes).ok());
    absl::StatusOr<NameForms> escaped =
        Normalizer::Default().Normalize(EscapeInvalidUtf8(bytes));
    ASSERT_TRUE(escaped.ok());
    ExpectAllFormsValid(*escaped);
  }
}

TEST(HostileInputTest, RandomCodePointsNormalizeToValidUtf8) {
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string name;
    const int length = 1 + rng() % 12;
    for (int i = 0; i < length; ++i) {
      char32_t c = rng() % 0x110000;
      if (c >= 0xD800 && c <= 0xDFFF) c = U'x';
      AppendUtf8(c, &name);
    }
    absl::StatusOr<NameForms> forms = Normalizer::Default().Normalize(name);
    ASSERT_TRUE(forms.ok()) << forms.status();
    ExpectAllFormsValid(*forms);
  }
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
