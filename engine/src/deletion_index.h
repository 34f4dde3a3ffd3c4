// A symmetric-delete index ("SymSpell") for bounded edit-distance search.
//
// Two strings within OSA distance k share a string obtained from each by at
// most k deletions (a transposition costs one deletion on each side). The
// index stores the hash of every deletion variant of every protected key; a
// query hashes its own variants, and the union of the hits is a small
// superset that the caller verifies with the real distance.
//
// WORKLOADS.md measured this family at ~30x a BK-tree on registry names (short
// strings, distance <= 2). Layout matters as much as the algorithm: variants
// live in one open-addressing table of 32-bit fingerprints pointing into one
// flat id array; a small bit filter in front answers most misses from
// cache, and a query prefetches the slots it must probe.
//
// Thread safety: immutable after Build(); queries are const.
#ifndef SQUATGUARD_ENGINE_DELETION_INDEX_H_
#define SQUATGUARD_ENGINE_DELETION_INDEX_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace internal {

class DeletionIndex {
 public:
  // Keys longer than this get no fuzzy matching: the number of variants
  // grows with the square of the length.
  static constexpr size_t kMaxKeyBytes = 64;

  // Only the first kPrefixUnits code points of a key make variants
  // (SymSpell's prefix trick). Two keys within k edits have prefixes within
  // k deletions of a common string (each edit costs each prefix at most one
  // unmatched character), so nothing is missed; names sharing a prefix are
  // extra candidates that the caller's distance check removes.
  static constexpr size_t kPrefixUnits = 12;

  // Registers `key` (for target `id` < 2^24) with all variants up to
  // `max_edits` deletions (0..2). Call before Build().
  void Add(uint32_t id, absl::string_view key, int max_edits);

  // Freezes the index. Memory: about 16 bytes per distinct variant.
  void Build();

  // Appends to `ids` every target whose key may be within `max_edits` of
  // `query` (duplicates possible; false positives possible, no misses).
  void Candidates(absl::string_view query, int max_edits, std::vector<uint32_t>* ids) const;

  size_t variant_count() const { return variants_; }
  size_t memory_bytes() const;

 private:
  // A variant is known by 40 bits of its hash; the low 24 bits of a pending
  // entry hold the target id, so the build sorts plain 64-bit words.
  static constexpr int kIdBits = 24;
  static constexpr uint32_t kInline = 0x80000000u;  // Slot::value holds the id itself

  struct Slot {
    uint32_t fingerprint;  // 0 marks an empty slot
    uint32_t value;        // kInline | id for a variant of one target, else a group index
  };
  size_t SlotOf(uint64_t key) const;

  std::vector<uint64_t> pending_;  // (variant key << kIdBits) | id, before Build
  std::vector<Slot> slots_;
  // One bit per variant key, 32-64 bits per variant (32 measured 2% faster
  // on W1 than 16, and 64 no faster): most query variants match nothing,
  // and this small array (cache-resident) says so without touching the big
  // table.
  std::vector<uint64_t> filter_;
  int filter_shift_ = 64;
  // Variants shared by several targets: ids_[group_offsets_[g] .. group_offsets_[g+1]).
  std::vector<uint32_t> group_offsets_;
  std::vector<uint32_t> ids_;
  size_t variants_ = 0;
};

// Hashes of every distinct deletion variant of `key` with at most
// `max_edits` (0..2) deletions, the key itself included. Exposed for tests.
void DeletionVariantHashes(absl::string_view key, int max_edits, std::vector<uint64_t>* out);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_DELETION_INDEX_H_
