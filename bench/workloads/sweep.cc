// W1..W4: every name of a corpus file through Engine::Check, next to two
// floors measured in the same run: read + ASCII-lowercase + exact hash probe
// (WORKLOADS.md's floor), and read + the engine's normalization + exact
// probe of the folded key (issue 3's "read, normalize, exact probe").
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <future>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/corpora.h"
#include "confusables/normalize.h"
#include "common/measure.h"
#include "squatguard/engine.h"
#include "workloads/workloads.h"

namespace squatguard {
namespace bench {
namespace {

constexpr size_t kTechniqueCount = static_cast<size_t>(Technique::kCampaign) + 1;

struct CandidateFile {
  std::string path;
  bool npm_format = false;  // name, downloads_a_month (else name, rank, month)
};

struct SweepSpec {
  std::string id;
  std::string protected_text;
  std::string candidates_text;
  Ecosystem candidate_ecosystem = Ecosystem::kPyPI;
  std::vector<CandidateFile> files;
  // Give each candidate what the corpus knows (PyPI rank, npm downloads),
  // as the nightly feed does.
  bool fill_popularity = true;
  // The shipped list this workload's protected list should agree with.
  std::string shipped_list;
};

// The floor: read each file, ASCII-lowercase each name, probe the set.
struct Floor {
  double seconds = 0;
  double cpu_seconds = 0;
  size_t names = 0;
  size_t hits = 0;
};

// Reads every file and probes `set` with the key of each name; `key_of`
// returns nullptr for a name it refuses. Timed on the calling thread.
template <typename KeyOf>
Floor MeasureFloorWith(const std::vector<CandidateFile>& files, const absl::flat_hash_set<std::string>& set,
                       KeyOf key_of) {
  Floor f;
  const double t0 = NowSeconds();
  const double c0 = ThreadCpuSeconds();
  for (const CandidateFile& file : files) {
    absl::StatusOr<std::string> text = ReadWholeFile(file.path);
    if (!text.ok()) continue;
    ForEachLine(*text, 1, [&](absl::string_view line) {
      const absl::string_view name = FirstField(line);
      if (name.empty()) return;
      const std::string* key = key_of(name);
      if (key == nullptr) return;
      ++f.names;
      f.hits += set.contains(*key) ? 1 : 0;
    });
  }
  f.seconds = NowSeconds() - t0;
  f.cpu_seconds = ThreadCpuSeconds() - c0;
  return f;
}

Floor MeasureFloor(const std::vector<CandidateFile>& files, const absl::flat_hash_set<std::string>& set) {
  std::string lower;
  return MeasureFloorWith(files, set, [&lower](absl::string_view name) {
    AsciiLowerInto(name, &lower);
    return &lower;
  });
}

// The normalized floor: the same read, then the engine's whole
// normalization (NFKC, case folding, both skeletons, separator-free forms;
// the ASCII fast path for ASCII names) and one probe of the folded key.
// This is what any skeleton-based detector pays before it searches.
Floor MeasureNormalizedFloor(const std::vector<CandidateFile>& files, const absl::flat_hash_set<std::string>& set) {
  const confusables::Normalizer& normalizer = confusables::Normalizer::Default();
  confusables::NameForms forms;
  return MeasureFloorWith(files, set, [&](absl::string_view name) -> const std::string* {
    return normalizer.NormalizeInto(name, &forms).ok() ? &forms.folded_flat : nullptr;
  });
}

// One corpus line as the nightly feed would give it: name, ecosystem, and
// the PyPI rank or npm downloads.
void AppendCandidate(const SweepSpec& spec, const CandidateFile& file, absl::string_view line,
                     std::vector<Candidate>* out) {
  const absl::string_view name = FirstField(line);
  if (name.empty()) return;
  Candidate c;
  c.name = std::string(name);
  c.ecosystem = spec.candidate_ecosystem;
  if (spec.fill_popularity) {
    int64_t v;
    if (absl::SimpleAtoi(SecondField(line), &v)) {
      if (file.npm_format) c.downloads = v;
      else if (v > 0) c.rank = v;
    }
  }
  out->push_back(std::move(c));
}

// The pipeline's first half: the file read into Candidates.
std::vector<Candidate> ReadCandidates(const SweepSpec& spec) {
  std::vector<Candidate> out;
  for (const CandidateFile& file : spec.files) {
    absl::StatusOr<std::string> text = ReadWholeFile(file.path);
    if (!text.ok()) continue;
    out.reserve(out.size() + static_cast<size_t>(std::count(text->begin(), text->end(), '\n')));
    ForEachLine(*text, 1, [&](absl::string_view line) { AppendCandidate(spec, file, line, &out); });
  }
  return out;
}

struct Counts {
  size_t checked = 0;
  size_t rejected = 0;  // Check returned an error (invalid UTF-8, too long, empty)
  size_t flagged = 0;   // candidates with >= 1 finding
  size_t findings = 0;  // findings kept (at most `top` = 3 per candidate)
  size_t flagged_high = 0;  // candidates whose top finding is high or critical
  double cpu_seconds = 0;   // summed over the threads
  std::array<size_t, kTechniqueCount> first_technique{};  // of each flagged candidate's top finding

