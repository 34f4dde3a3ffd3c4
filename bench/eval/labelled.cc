#include "eval/labelled.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/corpora.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace bench {
namespace {

// A TSV field, with CSV-style quotes removed ("a ""b""" -> a "b").
std::string Unquote(absl::string_view field) {
  field = absl::StripAsciiWhitespace(field);
  if (field.size() < 2 || field.front() != '"' || field.back() != '"') return std::string(field);
  field = field.substr(1, field.size() - 2);
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    out += field[i];
    if (field[i] == '"' && i + 1 < field.size() && field[i + 1] == '"') ++i;
  }
  return out;
}

struct Table {
  std::map<std::string, size_t> columns;
  std::vector<std::pair<size_t, std::vector<std::string>>> rows;  // (line number, fields)
};

absl::StatusOr<Table> ReadTable(const std::string& path, const std::vector<std::string>& required) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  Table t;
  size_t line_no = 0;
  bool header = true;
  absl::Status error;
  ForEachLine(*text, 0, [&](absl::string_view line) {
    ++line_no;
    if (!error.ok() || absl::StripAsciiWhitespace(line).empty()) return;
    std::vector<std::string> fields;
    for (absl::string_view f : absl::StrSplit(line, '\t')) fields.push_back(Unquote(f));
    if (header) {
      header = false;
      for (size_t i = 0; i < fields.size(); ++i) t.columns[absl::AsciiStrToLower(fields[i])] = i;
      for (const std::string& r : required) {
        if (!t.columns.count(r)) {
          error = absl::InvalidArgumentError(absl::StrCat(path, ":1: no column '", r, "' in the header"));
          return;
        }
      }
      return;
    }
    t.rows.emplace_back(line_no, std::move(fields));
  });
  if (!error.ok()) return error;
  if (header) return absl::InvalidArgumentError(absl::StrCat(path, ": empty file (a header line is required)"));
  return t;
}

absl::StatusOr<Ecosystem> EcosystemOf(const std::string& word, const std::string& origin) {
  std::optional<Ecosystem> e = ParseEcosystem(absl::AsciiStrToLower(word));
  if (!e || *e == Ecosystem::kAny) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": unknown ecosystem '", word, "'"));
  }
  return *e;
}

}  // namespace

std::string IdentityKey(Ecosystem ecosystem, absl::string_view name) {
  if (ecosystem == Ecosystem::kPyPI) return confusables::PypiNormalize(name);
  return std::string(name);
}

absl::StatusOr<std::vector<LabelledPair>> ReadLabelledPairs(const std::string& path) {
  absl::StatusOr<Table> t = ReadTable(path, {"ecosystem", "squat", "target", "technique"});
  if (!t.ok()) return t.status();
  std::vector<LabelledPair> out;
  for (const auto& [line, f] : t->rows) {
    auto get = [&](const char* c) { size_t i = t->columns.at(c); return i < f.size() ? f[i] : std::string(); };
    LabelledPair p;
    p.origin = absl::StrCat(path, ":", line);
    absl::StatusOr<Ecosystem> e = EcosystemOf(get("ecosystem"), p.origin);
    if (!e.ok()) return e.status();
    p.ecosystem = *e;
    p.squat = get("squat");
    p.target = get("target");
    p.technique = get("technique");
    if (p.squat.empty() || p.target.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(p.origin, ": empty squat or target"));
    }
    if (p.technique.empty()) p.technique = "(unlabelled)";
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<LabelledNegative>> ReadLabelledNegatives(const std::string& path) {
  absl::StatusOr<Table> t = ReadTable(path, {"ecosystem", "name", "nearest_popular_name"});
  if (!t.ok()) return t.status();
  std::vector<LabelledNegative> out;
  const bool has_why = t->columns.count("why_legit") > 0;
  for (const auto& [line, f] : t->rows) {
    auto get = [&](const char* c) { size_t i = t->columns.at(c); return i < f.size() ? f[i] : std::string(); };
    LabelledNegative n;
    n.origin = absl::StrCat(path, ":", line);
    absl::StatusOr<Ecosystem> e = EcosystemOf(get("ecosystem"), n.origin);
    if (!e.ok()) return e.status();
    n.ecosystem = *e;
    n.name = get("name");
    n.nearest = get("nearest_popular_name");
    if (has_why) n.why = get("why_legit");
    if (n.name.empty()) return absl::InvalidArgumentError(absl::StrCat(n.origin, ": empty name"));
    out.push_back(std::move(n));
  }
  return out;
}

void CorpusContext::Fill(Candidate* c) const {
  if (c->ecosystem == Ecosystem::kPyPI) {
    auto it = pypi_rank.find(confusables::PypiNormalize(c->name));
    if (it != pypi_rank.end()) c->rank = it->second;
  } else if (c->ecosystem == Ecosystem::kNpm) {
    auto it = npm_downloads.find(c->name);
    if (it != npm_downloads.end()) c->downloads = it->second;
  }
}

absl::StatusOr<CorpusContext> LoadCorpusContext(const std::string& shared_dir) {
  CorpusContext ctx;
  absl::StatusOr<std::vector<PypiName>> pypi = ReadPypiNames(shared_dir + "/corpora/pypi-names.tsv");
  if (!pypi.ok()) return pypi.status();
  for (const PypiName& p : *pypi) {
    if (!p.rank) continue;
    auto [it, inserted] = ctx.pypi_rank.try_emplace(confusables::PypiNormalize(p.name), *p.rank);
    if (!inserted) it->second = std::min(it->second, *p.rank);
  }
  absl::StatusOr<std::vector<NpmName>> npm = ReadNpmNames(shared_dir + "/corpora/npm-names.tsv");
  if (!npm.ok()) return npm.status();
  for (const NpmName& n : *npm) ctx.npm_downloads[n.name] = n.downloads;
  return ctx;
}

}  // namespace bench
}  // namespace squatguard
