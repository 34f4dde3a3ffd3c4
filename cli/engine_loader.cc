#include "cli/engine_loader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace squatguard {
namespace cli {

void AddEngineOptions(ArgParser* p) {
  p->AddOption("--protected", "PATH", "protected list file or folder; replaces the shipped lists (repeatable)");
  p->AddOption("--add-protected", "PATH", "protected list added to the shipped ones (repeatable)");
  p->AddOption("--ecosystem", "ECO", "hf, pypi, npm, mlflow, sagemaker, vertex, azureml or any (default any)");
  p->AddOption("--kind", "KIND", "kind of the entries of plain-text lists (default package; org for hf)");
  p->AddOption("--min-score", "X", "report findings scoring at least X, in [0, 1] (default 0.5)");
  p->AddOption("--top", "N", "findings kept per name, 0 for all (default 3)");
  p->AddOption("--max-name-bytes", "N",
               absl::StrCat("longest name checked, 1 to ", kMaxNameBytesLimit,
                            "; longer ones are refused (default 1024)"));
  p->AddOption("--max-reorder-words", "N",
               absl::StrCat("most words of a name tried in other orders, 0 (off) to ", kMaxReorderWordsLimit,
                            " (default 5)"));
  p->AddOption("--format", "FMT", "table, json, jsonl, csv or sarif (default table on a terminal, else jsonl)");
}

std::string DataDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("SQUATGUARD_DATA_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (fs::is_directory(SQUATGUARD_DATA_DIR_BUILD "/protected", ec)) return SQUATGUARD_DATA_DIR_BUILD;
  return SQUATGUARD_DATA_DIR_INSTALL;
}

absl::StatusOr<CommonOptions> ParseCommonOptions(const ArgParser& p) {
  CommonOptions o;
  o.format = DefaultOutputFormat();
  if (auto v = p.Get("--ecosystem")) {
    std::optional<Ecosystem> e = ParseEcosystem(*v);
    if (!e) return absl::InvalidArgumentError(absl::StrCat("--ecosystem: unknown ecosystem '", *v, "'"));
    o.ecosystem = *e;
  }
  if (auto v = p.Get("--min-score")) {
    if (!absl::SimpleAtod(*v, &o.min_score) || o.min_score < 0 || o.min_score > 1) {
      return absl::InvalidArgumentError(absl::StrCat("--min-score: expected a number in [0, 1], got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--top")) {
    if (!absl::SimpleAtoi(*v, &o.top) || o.top < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--top: expected a whole number >= 0, got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--max-name-bytes")) {
    if (!absl::SimpleAtoi(*v, &o.max_name_bytes) || o.max_name_bytes < 1 ||
        o.max_name_bytes > kMaxNameBytesLimit) {
      return absl::InvalidArgumentError(
          absl::StrCat("--max-name-bytes: expected 1 to ", kMaxNameBytesLimit, ", got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--max-reorder-words")) {
    if (!absl::SimpleAtoi(*v, &o.max_reorder_words) || o.max_reorder_words < 0 ||
        o.max_reorder_words > kMaxReorderWordsLimit) {
      return absl::InvalidArgumentError(
          absl::StrCat("--max-reorder-words: expected 0 to ", kMaxReorderWordsLimit, ", got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--format")) {
    std::optional<OutputFormat> f = ParseOutputFormat(*v);
    if (!f) {
      return absl::InvalidArgumentError(
          absl::StrCat("--format: expected table, json, jsonl, csv or sarif, got '", *v, "'"));
    }
    o.format = *f;
  }
  if (auto v = p.Get("--kind")) {
    if (!ParseEntryKind(*v)) {
      return absl::InvalidArgumentError(absl::StrCat("--kind: expected org, repo, package or anticipated, got '", *v, "'"));
    }
  }
  return o;
}

namespace {

// data/affixes/<ecosystem>.txt: one word a line; common.txt applies to all.
absl::Status LoadAffixWords(const std::string& dir, EngineOptions* options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return absl::OkStatus();
  for (const fs::directory_entry& d : fs::directory_iterator(dir, ec)) {
    if (d.path().extension() != ".txt") continue;
    const std::string stem = d.path().stem().string();
    Ecosystem eco = Ecosystem::kAny;
    if (stem != "common") {
      std::optional<Ecosystem> e = ParseEcosystem(stem);
      if (!e) continue;
      eco = *e;
    }
    std::ifstream in(d.path());
    if (!in) return absl::InvalidArgumentError(absl::StrCat(d.path().string(), ": cannot be read"));
    std::string line;
    while (std::getline(in, line)) {
      absl::string_view w = absl::StripAsciiWhitespace(line);
      if (w.empty() || w[0] == '#') continue;
      options->affix_words.emplace_back(eco, std::string(w));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> LoadEngineFromArgs(const ArgParser& p) {
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok()) return common.status();
  ListDefaults defaults;
  defaults.ecosystem = common->ecosystem;
  defaults.kind = common->ecosystem == Ecosystem::kHuggingFace ? EntryKind::kOrg : EntryKind::kPackage;
  if (auto v = p.Get("--kind")) defaults.kind = *ParseEntryKind(*v);

  ProtectedList list;
  const std::string data = DataDir();
  std::vector<std::string> paths = p.GetAll("--protected");
  if (paths.empty()) paths.push_back(data + "/protected");
  for (const std::string& path : p.GetAll("--add-protected")) paths.push_back(path);
  for (const std::string& path : paths) {
    const size_t before = list.size();
    if (absl::Status s = list.AddPath(path, defaults); !s.ok()) return s;
    // An empty list matches nothing, so every run would look clean: a
    // misconfigured deployment must be told, not reassured.
    if (list.size() == before) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": no protected names (the list is empty)"));
    }
  }
  EngineOptions options;
  options.min_score = common->min_score;
  options.top = common->top;
  options.max_name_bytes = static_cast<size_t>(common->max_name_bytes);
  options.max_reorder_tokens = common->max_reorder_words;
  if (absl::Status s = LoadAffixWords(data + "/affixes", &options); !s.ok()) return s;
  return Engine::Create(std::move(list), std::move(options));
}

}  // namespace cli
}  // namespace squatguard
