// CrawlCliTest: the scaffolding the end-to-end tests (cli_test,
// cloud_cli_test, reuse_cli_test) share for running the real squatguard
// binary against a FixtureServer: a scratch directory per test, the server,
// spawning the binary with its output captured in files, and reading the
// state database it left.
//
//   class MyCliTest : public CrawlCliTest {
//    protected:
//     MyCliTest() : CrawlCliTest("my-cli", {"HF_TOKEN"}) {}
//   };
//   TEST_F(MyCliTest, X) { Result r = Run({"alerts", "--db", Db()}); ... }
#ifndef SQUATGUARD_TESTS_CRAWLERS_CLI_FIXTURE_H_
#define SQUATGUARD_TESTS_CRAWLERS_CLI_FIXTURE_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/crawlers/fixture_server.h"

namespace squatguard {
namespace testing {

// Extra environment variables for one run, as (name, value).
using EnvVars = std::vector<std::pair<std::string, std::string>>;

// How a run of squatguard ended: exit code (128 + signal when killed) and
// everything it wrote.
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The whole file at `path`; "" when it cannot be read.
std::string Slurp(const std::string& path);

// What a database that will not open, or SQL that will not prepare, means
// to the test calling Query.
enum class QueryErrors {
  kFail,        // either is a test failure
  kIgnoreOpen,  // an unopenable database is just no rows; bad SQL fails
  kIgnore,      // neither fails (a file a kill -9 left before its schema)
};

// Rows of `sql` on the database at `db_path`, each row's columns joined by
// '|' (NULL as "NULL"). Opened read-write: after a kill -9 the first
// connection recovers the WAL, and a read-only one cannot.
std::vector<std::string> Query(const std::string& db_path, const std::string& sql,
                               QueryErrors errors = QueryErrors::kFail);

// The first row of Query, or "<no row>".
std::string QueryOne(const std::string& db_path, const std::string& sql,
                     QueryErrors errors = QueryErrors::kFail);

class CrawlCliTest : public ::testing::Test {
 protected:
  // The scratch directory is /tmp/squatguard-<dir_tag>-XXXXXX. Every run
  // unsets `cleared_env` first, so credentials of the machine running the
  // tests never leak into a test.
  CrawlCliTest(std::string dir_tag, std::vector<std::string> cleared_env)
      : dir_tag_(std::move(dir_tag)), cleared_env_(std::move(cleared_env)) {}

  void SetUp() override;
  void TearDown() override;

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Db() const { return Path("state.db"); }

  // Starts squatguard with `args`, stdin from the file `input` (/dev/null
  // when empty), stdout and stderr to Path("stdout") and Path("stderr"), and
  // `env` set after `cleared_env` is unset. The caller reaps the child.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& input = "",
              const EnvVars& env = {});

  // Spawn, wait for the exit, and collect what it wrote.
  CliResult Run(const std::vector<std::string>& args, const std::string& input = "",
                const EnvVars& env = {});

  std::string dir_;
  std::unique_ptr<FixtureServer> server_;

 private:
  const std::string dir_tag_;
  const std::vector<std::string> cleared_env_;
};

}  // namespace testing
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CRAWLERS_CLI_FIXTURE_H_
