// Protected lists: JSONL and plain-text formats, brace patterns, errors that
// name file:line, folders, and every list shipped in data/protected.

#include "squatguard/protected_list.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "squatguard/engine.h"

namespace squatguard {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test under the GoogleTest temp dir.
std::string TempDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir = absl::StrCat(::testing::TempDir(), "/sg_list_", getpid(), "_", info->test_suite_name(),
                                       "_", info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const std::string& path, absl::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::set<std::string> Names(const ProtectedList& list) {
  std::set<std::string> out;
  for (const ProtectedEntry& e : list.entries()) out.insert(e.name);
  return out;
}

TEST(ProtectedListTest, JsonlEntriesWithEveryField) {
  ProtectedList list;
  const absl::Status s = list.AddText(
      "# Protected names\n"
      "\n"
      "{\"name\": \"meta-llama\", \"kind\": \"org\", \"ecosystem\": \"hf\", \"popularity\": 0.99, \"owner\": \"meta\"}\n"
      "   # an indented comment\n"
      "{\"name\": \"requests\", \"kind\": \"package\", \"ecosystem\": \"pypi\", \"rank\": 6}\n"
      "{\"name\": \"cookie\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"allow\": [\"cookies\", \"cookie-parser\"],"
      " \"min_len_for_distance_2\": 12, \"severity\": \"critical\"}\n"
      "{\"name\": \"mosaicml\", \"kind\": \"org\", \"ecosystem\": \"hf\", \"retired\": true}\n"
      "\r\n"
      "{\"name\": \"fraud-model\", \"kind\": \"package\", \"ecosystem\": \"mlflow\"}\r\n",
      "mem.jsonl");
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(list.size(), 5u);
  const std::vector<ProtectedEntry>& e = list.entries();
  EXPECT_EQ(e[0].name, "meta-llama");
  EXPECT_EQ(e[0].kind, EntryKind::kOrg);
  EXPECT_EQ(e[0].ecosystem, Ecosystem::kHuggingFace);
  EXPECT_DOUBLE_EQ(e[0].popularity, 0.99);
  EXPECT_EQ(e[0].owner, "meta");
  EXPECT_EQ(e[0].origin, "mem.jsonl:3");

  EXPECT_EQ(e[1].name, "requests");
  EXPECT_EQ(e[1].ecosystem, Ecosystem::kPyPI);
  ASSERT_TRUE(e[1].rank.has_value());
  EXPECT_EQ(*e[1].rank, 6);
  // Popularity is derived from rank: rank 6 is near the top.
  EXPECT_GT(e[1].popularity, 0.5);
  EXPECT_LE(e[1].popularity, 1.0);
  EXPECT_EQ(e[1].origin, "mem.jsonl:5");

  EXPECT_EQ(e[2].allow, (std::vector<std::string>{"cookies", "cookie-parser"}));
  EXPECT_EQ(e[2].min_len_for_distance_2, 12);
  EXPECT_EQ(e[2].severity, Severity::kCritical);
  EXPECT_FALSE(e[2].retired);
  EXPECT_TRUE(e[3].retired);
  EXPECT_EQ(e[4].ecosystem, Ecosystem::kMlflow);
  EXPECT_EQ(e[4].name, "fraud-model") << "a trailing CR is not part of the line";
}

TEST(ProtectedListTest, RankOrdersPopularity) {
  ProtectedList list;
  ASSERT_TRUE(list.AddText("{\"name\": \"a\", \"ecosystem\": \"pypi\", \"rank\": 1}\n"
                           "{\"name\": \"b\", \"ecosystem\": \"pypi\", \"rank\": 100}\n"
                           "{\"name\": \"c\", \"ecosystem\": \"pypi\", \"rank\": 100000}\n",
                           "ranks")
                  .ok());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_GT(list.entries()[0].popularity, list.entries()[1].popularity);
  EXPECT_GT(list.entries()[1].popularity, list.entries()[2].popularity);
  EXPECT_GE(list.entries()[2].popularity, 0.0);
  // kind defaults to package.
  EXPECT_EQ(list.entries()[0].kind, EntryKind::kPackage);
}

TEST(ProtectedListTest, PlainTextUsesTheCallersDefaults) {
  ProtectedList list;
  ListDefaults d;
  d.ecosystem = Ecosystem::kHuggingFace;
  d.kind = EntryKind::kOrg;
  ASSERT_TRUE(list.AddText("# orgs\nmeta-llama\n\n  mistralai  \nQwen\n", "orgs.txt", d).ok());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(Names(list), (std::set<std::string>{"meta-llama", "mistralai", "Qwen"}));
  for (const ProtectedEntry& e : list.entries()) {
    EXPECT_EQ(e.ecosystem, Ecosystem::kHuggingFace);
    EXPECT_EQ(e.kind, EntryKind::kOrg);
  }
  EXPECT_EQ(list.entries()[1].origin, "orgs.txt:4");
}

TEST(ProtectedListTest, PlainTextWithoutEcosystemIsAnError) {
  ProtectedList list;
  const absl::Status s = list.AddText("requests\n", "names.txt");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "names.txt")) << s;
  EXPECT_TRUE(list.empty());
}

