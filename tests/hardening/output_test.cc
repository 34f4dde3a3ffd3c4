// Safe output through the binary: names printed to a terminal show control
// characters, ANSI escapes and bidi overrides escaped; CSV cells never start
// a formula; JSON is valid UTF-8 with invalid bytes escaped, never dropped;
// SARIF has every field its schema requires.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hardening/cli_runner.h"

namespace squatguard {
namespace hardening {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr int kFindings = 1;

// RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and breaks.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, in_quotes = false, at_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && at_start) {
      in_quotes = quoted = true;
      at_start = false;
    } else if (c == ',' || c == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      quoted = false;
      at_start = true;
      if (c == '\n') rows.emplace_back();
    } else if (c == '\r' && !quoted && i + 1 < text.size() && text[i + 1] == '\n') {
      // the CRLF row end
    } else {
      cell.push_back(c);
      at_start = false;
    }
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

bool StartsAFormula(const std::string& cell) {
  return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                           cell[0] == '\t' || cell[0] == '\r');
}

TEST(SafeOutput, CsvCellsNeverStartAFormula) {
  RunResult r = RunCli({"check", "--protected", Testdata("protected.jsonl"), "--format", "csv", "--top",
                     "0", "--min-score", "0.3", "--", "=requests", "+requests", "-requests",
                     "@requests", "\trequests", "\rrequests", "=HYPERLINK(\"x\",\"y\")-numpy"});
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  std::vector<std::vector<std::string>> rows = ParseCsv(r.out);
  ASSERT_GT(rows.size(), 6u) << r.out;
  EXPECT_EQ(rows[0][0], "candidate");
  int quoted_formulas = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i << " of\n" << r.out;
    for (const std::string& cell : rows[i]) {
      EXPECT_FALSE(StartsAFormula(cell)) << "row " << i << ": " << cell;
      quoted_formulas += absl::StartsWith(cell, "'=") || absl::StartsWith(cell, "'-") ||
                         absl::StartsWith(cell, "'+") || absl::StartsWith(cell, "'@");
    }
  }
  EXPECT_GE(quoted_formulas, 4) << r.out;
}

