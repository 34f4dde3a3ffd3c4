// The bad-input suite, names and lists: every hostile case of issue 6 through
// the real binary (`check`, `scan`, `--protected`), asserting the message
// (what was wrong and where), the exit code, and that nothing else is lost.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hardening/cli_runner.h"

namespace squatguard {
namespace hardening {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// SPEC exit codes.
constexpr int kClean = 0, kFindings = 1, kUsage = 2, kBadInput = 3;

std::vector<std::string> WithList(std::vector<std::string> args) {
  args.insert(args.begin() + 1, {"--protected", Testdata("protected.jsonl")});
  return args;
}

// The findings of jsonl output, one object a line; a line that is not JSON
// fails the test.
std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> rows;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    rows.push_back(j);
  }
  return rows;
}

bool HasFinding(const std::vector<nlohmann::json>& rows, const std::string& candidate,
                const std::string& target) {
  for (const nlohmann::json& r : rows) {
    if (r.value("candidate", "") == candidate && r.value("target", "") == target) return true;
  }
  return false;
}

std::string Repeat(absl::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out.append(piece.data(), piece.size());
  return out;
}

// --- Names that are not valid UTF-8 ---------------------------------------

TEST(BadNames, InvalidUtf8IsNamedAndTheOtherNamesStillCount) {
  RunResult r = RunCli(WithList({"check", "--format", "jsonl", "abc\xff", "reqeusts"}));
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  EXPECT_THAT(r.err, HasSubstr("name 1 ('abc\\xff'): invalid UTF-8 at byte 3"));
  EXPECT_TRUE(HasFinding(JsonLines(r.out), "reqeusts", "requests")) << r.out;
}

TEST(BadNames, OnlyBadNamesExitThree) {
  RunResult r = RunCli(WithList({"check", "--format", "jsonl", "\xff"}));
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr("invalid UTF-8 at byte 0"));
  EXPECT_EQ(r.out, "");
}

TEST(BadNames, OverlongEncodingsAreRefused) {
  // '/' as two and three bytes, NUL as two bytes (modified UTF-8).
  for (const char* name : {"a\xc0\xaf", "a\xe0\x80\xaf", "a\xc0\x80"}) {
    RunResult r = RunCli(WithList({"check", "--format", "jsonl", name}));
    EXPECT_EQ(r.exit_code, kBadInput) << r.err;
    EXPECT_THAT(r.err, HasSubstr("invalid UTF-8 at byte 1 (overlong encoding)"));
  }
}

TEST(BadNames, LoneSurrogatesAreRefused) {
  // CESU-8: U+1F600 as a surrogate pair, and a lone high surrogate.
  for (const char* name : {"x\xed\xa0\xbd\xed\xb8\x80", "x\xed\xa0\x80"}) {
    RunResult r = RunCli(WithList({"check", "--format", "jsonl", name}));
    EXPECT_EQ(r.exit_code, kBadInput) << r.err;
    EXPECT_THAT(r.err, HasSubstr("invalid UTF-8 at byte 1 (surrogate U+D8"));
  }
  // In JSONL, an escaped lone surrogate is broken JSON, named by line.
  RunResult r = RunCli(WithList({"scan", "--format", "jsonl", "-"}),
                    {.stdin_bytes = "reqeusts\n{\"name\": \"a\\ud800b\"}\n"});
  EXPECT_EQ(r.exit_code, kFindings);
  EXPECT_THAT(r.err, HasSubstr("<stdin>:2: broken JSON"));
  EXPECT_TRUE(HasFinding(JsonLines(r.out), "reqeusts", "requests"));
}

TEST(BadNames, NulBytesAreInvisibleCharactersNotTerminators) {
  // A NUL inside a name must not cut it: the name is requests with a
  // hidden character, and every output shows the NUL escaped.
  RunResult r = RunCli(WithList({"scan", "--format", "jsonl", "-"}),
                    {.stdin_bytes = std::string("requ\0ests\n", 10)});
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"candidate\":\"requ\\u0000ests\""));
  EXPECT_THAT(r.out, HasSubstr("\"invisible\""));
  RunResult table = RunCli(WithList({"scan", "--format", "table", "-"}),
                        {.stdin_bytes = std::string("requ\0ests\n", 10)});
  EXPECT_THAT(table.out, HasSubstr("requ\\x00ests"));
  EXPECT_EQ(table.out.find('\0'), std::string::npos);
  // As a JSONL escape, too.
  RunResult json = RunCli(WithList({"scan", "--format", "jsonl", "-"}),
                       {.stdin_bytes = "{\"name\": \"requ\\u0000ests\"}\n"});
  EXPECT_EQ(json.exit_code, kFindings) << json.err;
  EXPECT_THAT(json.out, HasSubstr("requ\\u0000ests"));
}

