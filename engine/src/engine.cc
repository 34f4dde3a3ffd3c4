// Engine: indexes protected lists per ecosystem and ranks candidates.
//
// Names have one or two levels. Flat names (PyPI, npm, MLflow and cloud
// model names) are compared with flat protected names. Two-level names
// (Hugging Face org/repo, npm @scope/name) compare the org with protected
// orgs first; a look-alike org carrying a protected repo name is the
// strongest signal, and a protected repo name copied under an unrelated org
// is "scope". A candidate inside a protected org's own namespace is never a
// finding against that org (or its owner's other orgs).
#include "squatguard/engine.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "context.h"
#include "edit_distance.h"
#include "name_index.h"
#include "pair_analysis.h"

namespace squatguard {

using confusables::NameForms;
using confusables::Normalizer;
using internal::AffixVocabulary;
using internal::Hit;
using internal::HitKind;
using internal::IndexedName;
using internal::NameIndex;
using internal::PairAnalysis;

namespace {

constexpr int kDefaultMinLenForDistance2 = 9;
// Repo names shorter than this are too generic to call a copy ("model").
constexpr size_t kMinScopeLeafLength = 5;

// Built-in affix words, used when the caller gives none.
constexpr const char* kDefaultAffixWords[] = {
    "official", "hf", "ai", "research", "models", "model", "labs", "lab", "team",
    "community", "py", "python", "js", "node", "cli", "sdk", "lib", "dev", "api",
    "client", "core", "tools", "pro", "plus", "org", "inc", "io", "app", "hub",
    "beta", "new", "free", "latest", "secure", "v2", "pypi", "npm", "ts", "js"};

struct NameParts {
  std::string org;   // empty for flat names
  std::string leaf;  // empty for an org on its own
  bool has_org = false;
};

NameParts SplitName(Ecosystem eco, absl::string_view name, bool org_only) {
  NameParts p;
  if (eco == Ecosystem::kHuggingFace) {
    const size_t slash = name.find('/');
    if (slash == absl::string_view::npos) {
      if (org_only) {
        p.org = std::string(name);
        p.has_org = true;
      } else {
        p.leaf = std::string(name);
      }
      return p;
    }
    p.org = std::string(name.substr(0, slash));
    p.leaf = std::string(name.substr(slash + 1));
    p.has_org = true;
    return p;
  }
  if (eco == Ecosystem::kNpm && !name.empty() && name[0] == '@') {
    const size_t slash = name.find('/');
    if (slash != absl::string_view::npos) {
      p.org = std::string(name.substr(1, slash - 1));
      p.leaf = std::string(name.substr(slash + 1));
      p.has_org = true;
      return p;
    }
  }
  p.leaf = std::string(name);
  return p;
}

// Two names are one registration when their identity keys are equal.
std::string IdentityKey(Ecosystem eco, absl::string_view name) {
  if (eco == Ecosystem::kPyPI) return confusables::PypiNormalize(name);
  return std::string(name);
}

std::string DisplayOrg(Ecosystem eco, absl::string_view org) {
  return eco == Ecosystem::kNpm ? absl::StrCat("@", org) : std::string(org);
}

Severity SeverityForScore(double score) {
  if (score >= 0.85) return Severity::kHigh;
  if (score >= 0.65) return Severity::kMedium;
  return Severity::kLow;
}

std::string WithoutDigits(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c < '0' || c > '9') out.push_back(c);
  }
  return out;
}

size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// One candidate finding before ranking.
struct Scored {
  Finding finding;
  double popularity = 0;
};

}  // namespace

// Everything known about one ecosystem's protected names.
struct EcosystemIndex {
  Ecosystem ecosystem = Ecosystem::kAny;
  NameIndex orgs;
  NameIndex leaves;
  AffixVocabulary affixes;
  // Org identity (exact) -> org index name id.
  absl::flat_hash_map<std::string, uint32_t> org_ids;
  // Org index name id -> entries whose name lies under that org.
  std::vector<std::vector<uint32_t>> entries_under_org;
  // Org index name id -> owner (entry owner, or the org itself).
  std::vector<std::string> org_owner;
  std::vector<bool> org_retired;
  // Full-name identity -> entries.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> by_identity;
  bool has_entries = false;

  explicit EcosystemIndex(Ecosystem e) : ecosystem(e), orgs(false), leaves(e == Ecosystem::kPyPI) {}
};

