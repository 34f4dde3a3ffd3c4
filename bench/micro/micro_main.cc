// squatguard_micro_bench: Google Benchmark's main, plus --shared=DIR and
// --data=DIR (where the corpora and data/affixes are), taken out of argv
// before the library parses its own --benchmark_* flags.
#include <cstring>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "common/corpora.h"
#include "micro/micro_data.h"

namespace squatguard {
namespace bench {

std::string& DataDirStorage() {
  static std::string dir = DefaultDataDir();
  return dir;
}
std::string MicroDataDir() { return DataDirStorage(); }

}  // namespace bench
}  // namespace squatguard

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const std::string& flag) -> const char* {
      if (a.rfind(flag + "=", 0) == 0) return argv[i] + flag.size() + 1;
      if (a == flag && i + 1 < argc) return argv[++i];
      return nullptr;
    };
    if (i > 0 && (a.rfind("--shared", 0) == 0)) {
      if (const char* v = value("--shared")) squatguard::bench::SetMicroSharedDir(v);
      continue;
    }
    if (i > 0 && (a.rfind("--data", 0) == 0)) {
      if (const char* v = value("--data")) squatguard::bench::DataDirStorage() = v;
      continue;
    }
    rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
