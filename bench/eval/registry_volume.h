// --registry-volume: every name of pypi-names.tsv (with its rank) checked
// against the shipped PyPI top 5,000 alone (data/protected/pypi-top5000.jsonl
// and data/affixes), to see how many alerts a full-registry sweep would
// raise, by technique, and the strongest of them.
#ifndef SQUATGUARD_BENCH_EVAL_REGISTRY_VOLUME_H_
#define SQUATGUARD_BENCH_EVAL_REGISTRY_VOLUME_H_

#include <string>

namespace squatguard {
namespace bench {

struct RegistryVolumeOptions {
  std::string shared_dir;
  std::string data_dir;
  double min_score = 0.5;
  int threads = 2;
  int top_findings = 50;
  std::string json_path;  // empty: none
};

// Prints the report; returns the exit code (0, or 3 for unreadable input).
int RunRegistryVolume(const RegistryVolumeOptions& options);

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_EVAL_REGISTRY_VOLUME_H_