struct Engine::Impl {
  EngineOptions options;
  std::vector<ProtectedEntry> entries;
  std::vector<NameParts> entry_parts;
  std::vector<NameForms> leaf_forms;  // per entry (empty when no leaf)
  std::vector<std::unique_ptr<EcosystemIndex>> ecosystems;  // indexed by Ecosystem value

  EcosystemIndex* index(Ecosystem e) { return ecosystems[static_cast<size_t>(e)].get(); }
  const EcosystemIndex* index(Ecosystem e) const { return ecosystems[static_cast<size_t>(e)].get(); }

  absl::Status Build();
  // `min_score`: findings below it are dropped by Check; the flat matcher
  // skips building their explanations.
  void CheckIn(const EcosystemIndex& ix, const Candidate& c, double context, double min_score,
               std::vector<Scored>* out) const;
  void MatchFlat(const EcosystemIndex& ix, const Candidate& c, const NameForms& forms,
                 const absl::flat_hash_set<uint32_t>& skip, const absl::flat_hash_set<std::string>& skip_owners,
                 double context, double min_score, std::vector<Scored>* out) const;
  void MatchTwoLevel(const EcosystemIndex& ix, const Candidate& c, const NameParts& parts,
                     const absl::flat_hash_set<std::string>& skip_owners, double context,
                     std::vector<Scored>* out) const;
  bool Allowed(const ProtectedEntry& e, const Candidate& c) const;
  Scored MakeFinding(const Candidate& c, const ProtectedEntry& target, absl::string_view target_name,
                     EntryKind kind, double strength, double context,
                     std::vector<Technique> techniques, int distance, std::string explanation) const;
};

absl::Status Engine::Impl::Build() {
  const Normalizer& normalizer = Normalizer::Default();
  ecosystems.resize(8);
  for (size_t e = 0; e < ecosystems.size(); ++e) {
    ecosystems[e] = std::make_unique<EcosystemIndex>(static_cast<Ecosystem>(e));
  }
  // Affix vocabulary: the caller's words, or the built-in ones everywhere.
  if (options.affix_words.empty()) {
    for (auto& ix : ecosystems) {
      for (const char* w : kDefaultAffixWords) ix->affixes.Add(w);
    }
  } else {
    for (const auto& [eco, word] : options.affix_words) {
      for (auto& ix : ecosystems) {
        if (eco == Ecosystem::kAny || eco == ix->ecosystem) ix->affixes.Add(word);
      }
    }
  }
  entry_parts.resize(entries.size());
  leaf_forms.resize(entries.size());
  for (uint32_t i = 0; i < entries.size(); ++i) {
    const ProtectedEntry& e = entries[i];
    EcosystemIndex* ix = index(e.ecosystem);
    ix->has_entries = true;
    const bool org_only = e.kind == EntryKind::kOrg;
    NameParts parts = SplitName(e.ecosystem, e.name, org_only);
    ix->by_identity[IdentityKey(e.ecosystem, e.name)].push_back(i);
    const int min_len2 = e.min_len_for_distance_2.value_or(kDefaultMinLenForDistance2);
    if (parts.has_org) {
      auto [it, inserted] = ix->org_ids.try_emplace(parts.org, 0);
      if (inserted) {
        absl::StatusOr<NameForms> forms = normalizer.Normalize(parts.org);
        if (!forms.ok()) return absl::InvalidArgumentError(absl::StrCat(e.origin, ": ", forms.status().message()));
        it->second = ix->orgs.Add(i, DisplayOrg(e.ecosystem, parts.org), *forms,
                                  internal::DefaultMaxEdits(CodePoints(forms->casefold_flat), min_len2), min_len2);
        ix->entries_under_org.emplace_back();
        ix->org_owner.push_back(e.owner.empty() ? parts.org : e.owner);
        ix->org_retired.push_back(false);
      }
      const uint32_t org_id = it->second;
      if (e.kind == EntryKind::kOrg) {
        // An explicit org entry speaks for the org (owner, retired).
        if (!e.owner.empty()) ix->org_owner[org_id] = e.owner;
        if (e.retired) ix->org_retired[org_id] = true;
      }
      ix->entries_under_org[org_id].push_back(i);
    }
    if (!parts.leaf.empty()) {
      absl::StatusOr<NameForms> forms = normalizer.Normalize(parts.leaf);
      if (!forms.ok()) return absl::InvalidArgumentError(absl::StrCat(e.origin, ": ", forms.status().message()));
      // Repo names under an org meet by equal keys only (copies); within a
      // look-alike org they are compared directly. Flat names get the
      // length-aware fuzzy limit.
      const int max_edits = parts.has_org ? 0
                                          : internal::DefaultMaxEdits(CodePoints(forms->casefold_flat), min_len2);
      ix->leaves.Add(i, parts.leaf, *forms, max_edits, min_len2);
      // Only repo names under an org are compared field by field later.
      if (parts.has_org) leaf_forms[i] = std::move(*forms);
    }
    entry_parts[i] = std::move(parts);
  }
  for (auto& ix : ecosystems) {
    ix->orgs.Build();
    ix->orgs.BuildShortenedForms(ix->affixes);
    ix->leaves.Build();
    ix->leaves.BuildShortenedForms(ix->affixes);
  }
  return absl::OkStatus();
}

