#include "eval/registry_volume.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/corpora.h"
#include "common/measure.h"
#include "nlohmann/json.hpp"
#include "squatguard/engine.h"

namespace squatguard {
namespace bench {
namespace {

using Json = nlohmann::ordered_json;
constexpr size_t kTechniqueCount = static_cast<size_t>(Technique::kCampaign) + 1;
constexpr size_t kNoTechnique = kTechniqueCount;  // a finding without techniques

struct Counts {
  size_t flagged = 0, high = 0, findings = 0, rejected = 0;
  std::array<size_t, kTechniqueCount + 1> flagged_by{}, high_by{};
  std::array<size_t, 6> top_score_buckets{};  // [0.5,0.6) ... [0.9,1.0]: top finding per flagged name
  std::vector<Finding> kept;                   // every finding, for the top-N list
};

std::string Name(size_t t) {
  return t == kNoTechnique ? "(none)" : std::string(TechniqueName(static_cast<Technique>(t)));
}

}  // namespace

int RunRegistryVolume(const RegistryVolumeOptions& o) {
  ProtectedList list;
  const std::string list_path = o.data_dir + "/protected/pypi-top5000.jsonl";
  if (absl::Status s = list.AddPath(list_path); !s.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(s.message()).c_str());
    return 3;
  }
  EngineOptions options;
  absl::StatusOr<size_t> words = LoadAffixWords(o.data_dir + "/affixes", &options);
  if (!words.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(words.status().message()).c_str());
    return 3;
  }
  const size_t protected_count = list.size();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list), options);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard_eval: Engine::Create: %s\n", std::string(engine.status().message()).c_str());
    return 3;
  }
  absl::StatusOr<std::vector<PypiName>> names = ReadPypiNames(o.shared_dir + "/corpora/pypi-names.tsv");
  if (!names.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(names.status().message()).c_str());
    return 3;
  }
  std::vector<Candidate> candidates;
  candidates.reserve(names->size());
  for (const PypiName& p : *names) {
    Candidate c;
    c.name = p.name;
    c.ecosystem = Ecosystem::kPyPI;
    c.rank = p.rank;
    candidates.push_back(std::move(c));
  }

  const double t0 = NowSeconds();
  std::atomic<size_t> next{0};
  std::vector<Counts> per_thread(o.threads);
  auto work = [&](Counts* c) {
    for (;;) {
      const size_t begin = next.fetch_add(512);
      if (begin >= candidates.size()) return;
      for (size_t i = begin; i < std::min(candidates.size(), begin + 512); ++i) {
        absl::StatusOr<std::vector<Finding>> f = (*engine)->Check(candidates[i], o.min_score, 3);
        if (!f.ok()) {
          ++c->rejected;
          continue;
        }
        if (f->empty()) continue;
        const Finding& top = f->front();
        const size_t t = top.techniques.empty() ? kNoTechnique : static_cast<size_t>(top.techniques.front());
        ++c->flagged;
        ++c->flagged_by[t];
        if (top.severity >= Severity::kHigh) {
          ++c->high;
          ++c->high_by[t];
        }
        const int bucket = std::clamp(static_cast<int>((top.score - 0.5) * 10), 0, 5);
        ++c->top_score_buckets[bucket];
        c->findings += f->size();
        for (Finding& x : *f) c->kept.push_back(std::move(x));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < o.threads; ++t) pool.emplace_back(work, &per_thread[t]);
  work(&per_thread[0]);
  for (std::thread& t : pool) t.join();
  const double seconds = NowSeconds() - t0;

  Counts total;
  for (Counts& c : per_thread) {
    total.flagged += c.flagged;
    total.high += c.high;
    total.findings += c.findings;
    total.rejected += c.rejected;
    for (size_t i = 0; i <= kTechniqueCount; ++i) {
      total.flagged_by[i] += c.flagged_by[i];
      total.high_by[i] += c.high_by[i];
    }
    for (size_t i = 0; i < total.top_score_buckets.size(); ++i) total.top_score_buckets[i] += c.top_score_buckets[i];
    for (Finding& f : c.kept) total.kept.push_back(std::move(f));
  }
  std::sort(total.kept.begin(), total.kept.end(), [](const Finding& a, const Finding& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.candidate != b.candidate) return a.candidate < b.candidate;
    return a.target < b.target;
  });

  const size_t n = candidates.size();
  auto pct = [n](size_t x) { return absl::StrFormat("%.3f%%", n == 0 ? 0.0 : 100.0 * x / n); };
  std::printf("squatguard_eval --registry-volume\n");
  std::printf("  protected: %s (%zu entries) + affix words %zu from %s/affixes\n", list_path.c_str(), protected_count,
              *words, o.data_dir.c_str());
  std::printf("  candidates: %zu PyPI names (pypi-names.tsv, each with its rank when known), ecosystem pypi\n", n);
  std::printf("  %d threads, %.2f s (%.0f names/s); min_score %.2f, top 3 findings per name\n\n", o.threads, seconds,
              n / std::max(1e-9, seconds), o.min_score);
  std::printf("  flagged at min_score %.2f:   %zu names (%s of all), %zu findings\n", o.min_score, total.flagged,
              pct(total.flagged).c_str(), total.findings);
  std::printf("  top finding severity high+: %zu names (%s of all)\n", total.high, pct(total.high).c_str());
  if (total.rejected > 0) std::printf("  rejected by Check: %zu\n", total.rejected);

  std::printf("\n  by first technique of the top finding:\n  %-18s %10s %10s %10s %10s\n", "technique", "flagged",
              "% of all", "high+", "% of all");
  std::vector<size_t> order;
  for (size_t i = 0; i <= kTechniqueCount; ++i) {
    if (total.flagged_by[i] > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return total.flagged_by[a] > total.flagged_by[b]; });
  for (size_t t : order) {
    std::printf("  %-18s %10zu %10s %10zu %10s\n", Name(t).c_str(), total.flagged_by[t], pct(total.flagged_by[t]).c_str(),
                total.high_by[t], pct(total.high_by[t]).c_str());
  }
  std::printf("\n  score of the top finding (flagged names):");
  const char* labels[] = {"0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0", ""};
  for (size_t i = 0; i < 5; ++i) {
    const size_t v = total.top_score_buckets[i] + (i == 4 ? total.top_score_buckets[5] : 0);
    std::printf("  %s: %zu", labels[i], v);
  }
  std::printf("\n\n  top %d findings by score:\n", o.top_findings);
  Json top = Json::array();
  for (size_t i = 0; i < total.kept.size() && static_cast<int>(i) < o.top_findings; ++i) {
    const Finding& f = total.kept[i];
    std::vector<std::string> t;
    for (Technique x : f.techniques) t.emplace_back(TechniqueName(x));
    std::printf("  %3zu. %-40s -> %-28s %.3f %-8s [%s]\n", i + 1, f.candidate.c_str(), f.target.c_str(), f.score,
                std::string(SeverityName(f.severity)).c_str(), absl::StrJoin(t, ",").c_str());
    top.push_back(Json{{"candidate", f.candidate}, {"target", f.target}, {"score", f.score},
                       {"severity", std::string(SeverityName(f.severity))}, {"techniques", t},
                       {"explanation", f.explanation}});
  }
  if (!o.json_path.empty()) {
    Json j;
    j["protected"] = list_path;
    j["candidates"] = n;
    j["threads"] = o.threads;
    j["seconds"] = seconds;
    j["min_score"] = o.min_score;
    j["flagged"] = total.flagged;
    j["flagged_fraction"] = n == 0 ? 0.0 : static_cast<double>(total.flagged) / n;
    j["flagged_high"] = total.high;
    j["flagged_high_fraction"] = n == 0 ? 0.0 : static_cast<double>(total.high) / n;
    j["findings"] = total.findings;
    Json by = Json::object();
    for (size_t t : order) by[Name(t)] = Json{{"flagged", total.flagged_by[t]}, {"high", total.high_by[t]}};
    j["by_first_technique"] = by;
    j["top_findings"] = top;
    std::ofstream f(o.json_path);
    f << j.dump(2) << "\n";
    if (!f) return 3;
  }
  return 0;
}

}  // namespace bench
}  // namespace squatguard
