// The output writers and escapers on hostile names (cli/output.h).
//
// Input: candidate, target, explanation and an extra field's value,
// separated by tabs; any bytes, invalid UTF-8 included (names from a
// database or a registry record can hold anything). Properties:
//   - terminal text has no control characters, ESC, C1 controls or bidi and
//     other invisible format characters, and is valid UTF-8;
//   - a CSV cell never starts (inside its quotes) with = + - @ tab or CR;
//   - json, jsonl and sarif output parse as strict JSON and keep every byte
//     (invalid bytes as \xNN text); sarif has the schema's required fields.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/output.h"
#include "confusables/utf8.h"
#include "fuzz/fuzz_support.h"

namespace {

using squatguard::cli::OutputFormat;
using squatguard::fuzzing::Printable;
using nlohmann::json;

bool IsHiddenOrControl(char32_t c) {
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x061c ||
         (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
         (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
         (c >= 0xe0000 && c <= 0xe0fff);
}

void CheckTerminalText(absl::string_view input, absl::string_view shown, bool newlines_ok) {
  FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(shown).ok(), Printable(input));
  for (char32_t c : squatguard::confusables::DecodeUtf8(shown)) {
    if (newlines_ok && c == '\n') continue;
    FUZZ_EXPECT(!IsHiddenOrControl(c),
                absl::StrCat(Printable(input), " shows U+", absl::Hex(static_cast<uint32_t>(c))));
  }
}

void CheckCsvCell(absl::string_view input, const std::string& cell) {
  absl::string_view inner = cell;
  if (!inner.empty() && inner.front() == '"') inner.remove_prefix(1);
  if (inner.empty()) return;
  const char c = inner.front();
  FUZZ_EXPECT(c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r',
              absl::StrCat(Printable(input), " -> ", Printable(cell)));
  // Quotes inside a quoted cell are doubled.
  if (cell.front() == '"') {
    FUZZ_EXPECT(cell.size() >= 2 && cell.back() == '"', Printable(cell));
    absl::string_view body = absl::string_view(cell).substr(1, cell.size() - 2);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] != '"') continue;
      FUZZ_EXPECT(i + 1 < body.size() && body[i + 1] == '"', Printable(cell));
      ++i;
    }
  } else {
    FUZZ_EXPECT(cell.find_first_of(",\"\r\n") == std::string::npos, Printable(cell));
  }
}

std::string Render(OutputFormat format, const squatguard::Finding& f,
                   const squatguard::cli::ExtraFields& extra) {
  std::ostringstream out;
  std::unique_ptr<squatguard::cli::FindingWriter> w = squatguard::cli::MakeFindingWriter(format, out);
  w->Write(f, extra);
  w->Write(f, extra);
  w->Finish({{"names", "2"}, {"source", extra.front().second}});
  return out.str();
}

void CheckJsonFinding(const json& j, const squatguard::Finding& f) {
  FUZZ_EXPECT(j.is_object(), j.dump());
  FUZZ_EXPECT(j.at("candidate") == squatguard::confusables::EscapeInvalidUtf8(f.candidate),
              Printable(f.candidate));
  FUZZ_EXPECT(j.at("target") == squatguard::confusables::EscapeInvalidUtf8(f.target), Printable(f.target));
  FUZZ_EXPECT(j.at("explanation") == squatguard::confusables::EscapeInvalidUtf8(f.explanation),
              Printable(f.explanation));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts =
      absl::StrSplit(squatguard::fuzzing::AsText(data, size), absl::MaxSplits('\t', 3));
  parts.resize(4);
  squatguard::Finding f;
  f.candidate = parts[0];
  f.ecosystem = squatguard::Ecosystem::kPyPI;
  f.target = parts[1];
  f.explanation = parts[2];
  f.score = 0.9;
  f.severity = squatguard::Severity::kHigh;
  f.techniques = {squatguard::Technique::kHomoglyph, squatguard::Technique::kInvisible};
  const squatguard::cli::ExtraFields extra = {{"id", "7"}, {"note", parts[3]}};

  for (const std::string& part : parts) {
    CheckTerminalText(part, squatguard::cli::EscapeForTerminal(part), /*newlines_ok=*/false);
    CheckCsvCell(part, squatguard::cli::CsvCell(part));
  }
  CheckTerminalText(parts[0], Render(OutputFormat::kTable, f, extra), /*newlines_ok=*/true);

  const std::string csv = Render(OutputFormat::kCsv, f, extra);
  FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(csv).ok(), Printable(csv));

  const std::vector<std::string> lines =
      absl::StrSplit(Render(OutputFormat::kJsonl, f, extra), '\n', absl::SkipEmpty());
  for (const std::string& line : lines) {
    json j = json::parse(line, nullptr, false);
    FUZZ_EXPECT(!j.is_discarded(), Printable(line));
    CheckJsonFinding(j, f);
    FUZZ_EXPECT(j.at("note") == squatguard::confusables::EscapeInvalidUtf8(parts[3]), Printable(parts[3]));
  }

  const std::string doc_text = Render(OutputFormat::kJson, f, extra);
  json doc = json::parse(doc_text, nullptr, false);
  FUZZ_EXPECT(!doc.is_discarded() && doc.contains("findings") && doc.contains("stats"),
              Printable(doc_text));
  for (const json& j : doc["findings"]) CheckJsonFinding(j, f);

  const std::string sarif_text = Render(OutputFormat::kSarif, f, extra);
  json sarif = json::parse(sarif_text, nullptr, false);
  FUZZ_EXPECT(!sarif.is_discarded(), Printable(sarif_text));
  FUZZ_EXPECT(sarif.value("version", "") == "2.1.0", "sarif version");
  FUZZ_EXPECT(sarif.contains("runs") && sarif["runs"].is_array() && sarif["runs"].size() == 1, "runs");
  const json& run = sarif["runs"][0];
  FUZZ_EXPECT(run["tool"]["driver"]["name"].is_string(), "tool.driver.name");
  for (const json& rule : run["tool"]["driver"]["rules"]) FUZZ_EXPECT(rule["id"].is_string(), "rule id");
  FUZZ_EXPECT(run["results"].size() == 2, "two results");
  for (const json& r : run["results"]) {
    FUZZ_EXPECT(r["message"]["text"].is_string(), "result.message.text");
    CheckJsonFinding(r["properties"], f);
  }
  return 0;
}
