// L1 (latency of one Check against the PyPI top 15,000) and B1 (building an
// engine from 100,000 PyPI names).
#include <algorithm>
#include <chrono>
#include <malloc.h>

#include <cstdio>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/corpora.h"
#include "common/measure.h"
#include "squatguard/engine.h"
#include "workloads/workloads.h"

namespace squatguard {
namespace bench {
namespace {

constexpr size_t kLatencySample = 10000;
constexpr size_t kBuildSample = 100000;

Json StatsJson(const Stats& s) { return Json{{"median", s.median}, {"min", s.min}, {"max", s.max}}; }

double MicrosSince(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1) {
  return std::chrono::duration<double, std::micro>(t1 - t0).count();
}

Json Percentiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double v : us) sum += v;
  return Json{{"p50_us", Quantile(us, 0.50)},
              {"p90_us", Quantile(us, 0.90)},
              {"p99_us", Quantile(us, 0.99)},
              {"max_us", us.empty() ? 0.0 : us.back()},
              {"mean_us", us.empty() ? 0.0 : sum / static_cast<double>(us.size())},
              {"total_s", sum / 1e6}};
}

}  // namespace

Json RunLatency(const WorkloadOptions& o) {
  Json out;
  out["id"] = "L1";
  const std::string pypi_path = o.shared_dir + "/corpora/pypi-names.tsv";
  absl::StatusOr<std::vector<PypiName>> names = ReadPypiNames(pypi_path);
  if (!names.ok()) {
    out["error"] = std::string(names.status().message());
    return out;
  }
  ProtectedList list;
  if (absl::Status s = AddPypiTop(*names, 15000, &list); !s.ok()) {
    out["error"] = std::string(s.message());
    return out;
  }
  out["protected"] = "PyPI rank <= 15000";
  out["protected_count"] = list.size();
  absl::flat_hash_set<std::string> floor_set;
  std::string lower;
  for (const ProtectedEntry& e : list.entries()) {
    AsciiLowerInto(e.name, &lower);
    floor_set.insert(lower);
  }
  EngineOptions engine_options;
  if (o.affix_files) {
    absl::StatusOr<size_t> words = LoadAffixWords(o.data_dir + "/affixes", &engine_options);
    if (!words.ok()) {
      out["error"] = std::string(words.status().message());
      return out;
    }
    out["affix_words"] = *words;
  }
  std::fprintf(stderr, "L1: building the engine (%zu protected names)\n", list.size());
  const int64_t rss0 = CurrentRssKib();
  const double tb = NowSeconds();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list), engine_options);
  out["engine_build_seconds"] = NowSeconds() - tb;
  out["engine_rss_delta_kib"] = CurrentRssKib() - rss0;
  if (!engine.ok()) {
    out["error"] = std::string(engine.status().message());
    return out;
  }
  std::vector<Candidate> sample;
  for (size_t i : SampleIndexes(names->size(), kLatencySample, o.seed)) {
    Candidate c;
    c.name = (*names)[i].name;
    c.ecosystem = Ecosystem::kPyPI;
    c.rank = (*names)[i].rank;
    sample.push_back(std::move(c));
  }
  out["candidates"] = absl::StrCat(sample.size(), " PyPI names drawn with seed ", o.seed,
                                   ", ecosystem pypi, with their rank; one Check each, 1 thread");
  out["threads"] = 1;

  Json runs = Json::array();
  std::vector<double> p50, p90, p99, pmax, floor_p50, floor_p99, totals, cpu_totals;
  size_t flagged = 0;
  using Clock = std::chrono::steady_clock;
  for (int r = 0; r < o.runs; ++r) {
    std::fprintf(stderr, "L1: run %d/%d\n", r + 1, o.runs);
    std::vector<double> us, floor_us;
    us.reserve(sample.size());
    floor_us.reserve(sample.size());
    size_t hits = 0;
    // The floor per name: ASCII-lowercase and one exact probe.
    for (const Candidate& c : sample) {
      const Clock::time_point t0 = Clock::now();
      AsciiLowerInto(c.name, &lower);
      hits += floor_set.contains(lower) ? 1 : 0;
      floor_us.push_back(MicrosSince(t0, Clock::now()));
    }
    flagged = 0;
    const double cpu0 = ThreadCpuSeconds();
    for (const Candidate& c : sample) {
      const Clock::time_point t0 = Clock::now();
      absl::StatusOr<std::vector<Finding>> f = (*engine)->Check(c);
      const Clock::time_point t1 = Clock::now();
      us.push_back(MicrosSince(t0, t1));
      if (f.ok() && !f->empty()) ++flagged;
    }
    cpu_totals.push_back(ThreadCpuSeconds() - cpu0);
    Json check = Percentiles(us);
    Json fl = Percentiles(floor_us);
    p50.push_back(check["p50_us"]);
    p90.push_back(check["p90_us"]);
    p99.push_back(check["p99_us"]);
    pmax.push_back(check["max_us"]);
    totals.push_back(check["total_s"]);
    floor_p50.push_back(fl["p50_us"]);
    floor_p99.push_back(fl["p99_us"]);
    runs.push_back(Json{{"check", check}, {"floor", fl}, {"floor_exact_hits", hits}, {"flagged", flagged}});
  }
  out["runs"] = runs;
  out["p50_us"] = StatsJson(Summarize(p50));
  out["p90_us"] = StatsJson(Summarize(p90));
  out["p99_us"] = StatsJson(Summarize(p99));
  out["max_us"] = StatsJson(Summarize(pmax));
  out["check_total_s"] = StatsJson(Summarize(totals));
  out["check_total_cpu_s"] = StatsJson(Summarize(cpu_totals));
  out["floor_p50_us"] = StatsJson(Summarize(floor_p50));
  out["floor_p99_us"] = StatsJson(Summarize(floor_p99));
  out["flagged"] = flagged;
  out["peak_rss_kib"] = PeakRssKib();
  return out;
}