bool Engine::Impl::Allowed(const ProtectedEntry& e, const Candidate& c) const {
  for (const std::string& a : e.allow) {
    if (IdentityKey(e.ecosystem, a) == IdentityKey(e.ecosystem, c.name)) return true;
  }
  return false;
}

namespace {

// Rounded for stable output; ranking uses the rounded value too.
double ScoreOf(const ProtectedEntry& target, double strength, double context) {
  const double score = std::clamp(strength * context + 0.04 * target.popularity, 0.0, 0.99);
  return std::round(score * 1000) / 1000;
}

}  // namespace

Scored Engine::Impl::MakeFinding(const Candidate& c, const ProtectedEntry& target,
                                 absl::string_view target_name, EntryKind kind, double strength,
                                 double context, std::vector<Technique> techniques, int distance,
                                 std::string explanation) const {
  Scored s;
  Finding& f = s.finding;
  f.candidate = c.name;
  f.ecosystem = target.ecosystem;
  f.target = std::string(target_name);
  f.target_kind = kind;
  f.score = ScoreOf(target, strength, context);
  f.severity = target.severity.value_or(SeverityForScore(f.score));
  f.techniques = std::move(techniques);
  f.distance = distance;
  f.explanation = std::move(explanation);
  s.popularity = target.popularity;
  return s;
}

void Engine::Impl::MatchFlat(const EcosystemIndex& ix, const Candidate& c, const NameForms& forms,
                             const absl::flat_hash_set<uint32_t>& skip,
                             const absl::flat_hash_set<std::string>& skip_owners, double context,
                             double min_score, std::vector<Scored>* out) const {
  std::vector<Hit> hits;
  ix.leaves.FindEqualKeys(forms, &hits);
  ix.leaves.FindWithinDistance(forms, &hits);
  ix.leaves.FindAffixed(forms, ix.affixes, options.max_reorder_tokens, &hits);
  ix.leaves.FindShortened(forms, ix.affixes, &hits);
  for (const Hit& h : hits) {
    const IndexedName& name = ix.leaves.names()[h.name];
    const ProtectedEntry& e = entries[name.entry];
    if (entry_parts[name.entry].has_org) continue;  // flat names meet flat names
    if (skip.contains(name.entry) || (!e.owner.empty() && skip_owners.contains(e.owner))) continue;
    if (Allowed(e, c)) continue;
    internal::FamilyContext family;
    family.target_popularity = e.popularity;
    if (h.kind == HitKind::kDistance) {
      const std::vector<absl::string_view> qw = internal::SplitWords(forms.casefold);
      const std::vector<absl::string_view> tw = internal::SplitWords(name.casefold);
      family.same_family = qw.size() >= 2 && tw.size() >= 2 && qw[0] == tw[0] && ix.leaves.IsFamilyHead(qw[0]);
    } else if (h.kind == HitKind::kAffix) {
      family.target_heads_family = ix.leaves.IsFamilyHead(name.casefold);
      family.target_extensions = e.extensions;
    }
    PairAnalysis a = internal::AnalyzeHit(forms, name, h, family);
    const bool near_miss = h.kind == HitKind::kDistance || h.kind == HitKind::kAffixSwapped;
    if (near_miss && (e.rank.has_value() || e.popularity > 0)) {
      // Typosquatters aim at what people install most; a near-miss of a
      // less popular name is more often a coincidence. Entries without
      // figures are ones the user protects deliberately: full weight.
      a.strength *= 0.7 + 0.3 * e.popularity;
    }
    if (ScoreOf(e, a.strength, context) < min_score) continue;  // Check would drop it
    std::string why = absl::StrCat("'", c.name, "' ", a.how, " protected ", EntryKindName(e.kind), " '",
                                   e.name, "'", a.note.empty() ? "" : absl::StrCat(" (", a.note, ")"));
    if (e.kind == EntryKind::kAnticipated) a.techniques.push_back(Technique::kAnticipated);
    out->push_back(MakeFinding(c, e, e.name, e.kind, a.strength, context, std::move(a.techniques),
                               a.distance, std::move(why)));
  }
}

