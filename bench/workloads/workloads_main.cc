// squatguard_workloads: runs the workloads of WORKLOADS.md on the shared
// corpora and prints, for each, the machine's core count, the threads used,
// the median (min, max) of --runs runs, the floor measured in the same run,
// names/s, pipeline/floor, memory and finding counts. See bench/README.md.
//
//   squatguard_workloads                       # all: W1 W2 W3 W4 L1 B1, 3 runs, 1 thread
//   squatguard_workloads W1 --threads 1,2 --json w1.json
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/corpora.h"
#include "common/flags.h"
#include "common/measure.h"
#include "workloads/workloads.h"

namespace squatguard {
namespace bench {
namespace {

const std::vector<std::string> kAllWorkloads = {"W1", "W2", "W3", "W4", "L1", "B1"};

Json RunOne(const std::string& id, const WorkloadOptions& o) {
  if (id == "L1") return RunLatency(o);
  if (id == "B1") return RunBuild(o);
  return RunSweep(id, o);
}

// Runs one workload in a child process, so ru_maxrss is the workload's own
// peak; the child hands its JSON back through a pipe.
Json RunIsolated(const std::string& id, const WorkloadOptions& o) {
  int fds[2];
  if (pipe(fds) != 0) return Json{{"id", id}, {"error", std::string("pipe: ") + std::strerror(errno)}};
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) return Json{{"id", id}, {"error", std::string("fork: ") + std::strerror(errno)}};
  if (pid == 0) {
    close(fds[0]);
    const std::string text = RunOne(id, o).dump();
    size_t off = 0;
    while (off < text.size()) {
      const ssize_t n = write(fds[1], text.data() + off, text.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    std::fflush(stderr);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[1 << 16];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty()) {
    return Json{{"id", id}, {"error", absl::StrCat("child process failed (status ", status, ")")}};
  }
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string Thousands(double v) {
  std::string digits = absl::StrFormat("%.0f", v);
  std::string out;
  const size_t start = digits[0] == '-' ? 1 : 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > start && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string MiB(double kib) { return absl::StrFormat("%.1f MiB", kib / 1024.0); }

std::string Secs(const Json& stats) {
  return absl::StrFormat("%.3f [%.3f..%.3f]", stats["median"].get<double>(), stats["min"].get<double>(),
                         stats["max"].get<double>());
}

std::string Percent(size_t part, size_t whole) {
  return whole == 0 ? "0%" : absl::StrFormat("%.2f%%", 100.0 * static_cast<double>(part) / whole);
}

void PrintRecall(const Json& r) {
  std::printf("  recall check: %s sampled candidates (seed fixed), %s checked, %s skipped (folded_flat > %d bytes), "
              "%s invalid\n",
              Thousands(r["sampled"].get<double>()).c_str(), Thousands(r["checked"].get<double>()).c_str(),
              Thousands(r["skipped_longer_than_key_limit"].get<double>()).c_str(), 64,
              Thousands(r["skipped_invalid"].get<double>()).c_str());
  std::printf("    protected: %s names, %s with a distance limit (max_edits > 0), %s longer than the key limit\n",
              Thousands(r["protected_names"].get<double>()).c_str(),
              Thousands(r["protected_with_distance_limit"].get<double>()).c_str(),
              Thousands(r["protected_skipped_longer_than_key_limit"].get<double>()).c_str());
  std::printf("    brute-force pairs within the protected name's limit: %s; NameIndex::FindWithinDistance pairs: %s; "
              "in both: %s; extra in index: %s; distance mismatches: %s\n",
              Thousands(r["brute_force_pairs"].get<double>()).c_str(),
              Thousands(r["index_pairs"].get<double>()).c_str(), Thousands(r["pairs_in_both"].get<double>()).c_str(),
              Thousands(r["extra_in_index"].get<double>()).c_str(),
              Thousands(r["distance_mismatches"].get<double>()).c_str());
  std::printf("    of the brute-force pairs, %s are beyond the query's own length limit (the index applies "
              "DefaultMaxEdits to the query too; %s of them found)\n",
              Thousands(r["pairs_beyond_query_limit"].get<double>()).c_str(),
              Thousands(r["pairs_beyond_query_limit_found"].get<double>()).c_str());
  const double recall = r["recall"].get<double>();
  std::printf("    RECALL %.6f %s on the %s pairs within both limits (missed %s); %.6f on all pairs within the "
              "protected name's limit\n",
              recall, recall == 1.0 ? "(ok)" : "(MISSES: index bug)",
              Thousands(r["pairs_within_both_limits"].get<double>()).c_str(),
              Thousands(r["missed_by_index"].get<double>()).c_str(),
              r["recall_protected_limit_only"].get<double>());
  std::printf("    brute force %.2f s on %d threads, index %.3f s on 1 thread\n",
              r["brute_force_seconds"].get<double>(), r["brute_force_threads"].get<int>(),
              r["index_seconds"].get<double>());
  for (const Json& m : r["missed_examples"]) {
    std::printf("    missed: %s ~ %s  (folded_flat %s ~ %s, distance %d, limit %d)\n",
                m["candidate"].get<std::string>().c_str(), m["protected"].get<std::string>().c_str(),
                m["candidate_folded_flat"].get<std::string>().c_str(),
                m["protected_folded_flat"].get<std::string>().c_str(), m["distance"].get<int>(),
                m["max_edits"].get<int>());
  }
  for (const Json& m : r["extra_examples"]) {
    std::printf("    extra:  %s ~ %s  (index distance %d, limit %d)\n", m["candidate"].get<std::string>().c_str(),
                m["protected"].get<std::string>().c_str(), m["distance"].get<int>(), m["max_edits"].get<int>());
  }
}

void PrintSweep(const Json& w) {
  std::printf("%s  protected: %s (%s names)\n    candidates: %s\n", w["id"].get<std::string>().c_str(),
              w["protected"].get<std::string>().c_str(), Thousands(w["protected_count"].get<double>()).c_str(),
              w["candidates"].get<std::string>().c_str());
  std::printf("  engine build %.3f s (1 thread), RSS +%s; list preparation %.3f s; affix words: %s\n",
              w["engine_build_seconds"].get<double>(), MiB(w["engine_rss_delta_kib"].get<double>()).c_str(),
              w["list_seconds"].get<double>(), w["affix_words"].dump().c_str());
  if (w.contains("shipped_list_drift")) {
    const Json& d = w["shipped_list_drift"];
    std::printf("  vs shipped %s: %s names in both, %s only here, %s differ in rank/popularity/extensions%s%s\n",
                d["shipped"].get<std::string>().c_str(), Thousands(d["common"].get<double>()).c_str(),
                Thousands(d["only_in_workload"].get<double>()).c_str(),
                Thousands(d["field_mismatches"].get<double>()).c_str(),
                d["field_mismatches"].get<size_t>() > 0 ? " -- first: " : "",
                d["first_mismatch"].get<std::string>().c_str());
  }
  std::printf("  wall-clock seconds:\n");
  std::printf("  %-7s %-9s %-23s %-23s %-23s %-23s %9s %8s\n", "threads", "names", "floor s (1 thread)",
              "pipeline s", "read+parse s", "Check s", "names/s", "pipe/flr");
  for (const Json& t : w["by_threads"]) {
    std::printf("  %-7d %-9s %-23s %-23s %-23s %-23s %9s %7.1fx\n", t["threads"].get<int>(),
                Thousands(t["candidates"].get<double>()).c_str(), Secs(t["floor_s"]).c_str(),
                Secs(t["pipeline_s"]).c_str(), Secs(t["read_s"]).c_str(), Secs(t["check_s"]).c_str(),
                Thousands(t["names_per_s"].get<double>()).c_str(), t["ratio_pipeline_to_floor"].get<double>());
  }
  std::printf("  CPU seconds (summed over threads; insensitive to other load):\n");
  std::printf("  %-7s %-9s %-23s %-23s %-23s %-23s %9s %8s\n", "threads", "", "floor cpu s", "pipeline cpu s",
              "read+parse cpu s", "Check cpu s", "names/cpu-s", "pipe/flr");
  for (const Json& t : w["by_threads"]) {
    std::printf("  %-7d %-9s %-23s %-23s %-23s %-23s %9s %7.1fx\n", t["threads"].get<int>(), "",
                Secs(t["floor_cpu_s"]).c_str(), Secs(t["pipeline_cpu_s"]).c_str(), Secs(t["read_cpu_s"]).c_str(),
                Secs(t["check_cpu_s"]).c_str(), Thousands(t["names_per_cpu_s"].get<double>()).c_str(),
                t["ratio_pipeline_to_floor_cpu"].get<double>());
  }
  std::printf("  normalized floor (1 thread; read + the engine's normalization + exact probe of the folded key):\n");
  for (const Json& t : w["by_threads"]) {
    std::printf("  %-7d %-9s wall %-23s cpu %-23s pipeline/normalized floor: wall %.1fx, cpu %.1fx\n",
                t["threads"].get<int>(), "", Secs(t["normalized_floor_s"]).c_str(),
                Secs(t["normalized_floor_cpu_s"]).c_str(), t["ratio_pipeline_to_normalized_floor"].get<double>(),
                t["ratio_pipeline_to_normalized_floor_cpu"].get<double>());
  }
  std::printf("  streamed pipeline (as `squatguard scan`: the next 16,384 names parsed on their own thread while these are checked):\n");
  for (const Json& t : w["by_threads"]) {
    std::printf("  %-7d %-9s wall %-23s cpu %-23s streamed/floor %.1fx, streamed/normalized floor %.1fx\n",
                t["threads"].get<int>(), "", Secs(t["streamed_s"]).c_str(), Secs(t["streamed_cpu_s"]).c_str(),
                t["ratio_streamed_to_floor"].get<double>(), t["ratio_streamed_to_normalized_floor"].get<double>());
  }
  std::printf("  (median [min..max] of %zu runs; floor = read file + ASCII-lowercase + exact hash probe, "
              "%s exact hits; pipeline = read+parse + Check on every name; 1-min load average before: %.2f)\n",
              w["by_threads"][0]["runs"].size(),
              Thousands(w["by_threads"][0]["floor_exact_hits"].get<double>()).c_str(), w["load_average_before"].get<double>());
  const Json& c = w["by_threads"][0]["counts"];
  const size_t checked = c["candidates_checked"];
  std::printf("  findings (min_score 0.5, top 3): %s candidates flagged (%s), %s findings; top finding high/critical: "
              "%s (%s); rejected by Check: %s\n",
              Thousands(c["candidates_flagged"].get<double>()).c_str(),
              Percent(c["candidates_flagged"], checked).c_str(), Thousands(c["findings"].get<double>()).c_str(),
              Thousands(c["candidates_flagged_high"].get<double>()).c_str(),
              Percent(c["candidates_flagged_high"], checked).c_str(),
              Thousands(c["rejected"].get<double>()).c_str());
  std::string by;
  for (const auto& [tech, n] : c["flagged_by_first_technique"].items()) {
    absl::StrAppend(&by, by.empty() ? "" : ", ", tech, " ", Thousands(n.get<double>()));
  }
  std::printf("  flagged by first technique of the top finding: %s\n", by.empty() ? "-" : by.c_str());
  if (!w["counts_identical_across_runs_and_threads"].get<bool>()) {
    std::printf("  WARNING: finding counts differ between runs or thread counts (engine not deterministic?)\n");
  }
  std::printf("  peak RSS (ru_maxrss, this workload's process) %s\n", MiB(w["peak_rss_kib"].get<double>()).c_str());
  if (w.contains("recall_check")) PrintRecall(w["recall_check"]);
}

void PrintLatency(const Json& w) {
  std::printf("L1  protected: %s (%s names)\n    candidates: %s\n", w["protected"].get<std::string>().c_str(),
              Thousands(w["protected_count"].get<double>()).c_str(), w["candidates"].get<std::string>().c_str());
  std::printf("  engine build %.3f s, RSS +%s\n", w["engine_build_seconds"].get<double>(),
              MiB(w["engine_rss_delta_kib"].get<double>()).c_str());
  auto us = [](const Json& s) {
    return absl::StrFormat("%.2f [%.2f..%.2f]", s["median"].get<double>(), s["min"].get<double>(),
                           s["max"].get<double>());
  };
  std::printf("  1-min load average before: %.2f\n", w["load_average_before"].get<double>());
  std::printf("  Check latency us (median [min..max] of %zu runs): p50 %s  p90 %s  p99 %s  max %s\n",
              w["runs"].size(), us(w["p50_us"]).c_str(), us(w["p90_us"]).c_str(), us(w["p99_us"]).c_str(),
              us(w["max_us"]).c_str());
  std::printf("  10,000 Checks took %s s wall, %s s CPU; floor per name (lowercase + probe, timed the same way): p50 %s us, p99 %s us\n",
              Secs(w["check_total_s"]).c_str(), Secs(w["check_total_cpu_s"]).c_str(), us(w["floor_p50_us"]).c_str(), us(w["floor_p99_us"]).c_str());
  std::printf("  flagged (min_score 0.5): %s of the sample; peak RSS %s\n", Thousands(w["flagged"].get<double>()).c_str(),
              MiB(w["peak_rss_kib"].get<double>()).c_str());
}

void PrintBuild(const Json& w) {
  std::printf("B1  protected: %s\n", w["protected"].get<std::string>().c_str());
  std::printf("  Engine::Create s (1 thread, median [min..max] of %zu runs): %s wall, %s CPU; list parse %.3f s (not "
              "included)\n",
              w["runs"].size(), Secs(w["build_s"]).c_str(), Secs(w["build_cpu_s"]).c_str(),
              w["list_parse_seconds"].get<double>());
  std::printf("  floor (exact hash set of the same names, ASCII-lowercased): %s s; ratio %.1fx\n",
              Secs(w["floor_s"]).c_str(),
              w["build_s"]["median"].get<double>() / std::max(1e-9, w["floor_s"]["median"].get<double>()));
  std::printf("  1-min load average before: %.2f\n", w["load_average_before"].get<double>());
  std::printf("  engine RSS delta (kept engine) %s median; peak RSS delta of the first build %s; peak RSS %s\n",
              MiB(w["engine_rss_delta_kib"]["median"].get<double>()).c_str(),
              MiB(w["peak_rss_delta_kib_first_build"].get<double>()).c_str(),
              MiB(w["peak_rss_kib"].get<double>()).c_str());
}

int Main(int argc, char** argv) {
  Flags flags;
  flags.Value("workload", "LIST", "workloads to run, comma-separated (W1,W2,W3,W4,L1,B1; default all); also positional");
  flags.Value("threads", "LIST", "threads for the sweeps W1..W4, comma-separated, e.g. 1,2 (default 1)");
  flags.Value("runs", "N", "runs per measurement (default 3; the median is reported)");
  flags.Value("shared", "DIR", "the shared folder with corpora/ (default " + DefaultSharedDir() + ")");
  flags.Value("data", "DIR", "squatguard's data/ folder (default " + DefaultDataDir() + ")");
  flags.Value("json", "PATH", "also write the results as JSON");
  flags.Switch("recall-check", "brute-force recall check of the distance index (default: on for W1 and W3)");
  flags.Value("recall-sample", "N", "candidates sampled by the recall check (default 20000)");
  flags.Value("seed", "N", "seed of every sample (default 20261125)");
  flags.Switch("affix-files", "load data/affixes like the CLI (default on; --no-affix-files: built-in words)");
  flags.Switch("fork", "run each workload in its own process, for per-workload peak memory (default on)");
  flags.Switch("help", "this text");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "squatguard_workloads: %s\n%s", std::string(s.message()).c_str(),
                 flags.Usage("squatguard_workloads", "[W1 W2 W3 W4 L1 B1] [flags]").c_str());
    return 2;
  }
  if (flags.GetSwitch("help").value_or(false)) {
    std::printf("%s", flags.Usage("squatguard_workloads", "[W1 W2 W3 W4 L1 B1] [flags]").c_str());
    return 0;
  }
  WorkloadOptions o;
  o.shared_dir = flags.Get("shared").value_or(DefaultSharedDir());
  o.data_dir = flags.Get("data").value_or(DefaultDataDir());
  o.recall_check = flags.GetSwitch("recall-check");
  o.affix_files = flags.GetSwitch("affix-files").value_or(true);
  if (auto v = flags.Get("runs"); v && (!absl::SimpleAtoi(*v, &o.runs) || o.runs < 1)) {
    std::fprintf(stderr, "squatguard_workloads: --runs: expected a whole number >= 1\n");
    return 2;
  }
  if (auto v = flags.Get("recall-sample"); v && !absl::SimpleAtoi(*v, &o.recall_sample)) {
    std::fprintf(stderr, "squatguard_workloads: --recall-sample: expected a whole number\n");
    return 2;
  }
  if (auto v = flags.Get("seed"); v && !absl::SimpleAtoi(*v, &o.seed)) {
    std::fprintf(stderr, "squatguard_workloads: --seed: expected a whole number\n");
    return 2;
  }
  if (auto v = flags.Get("threads")) {
    o.threads.clear();
    for (absl::string_view part : absl::StrSplit(*v, ',', absl::SkipEmpty())) {
      int t;
      if (!absl::SimpleAtoi(part, &t) || t < 1 || t > 256) {
        std::fprintf(stderr, "squatguard_workloads: --threads: expected numbers in 1..256, got '%s'\n", v->c_str());
        return 2;
      }
      o.threads.push_back(t);
    }
    if (o.threads.empty()) o.threads = {1};
  }
  std::vector<std::string> ids;
  std::vector<std::string> words = flags.positional();
  for (const std::string& w : flags.GetAll("workload")) words.push_back(w);
  for (const std::string& w : words) {
    for (absl::string_view part : absl::StrSplit(w, ',', absl::SkipEmpty())) {
      const std::string id = absl::AsciiStrToUpper(part);
      if (std::find(kAllWorkloads.begin(), kAllWorkloads.end(), id) == kAllWorkloads.end()) {
        std::fprintf(stderr, "squatguard_workloads: unknown workload '%s' (W1 W2 W3 W4 L1 B1)\n",
                     std::string(part).c_str());
        return 2;
      }
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  if (ids.empty()) ids = kAllWorkloads;
  const bool fork = flags.GetSwitch("fork").value_or(true);

  std::string thread_list;
  for (int t : o.threads) absl::StrAppend(&thread_list, thread_list.empty() ? "" : ",", t);
  std::printf("squatguard_workloads: cores %d (usable by this process %d), threads %s for W1..W4 (L1, B1: 1), "
              "runs %d, seed %llu\n  1-min load average at start %.2f (other processes on this machine)\n"
              "  shared %s, data %s, affix words %s\n\n",
              MachineCores(), UsableCores(), thread_list.c_str(), o.runs, static_cast<unsigned long long>(o.seed),
              LoadAverage1m(),
              o.shared_dir.c_str(), o.data_dir.c_str(), o.affix_files ? "from data/affixes" : "built-in");
  std::fflush(stdout);

  Json all;
  all["machine"] = Json{{"cores", MachineCores()}, {"usable_cores", UsableCores()},
                        {"load_average_1m_at_start", LoadAverage1m()}};
  all["options"] = Json{{"threads", o.threads}, {"runs", o.runs}, {"shared", o.shared_dir}, {"data", o.data_dir},
                        {"seed", o.seed}, {"recall_sample", o.recall_sample}, {"affix_files", o.affix_files}};
  Json results = Json::array();
  bool failed = false;
  for (const std::string& id : ids) {
    const double load = LoadAverage1m();
    Json r = fork ? RunIsolated(id, o) : RunOne(id, o);
    if (r.is_object()) r["load_average_before"] = load;
    if (r.is_discarded() || r.contains("error")) {
      std::printf("%s  ERROR: %s\n\n", id.c_str(),
                  r.is_discarded() ? "unreadable result" : r["error"].get<std::string>().c_str());
      failed = true;
    } else if (id == "L1") {
      PrintLatency(r);
    } else if (id == "B1") {
      PrintBuild(r);
    } else {
      PrintSweep(r);
    }
    std::printf("\n");
    std::fflush(stdout);
    results.push_back(r);
  }
  all["workloads"] = results;
  if (auto path = flags.Get("json")) {
    std::ofstream f(*path);
    f << all.dump(2) << "\n";
    if (!f) {
      std::fprintf(stderr, "squatguard_workloads: cannot write %s\n", path->c_str());
      return 3;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace bench
}  // namespace squatguard

int main(int argc, char** argv) { return squatguard::bench::Main(argc, argv); }
