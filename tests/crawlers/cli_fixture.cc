#include "tests/crawlers/cli_fixture.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"

namespace squatguard {
namespace testing {
namespace {

const std::string kBinary = SQUATGUARD_BINARY_DIR "/cli/squatguard";

}  // namespace

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Query(const std::string& db_path, const std::string& sql,
                               QueryErrors errors) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    if (errors == QueryErrors::kFail) {
      ADD_FAILURE() << "cannot open " << db_path << ": " << sqlite3_errmsg(db);
    }
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK &&
      errors != QueryErrors::kIgnore) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  }
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> cols;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      cols.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    rows.push_back(absl::StrJoin(cols, "|"));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

std::string QueryOne(const std::string& db_path, const std::string& sql,
                     QueryErrors errors) {
  std::vector<std::string> rows = Query(db_path, sql, errors);
  return rows.empty() ? "<no row>" : rows[0];
}

void CrawlCliTest::SetUp() {
  std::string tmpl = "/tmp/squatguard-" + dir_tag_ + "-XXXXXX";
  dir_ = mkdtemp(tmpl.data());
  auto server = FixtureServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
}

void CrawlCliTest::TearDown() {
  server_.reset();
  std::system(("rm -rf '" + dir_ + "'").c_str());
}

pid_t CrawlCliTest::Spawn(const std::vector<std::string>& args, const std::string& input,
                          const EnvVars& env) {
  std::vector<std::string> argv = {kBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out = Path("stdout"), err = Path("stderr");
  pid_t pid = fork();
  if (pid == 0) {
    int in_fd = open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY);
    int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (const std::string& name : cleared_env_) unsetenv(name.c_str());
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> c;
    for (std::string& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    execv(kBinary.c_str(), c.data());
    _exit(127);
  }
  return pid;
}

CliResult CrawlCliTest::Run(const std::vector<std::string>& args, const std::string& input,
                            const EnvVars& env) {
  pid_t pid = Spawn(args, input, env);
  int status = 0;
  waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(Path("stdout"));
  r.err = Slurp(Path("stderr"));
  return r;
}

}  // namespace testing
}  // namespace squatguard
