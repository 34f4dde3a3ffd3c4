// Each step of the normalization pipeline, on the look-alikes it exists for.

#include "confusables/normalize.h"

#include <string>

#include "absl/status/status.h"
#include "confusables/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

using ::testing::HasSubstr;

NameForms Forms(absl::string_view name) {
  absl::StatusOr<NameForms> forms = Normalizer::Default().Normalize(name);
  EXPECT_TRUE(forms.ok()) << forms.status();
  return forms.ok() ? *std::move(forms) : NameForms();
}

NameForms IcuForms(absl::string_view name) {
  absl::StatusOr<NameForms> forms =
      Normalizer::Default().NormalizeWithIcu(name);
  EXPECT_TRUE(forms.ok()) << forms.status();
  return forms.ok() ? *std::move(forms) : NameForms();
}

// --- Step 4: skeletons -----------------------------------------------------

TEST(VisualSkeletonTest, LookAlikesOfMetaLlamaMeetIt) {
  const std::string target = Forms("meta-llama").visual;
  EXPECT_EQ(target, "rneta-llarna");  // the example in normalize.h
  for (const char* spoof : {"meta-Ilama", "meta-l1ama", "rneta-llama",
                            "m\u0435ta-llama" /* Cyrillic е */, "meta-||ama"}) {
    EXPECT_EQ(Forms(spoof).visual, target) << spoof;
  }
  EXPECT_NE(Forms("meta-lama").visual, target);
}

TEST(VisualSkeletonTest, CapitalIAndDigitZeroImitateLowercaseLetters) {
  EXPECT_EQ(Forms("googIe").visual, Forms("google").visual);
  EXPECT_EQ(Forms("0penai").visual, Forms("openai").visual);
  EXPECT_EQ(Forms("0penai").visual_flat, "openai");
}

TEST(VisualSkeletonTest, GreekAndCyrillicLettersMeetLatin) {
  // Greek omicron in "google"; Cyrillic а, р, а, с in "apache".
  EXPECT_EQ(Forms("g\u03BFogle").visual, Forms("google").visual);
  EXPECT_EQ(Forms("\u0430\u0440\u0430\u0441he").visual, Forms("apache").visual);
  // Greek capital Alpha, Iota in "AI".
  EXPECT_EQ(Forms("\u0391\u0399").visual, Forms("AI").visual);
}

TEST(FoldedSkeletonTest, CaseVariantsMeet) {
  EXPECT_EQ(Forms("JOIN").folded, Forms("join").folded);
  EXPECT_EQ(Forms("Qwen").folded, Forms("qwen").folded);
  EXPECT_EQ(Forms("META-LLAMA").folded, Forms("meta-llama").folded);
  // The visual key keeps capital I as the l it imitates, so these differ.
  EXPECT_NE(Forms("JOIN").visual, Forms("join").visual);
}

TEST(VisualKeyOfTest, NamesSingleCharacterMappings) {
  const Normalizer& n = Normalizer::Default();
  EXPECT_EQ(n.VisualKeyOf(U'I'), "l");
  EXPECT_EQ(n.VisualKeyOf(U'm'), "rn");
  EXPECT_EQ(n.VisualKeyOf(U'1'), "l");
  EXPECT_EQ(n.VisualKeyOf(0x0435), "e");  // Cyrillic е
  EXPECT_EQ(n.VisualKeyOf(U'a'), "a");
  EXPECT_EQ(n.VisualKeyOf(0xD800), "");
  EXPECT_EQ(n.VisualKeyOf(0x110000), "");
}

TEST(VisualKeyOfTest, AgreesWithTheVisualFormOfEachPrintableAsciiCharacter) {
  for (char c = 0x20; c < 0x7F; ++c) {
    EXPECT_EQ(Normalizer::Default().VisualKeyOf(static_cast<char32_t>(c)),
              Forms(std::string(1, c)).visual)
        << c;
  }
}

// --- Step 3: NFKC and case folding -----------------------------------------

TEST(NfkcTest, FullWidthLettersMeetAscii) {
  const NameForms forms = Forms("\uFF47\uFF4F\uFF4F\uFF47\uFF4C\uFF45");
  EXPECT_EQ(forms.nfkc, "google");
  EXPECT_EQ(forms.visual, Forms("google").visual);
  EXPECT_FALSE(forms.ascii);
  EXPECT_FALSE(forms.mixed_script);
}

TEST(NfkcTest, LigaturesAndCompatibilityFormsAreExpanded) {
  EXPECT_EQ(Forms("\uFB01le-utils").nfkc, "file-utils");  // ﬁ
  EXPECT_EQ(Forms("py\uFB00i").nfkc, "pyffi");            // ﬀ
  EXPECT_EQ(Forms("llama\u2162").casefold, "llamaiii");   // Ⅲ
  EXPECT_EQ(Forms("h\u2082o").nfkc, "h2o");               // ₂
}

