#include "common/corpora.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <random>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace bench {

std::string DefaultSharedDir() { return SQUATGUARD_SHARED_DIR_DEFAULT; }

std::string DefaultDataDir() {
  if (const char* env = std::getenv("SQUATGUARD_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(SQUATGUARD_SOURCE_DIR) + "/data";
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return absl::NotFoundError(absl::StrCat(path, ": cannot be opened"));
  std::string text;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const long size = std::ftell(f);
    if (size > 0) text.resize(static_cast<size_t>(size));
    std::fseek(f, 0, SEEK_SET);
  }
  const size_t got = text.empty() ? 0 : std::fread(text.data(), 1, text.size(), f);
  // A file that changed size while read (or a pipe): read the rest in blocks.
  text.resize(got);
  char block[1 << 16];
  for (size_t n; (n = std::fread(block, 1, sizeof block, f)) > 0;) text.append(block, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return absl::InternalError(absl::StrCat(path, ": read error"));
  return text;
}

absl::string_view SecondField(absl::string_view line) {
  const size_t tab = line.find('\t');
  if (tab == absl::string_view::npos) return {};
  absl::string_view rest = line.substr(tab + 1);
  return FirstField(rest);
}

absl::StatusOr<std::vector<PypiName>> ReadPypiNames(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::vector<PypiName> out;
  out.reserve(std::count(text->begin(), text->end(), '\n'));
  ForEachLine(*text, 1, [&](absl::string_view line) {
    absl::string_view name = FirstField(line);
    if (name.empty()) return;
    PypiName p;
    p.name = std::string(name);
    int64_t rank;
    if (absl::SimpleAtoi(SecondField(line), &rank) && rank > 0) p.rank = rank;
    out.push_back(std::move(p));
  });
  return out;
}

absl::StatusOr<std::vector<NpmName>> ReadNpmNames(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::vector<NpmName> out;
  out.reserve(std::count(text->begin(), text->end(), '\n'));
  ForEachLine(*text, 1, [&](absl::string_view line) {
    absl::string_view name = FirstField(line);
    if (name.empty()) return;
    NpmName n;
    n.name = std::string(name);
    int64_t d;
    if (absl::SimpleAtoi(SecondField(line), &d)) n.downloads = d;
    out.push_back(std::move(n));
  });
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadHfList(const std::string& path, bool repos) {
  static const absl::flat_hash_set<std::string> kReserved = {
      "api",   "blog",   "collections",   "datasets", "docs",     "join",     "learn", "login", "models",
      "new",   "organizations", "papers", "posts",    "pricing",  "settings", "spaces", "tasks"};
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  ForEachLine(*text, 0, [&](absl::string_view line) {
    if (!line.empty() && line[0] == '#') return;
    absl::string_view name = absl::StripAsciiWhitespace(line);
    if (name.empty()) return;
    std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
    if (parts.size() != (repos ? 2u : 1u)) return;
    for (absl::string_view p : parts) {
      if (p.empty()) return;
    }
    if (kReserved.contains(absl::AsciiStrToLower(parts[0]))) return;
    if (!seen.insert(std::string(name)).second) return;
    out.emplace_back(name);
  });
  return out;
}

std::string ProtectedJsonLine(absl::string_view name, EntryKind kind, Ecosystem ecosystem,
                              std::optional<int64_t> rank, std::optional<double> popularity,
                              std::optional<int64_t> extensions) {
  nlohmann::ordered_json j;
  j["name"] = std::string(name);
  j["kind"] = std::string(EntryKindName(kind));
  j["ecosystem"] = std::string(EcosystemName(ecosystem));
  if (rank) j["rank"] = *rank;
  if (popularity) j["popularity"] = *popularity;
  if (extensions) j["extensions"] = *extensions;
  // Invalid UTF-8 would throw; replace it so the list parser reports it.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::Status AddPypiTop(const std::vector<PypiName>& names, int64_t max_rank, ProtectedList* list) {
  std::vector<const PypiName*> top;
  for (const PypiName& p : names) {
    if (p.rank && *p.rank <= max_rank) top.push_back(&p);
  }
  std::sort(top.begin(), top.end(), [](const PypiName* a, const PypiName* b) {
    return *a->rank != *b->rank ? *a->rank < *b->rank : a->name < b->name;
  });
  std::vector<absl::string_view> all;
  all.reserve(names.size());
  for (const PypiName& p : names) all.push_back(p.name);
  std::vector<std::string> keys;
  for (const PypiName* p : top) keys.push_back(p->name);
  const absl::flat_hash_map<std::string, int64_t> ext = CountExtensions(all, keys);
  std::string text;
  for (const PypiName* p : top) {
    auto it = ext.find(p->name);
    absl::StrAppend(&text,
                    ProtectedJsonLine(p->name, EntryKind::kPackage, Ecosystem::kPyPI, p->rank, std::nullopt,
                                      it == ext.end() ? std::nullopt : std::optional<int64_t>(it->second)),
                    "\n");
  }
  return list->AddText(text, absl::StrCat("<pypi rank <= ", max_rank, ">"));
}

absl::Status AddNpmTop(const std::vector<NpmName>& names, size_t count, ProtectedList* list) {
  std::vector<const NpmName*> order;
  order.reserve(names.size());
  for (const NpmName& n : names) order.push_back(&n);
  count = std::min(count, order.size());
  std::partial_sort(order.begin(), order.begin() + count, order.end(), [](const NpmName* a, const NpmName* b) {
    return a->downloads != b->downloads ? a->downloads > b->downloads : a->name < b->name;
  });
  if (count == 0) return absl::OkStatus();
  const double top_log = std::log10(1.0 + static_cast<double>(order[0]->downloads));
  std::vector<absl::string_view> all;
  all.reserve(names.size());
  for (const NpmName& n : names) all.push_back(n.name);
  std::vector<std::string> keys;
  for (size_t i = 0; i < count; ++i) keys.push_back(order[i]->name);
  const absl::flat_hash_map<std::string, int64_t> ext = CountExtensions(all, keys);
  std::string text;
  for (size_t i = 0; i < count; ++i) {
    const NpmName* n = order[i];
    double popularity = top_log > 0 ? std::log10(1.0 + static_cast<double>(n->downloads)) / top_log : 0.0;
    popularity = std::round(popularity * 10000) / 10000;
    auto it = ext.find(n->name);
    absl::StrAppend(&text,
                    ProtectedJsonLine(n->name, EntryKind::kPackage, Ecosystem::kNpm, static_cast<int64_t>(i + 1),
                                      popularity, it == ext.end() ? std::nullopt : std::optional<int64_t>(it->second)),
                    "\n");
  }
  return list->AddText(text, absl::StrCat("<npm top ", count, ">"));
}

absl::Status AddHfCorpus(const std::vector<std::string>& orgs, const std::vector<std::string>& repos,
                         ProtectedList* list) {
  absl::flat_hash_set<std::string> org_set(orgs.begin(), orgs.end());
  std::vector<std::string> all_orgs = orgs;
  for (const std::string& r : repos) {
    std::string org = r.substr(0, r.find('/'));
    if (org_set.insert(org).second) all_orgs.push_back(org);
  }
  std::string text;
  for (const std::string& o : all_orgs) {
    absl::StrAppend(&text, ProtectedJsonLine(o, EntryKind::kOrg, Ecosystem::kHuggingFace), "\n");
  }
  for (const std::string& r : repos) {
    absl::StrAppend(&text, ProtectedJsonLine(r, EntryKind::kRepo, Ecosystem::kHuggingFace), "\n");
  }
  return list->AddText(text, "<hf corpus>");
}

absl::StatusOr<size_t> LoadAffixWords(const std::string& dir, EngineOptions* options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return absl::NotFoundError(absl::StrCat(dir, ": no such folder"));
  std::vector<fs::path> files;
  for (const fs::directory_entry& d : fs::directory_iterator(dir, ec)) {
    if (d.path().extension() == ".txt") files.push_back(d.path());
  }
  std::sort(files.begin(), files.end());
  size_t words = 0;
  for (const fs::path& path : files) {
    const std::string stem = path.stem().string();
    Ecosystem eco = Ecosystem::kAny;
    if (stem != "common") {
      std::optional<Ecosystem> e = ParseEcosystem(stem);
      if (!e) continue;
      eco = *e;
    }
    absl::StatusOr<std::string> text = ReadWholeFile(path.string());
    if (!text.ok()) return text.status();
    ForEachLine(*text, 0, [&](absl::string_view line) {
      absl::string_view w = absl::StripAsciiWhitespace(line);
      if (w.empty() || w[0] == '#') return;
      options->affix_words.emplace_back(eco, std::string(w));
      ++words;
    });
  }
  return words;
}

namespace {

bool IsWordBreak(char c) { return c == '-' || c == '_' || c == '.' || c == '/' || c == '@'; }

// Lowercased words of a name, as make_protected_lists.py's words_of.
void WordsOf(absl::string_view name, std::vector<std::string>* words) {
  words->clear();
  std::string cur;
  for (char c : name) {
    if (IsWordBreak(c)) {
      if (!cur.empty()) words->push_back(std::move(cur));
      cur.clear();
    } else {
      cur += absl::ascii_tolower(static_cast<unsigned char>(c));
    }
  }
  if (!cur.empty()) words->push_back(std::move(cur));
}

}  // namespace

absl::flat_hash_map<std::string, int64_t> CountExtensions(const std::vector<absl::string_view>& all_names,
                                                          const std::vector<std::string>& protected_names) {
  absl::flat_hash_map<std::string, const std::string*> keys;  // joined words -> protected name (last wins)
  std::vector<std::string> words;
  for (const std::string& p : protected_names) {
    WordsOf(p, &words);
    std::string key;
    for (size_t i = 0; i < words.size(); ++i) absl::StrAppend(&key, i ? "-" : "", words[i]);
    keys[key] = &p;
  }
  absl::flat_hash_map<std::string, int64_t> counts;
  std::vector<const std::string*> seen;
  std::string key;
  for (absl::string_view name : all_names) {
    WordsOf(name, &words);
    if (words.size() < 2 || words.size() > 8) continue;
    seen.clear();
    for (size_t i = 0; i < words.size(); ++i) {
      key.clear();
      for (size_t j = i; j < words.size(); ++j) {
        absl::StrAppend(&key, j > i ? "-" : "", words[j]);
        if (j - i + 1 == words.size()) continue;
        auto it = keys.find(key);
        if (it == keys.end()) continue;
        if (std::find(seen.begin(), seen.end(), it->second) != seen.end()) continue;
        seen.push_back(it->second);
        ++counts[*it->second];
      }
    }
  }
  return counts;
}

ListDrift CompareWithShipped(const std::vector<ProtectedEntry>& workload, const std::vector<ProtectedEntry>& shipped) {
  absl::flat_hash_map<std::string, const ProtectedEntry*> by_name;
  for (const ProtectedEntry& e : shipped) by_name[e.name] = &e;
  ListDrift d;
  for (const ProtectedEntry& e : workload) {
    auto it = by_name.find(e.name);
    if (it == by_name.end()) {
      ++d.only_workload;
      continue;
    }
    ++d.common;
    const ProtectedEntry& s = *it->second;
    if (e.rank != s.rank || std::abs(e.popularity - s.popularity) > 1e-9 || e.extensions != s.extensions) {
      if (d.field_mismatches++ == 0) {
        d.first_mismatch = absl::StrCat(e.name, ": rank ", e.rank.value_or(0), " vs ", s.rank.value_or(0),
                                        ", popularity ", e.popularity, " vs ", s.popularity, ", extensions ",
                                        e.extensions.value_or(0), " vs ", s.extensions.value_or(0));
      }
    }
  }
  return d;
}

std::vector<size_t> SampleIndexes(size_t n, size_t count, uint64_t seed) {
  count = std::min(count, n);
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), size_t{0});
  std::mt19937_64 rng(seed);
  // Partial Fisher-Yates: the first `count` slots are the sample. The
  // arithmetic is spelled out so the draw does not depend on the standard
  // library's distribution implementation.
  for (size_t i = 0; i < count; ++i) {
    const size_t j = i + static_cast<size_t>(rng() % (n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(count);
  return all;
}

void AsciiLowerInto(absl::string_view s, std::string* out) {
  out->resize(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    (*out)[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
}

}  // namespace bench
}  // namespace squatguard
