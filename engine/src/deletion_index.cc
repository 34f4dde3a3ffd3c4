#include "deletion_index.h"

#include <algorithm>

namespace squatguard {
namespace internal {
namespace {

// Polynomial hashing over 64-bit words: a variant's hash comes from prefix
// and suffix hashes in O(1), so all O(n^2) variants cost O(n^2), not O(n^3).
constexpr uint64_t kBase = 0x100000001b3ULL;

// One multiply spreads the polynomial hash: the index keeps only the top
// 40 bits, and each top bit of a product depends on every bit below it.
// (Murmur3's three-step finalizer, used before, costs more instructions for
// the same candidates; W1 was ~1% faster without it.) Any collision only
// adds a candidate that the caller's distance check removes.
inline uint64_t Mix(uint64_t h, size_t len) {
  h ^= len * 0x9e3779b97f4a7c15ULL;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

// With pre[k] the hash of key[0..k) and D_k = pre[k] - pre[k+1], deleting
// position i gives pre[n] + D_k * B^(n-1-i), and deleting i < j gives
// pre[n] + D_i * B^(n-2-i) + D_j * B^(n-1-j): one addition per variant.
struct VariantHasher {
  std::vector<uint64_t> one;  // D_i * B^(n-1-i)
  std::vector<uint64_t> two;  // D_i * B^(n-2-i)
  uint64_t whole = 0;
  size_t n = 0;

  // Keys are hashed by code point (ASCII bytes are their own code points),
  // so an accented letter is one unit, as the edit distance counts it.
  void Reset(absl::string_view key, size_t max_units) {
    units.clear();
    for (size_t i = 0; i < key.size() && units.size() < max_units;) {
      const unsigned char b = static_cast<unsigned char>(key[i]);
      if (b < 0x80) {
        units.push_back(b);
        ++i;
        continue;
      }
      // Keys are valid UTF-8 (the normalizer's output).
      const size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
      char32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
      for (size_t k = 1; k < len && i + k < key.size(); ++k) cp = (cp << 6) | (key[i + k] & 0x3F);
      units.push_back(cp);
      i += len;
    }
    n = units.size();
    one.resize(n);
    two.resize(n);
    std::vector<uint64_t>& pre = scratch;
    pre.resize(n + 1);
    pre[0] = 0;
    for (size_t i = 0; i < n; ++i) pre[i + 1] = pre[i] * kBase + units[i] + 1;
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
  std::vector<char32_t> units;
};

// Appends the hashes of all variants with up to `max_edits` deletions. Runs
// of one character give the same variant whichever one is deleted, so only
// the first of a run is deleted; other duplicates remain (harmless extra
// probes for queries; the index deduplicates).
void AppendVariantHashes(absl::string_view key, int max_edits, size_t max_units, std::vector<uint64_t>* out) {
  thread_local VariantHasher hasher;
  hasher.Reset(key, max_units);
  const std::vector<char32_t>& u = hasher.units;
  const size_t n = u.size();
  // Sized for the most variants first, then written through a pointer:
  // this loop runs ~80 times per name of a registry sweep.
  const size_t start = out->size();
  out->resize(start + 1 + (max_edits >= 1 ? n : 0) + (max_edits >= 2 ? n * (n - 1) / 2 : 0));
  uint64_t* w = out->data() + start;
  *w++ = hasher.Whole();
  if (max_edits >= 1) {
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && u[i] == u[i - 1]) continue;
      *w++ = hasher.Without(i);
    }
  }
  if (max_edits >= 2) {
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && u[i] == u[i - 1]) continue;
      for (size_t j = i + 1; j < n; ++j) {
        if (j > i + 1 && u[j] == u[j - 1]) continue;
        *w++ = hasher.Without(i, j);
      }
    }
  }
  out->resize(static_cast<size_t>(w - out->data()));
}

}  // namespace

void DeletionVariantHashes(absl::string_view key, int max_edits, std::vector<uint64_t>* out) {
  const size_t start = out->size();
  AppendVariantHashes(key, max_edits, SIZE_MAX, out);
  std::sort(out->begin() + start, out->end());
  out->erase(std::unique(out->begin() + start, out->end()), out->end());
}