  void Merge(const Counts& o) {
    checked += o.checked;
    rejected += o.rejected;
    flagged += o.flagged;
    findings += o.findings;
    flagged_high += o.flagged_high;
    cpu_seconds += o.cpu_seconds;
    for (size_t i = 0; i < kTechniqueCount; ++i) first_technique[i] += o.first_technique[i];
  }
  bool operator==(const Counts& o) const {
    return checked == o.checked && rejected == o.rejected && flagged == o.flagged && findings == o.findings &&
           flagged_high == o.flagged_high && first_technique == o.first_technique;
  }
};

// Splits the candidates over `threads` std::threads through an atomic work
// counter; each calls the shared const engine.
Counts CheckAll(const Engine& engine, const std::vector<Candidate>& candidates, int threads) {
  constexpr size_t kChunk = 512;
  std::atomic<size_t> next{0};
  std::vector<Counts> per_thread(threads);
  auto work = [&](Counts* counts) {
    const double c0 = ThreadCpuSeconds();
    for (;;) {
      const size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
      if (begin >= candidates.size()) {
        counts->cpu_seconds = ThreadCpuSeconds() - c0;
        return;
      }
      const size_t end = std::min(candidates.size(), begin + kChunk);
      for (size_t i = begin; i < end; ++i) {
        absl::StatusOr<std::vector<Finding>> findings = engine.Check(candidates[i]);
        ++counts->checked;
        if (!findings.ok()) {
          ++counts->rejected;
          continue;
        }
        if (findings->empty()) continue;
        ++counts->flagged;
        counts->findings += findings->size();
        const Finding& top = findings->front();
        if (top.severity >= Severity::kHigh) ++counts->flagged_high;
        if (!top.techniques.empty()) ++counts->first_technique[static_cast<size_t>(top.techniques.front())];
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, &per_thread[t]);
  work(&per_thread[0]);
  for (std::thread& t : pool) t.join();
  Counts total;
  for (const Counts& c : per_thread) total.Merge(c);
  return total;
}

// The scan command's structure (cli/scan_command.cc): names are parsed in
// batches of 16,384, and the next batch is parsed on its own thread while
// this one is checked on `threads` threads. Returns the counts; *cpu_seconds
// gets every thread's CPU time, the parsing included.
constexpr size_t kStreamBatch = 16384;

Counts StreamedCheckAll(const Engine& engine, const SweepSpec& spec, int threads, double* cpu_seconds) {
  Counts total;
  double parse_cpu = 0;
  for (const CandidateFile& file : spec.files) {
    const double c0 = ThreadCpuSeconds();
    absl::StatusOr<std::string> text = ReadWholeFile(file.path);
    parse_cpu += ThreadCpuSeconds() - c0;
    if (!text.ok()) continue;
    absl::string_view rest = *text;
    NextLine(&rest);  // the corpus files' header line
    // Parses the next batch off `rest`, timing its own thread.
    auto parse = [&spec, &file, &rest]() {
      const double t0 = ThreadCpuSeconds();
      std::vector<Candidate> batch;
      batch.reserve(kStreamBatch);
      while (!rest.empty() && batch.size() < kStreamBatch) {
        AppendCandidate(spec, file, NextLine(&rest), &batch);
      }
      return std::make_pair(std::move(batch), ThreadCpuSeconds() - t0);
    };
    std::future<std::pair<std::vector<Candidate>, double>> next = std::async(std::launch::async, parse);
    for (;;) {
      std::pair<std::vector<Candidate>, double> batch = next.get();
      parse_cpu += batch.second;
      if (batch.first.empty()) break;
      next = std::async(std::launch::async, parse);
      total.Merge(CheckAll(engine, batch.first, threads));
    }
  }
  *cpu_seconds = total.cpu_seconds + parse_cpu;
  return total;
}

Json CountsJson(const Counts& c) {
  Json j;
  j["candidates_checked"] = c.checked;
  j["rejected"] = c.rejected;
  j["candidates_flagged"] = c.flagged;
  j["findings"] = c.findings;
  j["candidates_flagged_high"] = c.flagged_high;
  Json by = Json::object();
  std::vector<std::pair<size_t, size_t>> order;
  for (size_t i = 0; i < kTechniqueCount; ++i) {
    if (c.first_technique[i] > 0) order.emplace_back(c.first_technique[i], i);
  }
  std::sort(order.rbegin(), order.rend());
  for (const auto& [n, t] : order) by[std::string(TechniqueName(static_cast<Technique>(t)))] = n;
  j["flagged_by_first_technique"] = by;
  return j;
}

Json StatsJson(const Stats& s) { return Json{{"median", s.median}, {"min", s.min}, {"max", s.max}}; }

absl::Status BuildSpec(const std::string& id, const WorkloadOptions& o, SweepSpec* spec,
                       ProtectedList* list) {
  const std::string corpora = o.shared_dir + "/corpora";
  const std::string pypi_path = corpora + "/pypi-names.tsv";
  const std::string npm_path = corpora + "/npm-names.tsv";
  spec->id = id;
  if (id == "W1" || id == "W2") {
    const int64_t max_rank = id == "W1" ? 5000 : 15000;
    absl::StatusOr<std::vector<PypiName>> names = ReadPypiNames(pypi_path);
    if (!names.ok()) return names.status();
    if (absl::Status s = AddPypiTop(*names, max_rank, list); !s.ok()) return s;
    spec->protected_text = absl::StrCat("PyPI rank <= ", max_rank);
    spec->candidates_text = "all PyPI names (pypi-names.tsv), ecosystem pypi, with their rank";
    spec->candidate_ecosystem = Ecosystem::kPyPI;
    spec->files = {{pypi_path, false}};
    spec->shipped_list = o.data_dir + "/protected/pypi-top5000.jsonl";
    return absl::OkStatus();
  }
  if (id == "W3") {
    absl::StatusOr<std::vector<NpmName>> names = ReadNpmNames(npm_path);
    if (!names.ok()) return names.status();
    if (absl::Status s = AddNpmTop(*names, 5000, list); !s.ok()) return s;
    spec->protected_text = "npm top 5,000 by downloads_a_month";
    spec->candidates_text = "all npm names (npm-names.tsv), ecosystem npm, with their downloads";
    spec->candidate_ecosystem = Ecosystem::kNpm;
    spec->files = {{npm_path, true}};
    spec->shipped_list = o.data_dir + "/protected/npm-top5000.jsonl";
    return absl::OkStatus();
  }
  if (id == "W4") {
    absl::StatusOr<std::vector<std::string>> orgs = ReadHfList(corpora + "/hf-orgs.txt", false);
    if (!orgs.ok()) return orgs.status();
    absl::StatusOr<std::vector<std::string>> repos = ReadHfList(corpora + "/hf-models.txt", true);
    if (!repos.ok()) return repos.status();
    if (absl::Status s = AddHfCorpus(*orgs, *repos, list); !s.ok()) return s;
    if (absl::Status s = list->AddPath(o.data_dir + "/protected/hf-anticipated.jsonl"); !s.ok()) return s;
    spec->protected_text =
        "every HF org and model id (hf-orgs.txt, hf-models.txt) + data/protected/hf-anticipated.jsonl";
    spec->candidates_text = "all PyPI and npm names read as HF names (ecosystem hf, nothing else known)";
    spec->candidate_ecosystem = Ecosystem::kHuggingFace;
    spec->files = {{pypi_path, false}, {npm_path, true}};
    // A PyPI rank or npm download count says nothing about an HF repo.
    spec->fill_popularity = false;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown sweep ", id));
}

}  // namespace

Json RunSweep(const std::string& id, const WorkloadOptions& o) {
  Json out;
  out["id"] = id;
  SweepSpec spec;
  ProtectedList list;
  const double t_list = NowSeconds();
  if (absl::Status s = BuildSpec(id, o, &spec, &list); !s.ok()) {
    out["error"] = std::string(s.message());
    return out;
  }
  const double list_seconds = NowSeconds() - t_list;
  out["protected"] = spec.protected_text;
  out["candidates"] = spec.candidates_text;
  out["protected_count"] = list.size();
  if (!spec.shipped_list.empty()) {
    ProtectedList shipped;
    if (absl::Status s = shipped.AddPath(spec.shipped_list); s.ok()) {
      const ListDrift d = CompareWithShipped(list.entries(), shipped.entries());
      out["shipped_list_drift"] = Json{{"shipped", spec.shipped_list},
                                       {"common", d.common},
                                       {"only_in_workload", d.only_workload},
                                       {"field_mismatches", d.field_mismatches},
                                       {"first_mismatch", d.first_mismatch}};
    }
  }

  // The floor's protected set: every protected name, ASCII-lowercased.
  absl::flat_hash_set<std::string> floor_set;
  std::string lower;
  for (const ProtectedEntry& e : list.entries()) {
    AsciiLowerInto(e.name, &lower);
    floor_set.insert(lower);
  }
  absl::flat_hash_set<std::string> normalized_floor_set;
  for (const ProtectedEntry& e : list.entries()) {
    absl::StatusOr<confusables::NameForms> forms = confusables::Normalizer::Default().Normalize(e.name);
    if (forms.ok()) normalized_floor_set.insert(forms->folded_flat);
  }
  const std::vector<ProtectedEntry> entries_copy = list.entries();

  EngineOptions engine_options;
  if (o.affix_files) {
    absl::StatusOr<size_t> words = LoadAffixWords(o.data_dir + "/affixes", &engine_options);
    if (!words.ok()) {
      out["error"] = std::string(words.status().message());
      return out;
    }
    out["affix_words"] = *words;
  } else {
    out["affix_words"] = "built-in";
  }
  std::fprintf(stderr, "%s: building the engine (%zu protected names)\n", id.c_str(), list.size());
  const int64_t rss0 = CurrentRssKib();
  const double t_build = NowSeconds();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list), engine_options);
  const double build_seconds = NowSeconds() - t_build;
  const int64_t rss1 = CurrentRssKib();
  if (!engine.ok()) {
    out["error"] = absl::StrCat("Engine::Create: ", engine.status().message());
    return out;
  }
  out["list_seconds"] = list_seconds;
  out["engine_build_seconds"] = build_seconds;
  out["engine_rss_delta_kib"] = rss1 - rss0;
  out["engine_protected_count"] = (*engine)->protected_count();

  Json by_threads = Json::array();
  std::optional<Counts> reference_counts;
  bool counts_stable = true;
  for (int threads : o.threads) {
    std::vector<double> floor_s, read_s, check_s, pipeline_s, floor_cpu, read_cpu, check_cpu, pipeline_cpu;
    std::vector<double> nfloor_s, nfloor_cpu, streamed_s, streamed_cpu;
    Json runs = Json::array();
    Floor floor;
    Counts counts;
    size_t candidate_count = 0;
    for (int r = 0; r < o.runs; ++r) {
      std::fprintf(stderr, "%s: threads %d, run %d/%d\n", id.c_str(), threads, r + 1, o.runs);
      floor = MeasureFloor(spec.files, floor_set);
      const Floor nfloor = MeasureNormalizedFloor(spec.files, normalized_floor_set);
      nfloor_s.push_back(nfloor.seconds);
      nfloor_cpu.push_back(nfloor.cpu_seconds);
      const double t0 = NowSeconds();
      const double c0 = ThreadCpuSeconds();
      std::vector<Candidate> candidates = ReadCandidates(spec);
      const double t1 = NowSeconds();
      const double c1 = ThreadCpuSeconds();
      counts = CheckAll(**engine, candidates, threads);
      const double t2 = NowSeconds();
      double streamed_cpu_seconds = 0;
      const Counts streamed = StreamedCheckAll(**engine, spec, threads, &streamed_cpu_seconds);
      streamed_s.push_back(NowSeconds() - t2);
      streamed_cpu.push_back(streamed_cpu_seconds);
      if (!(streamed == counts)) counts_stable = false;
      floor_cpu.push_back(floor.cpu_seconds);
      read_cpu.push_back(c1 - c0);
      check_cpu.push_back(counts.cpu_seconds);
      pipeline_cpu.push_back(c1 - c0 + counts.cpu_seconds);
      candidate_count = candidates.size();
      floor_s.push_back(floor.seconds);
      read_s.push_back(t1 - t0);
      check_s.push_back(t2 - t1);
      pipeline_s.push_back(t2 - t0);
      runs.push_back(Json{{"floor_s", floor.seconds},
                          {"read_s", t1 - t0},
                          {"check_s", t2 - t1},
                          {"pipeline_s", t2 - t0},
                          {"floor_cpu_s", floor.cpu_seconds},
                          {"read_cpu_s", c1 - c0},
                          {"check_cpu_s", counts.cpu_seconds},
                          {"flagged", counts.flagged},
                          {"findings", counts.findings}});
      if (!reference_counts) reference_counts = counts;
      else if (!(counts == *reference_counts)) counts_stable = false;
    }
    const Stats pipeline = Summarize(pipeline_s);
    const Stats fl = Summarize(floor_s);
    Json t;
    t["threads"] = threads;
    t["runs"] = runs;
    t["candidates"] = candidate_count;
    t["floor_names"] = floor.names;
    t["floor_exact_hits"] = floor.hits;
    t["floor_threads"] = 1;
    t["floor_s"] = StatsJson(fl);
    t["read_s"] = StatsJson(Summarize(read_s));
    t["check_s"] = StatsJson(Summarize(check_s));
    t["pipeline_s"] = StatsJson(pipeline);
    // CPU seconds (all threads): what the work costs, whatever else runs.
    const Stats pipeline_cpu_stats = Summarize(pipeline_cpu);
    const Stats floor_cpu_stats = Summarize(floor_cpu);
    t["floor_cpu_s"] = StatsJson(floor_cpu_stats);
    t["read_cpu_s"] = StatsJson(Summarize(read_cpu));
    t["check_cpu_s"] = StatsJson(Summarize(check_cpu));
    t["pipeline_cpu_s"] = StatsJson(pipeline_cpu_stats);
    t["names_per_cpu_s"] = pipeline_cpu_stats.median > 0 ? candidate_count / pipeline_cpu_stats.median : 0;
    t["ratio_pipeline_to_floor_cpu"] =
        floor_cpu_stats.median > 0 ? pipeline_cpu_stats.median / floor_cpu_stats.median : 0;
    t["names_per_s"] = pipeline.median > 0 ? candidate_count / pipeline.median : 0;
    t["ratio_pipeline_to_floor"] = fl.median > 0 ? pipeline.median / fl.median : 0;
    const Stats nfl = Summarize(nfloor_s);
    const Stats nfl_cpu = Summarize(nfloor_cpu);
    t["normalized_floor_s"] = StatsJson(nfl);
    t["normalized_floor_cpu_s"] = StatsJson(nfl_cpu);
    t["ratio_pipeline_to_normalized_floor"] = nfl.median > 0 ? pipeline.median / nfl.median : 0;
    t["ratio_pipeline_to_normalized_floor_cpu"] =
        nfl_cpu.median > 0 ? pipeline_cpu_stats.median / nfl_cpu.median : 0;
    const Stats streamed_stats = Summarize(streamed_s);
    t["streamed_s"] = StatsJson(streamed_stats);
    t["streamed_cpu_s"] = StatsJson(Summarize(streamed_cpu));
    t["ratio_streamed_to_floor"] = fl.median > 0 ? streamed_stats.median / fl.median : 0;
    t["ratio_streamed_to_normalized_floor"] = nfl.median > 0 ? streamed_stats.median / nfl.median : 0;
    t["counts"] = CountsJson(counts);
    by_threads.push_back(t);
  }
  out["by_threads"] = by_threads;
  out["counts_identical_across_runs_and_threads"] = counts_stable;

  const bool recall = o.recall_check.value_or(id == "W1" || id == "W3");
  if (recall) {
    std::fprintf(stderr, "%s: recall check\n", id.c_str());
    std::vector<std::string> names;
    for (Candidate& c : ReadCandidates(spec)) names.push_back(std::move(c.name));
    const int threads = *std::max_element(o.threads.begin(), o.threads.end());
    out["recall_check"] = RecallCheck(entries_copy, spec.candidate_ecosystem == Ecosystem::kPyPI, names,
                                      o.recall_sample, o.seed, threads);
  }
  out["peak_rss_kib"] = PeakRssKib();
  return out;
}

}  // namespace bench
}  // namespace squatguard
