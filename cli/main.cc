// squatguard: catch namespace squatting and typosquatting on registries.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: squatguard COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  check   [opts] NAME...        rank the impersonation risk of each NAME\n"
    "  scan    [opts] [FILE|-]       the same for a file of names (text or JSONL)\n"
    "  explain [opts] NAME TARGET    show every normalization step and the edit path\n"
    "  crawl   [opts] SOURCE         fetch newly seen names, score them, store alerts\n"
    "  deps    [opts] PATH           check model and package references in a folder\n"
    "  alerts  [opts]                list stored alerts\n"
    "  review  [opts] ID --verdict benign|malicious [--note TEXT]\n"
    "\n"
    "Run 'squatguard COMMAND --help' for a command's options.\n"
    "Exit codes: 0 nothing found, 1 findings, 2 usage error, 3 bad input or data,\n"
    "4 network or registry failure.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace squatguard::cli;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  const Args args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return kExitClean;
  }
  if (command == "--version") {
    std::puts("squatguard " SQUATGUARD_VERSION);
    return kExitClean;
  }
  if (command == "check") return RunCheck(args);
  if (command == "scan") return RunScan(args);
  if (command == "explain") return RunExplain(args);
  if (command == "crawl") return RunCrawl(args);
  if (command == "deps") return RunDeps(args);
  if (command == "alerts") return RunAlerts(args);
  if (command == "review") return RunReview(args);
  std::fprintf(stderr, "squatguard: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return kExitUsage;
}