void Engine::Impl::MatchTwoLevel(const EcosystemIndex& ix, const Candidate& c, const NameParts& parts,
                                 const absl::flat_hash_set<std::string>& skip_owners, double context,
                                 std::vector<Scored>* out) const {
  const Normalizer& normalizer = Normalizer::Default();
  absl::StatusOr<NameForms> org_forms = normalizer.Normalize(parts.org);
  if (!org_forms.ok()) return;
  std::optional<NameForms> leaf;
  if (!parts.leaf.empty()) {
    absl::StatusOr<NameForms> lf = normalizer.Normalize(parts.leaf);
    if (lf.ok()) leaf = std::move(*lf);
  }
  const std::string shown_org = DisplayOrg(ix.ecosystem, parts.org);
  absl::flat_hash_set<uint32_t> orgs_meeting;  // org ids handled at org level

  auto exact_org = ix.org_ids.find(parts.org);
  if (exact_org != ix.org_ids.end()) {
    const uint32_t org_id = exact_org->second;
    if (!ix.org_retired[org_id]) return;  // the owner's own namespace
    // A retired org reappearing: whoever registered it is not the old owner.
    const ProtectedEntry& e = entries[ix.orgs.names()[org_id].entry];
    out->push_back(MakeFinding(c, e, shown_org, EntryKind::kOrg, 0.92, 1.0,
                               {Technique::kReusedNamespace}, 0,
                               absl::StrCat("org '", shown_org,
                                            "' was retired (deleted or renamed) and has reappeared")));
    return;
  }

  std::vector<Hit> hits;
  ix.orgs.FindEqualKeys(*org_forms, &hits);
  ix.orgs.FindWithinDistance(*org_forms, &hits);
  ix.orgs.FindAffixed(*org_forms, ix.affixes, options.max_reorder_tokens, &hits);
  ix.orgs.FindShortened(*org_forms, ix.affixes, &hits);
  for (const Hit& h : hits) {
    const IndexedName& org_name = ix.orgs.names()[h.name];
    const std::string& owner = ix.org_owner[h.name];
    if (skip_owners.contains(owner)) continue;
    const ProtectedEntry& org_entry = entries[org_name.entry];
    if (Allowed(org_entry, c)) continue;
    orgs_meeting.insert(h.name);
    internal::FamilyContext family;
    family.flat = false;
    PairAnalysis a = internal::AnalyzeHit(*org_forms, org_name, h, family);
    std::string why = absl::StrCat("org '", shown_org, "' ", a.how, " protected org '", org_name.shown, "'");
    // Does the repo name copy (or nearly copy) one of that org's repos?
    const ProtectedEntry* best = nullptr;
    int best_distance = 1 << 20;
    if (leaf.has_value()) {
      for (uint32_t i : ix.entries_under_org[h.name]) {
        if (entry_parts[i].leaf.empty()) continue;
        const NameForms& lf = leaf_forms[i];
        int d;
        if (lf.folded_flat == leaf->folded_flat || lf.visual_flat == leaf->visual_flat) {
          d = 0;
        } else {
          d = internal::BoundedOsaDistance(leaf->folded_flat, lf.folded_flat, 1);
          if (d > 1 || lf.casefold_flat.size() < 6) continue;
          // Llama-3-8B is not Llama-5-8B: a digit edit names another release.
          if (WithoutDigits(lf.casefold_flat) == WithoutDigits(leaf->casefold_flat)) continue;
        }
        if (d < best_distance || (d == best_distance && entries[i].popularity > best->popularity)) {
          best = &entries[i];
          best_distance = d;
        }
      }
    }
    if (best != nullptr) {
      std::vector<Technique> techniques = a.techniques;
      if (best->kind == EntryKind::kAnticipated) techniques.push_back(Technique::kAnticipated);
      const char* leaf_word = ix.ecosystem == Ecosystem::kNpm ? "package name" : "repo name";
      if (best_distance == 0) {
        absl::StrAppend(&why, "; ", leaf_word,
                        best->name.substr(best->name.find('/') + 1) == parts.leaf ? " identical"
                                                                                  : " equal after normalization");
      } else {
        absl::StrAppend(&why, "; ", leaf_word, " 1 edit from '", best->name, "'");
      }
      if (best->kind == EntryKind::kAnticipated) absl::StrAppend(&why, " (an anticipated, unpublished release)");
      const double strength = std::min(0.99, a.strength + (best_distance == 0 ? 0.04 : 0.02));
      out->push_back(MakeFinding(c, *best, best->name, best->kind, strength, context, std::move(techniques),
                                 a.distance, std::move(why)));
    } else {
      if (leaf.has_value()) {
        absl::StrAppend(&why, "; ", ix.ecosystem == Ecosystem::kNpm ? "package '" : "repo '", parts.leaf,
                        "' is not protected");
      }
      out->push_back(MakeFinding(c, org_entry, org_name.shown, EntryKind::kOrg, a.strength, context,
                                 std::move(a.techniques), a.distance, std::move(why)));
    }
  }

  // Scope: a protected repo name copied under an org that does not meet any
  // protected org.
  if (!leaf.has_value() || CodePoints(leaf->casefold_flat) < kMinScopeLeafLength) return;
  hits.clear();
  ix.leaves.FindEqualKeys(*leaf, &hits);
  for (const Hit& h : hits) {
    const IndexedName& name = ix.leaves.names()[h.name];
    const ProtectedEntry& e = entries[name.entry];
    const NameParts& target_parts = entry_parts[name.entry];
    if (!e.owner.empty() && skip_owners.contains(e.owner)) continue;
    if (target_parts.has_org) {
      // npm scopes are namespaces whose package names are meant to repeat
      // (@babel/core, @nestjs/core): only an unscoped name can be copied.
      if (ix.ecosystem == Ecosystem::kNpm) continue;
      auto org_it = ix.org_ids.find(target_parts.org);
      if (org_it != ix.org_ids.end() && orgs_meeting.contains(org_it->second)) continue;
    }
    if (Allowed(e, c)) continue;
    std::vector<Technique> techniques;
    double strength;
    std::string why;
    const std::string target_org = target_parts.has_org ? DisplayOrg(ix.ecosystem, target_parts.org) : "";
    if (e.kind == EntryKind::kAnticipated) {
      techniques = {Technique::kAnticipated, Technique::kScope};
      strength = 0.86;
      why = absl::StrCat("repo '", parts.leaf, "' is the anticipated release '", e.name,
                         "', registered under '", shown_org, "' before its owner published it");
    } else {
      techniques = {Technique::kScope};
      // Copying a famous repo's name is the signal; fine-tunes often keep
      // the names of obscure ones. Without figures, full weight.
      strength = (e.rank.has_value() || e.popularity > 0) ? 0.45 + 0.3 * e.popularity : 0.62;
      // On npm, republishing a package under one's own scope is a common
      // way to fork or vendor it; weaker evidence than an HF repo copy.
      if (ix.ecosystem == Ecosystem::kNpm) strength -= 0.15;
      why = absl::StrCat("'", parts.leaf, "' copies the name of protected ", EntryKindName(e.kind), " '",
                         e.name, "' under unrelated ", ix.ecosystem == Ecosystem::kNpm ? "scope '" : "org '",
                         shown_org, "'");
    }
    if (leaf->casefold != name.casefold) techniques.push_back(Technique::kHomoglyph);
    else if (parts.leaf != name.shown) techniques.push_back(Technique::kCase);
    out->push_back(MakeFinding(c, e, e.name, e.kind, strength, context, std::move(techniques), 0, std::move(why)));
  }
}