namespace {

constexpr int kKeyBits = 64 - 24;

inline uint64_t VariantKey(uint64_t hash) { return hash >> 24; }  // the top 40 bits

// Remixed so that keys sharing a home slot (equal high bits of the low
// word) do not also share fingerprints.
inline uint32_t KeyFingerprint(uint64_t key) {
  const uint32_t fp = static_cast<uint32_t>((key * 0xc2b2ae3d27d4eb4fULL) >> 32);
  return fp == 0 ? 1 : fp;
}

inline uint64_t KeyFilterHash(uint64_t key) { return key * 0x9e3779b97f4a7c15ULL; }

// Sorts uniformly distributed words: one counting pass scatters them into
// 2^16 buckets by their top bits, then each small bucket is sorted in cache.
// About three times faster than std::sort on the ~10^7 words of a large list.
void SortWords(std::vector<uint64_t>* words) {
  constexpr int kBucketBits = 16;
  if (words->size() < (size_t{1} << 14)) {
    std::sort(words->begin(), words->end());
    return;
  }
  std::vector<uint32_t> start((size_t{1} << kBucketBits) + 1, 0);
  for (uint64_t w : *words) ++start[(w >> (64 - kBucketBits)) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<uint64_t> out(words->size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint64_t w : *words) out[next[w >> (64 - kBucketBits)]++] = w;
  for (size_t b = 0; b + 1 < start.size(); ++b) std::sort(out.begin() + start[b], out.begin() + start[b + 1]);
  words->swap(out);
}

}  // namespace

size_t DeletionIndex::SlotOf(uint64_t key) const {
  // Lemire's multiply-shift maps onto any capacity, not just powers of two.
  // It uses the key's top bits, so the build, which inserts keys in sorted
  // order, walks the table front to back instead of jumping around it.
  const uint64_t top = key >> 8;  // keys have 40 bits
  return static_cast<size_t>((top * slots_.size()) >> 32);
}

void DeletionIndex::Add(uint32_t id, absl::string_view key, int max_edits) {
  if (id >= (uint32_t{1} << kIdBits)) return;  // beyond 16M targets: exact keys only
  if (key.size() > kMaxKeyBytes) max_edits = 0;
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  AppendVariantHashes(key, max_edits, kPrefixUnits, &hashes);  // duplicates go in the global sort
  for (uint64_t h : hashes) pending_.push_back((VariantKey(h) << kIdBits) | id);
}

void DeletionIndex::Build() {
  static_assert(kKeyBits + 24 == 64, "key and id fill one word");
  SortWords(&pending_);
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  auto key_of = [](uint64_t packed) { return packed >> kIdBits; };
  size_t groups = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || key_of(pending_[i]) != key_of(pending_[i - 1])) ++groups;
  }
  variants_ = groups;
  slots_.assign(groups + groups / 2 + 16, Slot{0, 0});  // load <= 2/3
  ids_.clear();
  group_offsets_.clear();
  int filter_log2 = 6;
  while ((size_t{1} << filter_log2) < groups * 32) ++filter_log2;
  filter_.assign((size_t{1} << filter_log2) / 64, 0);
  filter_shift_ = 64 - filter_log2;
  for (size_t i = 0; i < pending_.size();) {
    const uint64_t key = key_of(pending_[i]);
    size_t end = i + 1;
    while (end < pending_.size() && key_of(pending_[end]) == key) ++end;
    uint32_t value;
    if (end - i == 1) {
      value = kInline | static_cast<uint32_t>(pending_[i] & ((uint64_t{1} << kIdBits) - 1));
    } else {
      value = static_cast<uint32_t>(group_offsets_.size());
      group_offsets_.push_back(static_cast<uint32_t>(ids_.size()));
      for (size_t j = i; j < end; ++j) {
        ids_.push_back(static_cast<uint32_t>(pending_[j] & ((uint64_t{1} << kIdBits) - 1)));
      }
    }
    size_t s = SlotOf(key);
    while (slots_[s].fingerprint != 0) s = s + 1 == slots_.size() ? 0 : s + 1;
    slots_[s] = Slot{KeyFingerprint(key), value};
    const uint64_t bit = KeyFilterHash(key) >> filter_shift_;
    filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
    i = end;
  }
  group_offsets_.push_back(static_cast<uint32_t>(ids_.size()));
  std::vector<uint64_t>().swap(pending_);
}

void DeletionIndex::Candidates(absl::string_view query, int max_edits,
                               std::vector<uint32_t>* ids) const {
  if (slots_.empty()) return;
  if (query.size() > kMaxKeyBytes) max_edits = 0;
  thread_local std::vector<uint64_t> keys;
  keys.clear();
  AppendVariantHashes(query, max_edits, kPrefixUnits, &keys);
  // Drop the variants the filter rules out, then touch the remaining slots
  // first so their cache misses overlap.
  size_t kept = 0;
  for (uint64_t h : keys) {
    const uint64_t key = VariantKey(h);
    const uint64_t bit = KeyFilterHash(key) >> filter_shift_;
    if ((filter_[bit >> 6] >> (bit & 63)) & 1) keys[kept++] = key;
  }
  keys.resize(kept);
  for (uint64_t key : keys) __builtin_prefetch(&slots_[SlotOf(key)]);
  for (uint64_t key : keys) {
    const uint32_t fp = KeyFingerprint(key);
    for (size_t s = SlotOf(key);; s = s + 1 == slots_.size() ? 0 : s + 1) {
      const Slot& slot = slots_[s];
      if (slot.fingerprint == 0) break;
      if (slot.fingerprint != fp) continue;
      if (slot.value & kInline) {
        ids->push_back(slot.value & ~kInline);
      } else {
        ids->insert(ids->end(), ids_.begin() + group_offsets_[slot.value],
                    ids_.begin() + group_offsets_[slot.value + 1]);
      }
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