Json RunBuild(const WorkloadOptions& o) {
  Json out;
  out["id"] = "B1";
  const std::string pypi_path = o.shared_dir + "/corpora/pypi-names.tsv";
  absl::StatusOr<std::vector<PypiName>> names = ReadPypiNames(pypi_path);
  if (!names.ok()) {
    out["error"] = std::string(names.status().message());
    return out;
  }
  std::string text;
  std::vector<std::string> picked;
  std::vector<std::optional<int64_t>> ranks;
  for (size_t i : SampleIndexes(names->size(), kBuildSample, o.seed)) {
    picked.push_back((*names)[i].name);
    ranks.push_back((*names)[i].rank);
  }
  // Extensions counted over every PyPI name, as the shipped lists carry them.
  std::vector<absl::string_view> all;
  for (const PypiName& p : *names) all.push_back(p.name);
  const absl::flat_hash_map<std::string, int64_t> ext = CountExtensions(all, picked);
  for (size_t i = 0; i < picked.size(); ++i) {
    auto it = ext.find(picked[i]);
    absl::StrAppend(&text,
                    ProtectedJsonLine(picked[i], EntryKind::kPackage, Ecosystem::kPyPI, ranks[i], std::nullopt,
                                      it == ext.end() ? std::nullopt : std::optional<int64_t>(it->second)),
                    "\n");
  }
  all.clear();
  names->clear();
  names->shrink_to_fit();
  const double tl = NowSeconds();
  ProtectedList list;
  if (absl::Status s = list.AddText(text, "<B1 sample>"); !s.ok()) {
    out["error"] = std::string(s.message());
    return out;
  }
  out["list_parse_seconds"] = NowSeconds() - tl;
  out["protected"] = absl::StrCat(picked.size(), " PyPI names drawn with seed ", o.seed, " (with their rank)");
  out["protected_count"] = list.size();
  EngineOptions engine_options;
  if (o.affix_files) {
    absl::StatusOr<size_t> words = LoadAffixWords(o.data_dir + "/affixes", &engine_options);
    if (words.ok()) out["affix_words"] = *words;
  }
  out["threads"] = 1;
  Json runs = Json::array();
  std::vector<double> build_s, build_cpu_s, floor_s, rss_delta;
  int64_t first_peak_delta = 0;
  for (int r = 0; r < o.runs; ++r) {
    std::fprintf(stderr, "B1: run %d/%d\n", r + 1, o.runs);
    // Floor: an exact hash set of the same names, ASCII-lowercased.
    const double tf = NowSeconds();
    {
      absl::flat_hash_set<std::string> set;
      std::string lower;
      for (const std::string& n : picked) {
        AsciiLowerInto(n, &lower);
        set.insert(lower);
      }
      floor_s.push_back(NowSeconds() - tf);
    }
    ProtectedList copy = list;  // Create consumes its list; copying is not timed
    malloc_trim(0);  // hand the previous run's engine back, so the RSS delta is this build's
    const int64_t rss0 = CurrentRssKib();
    const int64_t peak0 = PeakRssKib();
    const double t0 = NowSeconds();
    const double cpu0 = ThreadCpuSeconds();
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(copy), engine_options);
    const double seconds = NowSeconds() - t0;
    build_cpu_s.push_back(ThreadCpuSeconds() - cpu0);
    const int64_t rss1 = CurrentRssKib();
    const int64_t peak1 = PeakRssKib();
    if (!engine.ok()) {
      out["error"] = std::string(engine.status().message());
      return out;
    }
    build_s.push_back(seconds);
    rss_delta.push_back(static_cast<double>(rss1 - rss0));
    if (r == 0) first_peak_delta = peak1 - peak0;
    runs.push_back(Json{{"build_s", seconds},
                        {"floor_s", floor_s.back()},
                        {"rss_delta_kib", rss1 - rss0},
                        {"peak_rss_delta_kib", peak1 - peak0}});
  }
  out["runs"] = runs;
  out["build_s"] = StatsJson(Summarize(build_s));
  out["build_cpu_s"] = StatsJson(Summarize(build_cpu_s));
  out["floor_s"] = StatsJson(Summarize(floor_s));
  out["engine_rss_delta_kib"] = StatsJson(Summarize(rss_delta));
  out["peak_rss_delta_kib_first_build"] = first_peak_delta;
  out["peak_rss_kib"] = PeakRssKib();
  return out;
}

}  // namespace bench
}  // namespace squatguard
