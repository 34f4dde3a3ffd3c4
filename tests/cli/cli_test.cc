// The squatguard binary end to end, as a user or a script runs it: exit codes,
// every output format, hostile names in output, scan from files and stdin,
// explain, and --help. Plus the output escaping helpers through the library.
//
// These tests need the real binary (${build}/cli/squatguard). If it is not
// there, they fail and say so: CI always builds it.

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
#include "absl/strings/str_split.h"
#include "cli/output.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/run_binary.h"

namespace squatguard {
namespace test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kData = SQUATGUARD_SOURCE_DIR "/tests/testdata/cli";
const std::string kList = kData + "/protected.jsonl";

std::string Show(const RunResult& r) {
  return absl::StrCat("exit ", r.exit_code, (r.signal ? absl::StrCat(" signal ", r.signal) : ""), "\n--- stdout\n",
                      r.out.substr(0, 4000), "\n--- stderr\n", r.err.substr(0, 4000));
}

std::string TempDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/sg_cli_", getpid(), "_", info->test_suite_name(), "_", info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<json> ParseJsonl(const std::string& text) {
  std::vector<json> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    out.push_back(std::move(j));
  }
  return out;
}

// The "candidate" of each JSONL finding, in order.
std::vector<std::string> Candidates(const std::string& jsonl) {
  std::vector<std::string> out;
  for (const json& j : ParseJsonl(jsonl)) out.push_back(j["candidate"].get<std::string>());
  return out;
}

// RFC 4180 rows (quoted cells, doubled quotes, CRLF or LF line ends).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      row.push_back(cell);
      rows.push_back(row);
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell.push_back(c);
      any = true;
    }
  }
  if (any || !row.empty()) {
    row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

// The raw cells (quotes kept) of one CSV line, for checks on what a
// spreadsheet sees first.
std::vector<std::string> RawCsvCells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
      continue;
    }
    if (c != '\r') cell.push_back(c);
  }
  cells.push_back(cell);
  return cells;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string binary = SquatguardBinary();
    if (access(binary.c_str(), X_OK) != 0) {
      GTEST_FAIL() << "the squatguard binary is not built at " << binary
                   << " (build the `squatguard` target; set SQUATGUARD_BINARY to test another build)";
    }
  }

  // `command --protected <test list> args...`
  static RunResult Squat(const std::string& command, std::vector<std::string> args,
                         const std::string& stdin_text = "") {
    args.insert(args.begin(), {command, "--protected", kList});
    return RunSquatguard(args, stdin_text);
  }
};

// --- Exit codes ------------------------------------------------------------------------

TEST_F(CliTest, CheckExitsZeroForTheRealName) {
  const RunResult r = Squat("check", {"hf:meta-llama/Llama-3-8B", "pypi:requests"});
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  EXPECT_TRUE(ParseJsonl(r.out).empty()) << Show(r);
}

