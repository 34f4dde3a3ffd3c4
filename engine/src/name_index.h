// NameIndex: one comparison space (the orgs of an ecosystem, or its flat
// names and repo names) and the ways a query can meet one of its names.
//
//   equal keys   folded or visual skeleton, separators removed (and PyPI's
//                ultranormalized form): googIe ~ google, mistral-ai ~ mistralai
//   distance     OSA distance on the separator-free folded skeleton within
//                the name's length-aware limit, found through a
//                symmetric-delete index
//   affix        a protected name plus added words, or two protected names
//                joined, with or without separators: openai-research, requestspy
//   reorder      the same words in another order: llama-meta
//
// Thread safety: immutable after Build(); every Find* is const.
#ifndef SQUATGUARD_ENGINE_NAME_INDEX_H_
#define SQUATGUARD_ENGINE_NAME_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "confusables/normalize.h"
#include "deletion_index.h"
#include "edge_filter.h"

namespace squatguard {
namespace internal {

struct IndexedName {
  uint32_t entry = 0;         // ProtectedEntry index in the engine
  std::string shown;          // the compared text as written (org, repo name or package)
  std::string casefold;       // forms kept for technique classification
  std::string casefold_flat;
  std::string folded;         // with separators: its words give shortened forms
  std::string folded_flat;
  std::string visual_flat;
  int max_edits = 0;          // length-aware limit for fuzzy matches
  int min_len_for_distance_2 = 9;  // the entry's length rule, applied to queries too
};

enum class HitKind : uint8_t {
  kEqualKey,
  kDistance,
  kAffix,         // the query adds words to the name
  kReorder,
  kAffixRemoved,  // the query is the name without some of its words
  kAffixSwapped,  // the query and the name share a core with other affixes
};

struct Hit {
  uint32_t name = 0;  // index into NameIndex::names()
  HitKind kind = HitKind::kEqualKey;
  int distance = 0;
  // kAffix: the words added around the protected name, in order (for
  // kAffixRemoved: the words the query lacks; kAffixSwapped: both), and
  // whether every one of them is a known affix word / another protected name.
  std::vector<std::string> added_words;
  bool added_are_affix_words = false;
  bool added_contains_protected = false;
  bool repeated_name = false;  // the name repeated ("djangodjango")
};

// Words that, added to a protected name, make a combosquat.
class AffixVocabulary {
 public:
  void Add(absl::string_view word);  // stored as its folded skeleton and its case folding
  // Whether a case-folded word is an affix word (for showing and stripping words).
  // The word as people write it, for a folded key ("rnodels" -> "models").
  std::string Shown(absl::string_view folded) const {
    auto it = shown_.find(folded);
    return it == shown_.end() ? std::string(folded) : it->second;
  }
  bool ContainsCasefolded(absl::string_view word) const {
    return MayContain(word) && casefolded_.contains(word);
  }
  bool Contains(absl::string_view flat_word) const {
    return MayContain(flat_word) && words_.contains(flat_word);
  }
  size_t longest() const { return longest_; }
  // Whether some word (either form) could be a prefix / suffix of `text`:
  // its first (last) two bytes match. One bit test rules out the ~10
  // prefix or suffix probes that most names would make.
  bool MayStartWith(absl::string_view text) const {
    return !text.empty() && TestEdge(starts_, text[0], text.size() > 1 ? text[1] : 0);
  }
  bool MayEndWith(absl::string_view text) const {
    return !text.empty() && TestEdge(ends_, text.back(), text.size() > 1 ? text[text.size() - 2] : 0);
  }

 private:
  // Bit (a, b) for two-byte edges; bit (a, 0) also set for one-byte words.
  using EdgeBits = std::vector<uint64_t>;
  static size_t EdgeIndex(char a, char b) {
    return (static_cast<size_t>(static_cast<unsigned char>(a)) << 8) | static_cast<unsigned char>(b);
  }
  static bool TestEdge(const EdgeBits& bits, char a, char b) {
    const size_t two = EdgeIndex(a, b), one = EdgeIndex(a, 0);
    return ((bits[two >> 6] >> (two & 63)) & 1) || ((bits[one >> 6] >> (one & 63)) & 1);
  }
  static void SetEdge(EdgeBits* bits, char a, char b) {
    const size_t i = EdgeIndex(a, b);
    (*bits)[i >> 6] |= uint64_t{1} << (i & 63);
  }
  EdgeBits starts_ = EdgeBits(65536 / 64, 0);
  EdgeBits ends_ = EdgeBits(65536 / 64, 0);
  absl::flat_hash_set<std::string> words_;
  absl::flat_hash_set<std::string> casefolded_;
  absl::flat_hash_map<std::string, std::string> shown_;  // folded -> case-folded
  bool MayContain(absl::string_view word) const {
    return !word.empty() && word.size() < 64 && ((lengths_ >> word.size()) & 1) && edges_.MayContain(word);
  }
  // Every name probes the vocabulary with each of its prefixes and
  // suffixes, and almost all probes miss.
  EdgeFilter edges_{1024};  // room for a large vocabulary; more words only weaken it
  uint64_t lengths_ = 0;  // bit i: some word has i bytes in either form
  size_t longest_ = 0;
};

// Distance limit for a name whose case-folded, separator-free form has
// `length` code points: names of 4 or fewer only meet by equal skeletons
// (xai, meta: short-name false positives are the commonest complaint), 1
// edit up to length min_len_for_distance_2 - 1, 2 from there on.
int DefaultMaxEdits(size_t length, int min_len_for_distance_2);

class NameIndex {
 public:
  // `pypi_rules`: also index PyPI's ultranormalized form.
  explicit NameIndex(bool pypi_rules = false) : pypi_rules_(pypi_rules) {}