TEST(ProtectedListTest, JsonlDefaultsFillMissingFields) {
  ProtectedList list;
  ListDefaults d;
  d.ecosystem = Ecosystem::kNpm;
  ASSERT_TRUE(list.AddText("{\"name\": \"lodash\"}\n", "x", d).ok());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.entries()[0].ecosystem, Ecosystem::kNpm);
  ProtectedList without;
  EXPECT_FALSE(without.AddText("{\"name\": \"lodash\"}\n", "x").ok()) << "no ecosystem anywhere";
}

TEST(ProtectedListTest, EmptyAndCommentOnlyTextsAreEmptyLists) {
  ProtectedList list;
  EXPECT_TRUE(list.AddText("", "empty").ok());
  EXPECT_TRUE(list.AddText("# nothing\n\n   \n", "comments").ok());
  EXPECT_TRUE(list.empty());
}

// --- Brace patterns ------------------------------------------------------------------

TEST(BracePatternTest, ExpandsEveryCombination) {
  absl::StatusOr<std::vector<std::string>> names = ExpandBracePattern("meta-llama/Llama-5-{8B,70B}{,-Instruct}");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(std::set<std::string>(names->begin(), names->end()),
            (std::set<std::string>{"meta-llama/Llama-5-8B", "meta-llama/Llama-5-8B-Instruct",
                                   "meta-llama/Llama-5-70B", "meta-llama/Llama-5-70B-Instruct"}));
  EXPECT_EQ(names->size(), 4u);
  EXPECT_EQ(*ExpandBracePattern("plain-name"), std::vector<std::string>{"plain-name"});
  EXPECT_EQ(ExpandBracePattern("{a,b}-{c}")->size(), 2u);
}

TEST(BracePatternTest, UnbalancedBracesAreErrors) {
  for (const char* p : {"Llama-{8B,70B", "Llama-8B}", "a}{b", "{{a,b},c}", "x{a,{b}}"}) {
    absl::StatusOr<std::vector<std::string>> r = ExpandBracePattern(p);
    EXPECT_FALSE(r.ok()) << p << " gave " << (r.ok() ? absl::StrJoin(*r, " ") : "");
    if (!r.ok()) EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(BracePatternTest, ExpansionLimit) {
  const std::string eight = "{0,1,2,3,4,5,6,7}";
  absl::StatusOr<std::vector<std::string>> at_limit = ExpandBracePattern(eight + eight + eight + eight);
  ASSERT_TRUE(at_limit.ok()) << "8^4 = 4096 names is allowed: " << at_limit.status();
  EXPECT_EQ(at_limit->size(), kMaxPatternExpansions);
  EXPECT_EQ(std::set<std::string>(at_limit->begin(), at_limit->end()).size(), 4096u);
  absl::StatusOr<std::vector<std::string>> over = ExpandBracePattern(eight + eight + eight + eight + "{a,b}");
  ASSERT_FALSE(over.ok());
  EXPECT_TRUE(absl::StrContains(over.status().message(), "4096")) << over.status();
  // A pattern that would expand to 8^20 names fails fast instead of hanging.
  std::string huge;
  for (int i = 0; i < 20; ++i) huge += eight;
  EXPECT_FALSE(ExpandBracePattern(huge).ok());
}

TEST(BracePatternTest, PatternEntriesAreAnticipated) {
  ProtectedList list;
  ASSERT_TRUE(list.AddText("{\"pattern\": \"meta-llama/Llama-5-{8B,70B}{,-Instruct}\", \"ecosystem\": \"hf\","
                           " \"popularity\": 0.99, \"owner\": \"meta\"}\n",
                           "p.jsonl")
                  .ok());
  ASSERT_EQ(list.size(), 4u);
  for (const ProtectedEntry& e : list.entries()) {
    EXPECT_EQ(e.kind, EntryKind::kAnticipated);
    EXPECT_EQ(e.pattern, "meta-llama/Llama-5-{8B,70B}{,-Instruct}");
    EXPECT_EQ(e.owner, "meta");
    EXPECT_EQ(e.origin, "p.jsonl:1");
  }
  ProtectedList bad;
  const absl::Status s = bad.AddText("# c\n{\"pattern\": \"x-{a,b\", \"ecosystem\": \"hf\"}\n", "p.jsonl");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "p.jsonl:2:")) << s;
}

