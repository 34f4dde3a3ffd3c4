// Ctrl-C (SIGINT) during `scan` and `crawl`: the process stops promptly,
// what it already wrote stays valid (complete lines only), and the crawl
// database stays consistent and resumable.
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hardening/cli_runner.h"

namespace squatguard {
namespace hardening {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr int kFindings = 1;
constexpr int kInterrupted = 130;  // 128 + SIGINT, what shells report

// Names with a finding every third line, so output is written throughout.
std::string ManyNames(size_t lines) {
  std::string input;
  input.reserve(lines * 12);
  for (size_t i = 1; i <= lines; ++i) {
    if (i % 3 == 0) {
      input += "reqeusts\n";
    } else {
      absl::StrAppend(&input, "pkg", i, "\n");
    }
  }
  return input;
}

// Waits until `pred` holds, up to `seconds`.
template <typename Pred>
bool WaitFor(Pred pred, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

void ExpectCompleteLines(const std::string& out, bool json) {
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n') << "the last line is cut: ..." << out.substr(out.size() - std::min<size_t>(out.size(), 200));
  if (!json) return;
  size_t bad = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    bad += nlohmann::json::parse(line, nullptr, false).is_discarded();
  }
  EXPECT_EQ(bad, 0u);
}

std::vector<std::string> ScanArgs(const std::string& format, const std::string& input) {
  return {"scan", "--protected", Testdata("protected.jsonl"), "--format", format, "--threads", "2",
          input};
}

TEST(CtrlC, ScanStopsWithCompleteOutputLines) {
  ScratchDir dir;
  WriteFile(dir.File("names.txt"), ManyNames(Sanitized() ? 600000 : 3000000));
  for (const std::string format : {"jsonl", "csv"}) {
    Background scan(ScanArgs(format, dir.File("names.txt")), {}, /*pipe_stdin=*/false, dir.path());
    ASSERT_TRUE(WaitFor([&] { return scan.StdoutSize() > 0; }, 60)) << "no output within 60 s";
    scan.Signal(SIGINT);
    RunResult r = scan.Wait(30);
    ASSERT_FALSE(r.timed_out) << format << ": did not stop within 30 s of Ctrl-C";
    if (r.exit_code == kFindings) {
      GTEST_SKIP() << "the scan finished before the signal arrived; make the input larger";
    }
    EXPECT_EQ(r.exit_code, kInterrupted) << format << " (signal " << r.signal << "): " << r.err;
    EXPECT_THAT(r.err, HasSubstr("interrupted after"));
    ExpectCompleteLines(r.out, format == "jsonl");
  }
}

TEST(CtrlC, ScanWaitingForInputStopsPromptly) {
  // `tail -f names | squatguard scan -`: Ctrl-C while the scan waits for
  // more input must stop it, not wait for a batch that never comes.
  ScratchDir dir;
  Background scan(ScanArgs("jsonl", "-"), {}, /*pipe_stdin=*/true, dir.path());
  ASSERT_TRUE(scan.WriteStdin("reqeusts\nnunpy\n"));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  scan.Signal(SIGINT);
  RunResult r = scan.Wait(10);
  EXPECT_FALSE(r.timed_out) << "Ctrl-C did not stop a scan waiting for input within 10 s";
  EXPECT_EQ(r.exit_code, kInterrupted) << r.err;
  if (!r.out.empty()) ExpectCompleteLines(r.out, true);
}

// Typos of the suite's protected list, each once, spread through the feed.
const char* const kTypos[] = {"reqeusts", "nunpy", "djnago", "requestss", "numpyy"};

std::string Feed(int count) {
  std::string feed;
  for (int i = 1; i <= count; ++i) {
    if (i % (count / 5) == 0) {
      absl::StrAppend(&feed, "{\"name\": \"", kTypos[i / (count / 5) - 1],
                      "\", \"ecosystem\": \"pypi\"}\n");
    } else {
      absl::StrAppend(&feed, "{\"name\": \"pkg-", i, "\", \"ecosystem\": \"pypi\"}\n");
    }
  }
  return feed;
}

std::vector<std::string> CrawlArgs(const ScratchDir& dir) {
  return {"crawl", "feed", dir.File("feed.jsonl"), "--db", dir.File("state.db"), "--protected",
          Testdata("protected.jsonl"), "--format", "jsonl", "--page-size", "100"};
}

TEST(CtrlC, CrawlLeavesAConsistentResumableDatabase) {
  ScratchDir dir;
  const int names = Sanitized() ? 30000 : 150000;
  WriteFile(dir.File("feed.jsonl"), Feed(names));
  const std::string db = dir.File("state.db");
  Background crawl(CrawlArgs(dir), {}, /*pipe_stdin=*/false, dir.path());
  ASSERT_TRUE(WaitFor([&] {
    std::string n = QueryDb(db, "SELECT count(*) FROM names");
    return !n.empty() && !absl::StartsWith(n, "error") && std::stoi(n) >= 500;
  }, 120)) << "the crawl stored nothing within 120 s";
  crawl.Signal(SIGINT);
  RunResult r = crawl.Wait(30);
  ASSERT_FALSE(r.timed_out) << "did not stop within 30 s of Ctrl-C";
  if (r.exit_code == 0 || r.exit_code == kFindings) {
    GTEST_SKIP() << "the crawl finished before the signal arrived; make the feed larger";
  }
  // Whatever it wrote is whole lines; the file is sound; whole pages only.
  if (!r.out.empty()) ExpectCompleteLines(r.out, true);
  EXPECT_EQ(QueryDb(db, "PRAGMA integrity_check"), "ok");
  const int kept = std::stoi(QueryDb(db, "SELECT count(*) FROM names"));
  EXPECT_EQ(kept % 100, 0);
  EXPECT_LT(kept, names);

  RunResult resumed = RunCli(CrawlArgs(dir));
  EXPECT_THAT(resumed.exit_code, AnyOf(0, kFindings)) << resumed.err;
  EXPECT_EQ(QueryDb(db, "SELECT count(*) FROM names"), absl::StrCat(names));
  EXPECT_EQ(QueryDb(db, "SELECT count(DISTINCT candidate) FROM alerts"), "5");
  EXPECT_EQ(QueryDb(db, "SELECT count(*) FROM (SELECT ecosystem, candidate, target FROM alerts "
                        "GROUP BY 1, 2, 3 HAVING count(*) > 1)"),
            "0");
}

TEST(CtrlC, CrawlStopsCleanlyAndSaysSo) {
  // Stopping cleanly: the page under way is finished or rolled back, the
  // run is recorded as stopped (not left "running"), the summary is printed
  // and the exit code is 130, as for scan.
  ScratchDir dir;
  const int names = Sanitized() ? 30000 : 150000;
  WriteFile(dir.File("feed.jsonl"), Feed(names));
  const std::string db = dir.File("state.db");
  Background crawl(CrawlArgs(dir), {}, /*pipe_stdin=*/false, dir.path());
  ASSERT_TRUE(WaitFor([&] {
    std::string n = QueryDb(db, "SELECT count(*) FROM names");
    return !n.empty() && !absl::StartsWith(n, "error") && std::stoi(n) >= 500;
  }, 120));
  crawl.Signal(SIGINT);
  RunResult r = crawl.Wait(30);
  ASSERT_FALSE(r.timed_out);
  if (r.exit_code == 0 || r.exit_code == kFindings) GTEST_SKIP() << "finished before the signal";
  EXPECT_EQ(r.signal, 0) << "killed by signal " << r.signal << " instead of stopping";
  EXPECT_EQ(r.exit_code, kInterrupted) << r.err;
  EXPECT_THAT(r.err, HasSubstr("squatguard crawl feed:"));
  EXPECT_NE(QueryDb(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1"), "running");
}

}  // namespace
}  // namespace hardening
}  // namespace squatguard
