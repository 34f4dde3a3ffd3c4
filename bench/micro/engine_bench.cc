// Engine::Check (the public API, as shipped: default min_score 0.5, top 3,
// affix words from data/affixes) against the PyPI top 15,000 (protected
// built from pypi-names.tsv rank <= 15,000), one call per iteration over
// 10,000 sampled PyPI names carrying their rank. Threads(2) shows the
// shared const engine scaling on this 2-core machine.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "benchmark/benchmark.h"
#include "micro/micro_data.h"
#include "squatguard/engine.h"

namespace squatguard {
namespace bench {

std::string MicroDataDir();  // micro_main.cc

namespace {

ProtectedList PypiTopList(int64_t max_rank) {
  ProtectedList list;
  if (absl::Status s = AddPypiTop(GetMicroData().all, max_rank, &list); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    std::exit(3);
  }
  return list;
}

EngineOptions ShippedOptions() {
  EngineOptions o;
  (void)LoadAffixWords(MicroDataDir() + "/affixes", &o);
  return o;
}

const Engine& Top15000Engine() {
  static const Engine* engine = [] {
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(PypiTopList(15000), ShippedOptions());
    if (!e.ok()) {
      std::fprintf(stderr, "Engine::Create: %s\n", std::string(e.status().message()).c_str());
      std::exit(3);
    }
    return e->release();
  }();
  return *engine;
}

const std::vector<Candidate>& SampleCandidates() {
  static const std::vector<Candidate>* c = [] {
    auto* out = new std::vector<Candidate>;
    for (const PypiName& p : GetMicroData().sample) {
      Candidate cand;
      cand.name = p.name;
      cand.ecosystem = Ecosystem::kPyPI;
      cand.rank = p.rank;
      out->push_back(std::move(cand));
    }
    return out;
  }();
  return *c;
}

void BM_EngineCheck_PyPISample10k_vs_Top15000(benchmark::State& state) {
  const Engine& engine = Top15000Engine();
  const std::vector<Candidate>& candidates = SampleCandidates();
  // Each thread walks the sample from its own offset.
  size_t i = (candidates.size() / static_cast<size_t>(state.threads())) * static_cast<size_t>(state.thread_index());
  int64_t flagged = 0;
  for (auto _ : state) {
    absl::StatusOr<std::vector<Finding>> f = engine.Check(candidates[i]);
    flagged += (f.ok() && !f->empty()) ? 1 : 0;
    benchmark::DoNotOptimize(f);
    if (++i == candidates.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["flagged_frac"] = benchmark::Counter(static_cast<double>(flagged), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_EngineCheck_PyPISample10k_vs_Top15000)->Threads(1)->Threads(2)->UseRealTime();

void BM_EngineCreate_PyPITop15000(benchmark::State& state) {
  const ProtectedList list = PypiTopList(15000);
  const EngineOptions options = ShippedOptions();
  for (auto _ : state) {
    state.PauseTiming();
    ProtectedList copy = list;
    state.ResumeTiming();
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(std::move(copy), options);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(list.size()));
}
BENCHMARK(BM_EngineCreate_PyPITop15000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace squatguard
