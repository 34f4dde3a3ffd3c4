#include "cli/args.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace squatguard {
namespace cli {

ArgParser::ArgParser(std::string command, std::string summary, std::string positional_help)
    : command_(std::move(command)), summary_(std::move(summary)),
      positional_help_(std::move(positional_help)) {}

void ArgParser::AddOption(std::string name, std::string value_name, std::string help) {
  specs_.push_back({std::move(name), std::move(value_name), std::move(help), true});
}

void ArgParser::AddFlag(std::string name, std::string help) {
  specs_.push_back({std::move(name), "", std::move(help), false});
}

absl::Status ArgParser::Parse(const std::vector<std::string>& args) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a == "-" || !absl::StartsWith(a, "-")) {
      positionals_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      help_requested_ = true;
      continue;
    }
    std::string name = a;
    std::optional<std::string> inline_value;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    const Spec* spec = nullptr;
    for (const Spec& s : specs_) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown option '", name, "' for '", command_,
                                                     "' (see 'squatguard ", command_, " --help')"));
    }
    if (!spec->takes_value) {
      if (inline_value) return absl::InvalidArgumentError(absl::StrCat(name, " takes no value"));
      values_[name].push_back("");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
      inline_value = args[++i];
    }
    values_[name].push_back(*inline_value);
  }
  return absl::OkStatus();
}

std::string ArgParser::Usage() const {
  std::string out = absl::StrCat("usage: squatguard ", command_, " [options] ", positional_help_, "\n\n",
                                 summary_, "\n\noptions:\n");
  for (const Spec& s : specs_) {
    std::string left = s.takes_value ? absl::StrCat(s.name, " ", s.value_name) : s.name;
    if (left.size() < 24) left.resize(24, ' ');
    absl::StrAppend(&out, "  ", left, " ", s.help, "\n");
  }
  absl::StrAppend(&out, "  --help                   show this help\n");
  return out;
}

bool ArgParser::Has(absl::string_view name) const { return values_.contains(name); }

std::optional<std::string> ArgParser::Get(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ArgParser::GetAll(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::optional<absl::Duration> ParseSpan(absl::string_view text, int64_t max_amount) {
  int64_t amount = 0;
  if (text.size() < 2 || !absl::SimpleAtoi(text.substr(0, text.size() - 1), &amount) || amount < 0 ||
      amount > max_amount) {
    return std::nullopt;
  }
  // Duration arithmetic saturates: a huge amount is an infinite span, never
  // an overflow.
  switch (text.back()) {
    case 'm': return absl::Minutes(amount);
    case 'h': return absl::Hours(amount);
    case 'd': return absl::Hours(amount) * 24;
    case 'w': return absl::Hours(amount) * (24 * 7);
    default: return std::nullopt;
  }
}

absl::StatusOr<absl::Duration> ParseSpanOption(absl::string_view flag, const std::string& text,
                                               absl::string_view examples) {
  std::optional<absl::Duration> span = ParseSpan(text, 100000);
  if (span.has_value() && *span > absl::ZeroDuration()) return *span;
  return absl::InvalidArgumentError(absl::StrCat(flag, ": expected a span like ", examples, ", got '", text, "'"));
}

}  // namespace cli
}  // namespace squatguard
