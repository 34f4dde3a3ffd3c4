// A small command-line parser for the bench programs: "--name VALUE",
// "--name=VALUE", boolean "--name" / "--no-name", and positional words.
#ifndef SQUATGUARD_BENCH_COMMON_FLAGS_H_
#define SQUATGUARD_BENCH_COMMON_FLAGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace squatguard {
namespace bench {

class Flags {
 public:
  // Declares a flag taking a value, or a boolean switch (which also accepts
  // "--no-NAME"). `help` is one line for Usage().
  void Value(const std::string& name, const std::string& metavar, const std::string& help);
  void Switch(const std::string& name, const std::string& help);

  // InvalidArgument names the unknown flag or the missing value.
  absl::Status Parse(int argc, char** argv);

  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;  // repeated flags
  // nullopt when neither --NAME nor --no-NAME was given; else the last one.
  std::optional<bool> GetSwitch(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

  std::string Usage(const std::string& program, const std::string& synopsis) const;

 private:
  struct Spec {
    bool takes_value;
    std::string metavar, help;
  };
  std::vector<std::string> order_;
  std::map<std::string, Spec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> switches_;
  std::vector<std::string> positional_;
};

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_COMMON_FLAGS_H_
