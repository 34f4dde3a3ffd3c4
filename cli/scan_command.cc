// squatguard scan [opts] [FILE|-]: check every name of a text or JSONL file,
// streaming, on several threads, with findings written in input order.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "cli/engine_loader.h"
#include "cli/line_reader.h"
#include "cli/output.h"

namespace squatguard {
namespace cli {
namespace {

constexpr size_t kBatchLines = 16384;

std::atomic<bool> g_interrupted{false};
void OnInterrupt(int) { g_interrupted.store(true); }

struct LineResult {
  std::vector<Finding> findings;
  std::string error;  // set for a bad line
  bool skipped = false;  // blank or comment
};

LineResult CheckLine(const Engine& engine, const Line& line, const CommonOptions& o) {
  LineResult r;
  absl::string_view text = absl::StripAsciiWhitespace(line.text);
  if (text.empty() || text[0] == '#') {
    r.skipped = true;
    return r;
  }
  Candidate c;
  if (text[0] == '{') {
    absl::StatusOr<Candidate> parsed = ParseCandidateJson(text, o.ecosystem);
    if (!parsed.ok()) {
      r.error = std::string(parsed.status().message());
      return r;
    }
    c = std::move(*parsed);
  } else {
    c = ParseQualifiedName(text, o.ecosystem);
  }
  absl::StatusOr<std::vector<Finding>> found = engine.Check(c, o.min_score, o.top);
  if (!found.ok()) {
    r.error = std::string(found.status().message());
    return r;
  }
  r.findings = std::move(*found);
  return r;
}

std::vector<LineResult> CheckBatch(const Engine& engine, const std::vector<Line>& lines,
                                   const CommonOptions& o, int threads) {
  std::vector<LineResult> results(lines.size());
  // Interleaved chunks keep the threads equally busy when costs vary.
  constexpr size_t kChunk = 256;
  std::atomic<size_t> next{0};
  auto work = [&]() {
    for (;;) {
      const size_t begin = next.fetch_add(kChunk);
      if (begin >= lines.size()) return;
      const size_t end = std::min(lines.size(), begin + kChunk);
      for (size_t i = begin; i < end; ++i) results[i] = CheckLine(engine, lines[i], o);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace

int RunScan(const Args& args) {
  ArgParser p("scan", "Check every name of FILE (or stdin, '-'): one name per line, or JSONL candidates\n"
                      "{\"name\": ..., \"ecosystem\": ..., \"account\": ..., \"created_at\": ..., \"rank\": ...,\n"
                      "\"downloads\": ...}. Findings come out in input order.",
              "[FILE|-]");
  AddEngineOptions(&p);
  p.AddOption("--threads", "N", "worker threads (default: all cores)");
  p.AddFlag("--quiet", "no progress line");
  if (absl::Status s = p.Parse(args); !s.ok()) {
    std::fprintf(stderr, "squatguard scan: %s\n", std::string(s.message()).c_str());
    return kExitUsage;
  }
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok()) {
    std::fprintf(stderr, "squatguard scan: %s\n", std::string(common.status().message()).c_str());
    return kExitUsage;
  }
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (auto v = p.Get("--threads")) {
    if (!absl::SimpleAtoi(*v, &threads) || threads < 1 || threads > 256) {
      std::fprintf(stderr, "squatguard scan: --threads: expected 1..256, got '%s'\n",
                   EscapeForTerminal(*v).c_str());
      return kExitUsage;
    }
  }
  if (p.positionals().size() > 1) {
    std::fprintf(stderr, "squatguard scan: give one FILE (or - for stdin)\n");
    return kExitUsage;
  }
  const std::string path = p.positionals().empty() ? "-" : p.positionals()[0];
  LineReader reader;
  if (absl::Status s = reader.Open(path); !s.ok()) {
    std::fprintf(stderr, "squatguard scan: %s\n", EscapeForTerminal(s.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngineFromArgs(p);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard scan: %s\n", EscapeForTerminal(engine.status().message()).c_str());
    return kExitBadInput;
  }
  g_interrupted.store(false);
  auto previous_int = std::signal(SIGINT, OnInterrupt);
  auto previous_term = std::signal(SIGTERM, OnInterrupt);
  const bool progress = !p.Has("--quiet") && isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;

  std::unique_ptr<FindingWriter> out = MakeFindingWriter(common->format, std::cout);
  size_t names = 0, findings = 0, bad = 0;
  // Read the next batch while this one is checked.
  std::future<std::vector<Line>> next =
      std::async(std::launch::async, [&reader] { return reader.ReadBatch(kBatchLines); });
  for (;;) {
    // Wait for input in slices, so Ctrl-C also stops a scan whose input has
    // stalled (`tail -f names | squatguard scan -`). The reader is blocked in
    // a read that cannot be cancelled, so the process ends here, after the
    // output so far has been completed.
    while (next.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      if (!g_interrupted.load()) continue;
      if (progress) std::fputs("\r\033[K", stderr);
      out->Finish({{"names", absl::StrCat(names)}, {"findings", absl::StrCat(findings)},
                   {"bad_names", absl::StrCat(bad)}, {"interrupted", "1"}});
      std::cout.flush();
      std::fprintf(stderr, "squatguard scan: interrupted after %zu names while waiting for input; output so far is complete\n", names);
      std::fflush(stderr);
      std::_Exit(130);
    }
    std::vector<Line> batch = next.get();
    if (batch.empty()) break;
    next = std::async(std::launch::async, [&reader] { return reader.ReadBatch(kBatchLines); });
    std::vector<LineResult> results = CheckBatch(**engine, batch, *common, threads);
    for (size_t i = 0; i < batch.size(); ++i) {
      const LineResult& r = results[i];
      if (r.skipped) continue;
      ++names;
      if (!r.error.empty()) {
        ++bad;
        std::fprintf(stderr, "squatguard scan: %s:%zu: %s\n", EscapeForTerminal(reader.name()).c_str(),
                     batch[i].number, EscapeForTerminal(r.error).c_str());
        continue;
      }
      for (const Finding& f : r.findings) out->Write(f);
      findings += r.findings.size();
    }
    if (progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(500)) {
        last_progress = now;
        const double secs = std::chrono::duration<double>(now - start).count();
        const double rate = names / std::max(secs, 1e-9);
        std::string eta = "?";
        if (reader.total_bytes() > 0 && reader.bytes_read() > 0) {
          const double left = secs * (static_cast<double>(reader.total_bytes()) / reader.bytes_read() - 1);
          eta = absl::StrFormat("%.0fs", std::max(0.0, left));
        }
        std::fprintf(stderr, "\r%zu names, %zu findings, %.0f names/s, ETA %s   ", names, findings, rate,
                     eta.c_str());
      }
    }
    if (g_interrupted.load()) break;
  }
  if (g_interrupted.load()) {
    // Let the reader finish its batch so nothing is left reading stdin.
    next.wait();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) std::fputs("\r\033[K", stderr);
  out->Finish({{"names", absl::StrCat(names)},
               {"findings", absl::StrCat(findings)},
               {"bad_names", absl::StrCat(bad)},
               {"seconds", absl::StrFormat("%.3f", secs)},
               {"names_per_second", absl::StrFormat("%.0f", names / std::max(secs, 1e-9))},
               {"threads", absl::StrCat(threads)}});
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  if (g_interrupted.load()) {
    std::fprintf(stderr, "squatguard scan: interrupted after %zu names; output so far is complete\n", names);
    return 130;
  }
  if (reader.error()) {
    std::fprintf(stderr, "squatguard scan: %s: read error\n", EscapeForTerminal(reader.name()).c_str());
    return kExitBadInput;
  }
  if (findings > 0) return kExitFindings;
  return bad > 0 ? kExitBadInput : kExitClean;
}

}  // namespace cli
}  // namespace squatguard