// --- Errors ----------------------------------------------------------------------------

struct BadLine {
  const char* line;
  const char* mentions;  // the message must name the problem
};

TEST(ProtectedListErrorTest, EachProblemIsNamedWithFileAndLine) {
  const BadLine cases[] = {
      {"{\"name\": \"x\", \"kind\": \"orgg\", \"ecosystem\": \"hf\"}", "orgg"},
      {"{\"name\": \"x\", \"kind\": \"org\", \"ecosystem\": \"hugingface\"}", "hugingface"},
      {"{\"name\": \"x\", \"kind\": \"org\", \"ecosystem\": \"any\"}", "any"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"popularty\": 0.5}", "popularty"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\"", "JSON"},
      {"[\"x\"]", "object"},
      {"{\"name\": \"x\", \"pattern\": \"y\", \"ecosystem\": \"pypi\"}", "pattern"},
      {"{\"ecosystem\": \"pypi\"}", "name"},
      {"{\"name\": \"\", \"ecosystem\": \"pypi\"}", "name"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"rank\": 0}", "rank"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"rank\": \"5\"}", "rank"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"popularity\": 1.5}", "popularity"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"allow\": \"y\"}", "allow"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"severity\": \"urgent\"}", "urgent"},
      {"{\"name\": \"x\", \"ecosystem\": \"pypi\", \"retired\": \"yes\"}", "retired"},
      {"{\"name\": 5, \"ecosystem\": \"pypi\"}", "name"},
      {"{\"name\": \"x\\u0000\", \"ecosystem\": \"pypi\"}", ""},
      {"{\"name\": \"ab\xFF\", \"ecosystem\": \"pypi\"}", "UTF-8"},
  };
  for (const BadLine& c : cases) {
    ProtectedList list;
    const std::string text = absl::StrCat("# header\n{\"name\": \"ok\", \"ecosystem\": \"pypi\"}\n", c.line, "\n");
    const absl::Status s = list.AddText(text, "lists/bad.jsonl");
    if (std::string(c.mentions).empty()) {
      // A control character in a name: either refused with its line, or kept
      // exactly (the engine removes it when comparing).
      if (!s.ok()) EXPECT_TRUE(absl::StrContains(s.message(), "lists/bad.jsonl:3:")) << s;
      continue;
    }
    ASSERT_FALSE(s.ok()) << c.line;
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "lists/bad.jsonl:3:")) << c.line << " -> " << s;
    EXPECT_TRUE(absl::StrContains(s.message(), c.mentions)) << c.line << " -> " << s;
  }
}

TEST(ProtectedListErrorTest, NothingIsAddedFromAFailingText) {
  ProtectedList list;
  ASSERT_TRUE(list.AddText("{\"name\": \"first\", \"ecosystem\": \"pypi\"}\n", "a").ok());
  EXPECT_FALSE(list.AddText("{\"name\": \"x\", \"ecosystem\": \"pypi\"}\n{broken\n", "b").ok());
  EXPECT_EQ(Names(list), std::set<std::string>{"first"});
}

