#include "pair_analysis.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "confusables/utf8.h"
#include "edit_distance.h"
#include "keyboard.h"

namespace squatguard {
namespace internal {
namespace {

std::u32string ToU32(absl::string_view s) {
  std::vector<char32_t> cps = confusables::DecodeUtf8(s);
  return std::u32string(cps.begin(), cps.end());
}

std::string ToUtf8(const std::u32string& s, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < s.size(); ++i) confusables::AppendUtf8(s[i], &out);
  return out;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

void AddTechnique(std::vector<Technique>* ts, Technique t) {
  if (std::find(ts->begin(), ts->end(), t) == ts->end()) ts->push_back(t);
}

// How strongly one edit of each kind suggests a deliberate look-alike. A
// swapped, doubled or look-alike character is the classic typosquat; an
// arbitrary substitution is as often an unrelated name.
double OperationStrength(Technique t) {
  switch (t) {
    case Technique::kHomoglyph: return 0.88;
    case Technique::kTransposition: return 0.86;
    case Technique::kRepetition: return 0.84;
    case Technique::kKeyboard: return 0.78;
    case Technique::kOmission: return 0.74;
    case Technique::kInsertion: return 0.70;
    case Technique::kSubstitution: return 0.60;
    case Technique::kVersion: return 0.55;
    default: return 0.6;
  }
}

// Sibling plugins of one family ("django-typer" next to "django-types")
// differ by ordinary edits; only the classic typo edits keep their weight.
bool IsTypoEdit(Technique t) {
  return t == Technique::kHomoglyph || t == Technique::kTransposition || t == Technique::kRepetition ||
         t == Technique::kKeyboard;
}

// Short names sit close to many unrelated names; long ones do not.
double LengthAdjustment(size_t length) {
  if (length <= 5) return -0.08;
  if (length == 6) return -0.05;
  if (length == 7) return -0.02;
  if (length <= 9) return 0.0;
  return 0.03;
}

struct Chunk {
  size_t from_begin, from_end, to_begin, to_end;
};

std::vector<Chunk> Chunks(const std::u32string& a, const std::u32string& b) {
  std::vector<Chunk> chunks;
  for (const EditStep& s : OsaEditPath(a, b)) {
    Chunk c{s.from_pos, s.from_pos, s.to_pos, s.to_pos};
    switch (s.op) {
      case EditOp::kSubstitute: c.from_end += 1; c.to_end += 1; break;
      case EditOp::kDelete: c.from_end += 1; break;
      case EditOp::kInsert: c.to_end += 1; break;
      case EditOp::kTranspose: c.from_end += 2; c.to_end += 2; break;
      case EditOp::kMatch: break;
    }
    if (!chunks.empty() && chunks.back().from_end == c.from_begin &&
        chunks.back().to_end == c.to_begin) {
      chunks.back().from_end = c.from_end;
      chunks.back().to_end = c.to_end;
    } else {
      chunks.push_back(c);
    }
  }
  return chunks;
}

}  // namespace

std::vector<std::string> DescribeEdits(absl::string_view from, absl::string_view to) {
  const std::u32string a = ToU32(from), b = ToU32(to);
  std::vector<std::string> out;
  for (const Chunk& c : Chunks(a, b)) {
    const std::string x = ToUtf8(a, c.from_begin, c.from_end);
    const std::string y = ToUtf8(b, c.to_begin, c.to_end);
    if (x.empty()) {
      out.push_back(absl::StrCat("'", y, "' missing"));
    } else if (y.empty()) {
      out.push_back(absl::StrCat("'", x, "' added"));
    } else {
      out.push_back(absl::StrCat(x, " -> ", y));
    }
  }
  return out;
}

std::vector<std::string> EditPathLines(absl::string_view from, absl::string_view to) {
  const std::u32string a = ToU32(from), b = ToU32(to);
  std::vector<std::string> lines;
  for (const EditStep& s : OsaEditPath(a, b)) {
    switch (s.op) {
      case EditOp::kSubstitute:
        lines.push_back(absl::StrFormat("substitute '%s' -> '%s' at %d", ToUtf8(a, s.from_pos, s.from_pos + 1),
                                        ToUtf8(b, s.to_pos, s.to_pos + 1), s.from_pos));
        break;
      case EditOp::kDelete:
        lines.push_back(absl::StrFormat("candidate adds '%s' at %d", ToUtf8(a, s.from_pos, s.from_pos + 1), s.from_pos));
        break;
      case EditOp::kInsert:
        lines.push_back(absl::StrFormat("candidate omits '%s' (target position %d)", ToUtf8(b, s.to_pos, s.to_pos + 1), s.to_pos));
        break;
      case EditOp::kTranspose:
        lines.push_back(absl::StrFormat("transpose '%s' -> '%s' at %d", ToUtf8(a, s.from_pos, s.from_pos + 2),
                                        ToUtf8(b, s.to_pos, s.to_pos + 2), s.from_pos));
        break;
      case EditOp::kMatch:
        break;
    }
  }
  return lines;
}

namespace {

PairAnalysis AnalyzeEqualKey(const confusables::NameForms& q, const IndexedName& t) {
  PairAnalysis a;
  if (q.nfkc == t.shown) {
    // Only invisible characters or compatibility forms (full-width letters,
    // ligatures) told the names apart.
    if (q.visible == t.shown) {
      a.strength = 0.95;
      a.how = "equals, once invisible characters are removed,";
    } else {
      a.techniques.push_back(Technique::kHomoglyph);
      a.strength = 0.95;
      a.how = "equals, after NFKC compatibility mapping (full-width or ligature forms),";
    }
    return a;
  }
  if (q.casefold == t.casefold) {
    a.techniques.push_back(Technique::kCase);
    a.strength = 0.90;
    a.how = "differs only in letter case from";
    return a;
  }
  if (q.casefold_flat == t.casefold_flat) {
    a.techniques.push_back(Technique::kSeparator);
    // (An npm scope is shown with its '@'; the compared text has none.)
    const std::string q_flat = confusables::RemoveSeparators(q.nfkc);
    if (q_flat != confusables::RemoveSeparators(absl::StripPrefix(t.shown, "@"))) {
      a.techniques.push_back(Technique::kCase);
    }
    a.strength = 0.88;
    a.how = "equals, once separators are removed,";
    return a;
  }
  a.techniques.push_back(Technique::kHomoglyph);
  const bool skeletons_meet = q.folded_flat == t.folded_flat || q.visual_flat == t.visual_flat ||
                              q.visual_flat == t.folded_flat;
  if (!skeletons_meet) {
    // Only PyPI's ultranormalized forms meet (l, i, 1 one letter; o, 0 one):
    // PyPI refuses such a name, but lower-case i and l do not look alike,
    // and on short names the rule pairs ordinary words ("mix" and "mlx").
    const size_t length = t.casefold_flat.size();
    a.strength = length <= 3 ? 0.45 : length <= 5 ? 0.60 : 0.75;
    a.how = absl::StrCat("collides under PyPI's rule that l, i, 1 and o, 0 are one character (",
                         absl::StrJoin(DescribeEdits(q.casefold_flat, t.casefold_flat), ", "), ") with");
    return a;
  }
  a.strength = 0.95;
  // Show the mapping on the text as written, so 'I -> l' names the capital.
  std::vector<std::string> edits = DescribeEdits(confusables::RemoveSeparators(q.nfkc),
                                                 confusables::RemoveSeparators(t.shown));
  if (edits.size() > 4) edits.resize(4);
  if (q.casefold != q.casefold_flat || t.casefold != t.casefold_flat) {
    if (confusables::RemoveSeparators(q.casefold) == q.casefold_flat &&
        q.casefold != t.casefold && q.casefold_flat != t.casefold_flat &&
        SplitWords(q.casefold).size() != SplitWords(t.casefold).size()) {
      a.techniques.push_back(Technique::kSeparator);
    }
  }
  a.how = absl::StrCat("equals, after confusable mapping (", absl::StrJoin(edits, ", "), "),");
  return a;
}

PairAnalysis AnalyzeDistance(const confusables::NameForms& q, const IndexedName& t, int distance,
                             bool same_family, double target_popularity) {
  PairAnalysis a;
  a.distance = distance;
  const std::u32string from = ToU32(q.casefold_flat), to = ToU32(t.casefold_flat);
  std::vector<Technique> per_op;
  bool only_digits = true;
  bool plural = false;  // a trailing 's' added or dropped: the classic plural typo
  for (const EditStep& s : OsaEditPath(from, to)) {
    Technique tech = Technique::kSubstitution;
    switch (s.op) {
      case EditOp::kTranspose:
        tech = Technique::kTransposition;
        only_digits = only_digits && IsDigit(from[s.from_pos]) && IsDigit(from[s.from_pos + 1]);
        break;
      case EditOp::kDelete: {
        const char32_t c = from[s.from_pos];
        const bool repeated = (s.from_pos > 0 && from[s.from_pos - 1] == c) ||
                              (s.from_pos + 1 < from.size() && from[s.from_pos + 1] == c);
        tech = repeated ? Technique::kRepetition : Technique::kInsertion;
        only_digits = only_digits && IsDigit(c);
        plural = plural || (c == 's' && s.from_pos + 1 == from.size());
        break;
      }
      case EditOp::kInsert:
        tech = Technique::kOmission;
        only_digits = only_digits && IsDigit(to[s.to_pos]);
        plural = plural || (to[s.to_pos] == 's' && s.to_pos + 1 == to.size());
        break;
      case EditOp::kSubstitute: {
        const char32_t x = from[s.from_pos], y = to[s.to_pos];
        only_digits = only_digits && IsDigit(x) && IsDigit(y);
        const confusables::Normalizer& n = confusables::Normalizer::Default();
        if (n.VisualKeyOf(x) == n.VisualKeyOf(y)) {
          tech = Technique::kHomoglyph;
        } else if (KeyboardAdjacent(x, y)) {
          tech = Technique::kKeyboard;
        }
        break;
      }
      case EditOp::kMatch:
        continue;
    }
    per_op.push_back(tech);
    AddTechnique(&a.techniques, tech);
  }
  if (only_digits && !per_op.empty()) {
    a.techniques = {Technique::kVersion};
    per_op.assign(per_op.size(), Technique::kVersion);
  } else if (static_cast<int>(per_op.size()) > distance) {
    // The skeletons are closer than the letters: a look-alike did some work.
    AddTechnique(&a.techniques, Technique::kHomoglyph);
    per_op.resize(distance, Technique::kHomoglyph);
  }
  double strength = 1.0;
  bool any_typo_edit = false;
  for (Technique tech : per_op) {
    strength *= OperationStrength(tech);
    any_typo_edit = any_typo_edit || IsTypoEdit(tech);
  }
  if (plural && per_op.size() == 1) {
    strength = 0.80;
    any_typo_edit = true;
  }
  if (per_op.size() >= 2) strength *= 0.95;
  strength += LengthAdjustment(to.size());
  // A near-miss of a very popular family member (scikit-lern) is more likely
  // a typo than a sibling plugin (django-typer next to django-types).
  if (same_family && !any_typo_edit) strength *= 0.6 + 0.4 * target_popularity;
  a.strength = std::clamp(strength, 0.0, 0.97);
  std::vector<std::string> edits = DescribeEdits(q.casefold_flat, t.casefold_flat);
  a.how = absl::StrCat("is ", distance, distance == 1 ? " edit" : " edits", " (",
                       absl::StrJoin(edits, ", "), ") from");
  return a;
}

PairAnalysis AnalyzeAffix(const Hit& h, const FamilyContext& family) {
  PairAnalysis a;
  const std::string words = absl::StrCat("'", absl::StrJoin(h.added_words, "', '"), "'");
  if (h.added_contains_protected) {
    a.techniques.push_back(Technique::kCompound);
    // Joining two package names is how many legitimate bridges are named
    // (flask-pandas); joined org names (google-deepmind) are rarer.
    a.strength = family.flat ? 0.50 : 0.60;
    a.how = absl::StrCat("joins ", words, " to");
  } else if (h.added_are_affix_words) {
    a.techniques.push_back(Technique::kAffix);
    a.strength = 0.84 - 0.04 * static_cast<double>(h.added_words.size() - 1);
    a.how = absl::StrCat("adds the affix ", words, " to");
  } else {
    a.techniques.push_back(Technique::kAffix);
    a.strength = 0.55 - 0.05 * static_cast<double>(h.added_words.size() - 1);
    a.how = absl::StrCat("adds ", words, " to");
  }
  // A name the registry extends many times (django, pytest, tools) is a
  // plugin namespace or a common word: additions to it are mostly plugins.
  // Known affix words keep more weight ("requests-py" stays suspicious).
  const bool repeats_itself = !h.added_words.empty() && h.added_contains_protected &&
                              std::all_of(h.added_words.begin(), h.added_words.end(),
                                          [&](const std::string& w) { return w == h.added_words[0]; }) &&
                              h.added_words[0].size() >= 4 && h.repeated_name;
  if (repeats_itself) return a;  // djangodjango is no plugin naming pattern
  if (family.target_extensions.has_value()) {
    const double spread = std::log10(1.0 + static_cast<double>(*family.target_extensions));
    a.strength /= 1.0 + spread / (h.added_are_affix_words ? 8.0 : 1.5);
    if (*family.target_extensions >= 20) {
      a.note = absl::StrCat(*family.target_extensions, " registry names extend it");
    }
  } else if (family.target_heads_family) {
    // Without registry figures, the protected list itself shows families.
    a.strength *= h.added_are_affix_words ? 0.7 : 0.5;
    a.note = "many protected names extend it";
  }
  return a;
}

}  // namespace

PairAnalysis AnalyzeHit(const confusables::NameForms& q, const IndexedName& t, const Hit& h,
                        const FamilyContext& family) {
  PairAnalysis a;
  switch (h.kind) {
    case HitKind::kEqualKey: a = AnalyzeEqualKey(q, t); break;
    case HitKind::kDistance:
      a = AnalyzeDistance(q, t, h.distance, family.same_family, family.target_popularity);
      break;
    case HitKind::kAffix: a = AnalyzeAffix(h, family); break;
    case HitKind::kAffixRemoved: {
      const std::string words = absl::StrCat("'", absl::StrJoin(h.added_words, "', '"), "'");
      a.techniques.push_back(Technique::kAffix);
      const double extra = 0.06 * static_cast<double>(h.added_words.size() - 1);
      a.strength = h.added_are_affix_words ? 0.80 - extra : 0.58 - extra;
      a.how = absl::StrCat("drops ", words, " from");
      break;
    }
    case HitKind::kAffixSwapped:
      a.techniques.push_back(Technique::kAffix);
      a.strength = 0.55;
      a.how = absl::StrCat("keeps the core but changes the affix words ('",
                           absl::StrJoin(h.added_words, "', '"), "') of");
      break;
    case HitKind::kReorder:
      a.techniques.push_back(Technique::kReorder);
      a.strength = 0.80;
      a.how = "has the words, in another order, of";
      break;
  }
  if (!q.removed.empty()) {
    a.techniques.insert(a.techniques.begin(), Technique::kInvisible);
    a.strength = std::min(0.99, a.strength + 0.05);
  }
  if (q.mixed_script) {
    AddTechnique(&a.techniques, Technique::kMixedScript);
    a.strength = std::min(0.99, a.strength + 0.03);
  }
  return a;
}

}  // namespace internal
}  // namespace squatguard