TEST_F(CliTest, CheckExitsOneForAFinding) {
  const RunResult r = Squat("check", {"hf:meta-llama/Llama-3-8B", "hf:meta-Ilama/Llama-3-8B"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  // Not a terminal: JSON Lines by default.
  const std::vector<json> lines = ParseJsonl(r.out);
  ASSERT_EQ(lines.size(), 1u) << Show(r);
  EXPECT_EQ(lines[0]["candidate"], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(lines[0]["target"], "meta-llama/Llama-3-8B");
  EXPECT_EQ(lines[0]["techniques"][0], "homoglyph");
}

TEST_F(CliTest, MinScoreAndTopChangeWhatCounts) {
  // The same name is a finding or not depending on --min-score.
  RunResult r = Squat("check", {"--min-score", "0.99", "pypi:reqeusts"});
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  r = Squat("check", {"--min-score=0", "--top", "1", "pypi:reqeusts"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(ParseJsonl(r.out).size(), 1u) << Show(r);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"check"},
      {"check", "--bogus", "x"},
      {"check", "--top", "-1", "pypi:x"},
      {"check", "--top", "many", "pypi:x"},
      {"check", "--min-score", "1.5", "pypi:x"},
      {"check", "--format", "xml", "pypi:x"},
      {"check", "--ecosystem", "pipy", "pypi:x"},
      {"check", "--max-name-bytes", "0", "pypi:x"},
      {"check", "--max-name-bytes", "-5", "pypi:x"},
      {"check", "--max-name-bytes", "1KiB", "pypi:x"},
      {"check", "--max-name-bytes", "1048577", "pypi:x"},
      {"check", "--max-reorder-words", "9", "pypi:x"},
      {"check", "--max-reorder-words", "-1", "pypi:x"},
      {"scan", "--max-name-bytes", "lots", "-"},
      {"explain", "--max-reorder-words", "two", "pypi:x", "pypi:y"},
      {"check", "pypi:x", "--protected"},
      {"scan", "a.txt", "b.txt"},
      {"scan", "--threads", "0", "-"},
      {"explain", "pypi:reqeusts"},
  };
  for (const std::vector<std::string>& args : cases) {
    const RunResult r = RunSquatguard(args);
    EXPECT_EQ(r.exit_code, 2) << absl::StrJoin(args, " ") << "\n" << Show(r);
    EXPECT_FALSE(r.err.empty()) << absl::StrJoin(args, " ") << ": say what is wrong on stderr";
    EXPECT_TRUE(r.out.empty() || absl::StrContains(r.out, "usage")) << Show(r);
  }
  const RunResult bad_option = RunSquatguard({"check", "--bogus", "x"});
  EXPECT_TRUE(absl::StrContains(bad_option.err, "--bogus")) << Show(bad_option);
}

TEST_F(CliTest, UnreadableListExitsThree) {
  const std::string missing = TempDir() + "/missing.jsonl";
  const RunResult r = RunSquatguard({"check", "--protected", missing, "pypi:reqeusts"});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, missing)) << Show(r);
  EXPECT_TRUE(r.out.empty()) << Show(r);
}

TEST_F(CliTest, MalformedListNamesFileAndLineAndExitsThree) {
  for (const char* command : {"check", "scan", "explain"}) {
    std::vector<std::string> args = {command, "--protected", kData + "/malformed.jsonl"};
    if (std::string(command) == "scan") args.push_back("-");  // the names come on stdin
    if (std::string(command) != "scan") args.push_back("pypi:reqeusts");
    if (std::string(command) == "explain") args.push_back("pypi:requests");
    const RunResult r = RunSquatguard(args, "pypi:reqeusts\n");
    EXPECT_EQ(r.exit_code, 3) << command << "\n" << Show(r);
    EXPECT_TRUE(absl::StrContains(r.err, "malformed.jsonl:4:")) << command << "\n" << Show(r);
    EXPECT_TRUE(absl::StrContains(r.err, "orgg")) << command << "\n" << Show(r);
  }
  // --add-protected lists are checked the same way.
  const RunResult add = RunSquatguard({"check", "--add-protected", kData + "/malformed.jsonl", "pypi:reqeusts"});
  EXPECT_EQ(add.exit_code, 3) << Show(add);
  EXPECT_TRUE(absl::StrContains(add.err, "malformed.jsonl:4:")) << Show(add);
}

TEST_F(CliTest, PlainTextListNeedsAnEcosystem) {
  RunResult r = RunSquatguard({"check", "--protected", kData + "/orgs.txt", "hf:meta-Ilama"});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "orgs.txt")) << Show(r);
  r = RunSquatguard({"check", "--protected", kData + "/orgs.txt", "--ecosystem", "hf", "--kind", "org", "meta-Ilama"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const std::vector<json> lines = ParseJsonl(r.out);
  ASSERT_FALSE(lines.empty()) << Show(r);
  EXPECT_EQ(lines[0]["target"], "meta-llama");
  EXPECT_EQ(lines[0]["ecosystem"], "hf");
}

TEST_F(CliTest, InvalidUtf8NameExitsThreeAndNamesTheByte) {
  const RunResult r = Squat("check", {"pypi:req\xFFuests"});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "byte 3")) << Show(r);
  EXPECT_EQ(r.err.find('\xFF'), std::string::npos) << "the raw byte is not echoed to the terminal";
  // Findings for the other names still come out, and win the exit code.
  const RunResult mixed = Squat("check", {"pypi:req\xFFuests", "pypi:reqeusts"});
  EXPECT_EQ(mixed.exit_code, 1) << Show(mixed);
  EXPECT_EQ(ParseJsonl(mixed.out).size(), 1u) << Show(mixed);
}

