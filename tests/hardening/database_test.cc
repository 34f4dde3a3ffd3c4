// The bad-input suite, the crawl database: `crawl feed --db` against a file
// that is read-only, on a read-only file system, corrupted, locked by
// another connection, or on a disk that fills up mid-crawl. Each case needs
// a message naming the database, exit 3, and a database that is still
// consistent and resumable afterwards: nothing committed is lost, nothing is
// alerted twice.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hardening/cli_runner.h"

namespace squatguard {
namespace hardening {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr int kFindings = 1, kBadInput = 3;

// Typos of the suite's protected list, planted in generated feeds.
const char* const kTypos[] = {"reqeusts", "nunpy", "djnago", "lodahs", "mistral-ai"};
constexpr int kTypoCount = 5;

// `count` JSONL candidates: pkg-1 ... with the typos spread through them.
// Adds "ecosystem:name" of each to `seen` when given.
std::string MakeFeed(int count, std::set<std::string>* seen = nullptr) {
  std::string feed;
  for (int i = 1; i <= count; ++i) {
    const int typo = i % (count / kTypoCount);
    if (typo == 0) {
      const char* name = kTypos[i / (count / kTypoCount) - 1];
      const char* eco = std::string(name) == "lodahs" ? "npm"
                        : std::string(name) == "mistral-ai" ? "hf" : "pypi";
      absl::StrAppend(&feed, "{\"name\": \"", name, "\", \"ecosystem\": \"", eco,
                      "\", \"account\": \"u", i, "\"}\n");
      if (seen != nullptr) seen->insert(absl::StrCat(eco, ":", name));
    } else {
      absl::StrAppend(&feed, "{\"name\": \"pkg-", i, "\", \"ecosystem\": \"pypi\", \"account\": \"u",
                      i, "\", \"created_at\": \"2026-11-24T00:00:00Z\"}\n");
      if (seen != nullptr) seen->insert(absl::StrCat("pypi:pkg-", i));
    }
  }
  return feed;
}

std::vector<std::string> Crawl(const std::string& feed, const std::string& db,
                               std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"crawl", "feed", feed, "--db", db, "--protected",
                                   Testdata("protected.jsonl"), "--format", "jsonl"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string Count(const std::string& db, const std::string& table) {
  return QueryDb(db, absl::StrCat("SELECT count(*) FROM ", table));
}

// A finished crawl of a 500-name feed: the database the cases start from.
std::string MakeDatabase(const ScratchDir& dir) {
  WriteFile(dir.File("feed.jsonl"), MakeFeed(500));
  const std::string db = dir.File("state.db");
  RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), db));
  EXPECT_EQ(r.exit_code, kFindings) << r.err;
  EXPECT_EQ(Count(db, "names"), "500");
  return db;
}

TEST(BadDatabase, ReadOnlyFileIsAClearError) {
  ScratchDir dir;
  const std::string db = MakeDatabase(dir);
  RunOptions as_user;
  if (geteuid() == 0) {
    as_user.run_as_uid = UnprivilegedUid();
    if (!as_user.run_as_uid) GTEST_SKIP() << "running as root and there is no user 'nobody'";
  }
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  WriteFile(dir.File("more.jsonl"), MakeFeed(600));
  chmod(dir.File("more.jsonl").c_str(), 0644);
  RunResult r = RunCli(Crawl(dir.File("more.jsonl"), db), as_user);
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(db));
  EXPECT_THAT(r.err, HasSubstr("read-only"));
  chmod(db.c_str(), 0644);
  EXPECT_EQ(Count(db, "names"), "500");
}

TEST(BadDatabase, ReadOnlyFolderIsAClearError) {
  ScratchDir dir;
  const std::string db = MakeDatabase(dir);
  RunOptions as_user;
  if (geteuid() == 0) {
    as_user.run_as_uid = UnprivilegedUid();
    if (!as_user.run_as_uid) GTEST_SKIP() << "running as root and there is no user 'nobody'";
  }
  chmod(dir.File("feed.jsonl").c_str(), 0644);
  ASSERT_EQ(chmod(dir.path().c_str(), 0555), 0);
  RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), db), as_user);
  chmod(dir.path().c_str(), 0777);
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(db));
  EXPECT_THAT(r.err, HasSubstr("read-only"));
}