// --- Huge and expanding names ----------------------------------------------

TEST(HugeNames, OneMegabyteNameIsRefusedByLineAndTheRestIsScanned) {
  const std::string input = "reqeusts\n" + std::string(1 << 20, 'a') + "\nnunpy\n";
  RunResult r = RunCli(WithList({"scan", "--format", "json", "-"}), {.stdin_bytes = input});
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  EXPECT_THAT(r.err, HasSubstr("<stdin>:2: name is 1048576 bytes, longer than the limit of 1024"));
  // The message does not repeat the megabyte.
  EXPECT_LT(r.err.size(), 1000u);
  nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out.substr(0, 500);
  EXPECT_EQ(doc["stats"]["names"], 3);
  EXPECT_EQ(doc["stats"]["bad_names"], 1);
  bool typo1 = false, typo2 = false;
  for (const nlohmann::json& f : doc["findings"]) {
    typo1 |= f["candidate"] == "reqeusts";
    typo2 |= f["candidate"] == "nunpy";
  }
  EXPECT_TRUE(typo1 && typo2) << r.out;
}

TEST(HugeNames, LongArgumentIsRefusedWithAShortMessage) {
  // One argv string can hold 128 KiB on Linux; the limit applies the same.
  RunResult r = RunCli(WithList({"check", "--format", "jsonl", std::string(100000, 'x')}));
  EXPECT_EQ(r.exit_code, kBadInput);
  EXPECT_THAT(r.err, HasSubstr("name is 100000 bytes, longer than the limit of 1024"));
  EXPECT_LT(r.err.size(), 1000u);
}

TEST(HugeNames, MillionLinesOnStdinWithOneBadLineInTheMiddle) {
  const size_t lines = Sanitized() ? 100000 : 1000000;
  const size_t bad_line = lines / 2 + 1;
  std::string input;
  input.reserve(lines * 12);
  size_t planted = 0;
  for (size_t i = 1; i <= lines; ++i) {
    if (i == bad_line) {
      input += "bad\xffname\n";
    } else if (i % 100000 == 7) {
      input += "reqeusts\n";  // a known typo every 100,000 lines
      ++planted;
    } else {
      absl::StrAppend(&input, "pkg", i, "\n");
    }
  }
  RunResult r = RunCli(WithList({"scan", "--format", "json", "--top", "1", "-"}),
                    {.stdin_bytes = input, .timeout_seconds = 900});
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("<stdin>:", bad_line, ": invalid UTF-8 at byte 3")));
  nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["stats"]["names"], lines);
  EXPECT_EQ(doc["stats"]["bad_names"], 1);
  size_t typos = 0;
  for (const nlohmann::json& f : doc["findings"]) typos += f["candidate"] == "reqeusts";
  EXPECT_EQ(typos, planted);
}

TEST(HugeNames, FiveHundredCombiningMarksOnOneLetter) {
  // 'e' of requests carrying 500 acute accents: 1,008 bytes, under the
  // limit; the pipeline stays linear (stream-safe segments) and answers.
  const std::string name = "r" + Repeat("e", 1) + Repeat("\xcc\x81", 500) + "quests";
  ASSERT_LE(name.size(), 1024u);
  RunResult r = RunCli(WithList({"check", "--format", "jsonl", name}), {.timeout_seconds = 60});
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exit_code == kClean || r.exit_code == kFindings) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("invalid")));
  for (const nlohmann::json& row : JsonLines(r.out)) EXPECT_EQ(row["candidate"], name);
}

TEST(HugeNames, CharactersThatGrowEighteenTimesUnderNfkc) {
  // U+FDFA is 3 bytes and 18 characters after NFKC. 341 of them fit the
  // byte limit (6,138 characters after NFKC) and are normalized; a megabyte
  // of them is refused by length before any normalization.
  const std::string fits = Repeat("\xef\xb7\xba", 341);
  RunResult r = RunCli(WithList({"check", "--format", "jsonl", fits}), {.timeout_seconds = 60});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, kClean) << r.err;
  EXPECT_EQ(r.err, "");

  const std::string huge = Repeat("\xef\xb7\xba", (1 << 20) / 3) + "\nreqeusts\n";
  RunResult big = RunCli(WithList({"scan", "--format", "jsonl", "-"}),
                      {.stdin_bytes = huge, .timeout_seconds = 60});
  EXPECT_FALSE(big.timed_out);
  EXPECT_EQ(big.exit_code, kFindings);
  EXPECT_THAT(big.err, HasSubstr("<stdin>:1: name is 1048575 bytes, longer than the limit of 1024"));
  EXPECT_TRUE(HasFinding(JsonLines(big.out), "reqeusts", "requests"));
}