TEST(CaseFoldTest, FoldsBeyondAscii) {
  EXPECT_EQ(Forms("Stra\u00DFe").casefold, "strasse");  // ß
  EXPECT_EQ(Forms("\u03A3\u039F\u03A6\u0399\u0391").casefold,
            Forms("\u03C3\u03BF\u03C6\u03B9\u03B1").casefold);  // ΣΟΦΙΑ
  EXPECT_EQ(Forms("Qwen").casefold, "qwen");
}

// --- Step 2: invisibles and controls ---------------------------------------

TEST(InvisiblesTest, ZeroWidthCharactersAreRemovedAndRecorded) {
  // meta<ZWSP>-lla<ZWJ>ma<ZWNJ>
  const NameForms forms = Forms("meta\u200B-lla\u200Dma\u200C");
  EXPECT_EQ(forms.visible, "meta-llama");
  EXPECT_EQ(forms.visual, Forms("meta-llama").visual);
  ASSERT_EQ(forms.removed.size(), 3u);
  EXPECT_EQ(forms.removed[0].code_point, 0x200Bu);
  EXPECT_EQ(forms.removed[0].byte_offset, 4u);
  EXPECT_EQ(forms.removed[1].code_point, 0x200Du);
  EXPECT_EQ(forms.removed[1].byte_offset, 11u);
  EXPECT_EQ(forms.removed[2].code_point, 0x200Cu);
  EXPECT_EQ(forms.removed[2].byte_offset, 16u);
}

TEST(InvisiblesTest, OffsetsCountBytesOfTheOriginal) {
  // ñ is two bytes, so the BOM after it starts at byte 2.
  const NameForms forms = Forms("\u00F1\uFEFFx");
  EXPECT_EQ(forms.visible, "\u00F1x");
  ASSERT_EQ(forms.removed.size(), 1u);
  EXPECT_EQ(forms.removed[0].code_point, 0xFEFFu);
  EXPECT_EQ(forms.removed[0].byte_offset, 2u);
}

TEST(InvisiblesTest, BidiControlsAreRemoved) {
  // U+202E RIGHT-TO-LEFT OVERRIDE makes "amall-atem" display as "meta-llama".
  const NameForms rlo = Forms("\u202Eamall-atem");
  EXPECT_EQ(rlo.visible, "amall-atem");
  ASSERT_EQ(rlo.removed.size(), 1u);
  EXPECT_EQ(rlo.removed[0].code_point, 0x202Eu);
  EXPECT_EQ(rlo.removed[0].byte_offset, 0u);
  for (char32_t c : {0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                     0x2066, 0x2067, 0x2068, 0x2069}) {
    std::string name = "ab";
    AppendUtf8(c, &name);
    name += "cd";
    const NameForms forms = Forms(name);
    EXPECT_EQ(forms.visible, "abcd") << CodePoints(name);
    ASSERT_EQ(forms.removed.size(), 1u);
    EXPECT_EQ(forms.removed[0].code_point, c);
    EXPECT_EQ(forms.removed[0].byte_offset, 2u);
  }
}

TEST(InvisiblesTest, OtherDefaultIgnorablesAreRemoved) {
  // Soft hyphen, variation selector 16, word joiner, CGJ, Hangul filler, tag.
  for (char32_t c : {0x00AD, 0xFE0F, 0x2060, 0x034F, 0x3164, 0xE0041}) {
    std::string name = "py";
    AppendUtf8(c, &name);
    name += "pi";
    EXPECT_EQ(Forms(name).visible, "pypi") << CodePoints(name);
  }
  // Ordinary letters and spaces stay.
  EXPECT_EQ(Forms("py pi").visible, "py pi");
}

TEST(InvisiblesTest, ControlCharactersAreRemovedOnBothPaths) {
  const std::string name("\x00req\tuests\x7F\n", 12);
  for (const NameForms& forms : {Forms(name), IcuForms(name)}) {
    EXPECT_EQ(forms.visible, "requests");
    EXPECT_EQ(forms.casefold, "requests");
    ASSERT_EQ(forms.removed.size(), 4u);
    EXPECT_EQ(forms.removed[0].code_point, 0x00u);
    EXPECT_EQ(forms.removed[0].byte_offset, 0u);
    EXPECT_EQ(forms.removed[1].code_point, U'\t');
    EXPECT_EQ(forms.removed[1].byte_offset, 4u);
    EXPECT_EQ(forms.removed[2].code_point, 0x7Fu);
    EXPECT_EQ(forms.removed[2].byte_offset, 10u);
    EXPECT_EQ(forms.removed[3].code_point, U'\n');
    EXPECT_EQ(forms.removed[3].byte_offset, 11u);
  }
  EXPECT_TRUE(Forms(name).ascii);
  // C1 controls: NEL and CSI.
  const NameForms c1 = Forms("a\u0085b\u009Bc");
  EXPECT_EQ(c1.visible, "abc");
  ASSERT_EQ(c1.removed.size(), 2u);
  EXPECT_EQ(c1.removed[1].code_point, 0x9Bu);
  EXPECT_EQ(c1.removed[1].byte_offset, 4u);
}

