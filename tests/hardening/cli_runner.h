// Running the real squatguard binary for the bad-input suite: arguments,
// stdin from bytes or a file, stdout and stderr captured to files, exit code
// or terminating signal, and a time limit so a hang fails instead of
// stalling ctest. Plus the scratch folders, mounts and database peeks the
// cases need.
#ifndef SQUATGUARD_TESTS_HARDENING_CLI_RUNNER_H_
#define SQUATGUARD_TESTS_HARDENING_CLI_RUNNER_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace hardening {

// The binary under test (SQUATGUARD_BINARY_DIR/cli/squatguard).
std::string Binary();

// The suite's own test data (tests/testdata/hardening/<name>).
std::string Testdata(absl::string_view name);

// True in the sanitizer build's ctest run (SQUATGUARD_SANITIZED=1): the
// slow cases use a tenth of their workload there.
bool Sanitized();

struct RunResult {
  int exit_code = -1;        // -1 when killed by a signal or timed out
  int signal = 0;            // the terminating signal, if any
  bool timed_out = false;    // killed by the runner after the time limit
  double seconds = 0;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string stdin_path;           // "" : /dev/null (unless stdin_bytes)
  std::optional<std::string> stdin_bytes;  // written to a file first
  std::optional<uid_t> run_as_uid;  // drop to this uid/gid (as root)
  double timeout_seconds = 300;
  std::vector<std::pair<std::string, std::string>> env;  // set in the child
};

// A scratch folder removed at destruction (after any mounts under it).
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(absl::string_view name) const;

  // Mounts a tmpfs of `bytes` at File(name) (root only). Empty on success,
  // else why it failed. Unmounted at destruction.
  std::string MountTmpfs(absl::string_view name, size_t bytes);
  // Remounts a mount made by MountTmpfs read-only or with a new size.
  std::string Remount(absl::string_view name, absl::string_view options);

 private:
  std::string path_;
  std::vector<std::string> mounts_;
};

// Runs squatguard with `args` (the command word first) and waits.
RunResult RunCli(const std::vector<std::string>& args, const RunOptions& options = {});

// A squatguard started in the background, for signal tests.
class Background {
 public:
  // stdin is a pipe the test writes to (WriteStdin, CloseStdin) when
  // `pipe_stdin`, else `options.stdin_path` or /dev/null.
  Background(const std::vector<std::string>& args, const RunOptions& options,
             bool pipe_stdin, const std::string& scratch);
  ~Background();

  pid_t pid() const { return pid_; }
  bool WriteStdin(absl::string_view bytes);
  void CloseStdin();
  void Signal(int signal);
  // Bytes written to stdout so far.
  size_t StdoutSize() const;
  // Waits up to `timeout_seconds`; kills with SIGKILL after that.
  RunResult Wait(double timeout_seconds);

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::string out_path_, err_path_;
  double started_ = 0;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, absl::string_view bytes);

// Runs one SQL query with the sqlite3 library and returns the first column
// of the first row as text ("" when no row), or "error: ..." on failure.
// The file must exist unless `create`.
std::string QueryDb(const std::string& path, const std::string& sql, bool create = false);

// The uid the suite drops to for permission cases (nobody), when it exists.
std::optional<uid_t> UnprivilegedUid();

}  // namespace hardening
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_HARDENING_CLI_RUNNER_H_
