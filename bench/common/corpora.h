// The shared corpora (../shared/corpora) and the protected lists the
// workloads of WORKLOADS.md build from them.
//
//   pypi-names.tsv  name, rank (empty for most), month; header line first
//   npm-names.tsv   name, downloads_a_month; header line first
//   hf-orgs.txt     one org a line, '#' comments
//   hf-models.txt   one org/repo a line, '#' comments
//
// The protected lists are written as JSON Lines and parsed by
// ProtectedList::AddText, so rank and popularity go through exactly the
// code the shipped lists (data/protected) go through.
#ifndef SQUATGUARD_BENCH_COMMON_CORPORA_H_
#define SQUATGUARD_BENCH_COMMON_CORPORA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "squatguard/engine.h"
#include "squatguard/protected_list.h"

namespace squatguard {
namespace bench {

// ../shared as configured (SQUATGUARD_SHARED_DIR), and the source tree's
// data/ ($SQUATGUARD_DATA_DIR wins when set).
std::string DefaultSharedDir();
std::string DefaultDataDir();

// The whole file. NotFound / Internal name the path.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Takes the first line off *text (without its '\n' or '\r'). For readers
// that stop part-way, such as a batch parser.
inline absl::string_view NextLine(absl::string_view* text) {
  const size_t nl = text->find('\n');
  absl::string_view line = text->substr(0, nl);
  text->remove_prefix(nl == absl::string_view::npos ? text->size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Calls `fn` for every line of `text`, the first `skip` lines left out. A
// template so the floor's loop stays inlined.
template <typename Fn>
void ForEachLine(absl::string_view text, size_t skip, Fn&& fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    const absl::string_view line = NextLine(&text);
    if (line_no++ < skip) continue;
    fn(line);
  }
}

// The first tab-separated field of a line, and the field after it.
inline absl::string_view FirstField(absl::string_view line) {
  const size_t tab = line.find('\t');
  return tab == absl::string_view::npos ? line : line.substr(0, tab);
}
absl::string_view SecondField(absl::string_view line);

struct PypiName {
  std::string name;
  std::optional<int64_t> rank;  // 1 = most popular; absent for most names
};
struct NpmName {
  std::string name;
  int64_t downloads = 0;  // downloads_a_month
};

absl::StatusOr<std::vector<PypiName>> ReadPypiNames(const std::string& path);
absl::StatusOr<std::vector<NpmName>> ReadNpmNames(const std::string& path);

// hf-orgs.txt (repos = false) or hf-models.txt (repos = true): comments and
// blank lines skipped, names trimmed, duplicates dropped, and the rows
// data/tools/make_protected_lists.py drops (wrong number of '/'-separated
// segments, a first segment that is a Hub page such as "collections").
absl::StatusOr<std::vector<std::string>> ReadHfList(const std::string& path, bool repos);

// Protected lists of the workloads.
//   PyPI: every name with rank <= max_rank, in rank order, with its rank.
//   npm:  the `count` names with the most downloads (ties by name), rank =
//         position, popularity = log10(1 + d) / log10(1 + d_top) as in
//         data/protected/npm-top5000.jsonl.
//   Both carry "extensions" counted over every name of `names`, as the
//   shipped lists do (CountExtensions).
//   HF:   every org (kind org) and model id (kind repo); orgs of model ids
//         that hf-orgs.txt lacks are added as orgs.
absl::Status AddPypiTop(const std::vector<PypiName>& names, int64_t max_rank, ProtectedList* list);
absl::Status AddNpmTop(const std::vector<NpmName>& names, size_t count, ProtectedList* list);
absl::Status AddHfCorpus(const std::vector<std::string>& orgs, const std::vector<std::string>& repos,
                         ProtectedList* list);

// One JSONL protected entry: {"name", "kind", "ecosystem"[, "rank"][,
// "popularity"][, "extensions"]}.
std::string ProtectedJsonLine(absl::string_view name, EntryKind kind, Ecosystem ecosystem,
                              std::optional<int64_t> rank = std::nullopt,
                              std::optional<double> popularity = std::nullopt,
                              std::optional<int64_t> extensions = std::nullopt);

// "extensions" as data/tools/make_protected_lists.py counts them: how many
// of `all_names` contain a protected name as a run of whole words with other
// words added (words: lowercase, split at runs of - _ . / @; names of 2..8
// words). Keyed by protected name; names no one extends are absent.
absl::flat_hash_map<std::string, int64_t> CountExtensions(const std::vector<absl::string_view>& all_names,
                                                          const std::vector<std::string>& protected_names);

// Compares a workload's list with a shipped one (data/protected/...): names
// in both, and how many of those differ in rank, popularity or extensions.
struct ListDrift {
  size_t common = 0;
  size_t only_workload = 0;
  size_t field_mismatches = 0;
  std::string first_mismatch;  // for the report
};
ListDrift CompareWithShipped(const std::vector<ProtectedEntry>& workload, const std::vector<ProtectedEntry>& shipped);

// data/affixes/<ecosystem>.txt and common.txt, as the CLI's engine loader
// reads them (one word a line, '#' comments). Returns the number of words.
absl::StatusOr<size_t> LoadAffixWords(const std::string& dir, EngineOptions* options);

// `count` distinct indexes in [0, n), drawn with a fixed seed, in draw order.
std::vector<size_t> SampleIndexes(size_t n, size_t count, uint64_t seed);

// ASCII lowercase, as the floor of WORKLOADS.md does it.
void AsciiLowerInto(absl::string_view s, std::string* out);

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_COMMON_CORPORA_H_