TEST_F(CliTest, DataDirFromTheEnvironment) {
  const std::string dir = TempDir();
  fs::create_directories(dir + "/protected");
  WriteFile(dir + "/protected/only.jsonl", "{\"name\": \"requests\", \"kind\": \"package\", \"ecosystem\": \"pypi\"}\n");
  const RunResult r = RunSquatguard({"check", "--format", "json", "pypi:reqeusts", "hf:meta-Ilama"}, "",
                          {{"SQUATGUARD_DATA_DIR", dir}});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  ASSERT_EQ(doc["findings"].size(), 1u) << Show(r);
  EXPECT_EQ(doc["findings"][0]["target"], "requests");
  // --add-protected adds to that data dir's lists.
  const RunResult add = RunSquatguard({"check", "--add-protected", kList, "--format", "json", "pypi:reqeusts", "hf:meta-Ilama"},
                            "", {{"SQUATGUARD_DATA_DIR", dir}});
  const json both = json::parse(add.out, nullptr, false);
  ASSERT_FALSE(both.is_discarded()) << Show(add);
  EXPECT_EQ(both["findings"].size(), 2u) << Show(add);
}

// --- Limits ---------------------------------------------------------------------------------

TEST_F(CliTest, MaxNameBytesRefusesLongerNamesAndCanBeRaised) {
  const std::string long_name = "pypi:" + std::string(1100, 'a');
  // The default limit, 1,024 bytes: refused, named, exit 3.
  RunResult r = Squat("check", {long_name});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "name 1")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "1100 bytes, longer than the limit of 1024")) << Show(r);
  // Raised: the same name is checked (nothing like it is protected).
  r = Squat("check", {"--max-name-bytes", "2000", "--format", "json", long_name});
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  EXPECT_EQ(doc["stats"]["names"], 1) << doc["stats"].dump();
  EXPECT_EQ(doc["stats"]["bad_names"], 0) << doc["stats"].dump();
  EXPECT_TRUE(r.err.empty()) << Show(r);
  // Lowered: a name one byte over is refused, one at the limit is scored.
  r = Squat("check", {"--max-name-bytes=8", "pypi:reqeustss"});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "9 bytes, longer than the limit of 8")) << Show(r);
  r = Squat("check", {"--max-name-bytes=8", "--format", "jsonl", "pypi:reqeusts"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(Candidates(r.out), std::vector<std::string>{"reqeusts"}) << Show(r);
  // scan names the line and goes on with the rest.
  r = Squat("scan", {"--max-name-bytes", "8", "--format", "jsonl", "-"}, "pypi:reqeustss\npypi:reqeusts\n");
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(Candidates(r.out), std::vector<std::string>{"reqeusts"}) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, ":1:")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "limit of 8")) << Show(r);
  EXPECT_FALSE(absl::StrContains(r.err, ":2:")) << Show(r);
}

TEST_F(CliTest, LimitFlagsWithBadValuesAreUsageErrorsNamingFlagAndValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--max-name-bytes", "0"},        {"--max-name-bytes", "-1"},      {"--max-name-bytes", "12abc"},
      {"--max-name-bytes", "99999999999999999999"}, {"--max-reorder-words", "9"}, {"--max-reorder-words", "x"},
  };
  for (const auto& [flag, value] : cases) {
    for (const char* command : {"check", "explain"}) {
      std::vector<std::string> args = {flag, value, "pypi:reqeusts"};
      if (std::string(command) == "explain") args.push_back("pypi:requests");
      const RunResult r = Squat(command, args);
      EXPECT_EQ(r.exit_code, 2) << command << " " << flag << " " << value << "\n" << Show(r);
      EXPECT_TRUE(absl::StrContains(r.err, flag)) << Show(r);
      EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat("'", value, "'"))) << Show(r);
      EXPECT_TRUE(r.out.empty()) << Show(r);
    }
  }
  const RunResult r = Squat("check", {"--max-reorder-words", "9", "hf:llama-meta"});
  EXPECT_TRUE(absl::StrContains(r.err, "expected 0 to 8")) << Show(r);
}

// The reorder finding for a protected name's words in another order, under
// each --max-reorder-words.
std::vector<json> ReorderFindings(const RunResult& r) {
  std::vector<json> found;
  for (const json& f : ParseJsonl(r.out)) {
    for (const json& t : f["techniques"]) {
      if (t == "reorder") found.push_back(f);
    }
  }
  return found;
}