// --- Invisible and direction-changing characters --------------------------

TEST(InvisibleNames, ZeroWidthPrefixIsAFindingShownEscaped) {
  RunResult r = RunCli(WithList({"check", "--format", "table", "\xe2\x80\x8brequests"}));
  EXPECT_EQ(r.exit_code, kFindings);
  EXPECT_THAT(r.out, HasSubstr("\\u200brequests"));
  EXPECT_THAT(r.out, Not(HasSubstr("\xe2\x80\x8b")));
  EXPECT_THAT(r.out, HasSubstr("invisible"));
}

TEST(InvisibleNames, NameOfOnlyZeroWidthCharactersIsNotSilentlyClean) {
  // Nothing visible is left to compare. Such a name is never legitimate;
  // the run must say so (a message naming it, or a finding), not report a
  // clean exit with no word about it.
  const std::string name = "\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xef\xbb\xbf";
  RunResult r = RunCli(WithList({"scan", "--format", "jsonl", "-"}), {.stdin_bytes = name + "\n"});
  EXPECT_NE(r.exit_code, kClean) << "stdout: " << r.out << "\nstderr: " << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "<stdin>:1") || absl::StrContains(r.out, "\\u200b"))
      << "stdout: " << r.out << "\nstderr: " << r.err;
}

TEST(InvisibleNames, BidiOverridesAreEscapedInEveryFormat) {
  const std::string name = "req\xe2\x80\xaeuests";  // U+202E RIGHT-TO-LEFT OVERRIDE
  RunResult table = RunCli(WithList({"check", "--format", "table", name}));
  EXPECT_EQ(table.exit_code, kFindings);
  EXPECT_THAT(table.out, HasSubstr("req\\u202euests"));
  EXPECT_THAT(table.out, Not(HasSubstr("\xe2\x80\xae")));

  RunResult csv = RunCli(WithList({"check", "--format", "csv", name}));
  EXPECT_THAT(csv.out, HasSubstr("req\\u202euests"));
  EXPECT_THAT(csv.out, Not(HasSubstr("\xe2\x80\xae")));

  RunResult json = RunCli(WithList({"check", "--format", "jsonl", name}));
  EXPECT_THAT(json.out, HasSubstr("req\\u202euests"));
  EXPECT_THAT(json.out, Not(HasSubstr("\xe2\x80\xae")));
  for (const nlohmann::json& row : JsonLines(json.out)) EXPECT_EQ(row["candidate"], name);

  // Error messages about the name are escaped too.
  RunResult bad = RunCli(WithList({"check", "--format", "jsonl", "\xe2\x80\xae\x1b[2J\xff"}));
  EXPECT_EQ(bad.exit_code, kBadInput);
  EXPECT_THAT(bad.err, HasSubstr("\\u202e\\x1b[2J\\xff"));
  EXPECT_EQ(bad.err.find('\x1b'), std::string::npos);
}

TEST(InvisibleNames, AnsiEscapeSequencesAreShownNotRun) {
  // ESC is removed before matching, so ESC + requests is a finding; the
  // whole sequence "ESC [ 2 J" (clear screen) is not, but is shown escaped
  // in the table's stats and messages all the same.
  const std::string name = "\x1brequests\x1b";
  RunResult r = RunCli(WithList({"check", "--format", "table", name}));
  EXPECT_EQ(r.exit_code, kFindings);
  EXPECT_THAT(r.out, HasSubstr("\\x1brequests\\x1b"));
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);

  RunResult csv = RunCli(WithList({"check", "--format", "csv", name}));
  EXPECT_THAT(csv.out, HasSubstr("\\x1brequests\\x1b"));
  EXPECT_EQ(csv.out.find('\x1b'), std::string::npos);

  RunResult clear = RunCli(WithList({"scan", "--format", "table", "-"}),
                           {.stdin_bytes = "\x1b[2J\x1b[31mrequests\n{\"name\": 7, \"x\": \"\\u001b[2J\"}\n"});
  EXPECT_EQ(clear.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(clear.err.find('\x1b'), std::string::npos);
  EXPECT_THAT(clear.err, HasSubstr("<stdin>:2: missing string field \"name\""));
}

// --- Protected lists --------------------------------------------------------

TEST(BadLists, EmptyProtectedListIsSaidOutLoud) {
  // An empty list matches nothing, so every run would report "clean": a
  // misconfigured deployment must be told, not reassured.
  ScratchDir dir;
  WriteFile(dir.File("empty.jsonl"), "");
  WriteFile(dir.File("comments.jsonl"), "# nothing here yet\n\n");
  for (const char* list : {"empty.jsonl", "comments.jsonl"}) {
    RunResult r = RunCli({"check", "--protected", dir.File(list), "--format", "jsonl", "reqeusts"});
    EXPECT_EQ(r.exit_code, kBadInput) << list << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(dir.File(list))) << list;
    EXPECT_THAT(r.err, HasSubstr("no protected names")) << list;
  }
}

