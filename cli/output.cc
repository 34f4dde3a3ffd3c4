// Finding writers: table, json, jsonl, csv, sarif.
#include "cli/output.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "confusables/utf8.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace cli {
namespace {

using nlohmann::json;

std::string Techniques(const Finding& f, absl::string_view sep) {
  std::vector<std::string> names;
  for (Technique t : f.techniques) names.emplace_back(TechniqueName(t));
  return absl::StrJoin(names, sep);
}

// JSON strings must be valid UTF-8; invalid bytes become visible \xNN text.
std::string SafeUtf8(absl::string_view s) { return confusables::EscapeInvalidUtf8(s); }

json FindingJson(const Finding& f, const ExtraFields& extra) {
  json j = json::object();
  for (const auto& [k, v] : extra) {
    // Numeric-looking ids stay numbers for scripts.
    if (k == "id") {
      try {
        j[k] = std::stoll(v);
        continue;
      } catch (...) {
      }
    }
    j[k] = SafeUtf8(v);
  }
  j["candidate"] = SafeUtf8(f.candidate);
  j["ecosystem"] = std::string(EcosystemName(f.ecosystem));
  j["target"] = SafeUtf8(f.target);
  j["target_kind"] = std::string(EntryKindName(f.target_kind));
  j["score"] = f.score;
  j["severity"] = std::string(SeverityName(f.severity));
  json t = json::array();
  for (Technique x : f.techniques) t.push_back(std::string(TechniqueName(x)));
  j["techniques"] = t;
  j["distance"] = f.distance;
  j["explanation"] = SafeUtf8(f.explanation);
  return j;
}

// ensure_ascii: bidi overrides and controls appear as \u escapes, so JSON
// shown in a terminal cannot reorder or recolour it.
std::string Dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
}

class JsonlWriter : public FindingWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void Write(const Finding& f, const ExtraFields& extra) override {
    out_ << Dump(FindingJson(f, extra)) << '\n';
    out_.flush();
  }
  void Finish(const ExtraFields&) override { out_.flush(); }

 private:
  std::ostream& out_;
};

class JsonWriter : public FindingWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  void Write(const Finding& f, const ExtraFields& extra) override {
    findings_.push_back(FindingJson(f, extra));
  }
  void Finish(const ExtraFields& stats) override {
    json s = json::object();
    for (const auto& [k, v] : stats) {
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (!v.empty() && end != nullptr && *end == '\0') s[k] = d;
      else s[k] = SafeUtf8(v);
    }
    json doc = {{"findings", findings_}, {"stats", s}};
    out_ << Dump(doc, 2) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  json findings_ = json::array();
};

class CsvWriter : public FindingWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void Write(const Finding& f, const ExtraFields& extra) override {
    if (!header_done_) {
      std::vector<std::string> cols;
      for (const auto& [k, v] : extra) cols.push_back(k);
      for (const char* c : {"candidate", "ecosystem", "target", "target_kind", "score", "severity",
                            "techniques", "distance", "explanation"}) {
        cols.emplace_back(c);
      }
      out_ << absl::StrJoin(cols, ",") << "\r\n";
      header_done_ = true;
    }
    std::vector<std::string> cells;
    for (const auto& [k, v] : extra) cells.push_back(CsvCell(v));
    cells.push_back(CsvCell(f.candidate));
    cells.push_back(CsvCell(EcosystemName(f.ecosystem)));
    cells.push_back(CsvCell(f.target));
    cells.push_back(CsvCell(EntryKindName(f.target_kind)));
    cells.push_back(absl::StrFormat("%.3f", f.score));
    cells.push_back(CsvCell(SeverityName(f.severity)));
    cells.push_back(CsvCell(Techniques(f, ";")));
    cells.push_back(absl::StrCat(f.distance));
    cells.push_back(CsvCell(f.explanation));
    out_ << absl::StrJoin(cells, ",") << "\r\n";
    out_.flush();
  }
  void Finish(const ExtraFields&) override {
    if (!header_done_) {
      out_ << "candidate,ecosystem,target,target_kind,score,severity,techniques,distance,explanation\r\n";
    }
    out_.flush();
  }

 private:
  std::ostream& out_;
  bool header_done_ = false;
};

