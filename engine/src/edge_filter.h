// A one-bit-per-key membership filter over a string's edges: its length and
// its first and last three bytes. Checking a name costs a few loads and one
// multiply, however long the name, and says "certainly absent" for almost
// every lookup that would miss.
//
// Why: each Check probes a dozen string maps (affix words at every prefix
// and suffix, spans of words, reorderings, cores) and nearly all of them
// miss; without the filter each miss hashes the whole string first.
//
// Thread safety: Add() before use; MayContain() is const.
#ifndef SQUATGUARD_ENGINE_EDGE_FILTER_H_
#define SQUATGUARD_ENGINE_EDGE_FILTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace squatguard {
namespace internal {

class EdgeFilter {
 public:
  // An empty filter (no bits) admits every key.
  EdgeFilter() = default;
  explicit EdgeFilter(size_t expected_keys) { Reset(expected_keys); }
  // About `bits_per_key` bits for `expected_keys` keys, at least 4,096 bits.
  void Reset(size_t expected_keys, size_t bits_per_key = 16) {
    int log2 = 12;
    while ((size_t{1} << log2) < expected_keys * bits_per_key && log2 < 30) ++log2;
    shift_ = 64 - log2;
    bits_.assign((size_t{1} << log2) / 64, 0);
  }
  void Add(absl::string_view key) {
    if (bits_.empty()) return;
    const uint64_t bit = BitOf(key);
    bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  bool MayContain(absl::string_view key) const {
    if (bits_.empty()) return true;
    const uint64_t bit = BitOf(key);
    return (bits_[bit >> 6] >> (bit & 63)) & 1;
  }

 private:
  uint64_t BitOf(absl::string_view key) const {
    const size_t n = key.size();
    auto at = [&](size_t i) -> uint64_t { return i < n ? static_cast<unsigned char>(key[i]) : 0; };
    uint64_t x = n;
    x = (x << 8) | at(0);
    x = (x << 8) | at(1);
    x = (x << 8) | at(2);
    x = (x << 8) | (n >= 1 ? static_cast<unsigned char>(key[n - 1]) : 0);
    x = (x << 8) | (n >= 2 ? static_cast<unsigned char>(key[n - 2]) : 0);
    x = (x << 8) | (n >= 3 ? static_cast<unsigned char>(key[n - 3]) : 0);
    return (x * 0x9e3779b97f4a7c15ULL) >> shift_;
  }

  std::vector<uint64_t> bits_;
  int shift_ = 64;
};

// A string-keyed map with an EdgeFilter in front of its lookups. Fill it
// through map(), then Seal() once; Find() before Seal() still answers
// correctly, only without the filter.
template <typename Value>
class FilteredMap {
 public:
  absl::flat_hash_map<std::string, Value>& map() { return map_; }
  const absl::flat_hash_map<std::string, Value>& map() const { return map_; }

  void Seal() {
    filter_.Reset(map_.size());
    for (const auto& [key, value] : map_) filter_.Add(key);
  }
  const Value* Find(absl::string_view key) const {
    if (!filter_.MayContain(key)) return nullptr;
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }

 private:
  absl::flat_hash_map<std::string, Value> map_;
  EdgeFilter filter_;
};

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_EDGE_FILTER_H_
