#include "name_index.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "edit_distance.h"

namespace squatguard {
namespace internal {
namespace {

size_t CodePointCount(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsWordSeparator(char c) { return c == '-' || c == '_' || c == '.' || c == ' ' || c == '/'; }

void AppendAll(const std::vector<uint32_t>* from, std::vector<uint32_t>* to) {
  if (from != nullptr) to->insert(to->end(), from->begin(), from->end());
}

// Shortest protected name an affix hit may stand on: three letters when the
// additions are known affix words ("xai-official"), five otherwise.
constexpr size_t kMinAffixTargetWithVocabulary = 3;
constexpr size_t kMinAffixTargetOtherwise = 5;
constexpr size_t kMaxAffixWords = 8;
constexpr size_t kMinGluedAffixTarget = 5;
constexpr size_t kMaxGluedReorderWords = 3;

}  // namespace

void AffixVocabulary::Add(absl::string_view word) {
  absl::StatusOr<confusables::NameForms> forms = confusables::Normalizer::Default().Normalize(word);
  if (!forms.ok() || forms->folded_flat.empty()) return;
  if (forms->folded_flat.size() >= 64) return;
  longest_ = std::max(longest_, forms->folded_flat.size());
  if (forms->casefold_flat.size() >= 64) return;
  lengths_ |= uint64_t{1} << forms->folded_flat.size();
  lengths_ |= uint64_t{1} << forms->casefold_flat.size();
  words_.insert(forms->folded_flat);
  casefolded_.insert(forms->casefold_flat);
  for (const std::string* w : {&forms->folded_flat, &forms->casefold_flat}) {
    if (w->empty()) continue;
    const size_t bit = EdgeBit(*w);
    edges_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  shown_.emplace(forms->folded_flat, forms->casefold_flat);
}

int DefaultMaxEdits(size_t length, int min_len_for_distance_2) {
  if (length <= 4) return 0;
  if (static_cast<int>(length) < min_len_for_distance_2) return 1;
  return 2;
}

std::string SortedWordsKey(std::vector<absl::string_view> words) {
  std::sort(words.begin(), words.end());
  return absl::StrJoin(words, "\x1f");  // a byte no name word contains
}

std::vector<absl::string_view> SplitWords(absl::string_view s) {
  std::vector<absl::string_view> words;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || IsWordSeparator(s[i])) {
      if (i > start) words.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

uint32_t NameIndex::Add(uint32_t entry, absl::string_view shown,
                        const confusables::NameForms& forms, int max_edits,
                        int min_len_for_distance_2) {
  const uint32_t id = static_cast<uint32_t>(names_.size());
  IndexedName n;
  n.entry = entry;
  n.shown = std::string(shown);
  n.casefold = forms.casefold;
  n.casefold_flat = forms.casefold_flat;
  n.folded = forms.folded;
  n.folded_flat = forms.folded_flat;
  n.visual_flat = forms.visual_flat;
  n.max_edits = max_edits;
  n.min_len_for_distance_2 = min_len_for_distance_2;
  by_folded_flat_[n.folded_flat].push_back(id);
  if (n.visual_flat != n.folded_flat) by_visual_flat_[n.visual_flat].push_back(id);
  if (pypi_rules_) by_ultra_[confusables::PypiUltranormalize(forms.nfkc)].push_back(id);
  if (std::vector<absl::string_view> words = SplitWords(n.folded); words.size() >= 2) {
    by_sorted_words_[SortedWordsKey(std::move(words))].push_back(id);
  }
  if (max_edits > 0) {
    fuzzy_.Add(id, n.folded_flat, max_edits);
    const size_t len = CodePointCount(n.folded_flat);
    if (max_edits_by_length_.size() <= len) max_edits_by_length_.resize(len + 1, 0);
    max_edits_by_length_[len] = std::max(max_edits_by_length_[len], max_edits);
  }
  names_.push_back(std::move(n));
  return id;
}

void NameIndex::Build() {
  fuzzy_.Build();
  absl::flat_hash_map<std::string, int> first_words;
  for (const IndexedName& n : names_) {
    std::vector<absl::string_view> words = SplitWords(n.casefold);
    if (words.size() >= 2) ++first_words[words[0]];
  }
  for (const auto& [word, count] : first_words) {
    if (count >= kFamilySize) family_heads_.insert(word);
  }
}

const std::vector<uint32_t>* NameIndex::WithFoldedFlat(absl::string_view key) const {
  auto it = by_folded_flat_.find(key);
  return it == by_folded_flat_.end() ? nullptr : &it->second;
}

void NameIndex::LookupSpan(absl::string_view flat, std::vector<uint32_t>* out) const {
  AppendAll(WithFoldedFlat(flat), out);
}

void NameIndex::FindEqualKeys(const confusables::NameForms& q, std::vector<Hit>* hits) const {
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  AppendAll(WithFoldedFlat(q.folded_flat), &ids);
  // The visual key of the query may equal either key of a name (a capital I
  // imitating an l meets the l in both).
  if (auto it = by_visual_flat_.find(q.visual_flat); it != by_visual_flat_.end()) AppendAll(&it->second, &ids);
  AppendAll(WithFoldedFlat(q.visual_flat), &ids);
  if (pypi_rules_) {
    if (auto it = by_ultra_.find(confusables::PypiUltranormalize(q.nfkc)); it != by_ultra_.end()) {
      AppendAll(&it->second, &ids);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (uint32_t id : ids) {
    Hit h;
    h.name = id;
    h.kind = HitKind::kEqualKey;
    hits->push_back(std::move(h));
  }
}

namespace {

// Sorts and deduplicates candidate ids. The deletion index returns each
// target once per shared variant, often many times over; a per-thread stamp
// per id drops the repeats in one pass, so only the distinct few are sorted.
void DropRepeats(std::vector<uint32_t>* ids) {
  thread_local std::vector<uint32_t> stamp;
  thread_local uint32_t generation = 0;
  if (++generation == 0) {  // wrapped: forget every old stamp
    std::fill(stamp.begin(), stamp.end(), 0);
    generation = 1;
  }
  size_t kept = 0;
  for (uint32_t id : *ids) {
    if (id >= stamp.size()) stamp.resize(size_t{id} + 1 + stamp.size() / 2, 0);
    if (stamp[id] == generation) continue;
    stamp[id] = generation;
    (*ids)[kept++] = id;
  }
  ids->resize(kept);
  std::sort(ids->begin(), ids->end());
}

}  // namespace

void NameIndex::FindWithinDistance(const confusables::NameForms& query, std::vector<Hit>* hits) const {
  const absl::string_view key = query.folded_flat;
  const size_t n = CodePointCount(key);
  // The query needs as many deletions as the laxest name it could meet.
  // A name of length L within e edits needs at most e - max(0, L - n)
  // deletions on the query side (each insertion into the query is a
  // deletion on the name's side instead). Not when the name is longer than
  // the index's prefix: both prefixes then have the same length, and an
  // insertion pushes a character of the query's prefix out.
  int k = -1;
  for (size_t len = n >= 2 ? n - 2 : 0; len <= n + 2 && len < max_edits_by_length_.size(); ++len) {
    const int allowed = max_edits_by_length_[len];
    const int gap = static_cast<int>(len > n ? len - n : n - len);
    if (allowed == 0 || gap > allowed) continue;
    const bool discount = len > n && len <= DeletionIndex::kPrefixUnits;
    k = std::max(k, allowed - (discount ? gap : 0));
  }
  if (k < 0) return;
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  fuzzy_.Candidates(key, k, &ids);
  // The visual key keeps what the folded key loses to case (a digit 0 is
  // capital O in the folded key, o in the visual one): "0penaii" is one
  // edit from "openai" only visually.
  const bool try_visual = query.visual_flat != query.folded_flat;
  if (try_visual) fuzzy_.Candidates(query.visual_flat, k, &ids);
  DropRepeats(&ids);
  // The length rule holds for both sides: a short query ("pydf") is as
  // likely to sit near an unrelated name as a short protected one.
  size_t query_length = 0;
  for (char c : query.casefold_flat) query_length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  for (uint32_t id : ids) {
    const IndexedName& name = names_[id];
    // Both sides must be long enough for any edit; past that, the protected
    // name's own limit holds ("mistrai" is 2 edits from "mistralai").
    const int allowed = DefaultMaxEdits(query_length, name.min_len_for_distance_2) == 0 ? 0 : name.max_edits;
    if (allowed == 0) continue;
    int d = BoundedOsaDistance(key, name.folded_flat, allowed);
    if (try_visual) d = std::min(d, BoundedOsaDistance(query.visual_flat, name.folded_flat, allowed));
    if (d == 0 || d > allowed) continue;
    Hit h;
    h.name = id;
    h.kind = HitKind::kDistance;
    h.distance = d;
    hits->push_back(std::move(h));
  }
}

void NameIndex::FindAffixed(const confusables::NameForms& q, const AffixVocabulary& vocabulary,
                            int max_reorder_tokens, std::vector<Hit>* hits) const {
  const std::vector<absl::string_view> words = SplitWords(q.folded);
  thread_local std::vector<uint32_t> ids;
  // Words are matched as folded skeletons but shown as written.
  const std::vector<absl::string_view> shown_words = SplitWords(q.casefold);
  const bool shown_aligned = shown_words.size() == words.size();
  auto emit = [&](const std::vector<uint32_t>& found, std::vector<std::string> added,
                  size_t target_len, const std::vector<std::string>& sides,
                  std::vector<std::string> shown) {
    if (found.empty()) return;
    bool all_vocabulary = !added.empty();
    for (const std::string& w : added) all_vocabulary = all_vocabulary && vocabulary.Contains(w);
    const size_t min_len = all_vocabulary ? kMinAffixTargetWithVocabulary : kMinAffixTargetOtherwise;
    if (target_len < min_len) return;
    // Two protected names joined ("unsloth-deepseek-ai"): the words on one
    // side of the span, together, are another protected name.
    bool contains_protected = false;
    for (const std::string& side : sides) {
      contains_protected = contains_protected || (side.size() >= 4 && WithFoldedFlat(side) != nullptr);
    }
    for (uint32_t id : found) {
      Hit h;
      h.name = id;
      h.kind = HitKind::kAffix;
      h.added_words = shown;
      h.added_are_affix_words = all_vocabulary;
      h.added_contains_protected = contains_protected;
      hits->push_back(std::move(h));
    }
  };

  // 1. A run of whole words is a protected name; the other words were added.
  if (words.size() >= 2 && words.size() <= kMaxAffixWords) {
    for (size_t i = 0; i < words.size(); ++i) {
      std::string span;
      for (size_t j = i; j < words.size(); ++j) {
        absl::StrAppend(&span, words[j]);
        if (i == 0 && j + 1 == words.size()) break;  // the whole name: not an affix
        if (span.size() < kMinAffixTargetWithVocabulary) continue;
        ids.clear();
        LookupSpan(span, &ids);
        if (ids.empty()) continue;
        std::vector<std::string> added, shown;
        std::string before, after;
        for (size_t w = 0; w < words.size(); ++w) {
          if (w < i || w > j) {
            added.emplace_back(words[w]);
            shown.emplace_back(shown_aligned ? shown_words[w] : words[w]);
          }
          if (w < i) absl::StrAppend(&before, words[w]);
          if (w > j) absl::StrAppend(&after, words[w]);
        }
        emit(ids, std::move(added), span.size(), {before, after}, std::move(shown));
      }
    }
  }

  // 2. A known affix word glued on without a separator: requestspy, pyrequests.
  // Short names glue onto too many words ("rscma") to count.
  const absl::string_view flat = q.folded_flat;
  for (size_t p = 1; p + kMinGluedAffixTarget <= flat.size() && p <= vocabulary.longest(); ++p) {
    absl::string_view head = flat.substr(0, p);
    if (vocabulary.Contains(head)) {
      ids.clear();
      LookupSpan(flat.substr(p), &ids);
      emit(ids, {std::string(head)}, flat.size() - p, {std::string(head)}, {vocabulary.Shown(head)});
    }
    absl::string_view tail = flat.substr(flat.size() - p);
    if (vocabulary.Contains(tail)) {
      ids.clear();
      LookupSpan(flat.substr(0, flat.size() - p), &ids);
      emit(ids, {std::string(tail)}, flat.size() - p, {std::string(tail)}, {vocabulary.Shown(tail)});
    }
  }

  // 3. The protected name repeated: djangodjango.
  for (size_t times = 2; times <= 3; ++times) {
    if (flat.size() % times != 0 || flat.size() / times < 4) continue;
    const absl::string_view unit = flat.substr(0, flat.size() / times);
    bool repeated = true;
    for (size_t t = 1; t < times && repeated; ++t) {
      repeated = flat.substr(t * unit.size(), unit.size()) == unit;
    }
    if (!repeated) continue;
    ids.clear();
    LookupSpan(unit, &ids);
    const absl::string_view shown_flat = q.casefold_flat;
    std::vector<std::string> added(
        times - 1, std::string(shown_flat.size() % times == 0 ? shown_flat.substr(0, shown_flat.size() / times) : unit));
    for (uint32_t id : ids) {
      Hit h;
      h.name = id;
      h.kind = HitKind::kAffix;
      h.added_words = added;
      h.added_contains_protected = true;
      h.repeated_name = true;
      hits->push_back(std::move(h));
    }
  }

  // 4. The same words in another order: llama-meta. Names are indexed by
  // their sorted words, so this is one lookup however many words there are.
  // Short names also try each ordering glued together, which meets names
  // written as one word ("audio-py" ~ "pyaudio"): at most 5 lookups.
  if (words.size() >= 2 && static_cast<int>(words.size()) <= max_reorder_tokens) {
    ids.clear();
    if (auto it = by_sorted_words_.find(SortedWordsKey(words)); it != by_sorted_words_.end()) {
      ids = it->second;
    }
    if (words.size() <= kMaxGluedReorderWords) {
      std::vector<size_t> order(words.size());
      std::iota(order.begin(), order.end(), 0);
      while (std::next_permutation(order.begin(), order.end())) {
        std::string key;
        for (size_t i : order) absl::StrAppend(&key, words[i]);
        LookupSpan(key, &ids);
      }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (uint32_t id : ids) {
      if (names_[id].folded_flat == q.folded_flat) continue;  // same order: an equal key
      Hit h;
      h.name = id;
      h.kind = HitKind::kReorder;
      hits->push_back(std::move(h));
    }
  }
}

namespace {

// Removes known affix words from both ends of a case-folded name, as whole words
// ("python-dateutil" -> "dateutil") or glued to the first or last word
// ("pydowndoc" -> "downdoc"), up to kMaxStrips times. Glued affixes hide
// inside ordinary words ("gradio", "matplotlib", "pytest"), so a glued strip
// must leave a longer core. Returns each distinct separator-free core with
// the words removed.
constexpr size_t kMinCore = 4;
constexpr size_t kMinGluedCore = 6;
constexpr int kMaxStrips = 3;

// The separator-free folded skeleton of a case-folded fragment: the key the
// maps are indexed by.
std::string FoldedKey(absl::string_view casefold) {
  thread_local confusables::NameForms forms;
  if (!confusables::Normalizer::Default().NormalizeInto(casefold, &forms).ok()) return std::string(casefold);
  return forms.folded_flat;
}

struct Stripped {
  std::vector<std::string> words;
  std::vector<std::string> removed;
};

size_t FlatSize(const std::vector<std::string>& words) {
  size_t n = 0;
  for (const std::string& w : words) n += w.size();
  return n;
}

// Whether StripAffixes could remove anything: most names have no affix word
// at either end, and this check allocates nothing.
bool MayStrip(absl::string_view casefold, const AffixVocabulary& vocabulary) {
  size_t first_end = 0;
  while (first_end < casefold.size() && !IsWordSeparator(casefold[first_end])) ++first_end;
  size_t last_begin = casefold.size();
  while (last_begin > 0 && !IsWordSeparator(casefold[last_begin - 1])) --last_begin;
  const absl::string_view first = casefold.substr(0, first_end);
  const absl::string_view last = casefold.substr(last_begin);
  for (size_t p = 1; p <= vocabulary.longest(); ++p) {
    if (p <= first.size() && vocabulary.ContainsCasefolded(first.substr(0, p))) return true;
    if (p <= last.size() && vocabulary.ContainsCasefolded(last.substr(last.size() - p))) return true;
  }
  return false;
}

void StripAffixes(absl::string_view casefold, const AffixVocabulary& vocabulary,
                  std::vector<std::pair<std::string, std::vector<std::string>>>* out) {
  if (!MayStrip(casefold, vocabulary)) return;
  Stripped start;
  for (absl::string_view w : SplitWords(casefold)) start.words.emplace_back(w);
  if (start.words.empty() || start.words.size() > kMaxAffixWords) return;
  std::vector<Stripped> frontier = {start};
  for (int round = 0; round < kMaxStrips && !frontier.empty(); ++round) {
    std::vector<Stripped> next;
    for (const Stripped& s : frontier) {
      const size_t total = FlatSize(s.words);
      const std::string& first = s.words.front();
      const std::string& last = s.words.back();
      if (s.words.size() >= 2 && vocabulary.ContainsCasefolded(first) && total - first.size() >= kMinCore) {
        Stripped n = s;
        n.removed.insert(n.removed.begin(), first);
        n.words.erase(n.words.begin());
        next.push_back(std::move(n));
      }
      if (s.words.size() >= 2 && vocabulary.ContainsCasefolded(last) && total - last.size() >= kMinCore) {
        Stripped n = s;
        n.removed.push_back(last);
        n.words.pop_back();
        next.push_back(std::move(n));
      }
      for (size_t p = 1; p <= vocabulary.longest() && p < first.size(); ++p) {
        if (total - p < kMinGluedCore || !vocabulary.ContainsCasefolded(absl::string_view(first).substr(0, p))) continue;
        Stripped n = s;
        n.removed.insert(n.removed.begin(), first.substr(0, p));
        n.words.front() = first.substr(p);
        next.push_back(std::move(n));
      }
      for (size_t p = 1; p <= vocabulary.longest() && p < last.size(); ++p) {
        const absl::string_view tail = absl::string_view(last).substr(last.size() - p);
        if (total - p < kMinGluedCore || !vocabulary.ContainsCasefolded(tail)) continue;
        Stripped n = s;
        n.removed.push_back(std::string(tail));
        n.words.back() = last.substr(0, last.size() - p);
        next.push_back(std::move(n));
      }
    }
    for (const Stripped& n : next) {
      std::string flat = absl::StrJoin(n.words, "");
      bool seen = false;
      for (const auto& o : *out) seen = seen || o.first == flat;
      if (!seen) out->emplace_back(std::move(flat), n.removed);
    }
    frontier = std::move(next);
  }
}

template <typename Map>
void DropShared(Map* map, size_t limit) {
  for (auto it = map->begin(); it != map->end();) {
    absl::flat_hash_set<uint32_t> names;
    for (const auto& s : it->second) names.insert(s.name);
    if (names.size() >= limit) {
      map->erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace

void NameIndex::BuildShortenedForms(const AffixVocabulary& vocabulary) {
  std::vector<std::pair<std::string, std::vector<std::string>>> cores;
  for (uint32_t id = 0; id < names_.size(); ++id) {
    const IndexedName& n = names_[id];
    // Leading words: aws-encryption-sdk -> "aws", "awsencryption".
    const std::vector<absl::string_view> words = SplitWords(n.folded);
    const std::vector<absl::string_view> shown_words = SplitWords(n.casefold);
    if (words.size() >= 2 && words.size() <= kMaxAffixWords && words.size() == shown_words.size()) {
      std::string lead;
      for (size_t j = 0; j + 1 < words.size(); ++j) {
        absl::StrAppend(&lead, words[j]);
        if (lead.size() < kMinAffixTargetOtherwise) continue;
        std::vector<std::string> removed(shown_words.begin() + j + 1, shown_words.end());
        by_leading_words_[lead].push_back({id, std::move(removed)});
      }
    }
    // Cores: the name without affix words at either end.
    cores.clear();
    StripAffixes(n.casefold, vocabulary, &cores);
    for (auto& [core, removed] : cores) by_core_[FoldedKey(core)].push_back({id, std::move(removed)});
  }
  DropShared(&by_leading_words_, kMaxShortenedSharing);
  DropShared(&by_core_, kMaxShortenedSharing);
}

void NameIndex::FindShortened(const confusables::NameForms& q, const AffixVocabulary& vocabulary,
                              std::vector<Hit>* hits) const {
  auto emit = [&](const std::vector<Shortened>& found, HitKind kind, const std::vector<std::string>& extra) {
    for (const Shortened& s : found) {
      Hit h;
      h.name = s.name;
      h.kind = kind;
      h.added_words = s.removed;
      h.added_words.insert(h.added_words.end(), extra.begin(), extra.end());
      h.added_are_affix_words = true;
      for (const std::string& w : s.removed) {
        h.added_are_affix_words = h.added_are_affix_words && vocabulary.ContainsCasefolded(w);
      }
      hits->push_back(std::move(h));
    }
  };
  const absl::string_view flat = q.folded_flat;
  if (flat.size() < kMinCore) return;
  if (auto it = by_leading_words_.find(flat); it != by_leading_words_.end()) emit(it->second, HitKind::kAffixRemoved, {});
  if (auto it = by_core_.find(flat); it != by_core_.end()) emit(it->second, HitKind::kAffixRemoved, {});
  // The query's own core against the names' cores: celestepy ~ celeste-ai.
  thread_local std::vector<std::pair<std::string, std::vector<std::string>>> cores;
  cores.clear();
  StripAffixes(q.casefold, vocabulary, &cores);
  for (const auto& [casefold_core, removed] : cores) {
    const std::string core = FoldedKey(casefold_core);
    if (auto it = by_core_.find(core); it != by_core_.end()) emit(it->second, HitKind::kAffixSwapped, removed);
    // Several affix words glued on ("saturdayincsdk"): the core itself is protected.
    if (const std::vector<uint32_t>* ids = WithFoldedFlat(core); ids != nullptr) {
      for (uint32_t id : *ids) {
        Hit h;
        h.name = id;
        h.kind = HitKind::kAffix;
        h.added_words = removed;
        h.added_are_affix_words = true;
        hits->push_back(std::move(h));
      }
    }
  }
}

size_t NameIndex::memory_bytes() const {
  size_t bytes = fuzzy_.memory_bytes() + names_.capacity() * sizeof(IndexedName);
  for (const IndexedName& n : names_) {
    bytes += n.shown.capacity() + n.casefold.capacity() + n.casefold_flat.capacity() +
             n.folded_flat.capacity() + n.visual_flat.capacity();
  }
  return bytes;
}

}  // namespace internal
}  // namespace squatguard
