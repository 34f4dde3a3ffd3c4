// UTF-8 validation, decoding, encoding and escaping of untrusted names.

#include "confusables/utf8.h"

#include <ostream>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace confusables {
namespace {

using ::testing::HasSubstr;

TEST(ValidateUtf8Test, AcceptsEveryEncodingLengthAndItsBoundaries) {
  EXPECT_TRUE(ValidateUtf8("").ok());
  EXPECT_TRUE(ValidateUtf8("meta-llama/Llama-3-8B").ok());
  EXPECT_TRUE(ValidateUtf8(std::string("a\0b", 3)).ok());  // NUL is UTF-8
  EXPECT_TRUE(ValidateUtf8("\x7F").ok());
  EXPECT_TRUE(ValidateUtf8("\xC2\x80").ok());           // U+0080
  EXPECT_TRUE(ValidateUtf8("\xDF\xBF").ok());           // U+07FF
  EXPECT_TRUE(ValidateUtf8("\xE0\xA0\x80").ok());       // U+0800
  EXPECT_TRUE(ValidateUtf8("\xED\x9F\xBF").ok());       // U+D7FF
  EXPECT_TRUE(ValidateUtf8("\xEE\x80\x80").ok());       // U+E000
  EXPECT_TRUE(ValidateUtf8("\xEF\xBF\xBF").ok());       // U+FFFF
  EXPECT_TRUE(ValidateUtf8("\xF0\x90\x80\x80").ok());   // U+10000
  EXPECT_TRUE(ValidateUtf8("\xF4\x8F\xBF\xBF").ok());   // U+10FFFF
  EXPECT_TRUE(ValidateUtf8("m\xD0\xB5ta-llama").ok());  // Cyrillic е
}

// Each case: input, offset the error must name, a word of the reason.
struct InvalidCase {
  std::string input;
  int offset;
  std::string reason;
};

void PrintTo(const InvalidCase& c, std::ostream* os) {
  *os << EscapeInvalidUtf8(c.input);
}

class InvalidUtf8Test : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidUtf8Test, IsRejectedWithByteOffsetAndReason) {
  const InvalidCase& c = GetParam();
  absl::Status status = ValidateUtf8(c.input);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("invalid UTF-8 at byte " +
                                          std::to_string(c.offset) + " ("));
  EXPECT_THAT(status.message(), HasSubstr(c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3629, InvalidUtf8Test,
    ::testing::Values(
        InvalidCase{"\xC0\x80", 0, "overlong"},          // NUL, Java style
        InvalidCase{"ab\xC1\xBF", 2, "overlong"},        // '\x7F' in 2 bytes
        InvalidCase{"x\xE0\x80\xAF", 1, "overlong"},     // '/' in 3 bytes
        InvalidCase{"\xF0\x82\x82\xAC", 0, "overlong"},  // U+20AC in 4 bytes
        InvalidCase{"a\xED\xA0\x80", 1, "surrogate"},    // CESU-8 U+D800
        InvalidCase{"\xED\xBF\xBF", 0, "surrogate"},     // U+DFFF
        InvalidCase{"\xED\xA0\xBD\xED\xB8\x80", 0, "surrogate"},  // CESU-8 😀
        InvalidCase{"\xF4\x90\x80\x80", 0, "above U+10FFFF"},
        InvalidCase{"\xF5\x80\x80\x80", 0, "0xF5"},
        InvalidCase{"ok\xFF", 2, "0xFF"}, InvalidCase{"\xFE", 0, "0xFE"},
        InvalidCase{"abc\x80", 3, "stray continuation"},
        InvalidCase{"\xBF", 0, "stray continuation"},
        InvalidCase{"requests\xE2\x82", 8, "truncated"},
        InvalidCase{"\xF0\x9F\x98", 0, "truncated"},
        InvalidCase{"\xC3", 0, "truncated"},
        InvalidCase{"\xE2(\xA1", 0, "missing continuation"},
        InvalidCase{"\xC3\xA9\xC3", 2, "truncated"}));

TEST(DecodeUtf8Test, RoundTripsEveryScalarValue) {
  std::string all;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    AppendUtf8(c, &all);
  }
  ASSERT_TRUE(ValidateUtf8(all).ok());
  std::vector<char32_t> decoded = DecodeUtf8(all);
  ASSERT_EQ(decoded.size(), 0x110000u - 0x800u);
  char32_t expected = 0;
  for (char32_t c : decoded) {
    if (expected == 0xD800) expected = 0xE000;
    ASSERT_EQ(c, expected);
    ++expected;
  }
}

TEST(DecodeUtf8Test, UnvalidatedInputDecodesBadBytesAsReplacementCharacters) {
  EXPECT_EQ(DecodeUtf8("a\xFF"
                       "b"),
            (std::vector<char32_t>{U'a', 0xFFFD, U'b'}));
}

TEST(AppendUtf8Test, EncodesLengthsAndReplacesNonScalarValues) {
  std::string out;
  AppendUtf8(U'A', &out);
  AppendUtf8(0xE9, &out);
  AppendUtf8(0x20AC, &out);
  AppendUtf8(0x1F600, &out);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  out.clear();
  AppendUtf8(0xD800, &out);
  AppendUtf8(0x110000, &out);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(EscapeInvalidUtf8Test, EscapesOnlyBadBytesAndKeepsEverything) {
  EXPECT_EQ(EscapeInvalidUtf8("m\xD0\xB5ta"), "m\xD0\xB5ta");
  EXPECT_EQ(EscapeInvalidUtf8("a\xFF"
                              "b"),
            "a\\xFFb");
  EXPECT_EQ(EscapeInvalidUtf8("\xC0\x80"), "\\xC0\\x80");
  EXPECT_EQ(EscapeInvalidUtf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");
  // A truncated sequence does not swallow the ASCII after it.
  EXPECT_EQ(EscapeInvalidUtf8("\xE2\x82"
                              "A"),
            "\\xE2\\x82A");
  EXPECT_EQ(EscapeInvalidUtf8(""), "");
}

TEST(EscapeInvalidUtf8Test, OutputIsValidForRandomBytes) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(rng() % 64, '\0');
    for (char& b : bytes) b = static_cast<char>(rng());
    const std::string escaped = EscapeInvalidUtf8(bytes);
    ASSERT_TRUE(ValidateUtf8(escaped).ok()) << escaped;
    if (ValidateUtf8(bytes).ok()) EXPECT_EQ(escaped, bytes);
  }
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