  // Adds one protected string; returns its index in names().
  uint32_t Add(uint32_t entry, absl::string_view shown, const confusables::NameForms& forms,
               int max_edits, int min_len_for_distance_2 = 9);
  void Build();

  const std::vector<IndexedName>& names() const { return names_; }
  bool empty() const { return names_.empty(); }

  // Names whose folded or visual separator-free skeleton (or ultranormalized
  // form) equals the query's.
  void FindEqualKeys(const confusables::NameForms& query, std::vector<Hit>* hits) const;
  // Names within their distance limit of the query (distance >= 1).
  void FindWithinDistance(const confusables::NameForms& query, std::vector<Hit>* hits) const;
  // Affix, compound and reorder hits. `max_reorder_tokens` bounds the
  // permutations tried.
  void FindAffixed(const confusables::NameForms& query, const AffixVocabulary& vocabulary,
                   int max_reorder_tokens, std::vector<Hit>* hits) const;

  // The reverse: the query is a protected name shortened to its leading
  // words ("aws-encryption" for aws-encryption-sdk) or stripped of affix
  // words ("dateutil" for python-dateutil), or the same core with other
  // affix words ("celestepy" for celeste-ai). Needs BuildShortenedForms().
  void FindShortened(const confusables::NameForms& query, const AffixVocabulary& vocabulary,
                     std::vector<Hit>* hits) const;

  // Indexes the shortened forms FindShortened looks up. A shortened form
  // shared by kMaxShortenedSharing or more names is a namespace prefix
  // ("azure-mgmt", "mypy-boto3"), not one project's name, and is dropped.
  void BuildShortenedForms(const AffixVocabulary& vocabulary);
  static constexpr size_t kMaxShortenedSharing = 3;

  // True when at least kFamilySize protected names of more than one word
  // start with this case-folded word (django, pytest, types).
  bool IsFamilyHead(absl::string_view casefold_word) const { return family_heads_.contains(casefold_word); }
  static constexpr int kFamilySize = 3;

  // Index of names with this exact folded flat key (nullptr when none).
  const std::vector<uint32_t>* WithFoldedFlat(absl::string_view key) const;

  size_t memory_bytes() const;

 private:
  void LookupSpan(absl::string_view flat, std::vector<uint32_t>* out) const;

  bool pypi_rules_;
  std::vector<IndexedName> names_;
  FilteredMap<std::vector<uint32_t>> by_folded_flat_;
  FilteredMap<std::vector<uint32_t>> by_visual_flat_;
  FilteredMap<std::vector<uint32_t>> by_ultra_;
  FilteredMap<std::vector<uint32_t>> by_sorted_words_;  // reorder
  DeletionIndex fuzzy_;
  absl::flat_hash_set<std::string> family_heads_;
  struct Shortened {
    uint32_t name;
    std::vector<std::string> removed;  // the words the shortened form lacks
  };
  FilteredMap<std::vector<Shortened>> by_leading_words_;
  FilteredMap<std::vector<Shortened>> by_core_;
  // Most edits any name of a given folded-flat length allows.
  std::vector<int> max_edits_by_length_;
};

// Splits a case-folded name into words at '-', '_', '.', ' ' and '/'.
std::vector<absl::string_view> SplitWords(absl::string_view casefold);
// The same into *words (cleared first), reusing its capacity.
void SplitWordsInto(absl::string_view casefold, std::vector<absl::string_view>* words);

// The words sorted and joined: equal for two orderings of the same words.
std::string SortedWordsKey(std::vector<absl::string_view> words);
// The same into *key, reusing its capacity.
void SortedWordsKeyInto(const std::vector<absl::string_view>& words, std::string* key);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_NAME_INDEX_H_
