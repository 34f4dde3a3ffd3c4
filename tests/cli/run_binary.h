// Runs the real squatguard binary as a user would: arguments, optional stdin
// text and extra environment, capturing stdout, stderr and the exit code.
#ifndef SQUATGUARD_TESTS_CLI_RUN_BINARY_H_
#define SQUATGUARD_TESTS_CLI_RUN_BINARY_H_

#include <string>
#include <utility>
#include <vector>

namespace squatguard {
namespace test {

struct RunResult {
  int exit_code = -1;  // -1: did not exit normally (signal), see `signal`
  int signal = 0;
  std::string out;
  std::string err;
};

// ${SQUATGUARD_BINARY_DIR}/cli/squatguard, or $SQUATGUARD_BINARY when set.
std::string SquatguardBinary();

// Runs `binary args...` with `stdin_text` on stdin (closed after writing) and
// the parent's environment plus `env` (NAME, value).
RunResult RunSquatguard(const std::vector<std::string>& args, const std::string& stdin_text = "",
              const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace test
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CLI_RUN_BINARY_H_
