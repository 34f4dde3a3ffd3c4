// Engine::Explain: every normalization step of two names and the edit path,
// for `squatguard explain`.
#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "edit_distance.h"
#include "pair_analysis.h"
#include "squatguard/engine.h"

namespace squatguard {
namespace {

// "U+0435 CYRILLIC..." needs ICU names; the code point is what a reviewer
// searches for, so show that.
std::string CodePointList(absl::string_view s) {
  std::string out;
  for (char32_t cp : confusables::DecodeUtf8(s)) {
    if (cp < 0x80) continue;
    std::string ch;
    confusables::AppendUtf8(cp, &ch);
    absl::StrAppend(&out, out.empty() ? "" : ", ", absl::StrFormat("U+%04X", static_cast<uint32_t>(cp)));
  }
  return out;
}

absl::StatusOr<NameSteps> Steps(absl::string_view name) {
  absl::StatusOr<confusables::NameForms> f = confusables::Normalizer::Default().Normalize(name);
  if (!f.ok()) return f.status();
  NameSteps s;
  s.original = std::string(name);
  s.steps = {
      {"original", f->original},
      {"invisibles removed", f->visible},
      {"NFKC", f->nfkc},
      {"case folded", f->casefold},
      {"visual skeleton fold(skeleton(x))", f->visual},
      {"folded skeleton skeleton(fold(x))", f->folded},
      {"separators removed (folded)", f->folded_flat},
      {"PEP 503", confusables::PypiNormalize(f->nfkc)},
      {"PyPI ultranormalized", confusables::PypiUltranormalize(f->nfkc)},
  };
  for (const confusables::RemovedCodePoint& r : f->removed) {
    s.notes.push_back(absl::StrFormat("removed invisible U+%04X at byte %d",
                                      static_cast<uint32_t>(r.code_point), r.byte_offset));
  }
  if (f->mixed_script) s.notes.push_back("mixes scripts (below ICU's highly restrictive level)");
  std::string cps = CodePointList(f->original);
  if (!cps.empty()) s.notes.push_back(absl::StrCat("non-ASCII code points: ", cps));
  return s;
}

}  // namespace

absl::StatusOr<Explanation> Engine::Explain(absl::string_view name, absl::string_view target) const {
  Candidate candidate = ParseQualifiedName(name, Ecosystem::kAny);
  Candidate target_name = ParseQualifiedName(target, candidate.ecosystem);
  if (candidate.ecosystem == Ecosystem::kAny) candidate.ecosystem = target_name.ecosystem;
  for (const std::string* n : {&candidate.name, &target_name.name}) {
    if (n->empty()) return absl::InvalidArgumentError("empty name");
    if (absl::Status s = confusables::ValidateUtf8(*n); !s.ok()) return s;
    if (n->size() > options().max_name_bytes) return absl::InvalidArgumentError("name longer than the limit");
  }
  Explanation ex;
  absl::StatusOr<NameSteps> a = Steps(candidate.name);
  if (!a.ok()) return a.status();
  absl::StatusOr<NameSteps> b = Steps(target_name.name);
  if (!b.ok()) return b.status();
  ex.candidate = std::move(*a);
  ex.target = std::move(*b);
  const std::string& from = ex.candidate.steps[6].second;
  const std::string& to = ex.target.steps[6].second;
  // Counted in code points, as the matcher counts them.
  ex.distance = internal::BoundedOsaDistance(from, to, static_cast<int>(std::max(from.size(), to.size())));
  ex.edit_path = internal::EditPathLines(from, to);

  // Score the pair with an engine that protects only the target.
  Ecosystem eco = target_name.ecosystem == Ecosystem::kAny ? Ecosystem::kPyPI : target_name.ecosystem;
  ProtectedEntry entry;
  entry.name = target_name.name;
  entry.ecosystem = eco;
  entry.kind = (eco == Ecosystem::kHuggingFace && target_name.name.find('/') == std::string::npos)
                   ? EntryKind::kOrg
                   : (eco == Ecosystem::kHuggingFace ? EntryKind::kRepo : EntryKind::kPackage);
  entry.origin = "explain";
  for (const ProtectedEntry& e : entries()) {
    if (e.name == entry.name && e.ecosystem == eco) entry = e;  // keep its popularity, owner
  }
  ProtectedList one;
  one.Add(entry);
  EngineOptions opts = options();
  absl::StatusOr<std::unique_ptr<Engine>> single = Engine::Create(std::move(one), opts);
  if (!single.ok()) return single.status();
  candidate.ecosystem = eco;
  absl::StatusOr<std::vector<Finding>> found = (*single)->Check(candidate, 0.0, 1);
  if (!found.ok()) return found.status();
  if (!found->empty()) ex.finding = found->front();
  return ex;
}

}  // namespace squatguard
