// DeletionIndex and NameIndex queries (engine/src/deletion_index.h,
// name_index.h) over the PyPI top 5,000 / 15,000, queried with the
// normalized forms of 10,000 sampled PyPI names (normalization not timed).
#include <memory>

#include "benchmark/benchmark.h"
#include "deletion_index.h"
#include "micro/micro_data.h"
#include "name_index.h"

namespace squatguard {
namespace bench {

std::string MicroDataDir();  // micro_main.cc

namespace {

using confusables::NameForms;
using confusables::Normalizer;
using internal::DeletionIndex;
using internal::NameIndex;

size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The engine's way: limit from the case-folded flat length, 2 edits from 9.
std::unique_ptr<NameIndex> BuildNameIndex(const std::vector<PypiName>& names) {
  auto ix = std::make_unique<NameIndex>(/*pypi_rules=*/true);
  const Normalizer& n = Normalizer::Default();
  for (uint32_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<NameForms> f = n.Normalize(names[i].name);
    if (!f.ok()) continue;
    ix->Add(i, names[i].name, *f, internal::DefaultMaxEdits(CodePoints(f->casefold_flat), 9));
  }
  ix->Build();
  return ix;
}

const NameIndex& Top5000Index() {
  static const NameIndex* ix = BuildNameIndex(GetMicroData().top5000).release();
  return *ix;
}
const NameIndex& Top15000Index() {
  static const NameIndex* ix = BuildNameIndex(GetMicroData().top15000).release();
  return *ix;
}

const DeletionIndex& Top5000DeletionIndex() {
  static const DeletionIndex* ix = [] {
    auto* d = new DeletionIndex;
    for (const internal::IndexedName& n : Top5000Index().names()) {
      if (n.max_edits > 0) d->Add(n.entry, n.folded_flat, n.max_edits);
    }
    d->Build();
    return d;
  }();
  return *ix;
}

const internal::AffixVocabulary& PypiAffixes() {
  static const internal::AffixVocabulary* v = [] {
    auto* vocab = new internal::AffixVocabulary;
    EngineOptions o;
    if (LoadAffixWords(MicroDataDir() + "/affixes", &o).ok()) {
      for (const auto& [eco, word] : o.affix_words) {
        if (eco == Ecosystem::kAny || eco == Ecosystem::kPyPI) vocab->Add(word);
      }
    }
    return vocab;
  }();
  return *v;
}

void BM_DeletionIndex_Candidates_k2_PyPITop5000(benchmark::State& state) {
  const MicroData& d = GetMicroData();
  const DeletionIndex& ix = Top5000DeletionIndex();
  std::vector<uint32_t> ids;
  size_t i = 0, total = 0;
  for (auto _ : state) {
    ids.clear();
    ix.Candidates(d.sample_forms[i].folded_flat, 2, &ids);
    total += ids.size();
    benchmark::DoNotOptimize(ids.data());
    if (++i == d.sample_forms.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["ids/query"] = static_cast<double>(total) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DeletionIndex_Candidates_k2_PyPITop5000);

template <typename Find>
void RunQueries(benchmark::State& state, const NameIndex& ix, Find find) {
  const MicroData& d = GetMicroData();
  std::vector<internal::Hit> hits;
  size_t i = 0, total = 0;
  for (auto _ : state) {
    hits.clear();
    find(ix, d.sample_forms[i], &hits);
    total += hits.size();
    benchmark::DoNotOptimize(hits.data());
    if (++i == d.sample_forms.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hits/query"] = static_cast<double>(total) / static_cast<double>(state.iterations());
}

void BM_NameIndex_FindWithinDistance_PyPITop5000(benchmark::State& state) {
  RunQueries(state, Top5000Index(), [](const NameIndex& ix, const NameForms& q, std::vector<internal::Hit>* h) {
    ix.FindWithinDistance(q, h);
  });
}
BENCHMARK(BM_NameIndex_FindWithinDistance_PyPITop5000);

void BM_NameIndex_FindWithinDistance_PyPITop15000(benchmark::State& state) {
  RunQueries(state, Top15000Index(), [](const NameIndex& ix, const NameForms& q, std::vector<internal::Hit>* h) {
    ix.FindWithinDistance(q, h);
  });
}
BENCHMARK(BM_NameIndex_FindWithinDistance_PyPITop15000);

void BM_NameIndex_FindEqualKeys_PyPITop15000(benchmark::State& state) {
  RunQueries(state, Top15000Index(), [](const NameIndex& ix, const NameForms& q, std::vector<internal::Hit>* h) {
    ix.FindEqualKeys(q, h);
  });
}
BENCHMARK(BM_NameIndex_FindEqualKeys_PyPITop15000);

void BM_NameIndex_FindAffixed_PyPITop15000(benchmark::State& state) {
  const internal::AffixVocabulary& vocab = PypiAffixes();
  RunQueries(state, Top15000Index(),
             [&vocab](const NameIndex& ix, const NameForms& q, std::vector<internal::Hit>* h) {
               ix.FindAffixed(q, vocab, 5, h);
             });
}
BENCHMARK(BM_NameIndex_FindAffixed_PyPITop15000);

void BM_NameIndex_Build_PyPITop15000(benchmark::State& state) {
  const MicroData& d = GetMicroData();
  // Normalization is part of what the engine does per protected name, but
  // this measures the index alone: forms are computed once.
  std::vector<NameForms> forms;
  for (const PypiName& p : d.top15000) {
    absl::StatusOr<NameForms> f = Normalizer::Default().Normalize(p.name);
    if (f.ok()) forms.push_back(std::move(*f));
  }
  for (auto _ : state) {
    NameIndex ix(true);
    for (uint32_t i = 0; i < forms.size(); ++i) {
      ix.Add(i, forms[i].original, forms[i], internal::DefaultMaxEdits(CodePoints(forms[i].casefold_flat), 9));
    }
    ix.Build();
    benchmark::DoNotOptimize(ix.names().data());
    state.counters["index_MiB"] = static_cast<double>(ix.memory_bytes()) / (1024.0 * 1024.0);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(forms.size()));
}
BENCHMARK(BM_NameIndex_Build_PyPITop15000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace squatguard