// A database with alerts: the fixture for review notes and stored names.
std::string AlertsDb(const ScratchDir& dir) {
  WriteFile(dir.File("feed.jsonl"),
            "{\"name\": \"reqeusts\", \"ecosystem\": \"pypi\"}\n"
            "{\"name\": \"nunpy\", \"ecosystem\": \"pypi\"}\n");
  const std::string db = dir.File("state.db");
  RunResult r = RunCli({"crawl", "feed", dir.File("feed.jsonl"), "--db", db, "--protected",
                     Testdata("protected.jsonl"), "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  return db;
}

TEST(SafeOutput, JsonKeepsInvalidBytesVisible) {
  ScratchDir dir;
  const std::string db = AlertsDb(dir);
  // A reviewer's note is free text: here invalid UTF-8 and a terminal escape.
  const std::string note = "bad \xff\xfe bytes \x1b]0;owned\x07 end";
  RunResult review = RunCli({"review", "1", "--db", db, "--verdict", "benign", "--note", note});
  ASSERT_EQ(review.exit_code, 0) << review.err;

  RunResult json = RunCli({"alerts", "--db", db, "--status", "reviewed", "--format", "json"});
  nlohmann::json doc = nlohmann::json::parse(json.out, nullptr, false);  // strict UTF-8
  ASSERT_FALSE(doc.is_discarded()) << json.out;
  ASSERT_FALSE(doc["findings"].empty()) << json.out;
  // Invalid bytes become \xNN text (either hex case), the rest is kept.
  EXPECT_EQ(absl::AsciiStrToLower(doc["findings"][0]["note"].get<std::string>()),
            "bad \\xff\\xfe bytes \x1b]0;owned\x07 end");
  // ensure_ascii: nothing raw that a terminal would act on.
  for (char c : json.out) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << int(c);

  RunResult table = RunCli({"alerts", "--db", db, "--status", "reviewed", "--format", "table"});
  EXPECT_THAT(table.out, HasSubstr("bad \\xff\\xfe bytes \\x1b]0;owned\\x07 end"));
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.out.find('\x07'), std::string::npos);

  RunResult csv = RunCli({"alerts", "--db", db, "--status", "reviewed", "--format", "csv"});
  EXPECT_THAT(csv.out, HasSubstr("bad \\xff\\xfe bytes \\x1b]0;owned\\x07 end"));
}

TEST(SafeOutput, HostileNamesStoredInTheDatabaseAreEscaped) {
  // A database is a file: someone else may have written to it.
  ScratchDir dir;
  const std::string db = AlertsDb(dir);
  const std::string hostile = "\x1b[2J\xe2\x80\xae" "evil\xff\x07";
  std::string sql = "UPDATE alerts SET candidate = CAST(X'";
  for (unsigned char c : hostile) absl::StrAppend(&sql, absl::Hex(c, absl::kZeroPad2));
  sql += "' AS TEXT) WHERE id = 1";
  ASSERT_EQ(QueryDb(db, sql), "");

  RunResult table = RunCli({"alerts", "--db", db, "--format", "table"});
  EXPECT_THAT(table.exit_code, AnyOf(0, kFindings)) << table.err;
  EXPECT_THAT(table.out, HasSubstr("\\x1b[2J\\u202eevil\\xff\\x07"));
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.out.find("\xe2\x80\xae"), std::string::npos);

  RunResult jsonl = RunCli({"alerts", "--db", db, "--format", "jsonl"});
  bool found = false;
  for (absl::string_view line : absl::StrSplit(jsonl.out, '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    found |= absl::AsciiStrToLower(j["candidate"].get<std::string>()) ==
             "\x1b[2j\xe2\x80\xae" "evil\\xff\x07";
  }
  EXPECT_TRUE(found) << jsonl.out;
}

TEST(SafeOutput, SarifHasTheSchemasRequiredFields) {
  for (const char* name : {"reqeusts", "clean-name-nothing-like-anything"}) {
    RunResult r = RunCli({"check", "--protected", Testdata("protected.jsonl"), "--format", "sarif",
                       name, "meta-Ilama/Llama-3-8B"});
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << r.out;
    // sarifLog: version, runs.
    EXPECT_EQ(doc["version"], "2.1.0");
    ASSERT_TRUE(doc["runs"].is_array());
    ASSERT_EQ(doc["runs"].size(), 1u);
    const nlohmann::json& run = doc["runs"][0];
    // run: tool; tool: driver; toolComponent: name.
    ASSERT_TRUE(run["tool"]["driver"]["name"].is_string());
    std::vector<std::string> rule_ids;
    if (run["tool"]["driver"].contains("rules")) {
      for (const nlohmann::json& rule : run["tool"]["driver"]["rules"]) {
        ASSERT_TRUE(rule["id"].is_string()) << rule;  // reportingDescriptor: id
        rule_ids.push_back(rule["id"]);
        if (rule.contains("shortDescription")) EXPECT_TRUE(rule["shortDescription"]["text"].is_string());
      }
    }
    ASSERT_TRUE(run["results"].is_array());
    EXPECT_FALSE(run["results"].empty());
    for (const nlohmann::json& result : run["results"]) {
      // result: message; message: text (or id).
      ASSERT_TRUE(result["message"]["text"].is_string()) << result;
      EXPECT_THAT(result.value("level", "warning"), AnyOf("none", "note", "warning", "error"));
      if (result.contains("ruleId")) {
        EXPECT_NE(std::find(rule_ids.begin(), rule_ids.end(), result["ruleId"]), rule_ids.end())
            << "ruleId " << result["ruleId"] << " is not among the driver's rules";
      }
      for (const nlohmann::json& loc : result.value("locations", nlohmann::json::array())) {
        for (const nlohmann::json& logical : loc.value("logicalLocations", nlohmann::json::array())) {
          EXPECT_TRUE(logical["name"].is_string());
        }
      }
      EXPECT_TRUE(result["properties"].is_object());
    }
  }
}

}  // namespace
}  // namespace hardening
}  // namespace squatguard