TEST(BadDatabase, ReadOnlyFileSystemIsAClearError) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a read-only tmpfs needs root";
  ScratchDir dir;
  std::string why = dir.MountTmpfs("ro", 8 << 20);
  if (!why.empty()) GTEST_SKIP() << why;
  WriteFile(dir.File("ro/feed.jsonl"), MakeFeed(500));
  const std::string db = dir.File("ro/state.db");
  ASSERT_EQ(RunCli(Crawl(dir.File("ro/feed.jsonl"), db)).exit_code, kFindings);
  ASSERT_EQ(dir.Remount("ro", "ro"), "");
  const std::string before = ReadFile(db);
  RunResult r = RunCli(Crawl(dir.File("ro/feed.jsonl"), db));
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(db));
  EXPECT_EQ(ReadFile(db), before);
}

TEST(BadDatabase, CorruptedFilesAreRefusedAndLeftAlone) {
  ScratchDir dir;
  const std::string real = MakeDatabase(dir);
  std::string garbage;
  for (int i = 0; i < 9000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 251));
  struct Case {
    std::string name, bytes, message;
  };
  const std::string real_bytes = ReadFile(real);
  const Case cases[] = {
      {"garbage.db", garbage, "not a squatguard database, or damaged"},
      {"truncated.db", real_bytes.substr(0, 8192), "damaged"},
      {"text.db", "{\"this is\": \"not sqlite\"}\n", "not a squatguard database, or damaged"},
  };
  for (const Case& c : cases) {
    const std::string db = dir.File(c.name);
    WriteFile(db, c.bytes);
    RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), db));
    EXPECT_EQ(r.exit_code, kBadInput) << c.name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(db)) << c.name;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.name;
    EXPECT_EQ(ReadFile(db), c.bytes) << c.name << " was modified";

    RunResult alerts = RunCli({"alerts", "--db", db});
    EXPECT_EQ(alerts.exit_code, kBadInput) << c.name;
    EXPECT_THAT(alerts.err, HasSubstr(db)) << c.name;
  }

  // An SQLite file of another program is not taken over.
  const std::string other = dir.File("other.db");
  ASSERT_EQ(QueryDb(other, "CREATE TABLE mine (x)", /*create=*/true), "");
  RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), other));
  EXPECT_EQ(r.exit_code, kBadInput);
  EXPECT_THAT(r.err, HasSubstr("not a squatguard database"));
  EXPECT_EQ(QueryDb(other, "SELECT count(*) FROM sqlite_schema"), "1");

  // A folder where the database should be.
  RunResult folder = RunCli(Crawl(dir.File("feed.jsonl"), dir.path()));
  EXPECT_EQ(folder.exit_code, kBadInput);
  EXPECT_THAT(folder.err, HasSubstr(dir.path()));
}

// Holds a write lock from a second connection, as another crawl would.
class Locker {
 public:
  explicit Locker(const std::string& db) {
    EXPECT_EQ(sqlite3_open(db.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  ~Locker() { Release(); }

 private:
  sqlite3* db_ = nullptr;
};

TEST(BadDatabase, LockedDatabaseFailsCleanlyAfterTheBusyTimeout) {
  // Documented: a crawl waits for the lock up to its busy timeout (10 s),
  // then exits 3 saying another squatguard may be using the file.
  ScratchDir dir;
  const std::string db = MakeDatabase(dir);
  WriteFile(dir.File("more.jsonl"), MakeFeed(600));
  Locker lock(db);
  RunResult r = RunCli(Crawl(dir.File("more.jsonl"), db), {.timeout_seconds = 120});
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(db));
  EXPECT_THAT(r.err, HasSubstr("locked"));
  EXPECT_THAT(r.err, HasSubstr("another squatguard may be using it"));
  EXPECT_GE(r.seconds, 9.0);
  lock.Release();
  EXPECT_EQ(Count(db, "names"), "500");
  EXPECT_EQ(QueryDb(db, "PRAGMA integrity_check"), "ok");
}

TEST(BadDatabase, LockReleasedWithinTheBusyTimeoutIsWaitedFor) {
  ScratchDir dir;
  const std::string db = MakeDatabase(dir);
  std::set<std::string> all;
  MakeFeed(500, &all);
  WriteFile(dir.File("more.jsonl"), MakeFeed(600, &all));
  Locker lock(db);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    lock.Release();
  });
  RunResult r = RunCli(Crawl(dir.File("more.jsonl"), db), {.timeout_seconds = 120});
  release.join();
  EXPECT_THAT(r.exit_code, AnyOf(0, kFindings)) << r.err;
  EXPECT_EQ(Count(db, "names"), absl::StrCat(all.size()));
}

