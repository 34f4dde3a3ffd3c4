#include "common/flags.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace squatguard {
namespace bench {

void Flags::Value(const std::string& name, const std::string& metavar, const std::string& help) {
  order_.push_back(name);
  specs_[name] = Spec{true, metavar, help};
}

void Flags::Switch(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = Spec{false, "", help};
}

absl::Status Flags::Parse(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional_.push_back(argv[i]);
      break;
    }
    if (!absl::StartsWith(arg, "--")) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = specs_.find(name);
    if (it == specs_.end() && absl::StartsWith(name, "no-")) {
      auto neg = specs_.find(name.substr(3));
      if (neg != specs_.end() && !neg->second.takes_value && !inline_value) {
        switches_[name.substr(3)] = false;
        continue;
      }
    }
    if (it == specs_.end()) return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    if (!it->second.takes_value) {
      if (inline_value) return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      switches_[name] = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      inline_value = argv[++i];
    }
    values_[name].push_back(*inline_value);
  }
  return absl::OkStatus();
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<bool> Flags::GetSwitch(const std::string& name) const {
  auto it = switches_.find(name);
  if (it == switches_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::Usage(const std::string& program, const std::string& synopsis) const {
  std::string out = absl::StrCat("usage: ", program, " ", synopsis, "\n\n");
  for (const std::string& name : order_) {
    const Spec& s = specs_.at(name);
    std::string head = absl::StrCat("  --", name, s.takes_value ? " " + s.metavar : "");
    if (head.size() < 28) head.resize(28, ' ');
    else head += "  ";
    absl::StrAppend(&out, head, s.help, "\n");
  }
  return out;
}

}  // namespace bench
}  // namespace squatguard
