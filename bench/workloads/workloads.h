// The workloads of WORKLOADS.md (../shared/WORKLOADS.md), each a function
// that builds its inputs from the shared corpora, measures, and returns its
// figures as JSON. squatguard_workloads runs each one in a child process so
// that its peak memory (ru_maxrss) is its own.
//
//   W1..W4  sweeps: every name of a corpus file through Engine::Check
//   L1      latency of single Check calls
//   B1      engine build time and memory
//
// Every sweep also measures, in the same run, the floor WORKLOADS.md defines:
// read the file, ASCII-lowercase each name, probe an exact hash set of the
// protected names.
#ifndef SQUATGUARD_BENCH_WORKLOADS_WORKLOADS_H_
#define SQUATGUARD_BENCH_WORKLOADS_WORKLOADS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "squatguard/protected_list.h"

namespace squatguard {
namespace bench {

struct WorkloadOptions {
  std::string shared_dir;
  std::string data_dir;
  std::vector<int> threads = {1};
  int runs = 3;
  // nullopt: the default (on for W1 and W3).
  std::optional<bool> recall_check;
  size_t recall_sample = 20000;
  uint64_t seed = 20261125;
  // Load data/affixes like the CLI does (false: the engine's built-in words).
  bool affix_files = true;
};

using Json = nlohmann::ordered_json;

// W1, W2, W3, W4. Throws nothing; errors are {"error": "..."}.
Json RunSweep(const std::string& id, const WorkloadOptions& options);
// L1.
Json RunLatency(const WorkloadOptions& options);
// B1.
Json RunBuild(const WorkloadOptions& options);

// The recall check of the brief: on `sample` candidates (fixed seed), a
// brute-force OSA reference on folded_flat forms against every protected
// name within its DefaultMaxEdits limit, versus NameIndex::FindWithinDistance.
Json RecallCheck(const std::vector<ProtectedEntry>& protected_entries, bool pypi_rules,
                 const std::vector<std::string>& candidates, size_t sample, uint64_t seed, int threads);

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_WORKLOADS_WORKLOADS_H_