TEST_F(CliTest, MaxReorderWordsZeroTurnsReorderOff) {
  // llama-meta: the words of the protected org meta-llama, swapped.
  RunResult r = Squat("check", {"--format", "jsonl", "--min-score", "0", "--top", "0", "hf:llama-meta"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  std::vector<json> reorder = ReorderFindings(r);
  ASSERT_EQ(reorder.size(), 1u) << Show(r);
  EXPECT_EQ(reorder[0]["target"], "meta-llama") << Show(r);
  r = Squat("check", {"--format", "jsonl", "--min-score", "0", "--top", "0", "--max-reorder-words", "2", "hf:llama-meta"});
  EXPECT_EQ(ReorderFindings(r).size(), 1u) << "two words are within a limit of 2\n" << Show(r);
  for (const char* limit : {"0", "1"}) {
    r = Squat("check", {"--format", "jsonl", "--min-score", "0", "--top", "0", "--max-reorder-words", limit,
                        "hf:llama-meta"});
    EXPECT_TRUE(ReorderFindings(r).empty()) << "--max-reorder-words " << limit << "\n" << Show(r);
    EXPECT_EQ(r.exit_code, 0) << "nothing else makes llama-meta a look-alike\n" << Show(r);
  }
}

// --- Formats -------------------------------------------------------------------------------

const std::vector<std::string> kNames = {"hf:meta-Ilama/Llama-3-8B", "pypi:reqeusts", "hf:meta-llama/Llama-3-8B",
                                         "npm:lodahs"};

void ExpectFindingFields(const json& f) {
  ASSERT_TRUE(f.is_object()) << f.dump();
  for (const char* k : {"candidate", "ecosystem", "target", "target_kind", "severity", "explanation"}) {
    EXPECT_TRUE(f.contains(k) && f[k].is_string()) << k << " in " << f.dump();
  }
  EXPECT_TRUE(f["score"].is_number()) << f.dump();
  EXPECT_GE(f["score"].get<double>(), 0.5);
  EXPECT_LE(f["score"].get<double>(), 1.0);
  EXPECT_TRUE(f["distance"].is_number_integer()) << f.dump();
  ASSERT_TRUE(f["techniques"].is_array()) << f.dump();
  EXPECT_FALSE(f["techniques"].empty()) << f.dump();
  const std::set<std::string> severities = {"low", "medium", "high", "critical"};
  EXPECT_TRUE(severities.count(f["severity"].get<std::string>())) << f.dump();
  const std::set<std::string> kinds = {"org", "repo", "package", "anticipated"};
  EXPECT_TRUE(kinds.count(f["target_kind"].get<std::string>())) << f.dump();
}

TEST_F(CliTest, JsonFormat) {
  std::vector<std::string> args = {"--format", "json"};
  args.insert(args.end(), kNames.begin(), kNames.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  ASSERT_TRUE(doc.contains("findings") && doc["findings"].is_array()) << Show(r);
  ASSERT_TRUE(doc.contains("stats") && doc["stats"].is_object()) << Show(r);
  ASSERT_EQ(doc["findings"].size(), 3u) << Show(r);
  for (const json& f : doc["findings"]) ExpectFindingFields(f);
  EXPECT_EQ(doc["findings"][0]["candidate"], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(doc["findings"][1]["target"], "requests");
  EXPECT_EQ(doc["findings"][1]["ecosystem"], "pypi");
  EXPECT_EQ(doc["findings"][2]["target"], "lodash");
  EXPECT_EQ(doc["stats"]["names"], 4) << doc["stats"].dump();
  EXPECT_EQ(doc["stats"]["findings"], 3) << doc["stats"].dump();
}

TEST_F(CliTest, JsonFormatWithoutFindings) {
  const RunResult r = Squat("check", {"--format", "json", "pypi:requests"});
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  EXPECT_TRUE(doc["findings"].is_array() && doc["findings"].empty()) << Show(r);
  EXPECT_TRUE(doc["stats"].is_object());
}

TEST_F(CliTest, JsonlFormat) {
  std::vector<std::string> args = {"--format", "jsonl"};
  args.insert(args.end(), kNames.begin(), kNames.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const std::vector<json> lines = ParseJsonl(r.out);
  ASSERT_EQ(lines.size(), 3u) << Show(r);
  for (const json& f : lines) ExpectFindingFields(f);
  EXPECT_EQ(lines[0]["target"], "meta-llama/Llama-3-8B");
}

TEST_F(CliTest, CsvFormat) {
  std::vector<std::string> args = {"--format", "csv"};
  args.insert(args.end(), kNames.begin(), kNames.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const std::vector<std::vector<std::string>> rows = ParseCsv(r.out);
  ASSERT_EQ(rows.size(), 4u) << Show(r);
  const std::vector<std::string>& header = rows[0];
  for (const char* col : {"candidate", "ecosystem", "target", "target_kind", "score", "severity", "techniques",
                          "distance", "explanation"}) {
    EXPECT_NE(std::find(header.begin(), header.end(), col), header.end()) << "column " << col << "\n" << Show(r);
  }
  const auto col = [&](const char* name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (size_t i = 1; i < rows.size(); ++i) ASSERT_EQ(rows[i].size(), header.size()) << Show(r);
  EXPECT_EQ(rows[1][col("candidate")], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(rows[1][col("target")], "meta-llama/Llama-3-8B");
  EXPECT_TRUE(absl::StrContains(rows[1][col("techniques")], "homoglyph"));
  EXPECT_EQ(rows[2][col("target")], "requests");
  EXPECT_GE(std::stod(rows[2][col("score")]), 0.5);
  // Without findings, a header alone.
  const RunResult none = Squat("check", {"--format", "csv", "pypi:requests"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(ParseCsv(none.out).size(), 1u) << Show(none);
}

TEST_F(CliTest, SarifFormat) {
  std::vector<std::string> args = {"--format", "sarif"};
  args.insert(args.end(), kNames.begin(), kNames.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  EXPECT_EQ(doc["version"], "2.1.0");
  ASSERT_TRUE(doc["runs"].is_array() && doc["runs"].size() == 1u) << Show(r);
  const json& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "squatguard");
  ASSERT_TRUE(run["results"].is_array());
  ASSERT_EQ(run["results"].size(), 3u) << Show(r);
  std::set<std::string> rule_ids;
  for (const json& rule : run["tool"]["driver"]["rules"]) rule_ids.insert(rule["id"].get<std::string>());
  for (const json& result : run["results"]) {
    ASSERT_TRUE(result["message"]["text"].is_string());
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    ASSERT_TRUE(result["ruleId"].is_string());
    EXPECT_TRUE(rule_ids.count(result["ruleId"].get<std::string>())) << "every ruleId is described in driver.rules";
    const std::set<std::string> levels = {"none", "note", "warning", "error"};
    EXPECT_TRUE(levels.count(result["level"].get<std::string>())) << result.dump();
  }
  EXPECT_EQ(run["results"][0]["properties"]["target"], "meta-llama/Llama-3-8B") << run["results"][0].dump();
  EXPECT_EQ(run["results"][0]["level"], "error") << "a high-severity homoglyph is an error";
}

TEST_F(CliTest, TableFormat) {
  std::vector<std::string> args = {"--format", "table"};
  args.insert(args.end(), kNames.begin(), kNames.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.out, "meta-Ilama/Llama-3-8B")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.out, "meta-llama/Llama-3-8B")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.out, "homoglyph")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.out, "transposition")) << Show(r);
  const RunResult none = Squat("check", {"--format", "table", "pypi:requests"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_FALSE(absl::StrContains(none.out, "requests (pypi")) << Show(none);
}

// --- Hostile names ------------------------------------------------------------------------

// A look-alike org (so it is a finding) whose repo part carries an ANSI
// colour escape and a right-to-left override.
const std::string kHostile = "hf:meta-Ilama/\x1b[31mred\xE2\x80\xAEtxt.exe";

TEST_F(CliTest, TableAndCsvEscapeControlAndBidiCharacters) {
  for (const char* format : {"table", "csv"}) {
    const RunResult r = Squat("check", {"--format", format, kHostile});
    EXPECT_EQ(r.exit_code, 1) << format << "\n" << Show(r);
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format << ": raw ESC in output\n" << Show(r);
    EXPECT_EQ(r.out.find("\xE2\x80\xAE"), std::string::npos) << format << ": raw U+202E in output";
    EXPECT_TRUE(absl::StrContains(r.out, "\\x1b[31m")) << format << ": the escape is shown, not dropped\n" << Show(r);
    EXPECT_TRUE(absl::StrContains(r.out, "\\u202e") || absl::StrContains(r.out, "\\u202E")) << format << "\n" << Show(r);
  }
}

TEST_F(CliTest, JsonKeepsHostileNamesExactAndEscaped) {
  for (const char* format : {"json", "jsonl", "sarif"}) {
    const RunResult r = Squat("check", {"--format", format, kHostile});
    EXPECT_EQ(r.exit_code, 1) << Show(r);
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format;
    EXPECT_EQ(r.out.find("\xE2\x80\xAE"), std::string::npos) << format << ": bidi override must be a \\u escape";
    const std::string first = std::string(format) == "jsonl" ? r.out.substr(0, r.out.find('\n')) : r.out;
    const json doc = json::parse(first, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << Show(r);
    const json& f = std::string(format) == "json"    ? doc["findings"][0]
                    : std::string(format) == "sarif" ? doc["runs"][0]["results"][0]["properties"]
                                                     : doc;
    // Machines get the exact name back.
    EXPECT_EQ(f["candidate"], kHostile.substr(3)) << format;
  }
}

TEST_F(CliTest, StderrEscapesHostileBadNames) {
  const RunResult r = Squat("check", {"pypi:\x1b[2J\xE2\x80\xAEx\xFF"});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "raw ESC on stderr: " << Show(r);
  EXPECT_EQ(r.err.find("\xE2\x80\xAE"), std::string::npos) << Show(r);
}

TEST_F(CliTest, CsvCellsNeverStartAFormula) {
  // Each of these is one edit (or a separator) away from requests.
  const std::vector<std::string> names = {"pypi:=requests", "pypi:+requests", "pypi:-requests", "pypi:@requests"};
  std::vector<std::string> args = {"--format", "csv", "--min-score", "0", "--top", "1"};
  args.insert(args.end(), names.begin(), names.end());
  const RunResult r = Squat("check", args);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 5u) << Show(r);
  size_t checked = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    for (std::string cell : RawCsvCells(lines[i])) {
      if (!cell.empty() && cell[0] == '"') cell = cell.substr(1);
      ASSERT_FALSE(cell.empty() ? false : (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@'))
          << "cell starts a formula: " << cell << "\n" << Show(r);
    }
    const std::vector<std::vector<std::string>> parsed = ParseCsv(lines[0] + "\n" + lines[i] + "\n");
    ASSERT_EQ(parsed.size(), 2u);
    const std::string& candidate = parsed[1][0];
    ASSERT_FALSE(candidate.empty());
    EXPECT_EQ(candidate[0], '\'') << "candidate cell " << candidate;
    ++checked;
  }
  EXPECT_EQ(checked, names.size()) << "one row per name: " << Show(r);
}

// --- scan ----------------------------------------------------------------------------------

TEST_F(CliTest, ScanFileReportsTheBadLineAndScansTheRest) {
  const std::string path = kData + "/names.txt";
  const RunResult r = Squat("scan", {"--format", "jsonl", path});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(Candidates(r.out), (std::vector<std::string>{"meta-Ilama/Llama-3-8B", "reqeusts", "lodahs", "qwen/Qwen2-72B"}))
      << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "names.txt:4:")) << Show(r);
  EXPECT_FALSE(absl::StrContains(r.err, ":3:")) << Show(r);
  // The JSONL "ecosystem" field decides where lodahs is compared.
  for (const json& f : ParseJsonl(r.out)) {
    if (f["candidate"] == "lodahs") {
      EXPECT_EQ(f["target"], "lodash");
      EXPECT_EQ(f["ecosystem"], "npm");
    }
  }
}

TEST_F(CliTest, ScanFromStdin) {
  const std::string text = ReadFile(kData + "/names.txt");
  for (const std::vector<std::string>& extra : {std::vector<std::string>{"-"}, std::vector<std::string>{}}) {
    std::vector<std::string> args = {"--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = Squat("scan", args, text);
    EXPECT_EQ(r.exit_code, 1) << Show(r);
    EXPECT_EQ(Candidates(r.out),
              (std::vector<std::string>{"meta-Ilama/Llama-3-8B", "reqeusts", "lodahs", "qwen/Qwen2-72B"}))
        << Show(r);
    EXPECT_TRUE(absl::StrContains(r.err, ":4:")) << Show(r);
  }
}

TEST_F(CliTest, ScanKeepsInputOrderAcrossThreadsAndBatches) {
  // Enough lines for several batches and chunks; look-alikes at known lines.
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 40000; ++i) {
    if (i % 997 == 0) {
      const std::string name = i % 2 == 0 ? "reqeusts" : "requestss";
      absl::StrAppend(&text, "pypi:", name, "\n");
      expected.push_back(name);
    } else if (i % 1499 == 0) {
      absl::StrAppend(&text, "{\"name\": \"meta-Ilama/model-", i, "\", \"ecosystem\": \"hf\"}\n");
      expected.push_back(absl::StrCat("meta-Ilama/model-", i));
    } else {
      absl::StrAppend(&text, "pypi:unrelated-package-name-", i, "\n");
    }
  }
  const std::string path = TempDir() + "/many.txt";
  WriteFile(path, text);
  const RunResult r = Squat("scan", {"--format", "jsonl", "--top", "1", "--threads", "4", path});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(Candidates(r.out), expected) << Show(r);
  EXPECT_TRUE(r.err.empty()) << Show(r);
}

TEST_F(CliTest, ScanJsonStatsCountNamesAndBadLines) {
  const RunResult r = Squat("scan", {"--format", "json", kData + "/names.txt"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  EXPECT_EQ(doc["findings"].size(), 4u);
  EXPECT_EQ(doc["stats"]["names"], 6) << "comment and blank lines are not names: " << doc["stats"].dump();
  EXPECT_EQ(doc["stats"]["bad_names"], 1) << doc["stats"].dump();
}

TEST_F(CliTest, ScanWithOnlyBadLinesExitsThree) {
  const RunResult r = Squat("scan", {"-"}, "{\"name\": 1}\npypi:re\xFFq\n{broken\n");
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  for (const char* where : {":1:", ":2:", ":3:"}) EXPECT_TRUE(absl::StrContains(r.err, where)) << Show(r);
}

TEST_F(CliTest, ScanMissingFileExitsThree) {
  const std::string missing = TempDir() + "/nope.txt";
  const RunResult r = Squat("scan", {missing});
  EXPECT_EQ(r.exit_code, 3) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, missing)) << Show(r);
}

TEST_F(CliTest, ScanCleanInputExitsZero) {
  const RunResult r = Squat("scan", {"-"}, "pypi:requests\nhf:meta-llama/Llama-3-8B\n# comment\n\nnpm:lodash\n");
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  EXPECT_TRUE(r.out.empty()) << Show(r);
}

TEST_F(CliTest, ScanSurvivesExtremeFieldValues) {
  // Feed fields come from registries and attackers: huge, negative and
  // out-of-range numbers must neither crash the scan nor stop it.
  const std::string feed =
      "{\"name\": \"reqeusts\", \"ecosystem\": \"pypi\", \"created_at\": -9223372036854775808}\n"
      "{\"name\": \"reqeusts\", \"ecosystem\": \"pypi\", \"created_at\": 9223372036854775807, \"rank\": -1}\n"
      "{\"name\": \"reqeusts\", \"ecosystem\": \"pypi\", \"downloads\": -5, \"rank\": 0}\n"
      "{\"name\": \"reqeusts\", \"ecosystem\": \"pypi\", \"created_at\": \"0001-01-01\"}\n";
  const RunResult r = Squat("scan", {"--format", "jsonl", "-"}, feed);
  EXPECT_EQ(r.signal, 0) << Show(r);
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_EQ(Candidates(r.out), std::vector<std::string>(4, "reqeusts")) << Show(r);
}

// --- explain --------------------------------------------------------------------------------

TEST_F(CliTest, ExplainPrintsStepsAndEditPath) {
  const RunResult r = Squat("explain", {"--format", "table", "pypi:reqeusts", "pypi:requests"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  for (const char* text : {"reqeusts", "requests", "NFKC", "case folded", "skeleton", "edit path", "transpose",
                           "transposition"}) {
    EXPECT_TRUE(absl::StrContains(r.out, text)) << "missing '" << text << "'\n" << Show(r);
  }
  const RunResult homoglyph = Squat("explain", {"--format", "table", "hf:m\xD0\xB5ta-llama", "hf:meta-llama"});
  EXPECT_EQ(homoglyph.exit_code, 1) << Show(homoglyph);
  EXPECT_TRUE(absl::StrContains(homoglyph.out, "U+0435")) << Show(homoglyph);
  EXPECT_TRUE(absl::StrContains(homoglyph.out, "homoglyph")) << Show(homoglyph);
}

TEST_F(CliTest, ExplainJson) {
  const RunResult r = Squat("explain", {"--format", "json", "hf:meta-Ilama", "hf:meta-llama"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << Show(r);
  EXPECT_EQ(doc["candidate"]["name"], "meta-Ilama");
  EXPECT_EQ(doc["target"]["name"], "meta-llama");
  ASSERT_TRUE(doc["candidate"]["steps"].is_array());
  EXPECT_GE(doc["candidate"]["steps"].size(), 5u);
  ASSERT_TRUE(doc["edit_path"].is_array());
  EXPECT_EQ(doc["edit_path"].size(), doc["distance"].get<size_t>());
  EXPECT_EQ(doc["finding"]["techniques"][0], "homoglyph") << doc.dump(2);
}

TEST_F(CliTest, ExplainUnrelatedNamesExitsZero) {
  const RunResult r = Squat("explain", {"--format", "table", "pypi:flask", "pypi:requests"});
  EXPECT_EQ(r.exit_code, 0) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.out, "edit path")) << Show(r);
}

// --- help ------------------------------------------------------------------------------------

TEST_F(CliTest, HelpOnEveryCommand) {
  const RunResult top = RunSquatguard({"--help"});
  EXPECT_EQ(top.exit_code, 0) << Show(top);
  for (const char* command : {"check", "scan", "explain", "crawl", "deps", "alerts", "review"}) {
    EXPECT_TRUE(absl::StrContains(top.out, command)) << "top-level help lists " << command;
    for (const char* flag : {"--help", "-h"}) {
      const RunResult r = RunSquatguard({command, flag});
      EXPECT_EQ(r.exit_code, 0) << command << " " << flag << "\n" << Show(r);
      EXPECT_TRUE(absl::StrContains(r.out, absl::StrCat("squatguard ", command))) << Show(r);
      EXPECT_TRUE(absl::StrContains(r.out, "--help")) << Show(r);
    }
  }
  // Every scoring command documents the shared options.
  for (const char* command : {"check", "scan", "explain", "crawl", "deps"}) {
    const RunResult r = RunSquatguard({command, "--help"});
    for (const char* option : {"--protected", "--add-protected", "--ecosystem", "--format", "--min-score", "--top",
                               "--max-name-bytes", "--max-reorder-words"}) {
      EXPECT_TRUE(absl::StrContains(r.out, option)) << command << " --help lacks " << option;
    }
  }
}

// --- The escaping helpers, through the library --------------------------------------------

TEST(EscapeTest, TerminalEscapes) {
  using cli::EscapeForTerminal;
  EXPECT_EQ(EscapeForTerminal("meta-llama"), "meta-llama");
  EXPECT_EQ(EscapeForTerminal("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(EscapeForTerminal("a\xE2\x80\xAE" "b"), "a\\u202eb");
  EXPECT_EQ(EscapeForTerminal("zero\xE2\x80\x8Bwidth"), "zero\\u200bwidth");
  EXPECT_EQ(EscapeForTerminal("bad\xFF"), "bad\\xff");
  EXPECT_EQ(EscapeForTerminal("tab\tnl\ncr\r"), "tab\\x09nl\\x0acr\\x0d");
  EXPECT_EQ(EscapeForTerminal("\x7f"), "\\x7f");
  EXPECT_EQ(EscapeForTerminal("\xC2\x9B" "31m"), "\\u009b31m") << "C1 CSI";
  // A backslash is escaped too, so a name cannot fake an escape sequence.
  EXPECT_EQ(EscapeForTerminal("a\\x1b"), "a\\\\x1b");
  // Visible non-ASCII letters stay as they are.
  EXPECT_EQ(EscapeForTerminal("m\xD0\xB5ta"), "m\xD0\xB5ta");
  EXPECT_EQ(EscapeForTerminal("\xEF\xBD\x8D"), "\xEF\xBD\x8D");
}

TEST(EscapeTest, CsvCells) {
  using cli::CsvCell;
  EXPECT_EQ(CsvCell("requests"), "requests");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  for (const char* formula : {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"}) {
    std::string cell = CsvCell(formula);
    if (!cell.empty() && cell[0] == '"') cell = cell.substr(1);
    ASSERT_FALSE(cell.empty());
    EXPECT_EQ(std::string("=+-@\t\r").find(cell[0]), std::string::npos) << formula << " -> " << CsvCell(formula);
  }
  for (const char* formula : {"=1+1", "+1", "-1", "@SUM(A1)"}) {
    std::string cell = CsvCell(formula);
    if (!cell.empty() && cell[0] == '"') cell = cell.substr(1);
    EXPECT_EQ(cell.substr(0, 2), std::string("'") + formula[0]) << "a leading ' keeps the text visible";
  }
  EXPECT_EQ(CsvCell("x\x1b[31m").find('\x1b'), std::string::npos);
  EXPECT_EQ(CsvCell("line\nbreak").find('\n'), std::string::npos) << "one record per line";
}

}  // namespace
}  // namespace test
}  // namespace squatguard