void Engine::Impl::CheckIn(const EcosystemIndex& ix, const Candidate& c, double context_in,
                           double min_score, std::vector<Scored>* out) const {
  const Ecosystem eco = ix.ecosystem;
  const bool two_level_name =
      (eco == Ecosystem::kHuggingFace) ||
      (eco == Ecosystem::kNpm && !c.name.empty() && c.name[0] == '@' && c.name.find('/') != std::string::npos);
  if (!two_level_name && c.ecosystem == Ecosystem::kAny && c.name.find('/') != std::string::npos) {
    return;  // "org/repo" is not a name in a flat registry
  }
  // The candidate may itself be protected: then it never flags its own
  // entries or entries of the same owner, and counts as established.
  absl::flat_hash_set<uint32_t> self;
  absl::flat_hash_set<std::string> self_owners;
  bool retired_reappearance = false;
  if (auto it = ix.by_identity.find(IdentityKey(eco, c.name)); it != ix.by_identity.end()) {
    for (uint32_t i : it->second) {
      if (entries[i].retired) {
        retired_reappearance = true;
        const ProtectedEntry& e = entries[i];
        out->push_back(MakeFinding(c, e, e.name, e.kind, 0.92, 1.0, {Technique::kReusedNamespace}, 0,
                                   absl::StrCat("'", c.name, "' was retired (deleted or renamed) and has reappeared")));
        continue;
      }
      self.insert(i);
      if (!entries[i].owner.empty()) self_owners.insert(entries[i].owner);
    }
  }
  if (retired_reappearance) return;
  const double context = self.empty() ? context_in : std::min(context_in, 0.5);
  if (two_level_name) {
    NameParts parts = SplitName(eco, c.name, /*org_only=*/true);
    if (parts.org.empty()) return;
    // Exactly a protected org or repo is the owner's own, unless the org was
    // retired: then whoever holds it now is not the old owner.
    auto org = ix.org_ids.find(parts.org);
    const bool org_retired = org != ix.org_ids.end() && ix.org_retired[org->second];
    if (!self.empty() && !org_retired) return;
    MatchTwoLevel(ix, c, parts, self_owners, context, out);
    return;
  }
  // Reused per thread: a scan normalizes millions of names.
  thread_local NameForms forms;
  if (!Normalizer::Default().NormalizeInto(c.name, &forms).ok()) return;
  MatchFlat(ix, c, forms, self, self_owners, context, min_score, out);
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(ProtectedList list, EngineOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->entries = list.ReleaseEntries();
  if (absl::Status s = impl->Build(); !s.ok()) return s;
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

absl::StatusOr<std::vector<Finding>> Engine::Check(absl::string_view name) const {
  return Check(ParseQualifiedName(name, Ecosystem::kAny));
}

absl::StatusOr<std::vector<Finding>> Engine::Check(const Candidate& candidate) const {
  return Check(candidate, impl_->options.min_score, impl_->options.top);
}

absl::StatusOr<std::vector<Finding>> Engine::Check(const Candidate& c, double min_score, int top) const {
  if (c.name.empty()) return absl::InvalidArgumentError("empty name");
  if (c.name.size() > impl_->options.max_name_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("name is ", c.name.size(), " bytes, longer than the limit of ",
                                                   impl_->options.max_name_bytes));
  }
  if (absl::Status s = confusables::ValidateUtf8(c.name); !s.ok()) return s;
  // A name of only invisible or control characters shows nothing at all; it
  // must not pass as clean. Printable ASCII cannot be emptied, so only other
  // names pay for this normalization.
  if (std::any_of(c.name.begin(), c.name.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7F; })) {
    thread_local NameForms forms;
    if (Normalizer::Default().NormalizeInto(c.name, &forms).ok() && forms.nfkc.empty()) {
      return absl::InvalidArgumentError("name has no visible characters (only invisible or control ones)");
    }
  }
  const int64_t now = c.created_at.has_value() ? absl::ToUnixSeconds(absl::Now()) : 0;
  const double context = internal::CandidateContextFactor(c, false, now);
  std::vector<Scored> scored;
  for (const auto& ix : impl_->ecosystems) {
    if (!ix->has_entries) continue;
    if (c.ecosystem != Ecosystem::kAny && c.ecosystem != ix->ecosystem) continue;
    impl_->CheckIn(*ix, c, context, min_score, &scored);
  }
  // Best first; the more popular target wins ties; one finding per target.
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.finding.score != b.finding.score) return a.finding.score > b.finding.score;
    if (a.popularity != b.popularity) return a.popularity > b.popularity;
    if (a.finding.target != b.finding.target) return a.finding.target < b.finding.target;
    return a.finding.ecosystem < b.finding.ecosystem;
  });
  std::vector<Finding> findings;
  absl::flat_hash_set<std::pair<std::string, Ecosystem>> seen;
  for (Scored& s : scored) {
    if (s.finding.score < min_score) break;
    if (!seen.insert({s.finding.target, s.finding.ecosystem}).second) continue;
    findings.push_back(std::move(s.finding));
    if (top > 0 && static_cast<int>(findings.size()) >= top) break;
  }
  return findings;
}

size_t Engine::protected_count() const { return impl_->entries.size(); }
const EngineOptions& Engine::options() const { return impl_->options; }
const std::vector<ProtectedEntry>& Engine::entries() const { return impl_->entries; }

}  // namespace squatguard
