// The squatguard subcommands. Each Run* function takes the arguments after
// the command word and returns the process exit code of SPEC.md:
//   0 nothing at or above --min-score, 1 findings, 2 usage error,
//   3 bad input or data, 4 network or registry failure after retries.
#ifndef SQUATGUARD_CLI_COMMANDS_H_
#define SQUATGUARD_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace squatguard {
namespace cli {

enum ExitCode : int {
  kExitClean = 0,
  kExitFindings = 1,
  kExitUsage = 2,
  kExitBadInput = 3,
  kExitNetwork = 4,
};

using Args = std::vector<std::string>;

int RunCheck(const Args& args);
int RunScan(const Args& args);
int RunExplain(const Args& args);
int RunCrawl(const Args& args);
int RunDeps(const Args& args);
int RunAlerts(const Args& args);
int RunReview(const Args& args);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_COMMANDS_H_
