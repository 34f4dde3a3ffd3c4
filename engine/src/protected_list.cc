// Parsing of protected lists (JSONL and plain text) and brace patterns.
#include "squatguard/protected_list.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "confusables/utf8.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace {

using nlohmann::json;

absl::Status LineError(absl::string_view origin, size_t line, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(origin, ":", line, ": ", problem));
}

// Rank 1 -> ~1.0, rank 10,000 -> ~0.2; a rough log scale so that both
// popularity and rank can order ties.
double PopularityFromRank(int64_t rank) {
  if (rank < 1) rank = 1;
  double p = 1.0 - std::log10(static_cast<double>(rank)) / 5.0;
  return std::clamp(p, 0.0, 1.0);
}

absl::StatusOr<std::string> StringField(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return absl::InvalidArgumentError(absl::StrCat("\"", key, "\" must be a string"));
  return it->get<std::string>();
}

// Fills everything but name/pattern from one JSON object.
absl::Status ParseEntryFields(const json& obj, const ListDefaults& defaults,
                              ProtectedEntry* e) {
  static constexpr const char* kKnown[] = {
      "name",  "pattern", "kind",     "ecosystem", "popularity", "rank",
      "owner", "allow",   "min_len_for_distance_2", "severity",  "retired", "note", "extensions"};
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find_if(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return it.key() == k; }) == std::end(kKnown)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown field \"", it.key(), "\""));
    }
  }
  absl::StatusOr<std::string> kind = StringField(obj, "kind");
  if (!kind.ok()) return kind.status();
  e->kind = defaults.kind;
  if (!kind->empty()) {
    std::optional<EntryKind> k = ParseEntryKind(*kind);
    if (!k) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown kind '", *kind, "' (expected org, repo, package, anticipated)"));
    }
    e->kind = *k;
  }
  absl::StatusOr<std::string> eco = StringField(obj, "ecosystem");
  if (!eco.ok()) return eco.status();
  e->ecosystem = defaults.ecosystem;
  if (!eco->empty()) {
    std::optional<Ecosystem> parsed = ParseEcosystem(*eco);
    if (!parsed || *parsed == Ecosystem::kAny) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown ecosystem '", *eco,
          "' (expected hf, pypi, npm, mlflow, sagemaker, vertex, azureml)"));
    }
    e->ecosystem = *parsed;
  }
  if (e->ecosystem == Ecosystem::kAny) {
    return absl::InvalidArgumentError("missing \"ecosystem\"");
  }
  if (auto it = obj.find("rank"); it != obj.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1) {
      return absl::InvalidArgumentError("\"rank\" must be a whole number >= 1");
    }
    e->rank = it->get<int64_t>();
    e->popularity = PopularityFromRank(*e->rank);
  }
  if (auto it = obj.find("popularity"); it != obj.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
      return absl::InvalidArgumentError("\"popularity\" must be a number in [0, 1]");
    }
    e->popularity = it->get<double>();
  }
  absl::StatusOr<std::string> owner = StringField(obj, "owner");
  if (!owner.ok()) return owner.status();
  e->owner = *owner;
  if (auto it = obj.find("allow"); it != obj.end() && !it->is_null()) {
    if (!it->is_array()) return absl::InvalidArgumentError("\"allow\" must be a list of names");
    for (const json& a : *it) {
      if (!a.is_string()) return absl::InvalidArgumentError("\"allow\" must be a list of names");
      e->allow.push_back(a.get<std::string>());
    }
  }
  if (auto it = obj.find("min_len_for_distance_2"); it != obj.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 1000) {
      return absl::InvalidArgumentError("\"min_len_for_distance_2\" must be a whole number >= 1");
    }
    e->min_len_for_distance_2 = static_cast<int>(it->get<int64_t>());
  }
  absl::StatusOr<std::string> severity = StringField(obj, "severity");
  if (!severity.ok()) return severity.status();
  if (!severity->empty()) {
    e->severity = ParseSeverity(*severity);
    if (!e->severity) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown severity '", *severity, "' (expected low, medium, high, critical)"));
    }
  }
  if (auto it = obj.find("extensions"); it != obj.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      return absl::InvalidArgumentError("\"extensions\" must be a whole number >= 0");
    }
    e->extensions = it->get<int64_t>();
  }
  if (auto it = obj.find("retired"); it != obj.end() && !it->is_null()) {
    if (!it->is_boolean()) return absl::InvalidArgumentError("\"retired\" must be true or false");
    e->retired = it->get<bool>();
  }
  return absl::OkStatus();
}

