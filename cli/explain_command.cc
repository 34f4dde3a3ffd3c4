// squatguard explain [opts] NAME TARGET
#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "cli/engine_loader.h"
#include "cli/output.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace cli {
namespace {

void PrintSteps(const char* title, const NameSteps& s) {
  std::printf("%s '%s'\n", title, EscapeForTerminal(s.original).c_str());
  for (const auto& [step, value] : s.steps) {
    std::printf("  %-36s %s\n", step.c_str(), EscapeForTerminal(value).c_str());
  }
  for (const std::string& note : s.notes) std::printf("  note: %s\n", EscapeForTerminal(note).c_str());
}

nlohmann::json StepsJson(const NameSteps& s) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& [step, value] : s.steps) steps.push_back({{"step", step}, {"value", value}});
  return {{"name", s.original}, {"steps", steps}, {"notes", s.notes}};
}

}  // namespace

int RunExplain(const Args& args) {
  ArgParser p("explain", "Show every normalization step of NAME and TARGET, the edit path between\n"
                         "them, and the finding the engine would report.",
              "NAME TARGET");
  AddEngineOptions(&p);
  if (absl::Status s = p.Parse(args); !s.ok()) {
    std::fprintf(stderr, "squatguard explain: %s\n", std::string(s.message()).c_str());
    return kExitUsage;
  }
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok() || p.positionals().size() != 2) {
    std::fprintf(stderr, "squatguard explain: %s\n",
                 common.ok() ? "give exactly NAME and TARGET" : std::string(common.status().message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngineFromArgs(p);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard explain: %s\n", EscapeForTerminal(engine.status().message()).c_str());
    return kExitBadInput;
  }
  std::string name = p.positionals()[0], target = p.positionals()[1];
  if (common->ecosystem != Ecosystem::kAny) {
    // --ecosystem applies to names given without a prefix.
    if (ParseQualifiedName(name, Ecosystem::kAny).ecosystem == Ecosystem::kAny) {
      name = absl::StrCat(EcosystemName(common->ecosystem), ":", name);
    }
    if (ParseQualifiedName(target, Ecosystem::kAny).ecosystem == Ecosystem::kAny) {
      target = absl::StrCat(EcosystemName(common->ecosystem), ":", target);
    }
  }
  absl::StatusOr<Explanation> ex = (*engine)->Explain(name, target);
  if (!ex.ok()) {
    std::fprintf(stderr, "squatguard explain: %s\n", EscapeForTerminal(ex.status().message()).c_str());
    return kExitBadInput;
  }
  const bool found = ex->finding.has_value() && ex->finding->score >= common->min_score;
  if (common->format == OutputFormat::kTable) {
    PrintSteps("candidate", ex->candidate);
    PrintSteps("target", ex->target);
    std::printf("edit path (separator-free folded skeletons), distance %d:\n", ex->distance);
    if (ex->edit_path.empty()) std::printf("  (identical)\n");
    for (const std::string& line : ex->edit_path) std::printf("  %s\n", EscapeForTerminal(line).c_str());
    if (ex->finding.has_value()) {
      const Finding& f = *ex->finding;
      std::string techniques;
      for (Technique t : f.techniques) absl::StrAppend(&techniques, techniques.empty() ? "" : ",", TechniqueName(t));
      std::printf("finding: score %.2f, severity %s, techniques %s\n  %s\n", f.score,
                  std::string(SeverityName(f.severity)).c_str(), techniques.c_str(),
                  EscapeForTerminal(f.explanation).c_str());
    } else {
      std::printf("finding: none (the names do not meet by any technique)\n");
    }
  } else {
    nlohmann::json j = {{"candidate", StepsJson(ex->candidate)},
                        {"target", StepsJson(ex->target)},
                        {"distance", ex->distance},
                        {"edit_path", ex->edit_path}};
    if (ex->finding.has_value()) {
      std::vector<std::string> t;
      for (Technique x : ex->finding->techniques) t.emplace_back(TechniqueName(x));
      j["finding"] = {{"score", ex->finding->score},
                      {"severity", std::string(SeverityName(ex->finding->severity))},
                      {"techniques", t},
                      {"explanation", ex->finding->explanation}};
    }
    std::cout << j.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return found ? kExitFindings : kExitClean;
}

}  // namespace cli
}  // namespace squatguard