TEST(BadLists, SyntaxErrorOnLineOneThousandIsNamed) {
  ScratchDir dir;
  std::string list;
  for (int i = 1; i < 1000; ++i) {
    absl::StrAppend(&list, "{\"name\": \"pkg-", i, "\", \"kind\": \"package\", \"ecosystem\": \"pypi\"}\n");
  }
  list += "{\"name\": \"oops\", \"kind\": \"package\" \"ecosystem\": \"pypi\"}\n";
  list += "{\"name\": \"after\", \"kind\": \"package\", \"ecosystem\": \"pypi\"}\n";
  WriteFile(dir.File("list.jsonl"), list);
  for (const char* command : {"check", "scan"}) {
    std::vector<std::string> args = {command, "--protected", dir.File("list.jsonl"), "--format", "jsonl"};
    if (std::string(command) == "check") args.push_back("reqeusts");
    RunResult r = RunCli(args, {.stdin_bytes = "reqeusts\n"});
    EXPECT_EQ(r.exit_code, kBadInput) << command;
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat(dir.File("list.jsonl"), ":1000: broken JSON"))) << command;
    EXPECT_EQ(r.out, "") << command;
  }
}

TEST(BadLists, OtherListErrorsNameFileAndLine) {
  ScratchDir dir;
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"# c\n{\"name\": \"ok\", \"ecosystem\": \"pypi\"}\n{\"name\": \"a\xff\", \"ecosystem\": \"pypi\"}\n",
       ":3: invalid UTF-8 at byte "},
      {"{\"name\": \"x\", \"kind\": \"orgg\", \"ecosystem\": \"hf\"}\n", ":1: unknown kind 'orgg'"},
      {"{\"name\": \"x\"}\n", ":1: missing \"ecosystem\""},
      {"{\"pattern\": \"a{b,c\", \"ecosystem\": \"hf\"}\n", ":1: unbalanced '{' in pattern"},
      {"{\"pattern\": \"{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}\", "
       "\"ecosystem\": \"hf\"}\n",
       ":1: pattern expands to more than 4096 names"},
      {"{\"name\": \"" + std::string(2000, 'n') + "\", \"ecosystem\": \"pypi\"}\n",
       ":1: name longer than 1024 bytes"},
      {"[1, 2]\n", "a plain-text list needs --ecosystem"},
  };
  for (const Case& c : cases) {
    WriteFile(dir.File("l.jsonl"), c.text);
    RunResult r = RunCli({"check", "--protected", dir.File("l.jsonl"), "--format", "jsonl", "reqeusts"});
    EXPECT_EQ(r.exit_code, kBadInput) << c.message;
    EXPECT_THAT(r.err, HasSubstr(dir.File("l.jsonl"))) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

TEST(BadLists, MissingFilesAreNamed) {
  RunResult list = RunCli({"check", "--protected", "/nonexistent/list.jsonl", "reqeusts"});
  EXPECT_EQ(list.exit_code, kBadInput);
  EXPECT_THAT(list.err, HasSubstr("/nonexistent/list.jsonl: no such file or folder"));

  RunResult added = RunCli({"check", "--add-protected", "/nonexistent/more.jsonl", "reqeusts"});
  EXPECT_EQ(added.exit_code, kBadInput);
  EXPECT_THAT(added.err, HasSubstr("/nonexistent/more.jsonl"));

  RunResult input = RunCli(WithList({"scan", "/nonexistent/names.txt"}));
  EXPECT_EQ(input.exit_code, kBadInput);
  EXPECT_THAT(input.err, HasSubstr("/nonexistent/names.txt"));
  EXPECT_THAT(input.err, HasSubstr("No such file or directory"));

  ScratchDir dir;
  RunResult folder = RunCli(WithList({"scan", dir.path()}));
  EXPECT_EQ(folder.exit_code, kBadInput);
  EXPECT_THAT(folder.err, HasSubstr(absl::StrCat(dir.path(), ": is a folder")));
}

TEST(BadLists, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({"check"}).exit_code, kUsage);
  EXPECT_EQ(RunCli({"check", "--min-score", "lots", "x"}).exit_code, kUsage);
  EXPECT_EQ(RunCli({"scan", "--threads", "100000"}).exit_code, kUsage);
  EXPECT_EQ(RunCli({"crawl", "--insecure", "hf"}).exit_code, kUsage);
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, kUsage);
}

}  // namespace
}  // namespace hardening
}  // namespace squatguard