TEST(BadDatabase, DiskFillingUpMidCrawlLosesNothingCommitted) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  ScratchDir dir;
  std::string why = dir.MountTmpfs("small", 384 << 10);
  if (!why.empty()) GTEST_SKIP() << why;
  const int names = 6000, page = 50;
  WriteFile(dir.File("feed.jsonl"), MakeFeed(names));
  const std::string db = dir.File("small/state.db");

  RunResult full = RunCli(Crawl(dir.File("feed.jsonl"), db, {"--page-size", absl::StrCat(page)}));
  EXPECT_EQ(full.exit_code, kBadInput) << full.err;
  EXPECT_THAT(full.err, HasSubstr(db));
  EXPECT_THAT(full.err, HasSubstr("full"));
  // Whole pages only, and the file is sound.
  EXPECT_EQ(QueryDb(db, "PRAGMA integrity_check"), "ok");
  const int kept = std::stoi(Count(db, "names"));
  EXPECT_GT(kept, 0) << "the file system filled before the first page; make it larger";
  EXPECT_LT(kept, names);
  EXPECT_EQ(kept % page, 0);
  EXPECT_EQ(QueryDb(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1"), "failed");

  // Room again: the next run finishes the feed, and no alert is raised twice.
  ASSERT_EQ(dir.Remount("small", "size=64m"), "");
  RunResult resumed = RunCli(Crawl(dir.File("feed.jsonl"), db, {"--page-size", absl::StrCat(page)}));
  EXPECT_THAT(resumed.exit_code, AnyOf(0, kFindings)) << resumed.err;
  EXPECT_EQ(Count(db, "names"), absl::StrCat(names));
  EXPECT_EQ(QueryDb(db, "SELECT count(DISTINCT candidate) FROM alerts WHERE candidate IN "
                        "('reqeusts', 'nunpy', 'djnago', 'lodahs', 'mistral-ai')"),
            absl::StrCat(kTypoCount));
  EXPECT_EQ(QueryDb(db, "SELECT count(*) FROM (SELECT ecosystem, candidate, target FROM alerts "
                        "GROUP BY 1, 2, 3 HAVING count(*) > 1)"),
            "0");
}

TEST(BadDatabase, ReportOnAFullDiskIsAnError) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  ScratchDir dir;
  std::string why = dir.MountTmpfs("tiny", 4 << 10);
  if (!why.empty()) GTEST_SKIP() << why;
  WriteFile(dir.File("feed.jsonl"), MakeFeed(500));
  WriteFile(dir.File("tiny/filler"), std::string(4 << 10, 'x'));
  RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), dir.File("state.db"),
                          {"--report", dir.File("tiny/report.csv")}));
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(dir.File("tiny/report.csv")));
}

TEST(BadFeed, BadLineInTheMiddleKeepsEarlierPagesAndResumes) {
  ScratchDir dir;
  std::string feed = MakeFeed(3000);
  // Break line 2501.
  size_t at = 0;
  for (int line = 1; line < 2501; ++line) at = feed.find('\n', at) + 1;
  feed.insert(at, "{\"name\": broken\n");
  WriteFile(dir.File("feed.jsonl"), feed);
  const std::string db = dir.File("state.db");
  RunResult r = RunCli(Crawl(dir.File("feed.jsonl"), db, {"--page-size", "1000"}));
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(dir.File("feed.jsonl"), ":2501: broken JSON")));
  EXPECT_EQ(Count(db, "names"), "2000");

  feed.erase(at, std::string("{\"name\": broken\n").size());
  WriteFile(dir.File("feed.jsonl"), feed);
  RunResult again = RunCli(Crawl(dir.File("feed.jsonl"), db, {"--page-size", "1000"}));
  EXPECT_THAT(again.exit_code, AnyOf(0, kFindings)) << again.err;
  EXPECT_EQ(Count(db, "names"), "3000");
  EXPECT_EQ(QueryDb(db, "SELECT count(*) FROM alerts"),
            QueryDb(db, "SELECT count(*) FROM (SELECT DISTINCT ecosystem, candidate, target FROM alerts)"));
}

TEST(BadFeed, MissingFeedFileIsNamed) {
  ScratchDir dir;
  RunResult r = RunCli(Crawl("/nonexistent/feed.jsonl", dir.File("state.db")));
  EXPECT_EQ(r.exit_code, kBadInput);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/feed.jsonl"));
}

}  // namespace
}  // namespace hardening
}  // namespace squatguard