class TableWriter : public FindingWriter {
 public:
  explicit TableWriter(std::ostream& out) : out_(out) {}
  void Write(const Finding& f, const ExtraFields& extra) override {
    std::vector<std::string> row;
    for (const auto& [k, v] : extra) row.push_back(EscapeForTerminal(v));
    row.push_back(absl::StrFormat("%.2f", f.score));
    row.push_back(std::string(SeverityName(f.severity)));
    row.push_back(EscapeForTerminal(f.candidate));
    row.push_back(absl::StrCat(EscapeForTerminal(f.target), " (", EcosystemName(f.ecosystem), " ",
                               EntryKindName(f.target_kind), ")"));
    row.push_back(Techniques(f, ","));
    if (header_.empty()) {
      for (const auto& [k, v] : extra) header_.push_back(absl::AsciiStrToUpper(k));
      for (const char* h : {"SCORE", "SEVERITY", "CANDIDATE", "TARGET", "TECHNIQUES"}) header_.emplace_back(h);
    }
    rows_.push_back(std::move(row));
    explanations_.push_back(EscapeForTerminal(f.explanation));
  }
  void Finish(const ExtraFields& stats) override {
    if (rows_.empty()) {
      out_ << "no findings\n";
    } else {
      std::vector<size_t> width(header_.size(), 0);
      for (size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
      for (const auto& r : rows_) {
        for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], Columns(r[c]));
      }
      PrintRow(header_, width);
      for (size_t i = 0; i < rows_.size(); ++i) {
        PrintRow(rows_[i], width);
        out_ << "    " << explanations_[i] << '\n';
      }
    }
    if (!stats.empty()) {
      std::vector<std::string> parts;
      for (const auto& [k, v] : stats) parts.push_back(absl::StrCat(k, "=", EscapeForTerminal(v)));
      out_ << "-- " << absl::StrJoin(parts, " ") << '\n';
    }
    out_.flush();
  }

 private:
  // Display columns: code points (escaped text is mostly ASCII).
  static size_t Columns(const std::string& s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }
  void PrintRow(const std::vector<std::string>& row, const std::vector<size_t>& width) {
    for (size_t c = 0; c < row.size(); ++c) {
      out_ << row[c];
      if (c + 1 < row.size()) out_ << std::string(width[c] - std::min(width[c], Columns(row[c])) + 2, ' ');
    }
    out_ << '\n';
  }
  std::ostream& out_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> explanations_;
};

class SarifWriter : public FindingWriter {
 public:
  explicit SarifWriter(std::ostream& out) : out_(out) {}
  void Write(const Finding& f, const ExtraFields& extra) override {
    const std::string rule = f.techniques.empty() ? "squat" : std::string(TechniqueName(f.techniques[0]));
    rules_used_.push_back(rule);
    json r = {
        {"ruleId", rule},
        {"level", f.severity >= Severity::kHigh ? "error" : f.severity == Severity::kMedium ? "warning" : "note"},
        {"message", {{"text", SafeUtf8(f.explanation)}}},
        {"locations",
         json::array({{{"logicalLocations",
                        json::array({{{"name", SafeUtf8(f.candidate)},
                                      {"fullyQualifiedName",
                                       absl::StrCat(EcosystemName(f.ecosystem), ":", SafeUtf8(f.candidate))},
                                      {"kind", "package"}}})}}})},
        {"properties", FindingJson(f, extra)},
    };
    results_.push_back(std::move(r));
  }
  void Finish(const ExtraFields& stats) override {
    std::sort(rules_used_.begin(), rules_used_.end());
    rules_used_.erase(std::unique(rules_used_.begin(), rules_used_.end()), rules_used_.end());
    json rules = json::array();
    for (const std::string& id : rules_used_) {
      rules.push_back({{"id", id},
                       {"name", id},
                       {"shortDescription", {{"text", absl::StrCat("name impersonation by ", id)}}}});
    }
    json props = json::object();
    for (const auto& [k, v] : stats) props[k] = SafeUtf8(v);
    json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", json::array({{{"tool", {{"driver", {{"name", "squatguard"},
                                                     {"version", SQUATGUARD_VERSION},
                                                     {"rules", rules}}}}},
                               {"results", results_},
                               {"properties", props}}})},
    };
    out_ << Dump(doc, 2) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  json results_ = json::array();
  std::vector<std::string> rules_used_;
};

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(absl::string_view word) {
  if (word == "table") return OutputFormat::kTable;
  if (word == "json") return OutputFormat::kJson;
  if (word == "jsonl") return OutputFormat::kJsonl;
  if (word == "csv") return OutputFormat::kCsv;
  if (word == "sarif") return OutputFormat::kSarif;
  return std::nullopt;
}

OutputFormat DefaultOutputFormat() {
  return isatty(STDOUT_FILENO) ? OutputFormat::kTable : OutputFormat::kJsonl;
}

std::unique_ptr<FindingWriter> MakeFindingWriter(OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable: return std::make_unique<TableWriter>(out);
    case OutputFormat::kJson: return std::make_unique<JsonWriter>(out);
    case OutputFormat::kJsonl: return std::make_unique<JsonlWriter>(out);
    case OutputFormat::kCsv: return std::make_unique<CsvWriter>(out);
    case OutputFormat::kSarif: return std::make_unique<SarifWriter>(out);
  }
  return nullptr;
}

}  // namespace cli
}  // namespace squatguard
