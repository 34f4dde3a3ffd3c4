// squatguard check [opts] NAME...
#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/engine_loader.h"
#include "cli/output.h"

namespace squatguard {
namespace cli {

int RunCheck(const Args& args) {
  ArgParser p("check", "Rank the impersonation risk of each NAME (prefix hf:, pypi:, npm:, mlflow: to\n"
                       "choose its ecosystem; without one, --ecosystem decides).",
              "NAME...");
  AddEngineOptions(&p);
  if (absl::Status s = p.Parse(args); !s.ok()) {
    std::fprintf(stderr, "squatguard check: %s\n", std::string(s.message()).c_str());
    return kExitUsage;
  }
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok()) {
    std::fprintf(stderr, "squatguard check: %s\n", std::string(common.status().message()).c_str());
    return kExitUsage;
  }
  if (p.positionals().empty()) {
    std::fprintf(stderr, "squatguard check: give at least one NAME\n\n%s", p.Usage().c_str());
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngineFromArgs(p);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard check: %s\n", EscapeForTerminal(engine.status().message()).c_str());
    return kExitBadInput;
  }
  std::unique_ptr<FindingWriter> out = MakeFindingWriter(common->format, std::cout);
  size_t findings = 0, bad = 0;
  for (size_t i = 0; i < p.positionals().size(); ++i) {
    const Candidate c = ParseQualifiedName(p.positionals()[i], common->ecosystem);
    absl::StatusOr<std::vector<Finding>> found = (*engine)->Check(c, common->min_score, common->top);
    if (!found.ok()) {
      ++bad;
      std::fprintf(stderr, "squatguard check: name %zu ('%s'): %s\n", i + 1,
                   EscapeForTerminal(c.name.substr(0, 200)).c_str(),
                   EscapeForTerminal(found.status().message()).c_str());
      continue;
    }
    for (const Finding& f : *found) out->Write(f);
    findings += found->size();
  }
  out->Finish({{"names", absl::StrCat(p.positionals().size())},
               {"findings", absl::StrCat(findings)},
               {"bad_names", absl::StrCat(bad)},
               {"protected", absl::StrCat((*engine)->protected_count())}});
  if (findings > 0) return kExitFindings;
  return bad > 0 ? kExitBadInput : kExitClean;
}

}  // namespace cli
}  // namespace squatguard
