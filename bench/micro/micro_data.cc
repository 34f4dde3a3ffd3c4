#include "micro/micro_data.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "edit_distance.h"

namespace squatguard {
namespace bench {
namespace {

std::string& SharedDir() {
  static std::string dir = DefaultSharedDir();
  return dir;
}

constexpr uint64_t kSeed = 20261125;

MicroData Load() {
  MicroData d;
  const std::string path = SharedDir() + "/corpora/pypi-names.tsv";
  absl::StatusOr<std::vector<PypiName>> all = ReadPypiNames(path);
  if (!all.ok()) {
    std::fprintf(stderr, "squatguard_micro_bench: %s (use --shared=DIR)\n", std::string(all.status().message()).c_str());
    std::exit(3);
  }
  d.all = std::move(*all);
  for (size_t i : SampleIndexes(d.all.size(), 10000, kSeed)) d.sample.push_back(d.all[i]);
  for (const PypiName& p : d.all) {
    if (p.rank && *p.rank <= 15000) d.top15000.push_back(p);
  }
  std::sort(d.top15000.begin(), d.top15000.end(),
            [](const PypiName& a, const PypiName& b) { return *a.rank < *b.rank; });
  for (const PypiName& p : d.top15000) {
    if (*p.rank <= 5000) d.top5000.push_back(p);
  }
  const confusables::Normalizer& n = confusables::Normalizer::Default();
  for (const PypiName& p : d.sample) {
    absl::StatusOr<confusables::NameForms> f = n.Normalize(p.name);
    if (f.ok()) d.sample_forms.push_back(std::move(*f));
  }
  std::vector<std::string> top_flat;
  for (const PypiName& p : d.top5000) {
    absl::StatusOr<confusables::NameForms> f = n.Normalize(p.name);
    if (f.ok()) top_flat.push_back(f->folded_flat);
  }
  std::mt19937_64 rng(kSeed);
  for (const confusables::NameForms& q : d.sample_forms) {
    const std::string& a = q.folded_flat;
    if (a.size() < 5) continue;
    for (const std::string& b : top_flat) {
      const size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
      if (gap > 2 || a == b) continue;
      if (internal::BoundedOsaDistance(a, b, 2) <= 2) d.near_pairs.emplace_back(a, b);
    }
    // One random partner of a similar length: the common rejection case.
    for (int tries = 0; tries < 50; ++tries) {
      const std::string& b = top_flat[rng() % top_flat.size()];
      const size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
      if (gap <= 2) {
        d.far_pairs.emplace_back(a, b);
        break;
      }
    }
  }
  return d;
}

}  // namespace

void SetMicroSharedDir(std::string dir) { SharedDir() = std::move(dir); }

const MicroData& GetMicroData() {
  static const MicroData* data = new MicroData(Load());
  return *data;
}

}  // namespace bench
}  // namespace squatguard
