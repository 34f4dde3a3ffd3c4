#include "deletion_index.h"

#include <algorithm>

namespace squatguard {
namespace internal {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// Murmur3's finalizer: spreads FNV's weak low bits over the whole word.
inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Hash of `key` with the bytes at positions skip1 and skip2 left out
// (npos-like values skip nothing). Mixing the length in keeps variants of
// different lengths apart.
inline uint64_t HashWithout(absl::string_view key, size_t skip1, size_t skip2) {
  uint64_t h = kFnvOffset;
  size_t len = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i == skip1 || i == skip2) continue;
    h = (h ^ static_cast<unsigned char>(key[i])) * kFnvPrime;
    ++len;
  }
  return Mix(h ^ (len * 0x9e3779b97f4a7c15ULL));
}

inline uint32_t FingerprintOf(uint64_t h) {
  uint32_t fp = static_cast<uint32_t>(h >> 32);
  return fp == 0 ? 1 : fp;
}

}  // namespace

void DeletionVariantHashes(absl::string_view key, int max_edits, std::vector<uint64_t>* out) {
  const size_t start = out->size();
  constexpr size_t kNone = static_cast<size_t>(-1);
  out->push_back(HashWithout(key, kNone, kNone));
  const size_t n = key.size();
  if (max_edits >= 1) {
    for (size_t i = 0; i < n; ++i) {
      // Deleting any byte of a run gives the same string: keep the first.
      if (i > 0 && key[i] == key[i - 1]) continue;
      out->push_back(HashWithout(key, i, kNone));
    }
  }
  if (max_edits >= 2) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) out->push_back(HashWithout(key, i, j));
    }
  }
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
  std::vector<std::pair<uint64_t, uint32_t>>().swap(pending_);
}

void DeletionIndex::Candidates(absl::string_view query, int max_edits,
                               std::vector<uint32_t>* ids) const {
  if (slots_.empty()) return;
  if (query.size() > kMaxKeyBytes) max_edits = 0;
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  DeletionVariantHashes(query, max_edits, &hashes);
  // Touch every slot first so the cache misses overlap.
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
  return slots_.capacity() * sizeof(Slot) + group_offsets_.capacity() * sizeof(uint32_t) +
         ids_.capacity() * sizeof(uint32_t);
}

}  // namespace internal
}  // namespace squatguard
