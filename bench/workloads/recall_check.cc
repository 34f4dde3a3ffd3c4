// The recall check: NameIndex::FindWithinDistance against a brute-force
// reference on the same forms and limits. The reference shares no code with
// the engine's distance (its own full-width DP with an exact early stop), so
// a miss here is a miss of the symmetric-delete index or of the banded DP.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/corpora.h"
#include "common/measure.h"
#include "confusables/normalize.h"
#include "deletion_index.h"
#include "name_index.h"
#include "workloads/workloads.h"

namespace squatguard {
namespace bench {
namespace {

using confusables::NameForms;
using confusables::Normalizer;
using internal::DeletionIndex;
using internal::NameIndex;

constexpr int kMinLenForDistance2 = 9;  // the engine's default

size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// OSA distance over bytes when it is <= k, else some value > k. Full rows
// (no band); stops once two consecutive rows exceed k, which is exact: every
// later cell derives from the two rows above it (or from column 0, which is
// already > k there).
int ReferenceOsa(absl::string_view a, absl::string_view b, int k, std::vector<int>* buf) {
  const size_t n = a.size(), m = b.size();
  buf->assign(3 * (m + 1), 0);
  int* r0 = buf->data();           // row i-2
  int* r1 = r0 + (m + 1);          // row i-1
  int* r2 = r1 + (m + 1);          // row i
  for (size_t j = 0; j <= m; ++j) r1[j] = static_cast<int>(j);
  int prev_min = 0;
  for (size_t i = 1; i <= n; ++i) {
    r2[0] = static_cast<int>(i);
    int row_min = r2[0];
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, r0[j - 2] + 1);
      r2[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > k && prev_min > k) return k + 1;
    prev_min = row_min;
    int* t = r0;
    r0 = r1;
    r1 = r2;
    r2 = t;
  }
  return r1[m];
}

struct Protected {
  std::string folded_flat;
  int max_edits = 0;
  uint32_t name_id = 0;  // in the NameIndex
  std::string name;
};

struct Pair {
  uint32_t candidate;
  uint32_t name_id;
  int distance;
};

}  // namespace

Json RecallCheck(const std::vector<ProtectedEntry>& entries, bool pypi_rules,
                 const std::vector<std::string>& candidate_names, size_t sample, uint64_t seed, int threads) {
  Json out;
  const Normalizer& normalizer = Normalizer::Default();
  NameIndex index(pypi_rules);
  std::vector<Protected> protected_names;
  size_t protected_skipped_long = 0, protected_bad = 0;
  for (uint32_t i = 0; i < entries.size(); ++i) {
    absl::StatusOr<NameForms> forms = normalizer.Normalize(entries[i].name);
    if (!forms.ok()) {
      ++protected_bad;
      continue;
    }
    const int max_edits = internal::DefaultMaxEdits(CodePoints(forms->casefold_flat), kMinLenForDistance2);
    const uint32_t id = index.Add(i, entries[i].name, *forms, max_edits);
    if (forms->folded_flat.size() > DeletionIndex::kMaxKeyBytes) {
      ++protected_skipped_long;
      continue;
    }
    if (max_edits == 0) continue;  // meets only by equal keys: no distance pairs
    protected_names.push_back(Protected{forms->folded_flat, max_edits, id, entries[i].name});
  }
  index.Build();

  const std::vector<size_t> picks = SampleIndexes(candidate_names.size(), sample, seed ^ 0x5eedULL);
  std::vector<NameForms> queries;
  std::vector<std::string> query_names;
  size_t skipped_long = 0, bad = 0;
  for (size_t p : picks) {
    absl::StatusOr<NameForms> forms = normalizer.Normalize(candidate_names[p]);
    if (!forms.ok()) {
      ++bad;
      continue;
    }
    if (forms->folded_flat.size() > DeletionIndex::kMaxKeyBytes) {
      ++skipped_long;
      continue;
    }
    queries.push_back(std::move(*forms));
    query_names.push_back(candidate_names[p]);
  }

  // Brute force, split over threads.
  const double t0 = NowSeconds();
  std::vector<std::vector<Pair>> brute_parts(threads);
  std::atomic<size_t> next{0};
  auto brute = [&](std::vector<Pair>* pairs) {
    std::vector<int> buf;
    for (;;) {
      const size_t q = next.fetch_add(64);
      if (q >= queries.size()) return;
      for (size_t i = q; i < std::min(queries.size(), q + 64); ++i) {
        const std::string& a = queries[i].folded_flat;
        for (const Protected& p : protected_names) {
          const size_t gap = a.size() > p.folded_flat.size() ? a.size() - p.folded_flat.size()
                                                             : p.folded_flat.size() - a.size();
          if (gap > static_cast<size_t>(p.max_edits)) continue;
          const int d = ReferenceOsa(a, p.folded_flat, p.max_edits, &buf);
          if (d >= 1 && d <= p.max_edits) pairs->push_back(Pair{static_cast<uint32_t>(i), p.name_id, d});
        }
      }
    }
  };
  {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(brute, &brute_parts[t]);
    brute(&brute_parts[0]);
    for (std::thread& t : pool) t.join();
  }
  const double brute_seconds = NowSeconds() - t0;

  // The index, on one thread.
  const double t1 = NowSeconds();
  std::vector<Pair> index_pairs;
  std::vector<internal::Hit> hits;
  for (size_t i = 0; i < queries.size(); ++i) {
    hits.clear();
    index.FindWithinDistance(queries[i], &hits);
    for (const internal::Hit& h : hits) index_pairs.push_back(Pair{static_cast<uint32_t>(i), h.name, h.distance});
  }
  const double index_seconds = NowSeconds() - t1;

  absl::flat_hash_map<uint64_t, int> brute_pairs;
  for (const auto& part : brute_parts) {
    for (const Pair& p : part) brute_pairs[(uint64_t{p.candidate} << 32) | p.name_id] = p.distance;
  }
  absl::flat_hash_map<uint64_t, int> found;
  for (const Pair& p : index_pairs) found[(uint64_t{p.candidate} << 32) | p.name_id] = p.distance;
  // The index also applies the length rule to the query (a 4-letter query
  // meets nothing by distance, a query of 5..8 letters within 1 edit): a
  // pair within the protected name's limit but beyond the query's is left
  // out by design. Such pairs are counted apart; recall is measured on the
  // pairs within both limits, and also, as the brief defines it, on all.
  std::vector<int> query_limit(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    query_limit[i] = internal::DefaultMaxEdits(CodePoints(queries[i].casefold_flat), kMinLenForDistance2);
  }
  size_t both = 0, distance_mismatch = 0, beyond_query_limit = 0, beyond_query_limit_found = 0, in_both_limits = 0,
         in_both_limits_found = 0;
  Json missed = Json::array(), extra = Json::array();
  size_t missed_count = 0, extra_count = 0;
  const auto& names = index.names();
  auto describe = [&](uint64_t key, int d) {
    const uint32_t c = static_cast<uint32_t>(key >> 32), n = static_cast<uint32_t>(key);
    return Json{{"candidate", query_names[c]},
                {"protected", names[n].shown},
                {"candidate_folded_flat", queries[c].folded_flat},
                {"protected_folded_flat", names[n].folded_flat},
                {"distance", d},
                {"max_edits", names[n].max_edits},
                {"query_limit", query_limit[c]}};
  };
  for (const auto& [key, d] : brute_pairs) {
    const bool within_query_limit = d <= query_limit[static_cast<uint32_t>(key >> 32)];
    auto it = found.find(key);
    const bool hit = it != found.end();
    if (within_query_limit) {
      ++in_both_limits;
      in_both_limits_found += hit ? 1 : 0;
      if (!hit && missed_count++ < 20) missed.push_back(describe(key, d));
    } else {
      ++beyond_query_limit;
      beyond_query_limit_found += hit ? 1 : 0;
    }
    if (!hit) continue;
    ++both;
    if (it->second != d) ++distance_mismatch;
  }
  for (const auto& [key, d] : found) {
    if (!brute_pairs.contains(key) && extra_count++ < 20) extra.push_back(describe(key, d));
  }
  out["sampled"] = picks.size();
  out["checked"] = queries.size();
  out["skipped_longer_than_key_limit"] = skipped_long;
  out["skipped_invalid"] = bad;
  out["protected_names"] = entries.size();
  out["protected_with_distance_limit"] = protected_names.size();
  out["protected_skipped_longer_than_key_limit"] = protected_skipped_long;
  out["protected_invalid"] = protected_bad;
  out["brute_force_pairs"] = brute_pairs.size();
  out["index_pairs"] = found.size();
  out["pairs_in_both"] = both;
  out["pairs_within_both_limits"] = in_both_limits;
  out["pairs_within_both_limits_found"] = in_both_limits_found;
  out["pairs_beyond_query_limit"] = beyond_query_limit;
  out["pairs_beyond_query_limit_found"] = beyond_query_limit_found;
  out["missed_by_index"] = missed_count;
  out["extra_in_index"] = extra_count;
  out["distance_mismatches"] = distance_mismatch;
  // Within both limits (the index's contract): must be 1.
  out["recall"] = in_both_limits == 0 ? 1.0 : static_cast<double>(in_both_limits_found) / in_both_limits;
  // As the brief defines it: the protected name's limit only.
  out["recall_protected_limit_only"] =
      brute_pairs.empty() ? 1.0 : static_cast<double>(both) / static_cast<double>(brute_pairs.size());
  out["brute_force_seconds"] = brute_seconds;
  out["brute_force_threads"] = threads;
  out["index_seconds"] = index_seconds;
  out["missed_examples"] = missed;
  out["extra_examples"] = extra;
  return out;
}

}  // namespace bench
}  // namespace squatguard
