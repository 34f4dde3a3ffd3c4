// Writing findings for people and programs: table, json, jsonl, csv, sarif.
//
// Names are attacker-controlled. Every writer escapes them: tables show
// control characters, ANSI escapes and bidi overrides as \x1b / \u202e; CSV
// cells never start with = + - @ tab or CR (a leading ' is added); JSON is
// always valid UTF-8 (invalid bytes appear as \xNN text, never dropped).
#ifndef SQUATGUARD_CLI_OUTPUT_H_
#define SQUATGUARD_CLI_OUTPUT_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "squatguard/finding.h"

namespace squatguard {
namespace cli {

enum class OutputFormat { kTable, kJson, kJsonl, kCsv, kSarif };

std::optional<OutputFormat> ParseOutputFormat(absl::string_view word);
// table when stdout is a terminal, jsonl otherwise.
OutputFormat DefaultOutputFormat();

// Extra per-row fields some commands add (alerts: id, status, first_seen).
using ExtraFields = std::vector<std::pair<std::string, std::string>>;

class FindingWriter {
 public:
  virtual ~FindingWriter() = default;
  // Rows are written as they come (jsonl and csv stream; table, json and
  // sarif are written in Finish()).
  virtual void Write(const Finding& finding, const ExtraFields& extra = {}) = 0;
  // `stats` become the "stats" object of json and the run properties of sarif.
  virtual void Finish(const ExtraFields& stats = {}) = 0;
};

std::unique_ptr<FindingWriter> MakeFindingWriter(OutputFormat format, std::ostream& out);

// Escapes text for a terminal: C0/C1 controls, DEL, bidi controls and other
// invisible format characters become \xNN or \uNNNN; invalid UTF-8 bytes \xNN.
std::string EscapeForTerminal(absl::string_view text);

// Makes one CSV cell: quoted when needed, and a leading ' when the escaped
// text would start with = + - @ tab or CR (spreadsheet formula injection).
std::string CsvCell(absl::string_view text);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_OUTPUT_H_
