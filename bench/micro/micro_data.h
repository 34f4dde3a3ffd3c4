// Inputs shared by the micro-benchmarks, loaded once from the corpora:
// a fixed-seed sample of real PyPI names, the PyPI top 5,000 / 15,000, and
// real name pairs. The shared folder is SQUATGUARD_SHARED_DIR, or
// --shared=DIR on the command line (taken out before Google Benchmark
// parses its own flags).
#ifndef SQUATGUARD_BENCH_MICRO_MICRO_DATA_H_
#define SQUATGUARD_BENCH_MICRO_MICRO_DATA_H_

#include <string>
#include <utility>
#include <vector>

#include "common/corpora.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace bench {

void SetMicroSharedDir(std::string dir);

struct MicroData {
  std::vector<PypiName> all;             // every pypi-names.tsv row
  std::vector<PypiName> sample;          // 10,000 drawn with a fixed seed
  std::vector<PypiName> top5000;         // rank <= 5,000, rank order
  std::vector<PypiName> top15000;        // rank <= 15,000, rank order
  // Normalized forms of the sample (index benchmarks start from these).
  std::vector<confusables::NameForms> sample_forms;
  // folded_flat pairs as index verification sees them: a sample name and a
  // top-5,000 name within OSA distance 2 ("near"), and a sample name and a
  // random top-5,000 name of length within 2 ("far", mostly rejected).
  std::vector<std::pair<std::string, std::string>> near_pairs;
  std::vector<std::pair<std::string, std::string>> far_pairs;
};

// Loads on first use (aborts with a message when the corpora are missing).
const MicroData& GetMicroData();

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_MICRO_MICRO_DATA_H_
