// Normalizer (confusables/normalize.h): the ASCII fast path against the full
// ICU pipeline, per name, over 10,000 real PyPI names (fixed-seed sample).
#include "benchmark/benchmark.h"
#include "confusables/normalize.h"
#include "micro/micro_data.h"

namespace squatguard {
namespace bench {
namespace {

using confusables::NameForms;
using confusables::Normalizer;

void BM_Normalize_AsciiFastPath_PyPISample10k(benchmark::State& state) {
  const MicroData& d = GetMicroData();
  const Normalizer& n = Normalizer::Default();
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<NameForms> f = n.Normalize(d.sample[i].name);
    benchmark::DoNotOptimize(f);
    if (++i == d.sample.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize_AsciiFastPath_PyPISample10k);

void BM_NormalizeInto_AsciiFastPath_PyPISample10k(benchmark::State& state) {
  const MicroData& d = GetMicroData();
  const Normalizer& n = Normalizer::Default();
  NameForms forms;
  size_t i = 0;
  for (auto _ : state) {
    absl::Status s = n.NormalizeInto(d.sample[i].name, &forms);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(forms.folded_flat.data());
    if (++i == d.sample.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeInto_AsciiFastPath_PyPISample10k);

void BM_NormalizeWithIcu_PyPISample10k(benchmark::State& state) {
  const MicroData& d = GetMicroData();
  const Normalizer& n = Normalizer::Default();
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<NameForms> f = n.NormalizeWithIcu(d.sample[i].name);
    benchmark::DoNotOptimize(f);
    if (++i == d.sample.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeWithIcu_PyPISample10k);

}  // namespace
}  // namespace bench
}  // namespace squatguard
