#include "deletion_index.h"

#include <algorithm>

namespace squatguard {
namespace internal {
namespace {

// Polynomial hashing over 64-bit words: a variant's hash comes from prefix
// and suffix hashes in O(1), so all O(n^2) variants cost O(n^2), not O(n^3).
constexpr uint64_t kBase = 0x100000001b3ULL;

// Murmur3's finalizer: spreads the polynomial hash's weak low bits.
inline uint64_t Mix(uint64_t h, size_t len) {
  h ^= len * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The filter uses bits of the hash that neither the slot index (low bits)
// nor the fingerprint (high 32) depend on alone.
inline uint64_t FilterBit(uint64_t h, uint64_t mask) { return (h >> 17) & mask; }

inline uint32_t FingerprintOf(uint64_t h) {
  uint32_t fp = static_cast<uint32_t>(h >> 32);
  return fp == 0 ? 1 : fp;
}

// With pre[k] the hash of key[0..k) and D_k = pre[k] - pre[k+1], deleting
// position i gives pre[n] + D_k * B^(n-1-i), and deleting i < j gives
// pre[n] + D_i * B^(n-2-i) + D_j * B^(n-1-j): one addition per variant.
struct VariantHasher {
  std::vector<uint64_t> one;  // D_i * B^(n-1-i)
  std::vector<uint64_t> two;  // D_i * B^(n-2-i)
  uint64_t whole = 0;
  size_t n = 0;

  void Reset(absl::string_view key) {
    n = key.size();
    one.resize(n);
    two.resize(n);
    std::vector<uint64_t>& pre = scratch;
    pre.resize(n + 1);
    pre[0] = 0;
    for (size_t i = 0; i < n; ++i) pre[i + 1] = pre[i] * kBase + static_cast<unsigned char>(key[i]) + 1;
    whole = pre[n];
    uint64_t power = 1;  // B^(n-1-i), built from the right
    uint64_t power_less = 0;  // B^(n-2-i)
    for (size_t i = n; i-- > 0;) {
      const uint64_t d = pre[i] - pre[i + 1];
      one[i] = d * power;
      two[i] = d * power_less;
      power_less = power;
      power *= kBase;
    }
  }
  uint64_t Whole() const { return Mix(whole, n); }
  uint64_t Without(size_t i) const { return Mix(whole + one[i], n - 1); }
  uint64_t Without(size_t i, size_t j) const { return Mix(whole + two[i] + one[j], n - 2); }

  std::vector<uint64_t> scratch;
};

// Appends the hashes of all variants with up to `max_edits` deletions. Runs
// of one character give the same variant whichever byte is deleted, so only
// the first of a run is deleted; other duplicates remain (harmless extra
// probes for queries; the index deduplicates).
void AppendVariantHashes(absl::string_view key, int max_edits, std::vector<uint64_t>* out) {
  thread_local VariantHasher hasher;
  hasher.Reset(key);
  out->push_back(hasher.Whole());
  const size_t n = key.size();
  if (max_edits >= 1) {
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && key[i] == key[i - 1]) continue;
      out->push_back(hasher.Without(i));
    }
  }
  if (max_edits >= 2) {
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && key[i] == key[i - 1]) continue;
      for (size_t j = i + 1; j < n; ++j) {
        if (j > i + 1 && key[j] == key[j - 1]) continue;
        out->push_back(hasher.Without(i, j));
      }
    }
  }
}

}  // namespace

void DeletionVariantHashes(absl::string_view key, int max_edits, std::vector<uint64_t>* out) {
  const size_t start = out->size();
  AppendVariantHashes(key, max_edits, out);
  std::sort(out->begin() + start, out->end());
  out->erase(std::unique(out->begin() + start, out->end()), out->end());
}

void DeletionIndex::Add(uint32_t id, absl::string_view key, int max_edits) {
  if (key.size() > kMaxKeyBytes) max_edits = 0;
  std::vector<uint64_t> hashes;
  DeletionVariantHashes(key, max_edits, &hashes);
  for (uint64_t h : hashes) pending_.emplace_back(h, id);
}

void DeletionIndex::Build() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  size_t groups = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || pending_[i].first != pending_[i - 1].first) ++groups;
  }
  size_t capacity = 16;
  while (capacity < groups + groups / 2) capacity <<= 1;  // load <= 2/3
  slots_.assign(capacity, Slot{0, 0});
  mask_ = capacity - 1;
  ids_.clear();
  ids_.reserve(pending_.size());
  group_offsets_.clear();
  group_offsets_.reserve(groups + 1);
  for (size_t i = 0; i < pending_.size(); ++i) {
    const uint64_t h = pending_[i].first;
    if (i == 0 || h != pending_[i - 1].first) {
      const uint32_t g = static_cast<uint32_t>(group_offsets_.size());
      group_offsets_.push_back(static_cast<uint32_t>(ids_.size()));
      size_t s = h & mask_;
      while (slots_[s].fingerprint != 0) s = (s + 1) & mask_;
      slots_[s] = Slot{FingerprintOf(h), g};
    }
    ids_.push_back(pending_[i].second);
  }
  group_offsets_.push_back(static_cast<uint32_t>(ids_.size()));
  size_t filter_bits = 64;
  while (filter_bits < groups * 16) filter_bits <<= 1;
  filter_.assign(filter_bits / 64, 0);
  filter_mask_ = filter_bits - 1;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const uint64_t bit = FilterBit(pending_[i].first, filter_mask_);
    filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  std::vector<std::pair<uint64_t, uint32_t>>().swap(pending_);
}

void DeletionIndex::Candidates(absl::string_view query, int max_edits,
                               std::vector<uint32_t>* ids) const {
  if (slots_.empty()) return;
  if (query.size() > kMaxKeyBytes) max_edits = 0;
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  AppendVariantHashes(query, max_edits, &hashes);
  // Drop the variants the filter rules out, then touch the remaining slots
  // first so their cache misses overlap.
  size_t kept = 0;
  for (uint64_t h : hashes) {
    const uint64_t bit = FilterBit(h, filter_mask_);
    if ((filter_[bit >> 6] >> (bit & 63)) & 1) hashes[kept++] = h;
  }
  hashes.resize(kept);
  for (uint64_t h : hashes) __builtin_prefetch(&slots_[h & mask_]);
  for (uint64_t h : hashes) {
    const uint32_t fp = FingerprintOf(h);
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      if (slot.fingerprint == 0) break;
      if (slot.fingerprint != fp) continue;
      ids->insert(ids->end(), ids_.begin() + group_offsets_[slot.group],
                  ids_.begin() + group_offsets_[slot.group + 1]);
    }
  }
}

size_t DeletionIndex::memory_bytes() const {
  return slots_.capacity() * sizeof(Slot) + filter_.capacity() * sizeof(uint64_t) +
         group_offsets_.capacity() * sizeof(uint32_t) +
         ids_.capacity() * sizeof(uint32_t);
}

}  // namespace internal
}  // namespace squatguard