absl::Status CheckName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("empty name");
  absl::Status utf8 = confusables::ValidateUtf8(name);
  if (!utf8.ok()) return utf8;
  if (name.size() > 1024) return absl::InvalidArgumentError("name longer than 1024 bytes");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandBracePattern(absl::string_view pattern) {
  std::vector<std::string> out = {""};
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '}') return absl::InvalidArgumentError("unbalanced '}' in pattern");
    if (c != '{') {
      size_t next = pattern.find_first_of("{}", i);
      if (next == absl::string_view::npos) next = pattern.size();
      for (std::string& s : out) s.append(pattern.data() + i, next - i);
      i = next;
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("unbalanced '{' in pattern");
    absl::string_view body = pattern.substr(i + 1, close - i - 1);
    if (body.find('{') != absl::string_view::npos) {
      return absl::InvalidArgumentError("nested braces are not supported in patterns");
    }
    std::vector<absl::string_view> choices = absl::StrSplit(body, ',');
    if (out.size() * choices.size() > kMaxPatternExpansions) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern expands to more than ", kMaxPatternExpansions, " names"));
    }
    std::vector<std::string> next;
    next.reserve(out.size() * choices.size());
    for (const std::string& prefix : out) {
      for (absl::string_view choice : choices) next.push_back(absl::StrCat(prefix, choice));
    }
    out = std::move(next);
    i = close + 1;
  }
  return out;
}

void ProtectedList::Add(ProtectedEntry entry) { entries_.push_back(std::move(entry)); }

absl::Status ProtectedList::AddText(absl::string_view text, absl::string_view origin,
                                    const ListDefaults& defaults) {
  // Decide the format from the first meaningful line.
  bool jsonl = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty() || t[0] == '#') continue;
    jsonl = t[0] == '{';
    break;
  }
  if (!jsonl && defaults.ecosystem == Ecosystem::kAny) {
    // A text list says nothing about its ecosystem; refuse to guess.
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      absl::string_view t = absl::StripAsciiWhitespace(line);
      if (!t.empty() && t[0] != '#') {
        return absl::InvalidArgumentError(absl::StrCat(
            origin, ": a plain-text list needs --ecosystem (hf, pypi, npm, ...)"));
      }
    }
  }
  size_t line_no = 0;
  std::vector<ProtectedEntry> parsed;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty() || t[0] == '#') continue;
    if (absl::Status s = confusables::ValidateUtf8(t); !s.ok()) {
      return LineError(origin, line_no, s.message());
    }
    std::string where = absl::StrCat(origin, ":", line_no);
    if (!jsonl) {
      ProtectedEntry e;
      e.name = std::string(t);
      e.kind = defaults.kind;
      e.ecosystem = defaults.ecosystem;
      e.origin = where;
      if (absl::Status s = CheckName(e.name); !s.ok()) return LineError(origin, line_no, s.message());
      parsed.push_back(std::move(e));
      continue;
    }
    json obj = json::parse(t.begin(), t.end(), nullptr, /*allow_exceptions=*/false);
    if (obj.is_discarded()) return LineError(origin, line_no, "broken JSON");
    if (!obj.is_object()) return LineError(origin, line_no, "expected a JSON object");
    ProtectedEntry e;
    e.origin = where;
    if (absl::Status s = ParseEntryFields(obj, defaults, &e); !s.ok()) {
      return LineError(origin, line_no, s.message());
    }
    absl::StatusOr<std::string> name = StringField(obj, "name");
    absl::StatusOr<std::string> pattern = StringField(obj, "pattern");
    if (!name.ok()) return LineError(origin, line_no, name.status().message());
    if (!pattern.ok()) return LineError(origin, line_no, pattern.status().message());
    if (name->empty() == pattern->empty()) {
      return LineError(origin, line_no, "give exactly one of \"name\" and \"pattern\"");
    }
    if (!pattern->empty()) {
      absl::StatusOr<std::vector<std::string>> names = ExpandBracePattern(*pattern);
      if (!names.ok()) return LineError(origin, line_no, names.status().message());
      if (obj.find("kind") == obj.end()) e.kind = EntryKind::kAnticipated;
      e.pattern = *pattern;
      for (std::string& n : *names) {
        if (absl::Status s = CheckName(n); !s.ok()) {
          return LineError(origin, line_no, absl::StrCat("pattern gives a bad name: ", s.message()));
        }
        ProtectedEntry copy = e;
        copy.name = std::move(n);
        parsed.push_back(std::move(copy));
      }
      continue;
    }
    if (absl::Status s = CheckName(*name); !s.ok()) return LineError(origin, line_no, s.message());
    e.name = *name;
    parsed.push_back(std::move(e));
  }
  for (ProtectedEntry& e : parsed) entries_.push_back(std::move(e));
  return absl::OkStatus();
}

absl::Status ProtectedList::AddPath(const std::string& path, const ListDefaults& defaults) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file or folder"));
  }
  std::vector<std::string> files;
  if (fs::is_directory(st)) {
    for (const fs::directory_entry& d : fs::directory_iterator(path, ec)) {
      std::string ext = d.path().extension().string();
      if (d.is_regular_file() && (ext == ".jsonl" || ext == ".txt")) files.push_back(d.path().string());
    }
    if (ec) return absl::InvalidArgumentError(absl::StrCat(path, ": ", ec.message()));
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return absl::InvalidArgumentError(absl::StrCat(f, ": cannot be read"));
    std::stringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return absl::InvalidArgumentError(absl::StrCat(f, ": read error"));
    if (absl::Status s = AddText(buf.str(), f, defaults); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace squatguard