// --- Step 1: validation ----------------------------------------------------

TEST(NormalizeTest, InvalidUtf8IsAnErrorNamingTheByte) {
  for (const std::string& bad :
       {std::string("meta-ll\xC0\x80"), std::string("meta-ll\xED\xA0\x80"),
        std::string("meta-ll\xE2\x82"), std::string("meta-ll\xF5"),
        std::string("meta-ll\x80")}) {
    for (const auto& result : {Normalizer::Default().Normalize(bad),
                               Normalizer::Default().NormalizeWithIcu(bad)}) {
      ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(result.status().message(),
                  HasSubstr("invalid UTF-8 at byte 7"));
    }
  }
}

// --- Step 5 and bookkeeping ------------------------------------------------

TEST(FlatFormsTest, SeparatorsAreRemovedFromEveryKey) {
  const NameForms forms = Forms("Meta-Llama_3.1 8B");
  EXPECT_EQ(forms.casefold_flat, "metallama318b");
  EXPECT_EQ(forms.visual_flat, RemoveSeparators(forms.visual));
  EXPECT_EQ(forms.folded_flat, RemoveSeparators(forms.folded));
  EXPECT_EQ(Forms("zope.interface").folded_flat,
            Forms("zope_interface").folded_flat);
}

TEST(NormalizeTest, AsciiFlagTellsWhichPathRan) {
  EXPECT_TRUE(Forms("requests").ascii);
  EXPECT_FALSE(IcuForms("requests").ascii);
  EXPECT_FALSE(Forms("r\u00E9quests").ascii);
  EXPECT_EQ(Forms("requests").original, "requests");
}

TEST(NormalizeTest, NormalizeIntoReusesFormsWithoutLeftovers) {
  NameForms reused;
  ASSERT_TRUE(Normalizer::Default()
                  .NormalizeInto("\u202Ea-much-longer-name\x01", &reused)
                  .ok());
  for (const char* name : {"x", "m\u0435ta", "", "ab\tc", "requests"}) {
    ASSERT_TRUE(Normalizer::Default().NormalizeInto(name, &reused).ok());
    EXPECT_EQ(DescribeFormsDifference(reused, Forms(name)), "") << name;
  }
}

// --- Mixed scripts ---------------------------------------------------------

TEST(MixedScriptTest, LatinWithCyrillicOrGreekIsMixed) {
  EXPECT_TRUE(Forms("m\u0435ta-llama").mixed_script);  // Cyrillic е
  EXPECT_TRUE(Forms("g\u03BFogle").mixed_script);      // Greek ο
  EXPECT_TRUE(Forms("\u0430pple").mixed_script);       // Cyrillic а
}

TEST(MixedScriptTest, SingleScriptsAndCommonCharactersAreNot) {
  EXPECT_FALSE(Forms("meta-llama").mixed_script);
  EXPECT_FALSE(Forms("Llama-3.1_8B v2").mixed_script);
  EXPECT_FALSE(Forms("").mixed_script);
  // яндекс, and with digits and separators.
  EXPECT_FALSE(Forms("\u044F\u043D\u0434\u0435\u043A\u0441").mixed_script);
  EXPECT_FALSE(
      Forms("\u044F\u043D\u0434\u0435\u043A\u0441-2024.1").mixed_script);
  // σοφια (Greek only), café (Latin with accent).
  EXPECT_FALSE(Forms("\u03C3\u03BF\u03C6\u03B9\u03B1").mixed_script);
  EXPECT_FALSE(Forms("caf\u00E9").mixed_script);
  // Japanese: Latin + Han + Hiragana + Katakana
  // (rinna-日本語-ひらがな-カタカナ).
  EXPECT_FALSE(Forms("rinna-\u65E5\u672C\u8A9E-"
                     "\u3072\u3089\u304C\u306A-"
                     "\u30AB\u30BF\u30AB\u30CA")
                   .mixed_script);
  // Emoji are Common script.
  EXPECT_FALSE(Forms("hug\U0001F917face").mixed_script);
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
