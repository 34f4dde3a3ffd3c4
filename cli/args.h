// A small command-line parser for subcommands: each command declares its
// options, and `--help` prints them. (Abseil flags are process-global, which
// does not fit seven subcommands with different option sets.)
//
//   ArgParser p("check", "rank the impersonation risk of each NAME", "NAME...");
//   p.AddOption("--min-score", "X", "drop findings below X (default 0.5)");
//   p.AddFlag("--quiet", "print nothing");
//   absl::Status s = p.Parse(args);
//   p.Get("--min-score") / p.GetAll("--protected") / p.Has("--quiet") / p.positionals()
#ifndef SQUATGUARD_CLI_ARGS_H_
#define SQUATGUARD_CLI_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace squatguard {
namespace cli {

class ArgParser {
 public:
  ArgParser(std::string command, std::string summary, std::string positional_help);

  // An option that takes a value: "--top 3" or "--top=3". Repeatable.
  void AddOption(std::string name, std::string value_name, std::string help);
  // An option without a value.
  void AddFlag(std::string name, std::string help);

  // InvalidArgument naming the bad option. "--help"/"-h" sets help_requested().
  absl::Status Parse(const std::vector<std::string>& args);

  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

  bool Has(absl::string_view name) const;
  std::optional<std::string> Get(absl::string_view name) const;  // last given
  std::vector<std::string> GetAll(absl::string_view name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  struct Spec {
    std::string name, value_name, help;
    bool takes_value;
  };
  std::string command_, summary_, positional_help_;
  std::vector<Spec> specs_;
  absl::flat_hash_map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
  bool help_requested_ = false;
};

// A span of time as a whole number from 0 to `max_amount` and a unit:
// "90m", "36h", "7d", "2w". nullopt for anything else.
std::optional<absl::Duration> ParseSpan(absl::string_view text, int64_t max_amount);

// An option's span: ParseSpan with 1 to 100,000 units. Otherwise
// InvalidArgument "<flag>: expected a span like <examples>, got '<text>'".
absl::StatusOr<absl::Duration> ParseSpanOption(absl::string_view flag, const std::string& text,
                                               absl::string_view examples);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_ARGS_H_
