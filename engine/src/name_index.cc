#include "name_index.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "edit_distance.h"

namespace squatguard {
namespace internal {
namespace {

size_t CodePointCount(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// One test per byte: every name is split into words several times.
bool IsWordSeparator(char c) {
  const unsigned char b = static_cast<unsigned char>(c);
  constexpr uint64_t kBelow64 =
      (uint64_t{1} << ' ') | (uint64_t{1} << '-') | (uint64_t{1} << '.') | (uint64_t{1} << '/');
  return b < 64 ? (kBelow64 >> b) & 1 : b == '_';
}

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
  edges_.Add(forms->folded_flat);
  edges_.Add(forms->casefold_flat);
  for (const std::string* w : {&forms->folded_flat, &forms->casefold_flat}) {
    if (w->empty()) continue;
    SetEdge(&starts_, (*w)[0], w->size() > 1 ? (*w)[1] : 0);
    SetEdge(&ends_, w->back(), w->size() > 1 ? (*w)[w->size() - 2] : 0);
  }
  shown_.emplace(forms->folded_flat, forms->casefold_flat);
}

int DefaultMaxEdits(size_t length, int min_len_for_distance_2) {
  if (length <= 4) return 0;
  if (static_cast<int>(length) < min_len_for_distance_2) return 1;
  return 2;
}

void SortedWordsKeyInto(const std::vector<absl::string_view>& words, std::string* key) {
  thread_local std::vector<absl::string_view> sorted;
  sorted.assign(words.begin(), words.end());
  std::sort(sorted.begin(), sorted.end());
  key->clear();
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) key->push_back('\x1f');  // a byte no name word contains
    key->append(sorted[i].data(), sorted[i].size());
  }
}

std::string SortedWordsKey(std::vector<absl::string_view> words) {
  std::string key;
  SortedWordsKeyInto(words, &key);
  return key;
}

void SplitWordsInto(absl::string_view s, std::vector<absl::string_view>* words) {
  words->clear();
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || IsWordSeparator(s[i])) {
      if (i > start) words->push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
}

std::vector<absl::string_view> SplitWords(absl::string_view s) {
  std::vector<absl::string_view> words;
  words.reserve(4);
  SplitWordsInto(s, &words);
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
  by_folded_flat_.map()[n.folded_flat].push_back(id);
  if (n.visual_flat != n.folded_flat) by_visual_flat_.map()[n.visual_flat].push_back(id);
  if (pypi_rules_) by_ultra_.map()[confusables::PypiUltranormalize(forms.nfkc)].push_back(id);
  if (std::vector<absl::string_view> words = SplitWords(n.folded); words.size() >= 2) {
    by_sorted_words_.map()[SortedWordsKey(std::move(words))].push_back(id);
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
  by_folded_flat_.Seal();
  by_visual_flat_.Seal();
  by_ultra_.Seal();
  by_sorted_words_.Seal();
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
  return by_folded_flat_.Find(key);
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
  AppendAll(by_visual_flat_.Find(q.visual_flat), &ids);
  AppendAll(WithFoldedFlat(q.visual_flat), &ids);
  if (pypi_rules_) {
    AppendAll(by_ultra_.Find(confusables::PypiUltranormalize(q.nfkc)), &ids);
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
  // Per-thread buffers: every name of a sweep comes through here.
  thread_local std::vector<absl::string_view> words_buffer, shown_words_buffer;
  thread_local std::string span;
  SplitWordsInto(q.folded, &words_buffer);
  const std::vector<absl::string_view>& words = words_buffer;
  thread_local std::vector<uint32_t> ids;
  // Words are matched as folded skeletons but shown as written.
  SplitWordsInto(q.casefold, &shown_words_buffer);
  const std::vector<absl::string_view>& shown_words = shown_words_buffer;
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
      span.clear();
      for (size_t j = i; j < words.size(); ++j) {
        span.append(words[j].data(), words[j].size());
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
  const bool may_have_head = vocabulary.MayStartWith(flat);
  const bool may_have_tail = vocabulary.MayEndWith(flat);
  for (size_t p = 1; (may_have_head || may_have_tail) && p + kMinGluedAffixTarget <= flat.size() &&
                     p <= vocabulary.longest();
       ++p) {
    absl::string_view head = flat.substr(0, p);
    if (may_have_head && vocabulary.Contains(head)) {
      ids.clear();
      LookupSpan(flat.substr(p), &ids);
      emit(ids, {std::string(head)}, flat.size() - p, {std::string(head)}, {vocabulary.Shown(head)});
    }
    absl::string_view tail = flat.substr(flat.size() - p);
    if (may_have_tail && vocabulary.Contains(tail)) {
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
    thread_local std::string sorted_key;
    SortedWordsKeyInto(words, &sorted_key);
    if (const std::vector<uint32_t>* found = by_sorted_words_.Find(sorted_key); found != nullptr) {
      ids = *found;
    }
    if (words.size() <= kMaxGluedReorderWords) {
      std::vector<size_t> order(words.size());
      std::iota(order.begin(), order.end(), 0);
      while (std::next_permutation(order.begin(), order.end())) {
        span.clear();
        for (size_t i : order) span.append(words[i].data(), words[i].size());
        LookupSpan(span, &ids);
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

// A name with affix words stripped, as offsets into its case-folded text:
// the core is text[begin, end) without separators; the removed pieces are
// kept in the order they were taken, so the words are only built for the
// rare core that meets something.
struct StrippedCore {
  uint16_t begin = 0, end = 0;
  uint8_t count = 0;
  struct Piece {
    uint16_t begin, end;
    bool from_front;
  };
  std::array<Piece, kMaxStrips> pieces{};
};

bool IsSeparatorAt(absl::string_view text, size_t i) { return IsWordSeparator(text[i]); }

// Bytes of text[begin, end) that are not separators.
size_t CoreSize(absl::string_view text, const StrippedCore& c) {
  size_t n = 0;
  for (size_t i = c.begin; i < c.end; ++i) n += !IsSeparatorAt(text, i);
  return n;
}

void AppendFlat(absl::string_view text, const StrippedCore& c, std::string* out) {
  for (size_t i = c.begin; i < c.end; ++i) {
    if (!IsSeparatorAt(text, i)) out->push_back(text[i]);
  }
}

// The removed words as the original list showed them: front pieces, the
// last taken first, then back pieces in the order taken.
std::vector<std::string> RemovedWords(absl::string_view text, const StrippedCore& c) {
  std::vector<std::string> front, back;
  for (size_t i = 0; i < c.count; ++i) {
    const StrippedCore::Piece& p = c.pieces[i];
    std::string word(text.substr(p.begin, p.end - p.begin));
    if (p.from_front) front.insert(front.begin(), std::move(word));
    else back.push_back(std::move(word));
  }
  for (std::string& w : back) front.push_back(std::move(w));
  return front;
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
  if (vocabulary.MayStartWith(first)) {
    for (size_t p = 1; p <= vocabulary.longest() && p <= first.size(); ++p) {
      if (vocabulary.ContainsCasefolded(first.substr(0, p))) return true;
    }
  }
  if (vocabulary.MayEndWith(last)) {
    for (size_t p = 1; p <= vocabulary.longest() && p <= last.size(); ++p) {
      if (vocabulary.ContainsCasefolded(last.substr(last.size() - p))) return true;
    }
  }
  return false;
}

// Breadth-first: each round strips one more piece from every core of the
// round before. `out` gets each distinct core (by its flat text) once, the
// first way it was reached; `flats` its flat text.
void StripAffixes(absl::string_view casefold, const AffixVocabulary& vocabulary,
                  std::vector<StrippedCore>* out, std::vector<std::string>* flats) {
  out->clear();
  flats->clear();
  if (casefold.size() > UINT16_MAX || !MayStrip(casefold, vocabulary)) return;
  StrippedCore start;
  start.begin = 0;
  start.end = static_cast<uint16_t>(casefold.size());
  while (start.begin < start.end && IsSeparatorAt(casefold, start.begin)) ++start.begin;
  while (start.end > start.begin && IsSeparatorAt(casefold, start.end - 1)) --start.end;
  size_t words = 0;
  for (size_t i = start.begin; i < start.end; ++i) {
    words += !IsSeparatorAt(casefold, i) && (i == start.begin || IsSeparatorAt(casefold, i - 1));
  }
  if (words == 0 || words > kMaxAffixWords) return;

  thread_local std::vector<StrippedCore> frontier, next;
  frontier.assign(1, start);
  auto take = [&](const StrippedCore& from, size_t begin, size_t end, size_t piece_begin, size_t piece_end,
                  bool from_front) {
    StrippedCore n = from;
    n.begin = static_cast<uint16_t>(begin);
    n.end = static_cast<uint16_t>(end);
    // Trim separators left at the new edges.
    while (n.begin < n.end && IsSeparatorAt(casefold, n.begin)) ++n.begin;
    while (n.end > n.begin && IsSeparatorAt(casefold, n.end - 1)) --n.end;
    n.pieces[n.count++] = {static_cast<uint16_t>(piece_begin), static_cast<uint16_t>(piece_end), from_front};
    // The same span reached twice strips the same way from there on.
    for (const StrippedCore& o : next) {
      if (o.begin == n.begin && o.end == n.end) return;
    }
    next.push_back(n);
  };
  thread_local std::string flat;
  for (int round = 0; round < kMaxStrips && !frontier.empty(); ++round) {
    next.clear();
    for (const StrippedCore& c : frontier) {
      const size_t total = CoreSize(casefold, c);
      size_t first_end = c.begin;
      while (first_end < c.end && !IsSeparatorAt(casefold, first_end)) ++first_end;
      size_t last_begin = c.end;
      while (last_begin > c.begin && !IsSeparatorAt(casefold, last_begin - 1)) --last_begin;
      const bool several_words = first_end < c.end;
      const absl::string_view first = casefold.substr(c.begin, first_end - c.begin);
      const absl::string_view last = casefold.substr(last_begin, c.end - last_begin);
      if (several_words && vocabulary.ContainsCasefolded(first) && total - first.size() >= kMinCore) {
        take(c, first_end, c.end, c.begin, first_end, true);
      }
      if (several_words && vocabulary.ContainsCasefolded(last) && total - last.size() >= kMinCore) {
        take(c, c.begin, last_begin, last_begin, c.end, false);
      }
      const bool may_have_head = vocabulary.MayStartWith(first);
      const bool may_have_tail = vocabulary.MayEndWith(last);
      for (size_t p = 1; may_have_head && p <= vocabulary.longest() && p < first.size(); ++p) {
        if (total - p < kMinGluedCore || !vocabulary.ContainsCasefolded(first.substr(0, p))) continue;
        take(c, c.begin + p, c.end, c.begin, c.begin + p, true);
      }
      for (size_t p = 1; may_have_tail && p <= vocabulary.longest() && p < last.size(); ++p) {
        if (total - p < kMinGluedCore || !vocabulary.ContainsCasefolded(last.substr(last.size() - p))) continue;
        take(c, c.begin, c.end - p, c.end - p, c.end, false);
      }
    }
    for (const StrippedCore& n : next) {
      flat.clear();
      AppendFlat(casefold, n, &flat);
      if (std::find(flats->begin(), flats->end(), flat) != flats->end()) continue;
      flats->push_back(flat);
      out->push_back(n);
    }
    std::swap(frontier, next);
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
  std::vector<StrippedCore> cores;
  std::vector<std::string> core_flats;
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
        by_leading_words_.map()[lead].push_back({id, std::move(removed)});
      }
    }
    // Cores: the name without affix words at either end.
    StripAffixes(n.casefold, vocabulary, &cores, &core_flats);
    for (size_t c = 0; c < cores.size(); ++c) {
      by_core_.map()[FoldedKey(core_flats[c])].push_back({id, RemovedWords(n.casefold, cores[c])});
    }
  }
  DropShared(&by_leading_words_.map(), kMaxShortenedSharing);
  DropShared(&by_core_.map(), kMaxShortenedSharing);
  by_leading_words_.Seal();
  by_core_.Seal();
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
  if (const auto* found = by_leading_words_.Find(flat); found != nullptr) emit(*found, HitKind::kAffixRemoved, {});
  if (const auto* found = by_core_.Find(flat); found != nullptr) emit(*found, HitKind::kAffixRemoved, {});
  // The query's own core against the names' cores: celestepy ~ celeste-ai.
  thread_local std::vector<StrippedCore> cores;
  thread_local std::vector<std::string> core_flats;
  StripAffixes(q.casefold, vocabulary, &cores, &core_flats);
  for (size_t c = 0; c < cores.size(); ++c) {
    const std::string core = FoldedKey(core_flats[c]);
    const auto* swapped = by_core_.Find(core);
    const std::vector<uint32_t>* ids = WithFoldedFlat(core);
    if (swapped == nullptr && ids == nullptr) continue;
    const std::vector<std::string> removed = RemovedWords(q.casefold, cores[c]);
    if (swapped != nullptr) emit(*swapped, HitKind::kAffixSwapped, removed);
    // Several affix words glued on ("saturdayincsdk"): the core itself is protected.
    if (ids != nullptr) {
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