TEST(ProtectedListErrorTest, ErrorOnLineOneThousandOfAGeneratedFile) {
  const std::string dir = TempDir();
  const std::string path = dir + "/generated.jsonl";
  std::string text = "# generated\n";
  for (int i = 2; i < 1000; ++i) {
    absl::StrAppend(&text, "{\"name\": \"package-", i, "\", \"kind\": \"package\", \"ecosystem\": \"pypi\", \"rank\": ",
                    i, "}\n");
  }
  absl::StrAppend(&text, "{\"name\": \"broken\", \"kind\": \"package\", \"ecosystem\": \"pypi\",}\n");
  for (int i = 1001; i < 1010; ++i) absl::StrAppend(&text, "{\"name\": \"p", i, "\", \"ecosystem\": \"pypi\"}\n");
  WriteFile(path, text);
  ProtectedList list;
  const absl::Status s = list.AddPath(path);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), path + ":1000:")) << s;
  EXPECT_FALSE(absl::StrContains(s.message(), ":999:")) << s;
}

TEST(ProtectedListErrorTest, MissingAndUnreadablePaths) {
  ProtectedList list;
  const std::string missing = TempDir() + "/no-such-list.jsonl";
  const absl::Status s = list.AddPath(missing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), missing)) << s;
}

// --- Folders -----------------------------------------------------------------------------

TEST(ProtectedListFolderTest, ReadsJsonlAndTextFilesSortedByName) {
  const std::string dir = TempDir();
  WriteFile(dir + "/b.jsonl", "{\"name\": \"from-b\", \"ecosystem\": \"pypi\"}\n");
  WriteFile(dir + "/a.jsonl", "{\"name\": \"from-a\", \"ecosystem\": \"npm\"}\n");
  WriteFile(dir + "/c.txt", "# text\nfrom-c\n");
  WriteFile(dir + "/README.md", "not a list {\n");
  WriteFile(dir + "/d.jsonl.bak", "{broken\n");
  fs::create_directories(dir + "/sub.jsonl");  // a folder named like a list
  ProtectedList list;
  ListDefaults d;
  d.ecosystem = Ecosystem::kPyPI;
  const absl::Status s = list.AddPath(dir, d);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.entries()[0].name, "from-a");
  EXPECT_EQ(list.entries()[1].name, "from-b");
  EXPECT_EQ(list.entries()[2].name, "from-c");
  EXPECT_EQ(list.entries()[2].ecosystem, Ecosystem::kPyPI);
  EXPECT_TRUE(absl::StrContains(list.entries()[0].origin, "a.jsonl:1")) << list.entries()[0].origin;
}

TEST(ProtectedListFolderTest, AnErrorInOneFileNamesThatFile) {
  const std::string dir = TempDir();
  WriteFile(dir + "/a.jsonl", "{\"name\": \"fine\", \"ecosystem\": \"pypi\"}\n");
  WriteFile(dir + "/b.jsonl", "\n\n{\"name\": \"x\", \"ecosystem\": \"pipy\"}\n");
  ProtectedList list;
  const absl::Status s = list.AddPath(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "b.jsonl:3:")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "pipy")) << s;
}

// --- The shipped lists --------------------------------------------------------------------

TEST(ShippedListFilesTest, EveryShippedListLoads) {
  const std::string dir = SQUATGUARD_SOURCE_DIR "/data/protected";
  size_t files = 0, total = 0;
  std::set<std::string> hf_orgs;
  for (const fs::directory_entry& d : fs::directory_iterator(dir)) {
    const std::string ext = d.path().extension().string();
    if (ext != ".jsonl" && ext != ".txt") continue;
    ++files;
    ProtectedList one;
    const absl::Status s = one.AddPath(d.path().string());
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_FALSE(one.empty()) << d.path();
    total += one.size();
    for (const ProtectedEntry& e : one.entries()) {
      EXPECT_NE(e.ecosystem, Ecosystem::kAny) << e.origin;
      EXPECT_FALSE(e.name.empty()) << e.origin;
      EXPECT_GE(e.popularity, 0.0) << e.origin;
      EXPECT_LE(e.popularity, 1.0) << e.origin;
      if (e.ecosystem == Ecosystem::kHuggingFace && e.kind == EntryKind::kOrg) hf_orgs.insert(e.name);
    }
  }
  EXPECT_GE(files, 3u);
  ProtectedList all;
  const absl::Status s = all.AddPath(dir);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(all.size(), total);
  EXPECT_GT(all.size(), 10000u);
  for (const char* org : {"meta-llama", "mistralai", "google", "Qwen", "openai"}) {
    EXPECT_TRUE(hf_orgs.count(org)) << org << " is not protected by the shipped lists";
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(all));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->protected_count(), total);
}

}  // namespace
}  // namespace squatguard
