// BoundedOsaDistance (the banded hot path) against OsaDistance (the full
// O(n*m) reference) on real PyPI folded_flat pairs: "near" pairs are a
// sampled name and a top-5,000 name within distance 2 (what the deletion
// index hands to verification when it is right), "far" pairs a sampled name
// and a random top-5,000 name of length within 2 (what it hands over when it
// is wrong, and what a brute-force scan sees).
#include "benchmark/benchmark.h"
#include "edit_distance.h"
#include "micro/micro_data.h"

namespace squatguard {
namespace bench {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

template <typename Fn>
void RunPairs(benchmark::State& state, const Pairs& pairs, Fn fn) {
  if (pairs.empty()) {
    state.SkipWithError("no pairs");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn(pairs[i].first, pairs[i].second));
    if (++i == pairs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pairs"] = static_cast<double>(pairs.size());
}

void BM_BoundedOsaDistance_k2_PyPINearPairs(benchmark::State& state) {
  RunPairs(state, GetMicroData().near_pairs,
           [](const std::string& a, const std::string& b) { return internal::BoundedOsaDistance(a, b, 2); });
}
BENCHMARK(BM_BoundedOsaDistance_k2_PyPINearPairs);

void BM_OsaDistance_PyPINearPairs(benchmark::State& state) {
  RunPairs(state, GetMicroData().near_pairs,
           [](const std::string& a, const std::string& b) { return internal::OsaDistance(a, b); });
}
BENCHMARK(BM_OsaDistance_PyPINearPairs);

void BM_BoundedOsaDistance_k2_PyPIFarPairs(benchmark::State& state) {
  RunPairs(state, GetMicroData().far_pairs,
           [](const std::string& a, const std::string& b) { return internal::BoundedOsaDistance(a, b, 2); });
}
BENCHMARK(BM_BoundedOsaDistance_k2_PyPIFarPairs);

void BM_BoundedOsaDistance_k1_PyPIFarPairs(benchmark::State& state) {
  RunPairs(state, GetMicroData().far_pairs,
           [](const std::string& a, const std::string& b) { return internal::BoundedOsaDistance(a, b, 1); });
}
BENCHMARK(BM_BoundedOsaDistance_k1_PyPIFarPairs);

void BM_OsaDistance_PyPIFarPairs(benchmark::State& state) {
  RunPairs(state, GetMicroData().far_pairs,
           [](const std::string& a, const std::string& b) { return internal::OsaDistance(a, b); });
}
BENCHMARK(BM_OsaDistance_PyPIFarPairs);

}  // namespace
}  // namespace bench
}  // namespace squatguard
