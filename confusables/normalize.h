// The normalization pipeline: every view of one name that the matcher compares.
//
// A registry name goes through these steps (SPEC.md, issue "Similarity core"):
//   1. UTF-8 validation: invalid input is an error naming the byte offset.
//   2. Default-ignorable code points (zero-width, bidi controls, variation
//      selectors, soft hyphen) and C0/C1 controls are removed and recorded.
//   3. NFKC, so full-width letters and ligatures meet their ASCII forms.
//   4. Two UTS #39 skeleton keys through ICU's spoof checker:
//        visual = fold(skeleton(name))  keeps a capital I as the l it imitates
//        folded = skeleton(fold(name))  makes JOIN and join meet
//   5. Separator-free forms of these keys ('-', '_', '.', space removed).
// Skeletons are for comparison only; callers always show the original name.
// They are in NFD and need not be ASCII even for ASCII input. With ICU 72 the
// ASCII characters whose keys are not simply their lowercase are:
//   visual: 0->o 1->l I->l |->l m->rn M->m "->'' `->' %->"º/₀"
//   folded: 0->O 1->l |->l m->rn M->rn "->'' `->' %->"º/₀"
// so case variants with M or I meet only in `folded` ("OpenAI" has visual
// "openal"), 0/o meet only in `visual`, and '%' puts a '/' into both keys.
// VisualKeyOf() reports these for any code point.
//
// A run of more than 30 characters that can carry combining marks is cut
// into 30-character segments (UAX #15's stream-safe limit) before NFKC, so
// hostile names stay linear-time; only names with such runs can differ from
// unsegmented ICU, and then only in mark order and composition.
//
// Registry names are nearly always ASCII, so ASCII names take a table-driven
// fast path whose tables are computed from ICU at start-up; it gives exactly
// the ICU pipeline's result (tests check this on every corpus name).
//
// Usage:
//   const Normalizer& n = Normalizer::Default();
//   absl::StatusOr<NameForms> forms = n.Normalize("meta-Ilama");
//   // forms->visual == "rneta-llarna"
//
// Thread safety: Normalizer is immutable after construction; Normalize() may be
// called from any number of threads.
#ifndef SQUATGUARD_CONFUSABLES_NORMALIZE_H_
#define SQUATGUARD_CONFUSABLES_NORMALIZE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace squatguard {
namespace confusables {

// One code point removed in step 2, with its byte offset in the original.
struct RemovedCodePoint {
  char32_t code_point;
  size_t byte_offset;
};

struct NameForms {
  std::string original;   // the input, validated UTF-8
  std::string visible;    // step 2: invisibles and controls removed
  std::string nfkc;       // step 3: NFKC(visible)
  std::string casefold;   // ICU default case folding of nfkc
  std::string visual;     // fold(skeleton(nfkc))
  std::string folded;     // skeleton(fold(nfkc))
  std::string casefold_flat;  // casefold without separators
  std::string visual_flat;    // visual without separators
  std::string folded_flat;    // folded without separators
  std::vector<RemovedCodePoint> removed;  // what step 2 took out
  bool mixed_script = false;  // ICU restriction level below "highly restrictive"
  bool ascii = false;         // the original was pure ASCII (fast path taken)
};

class Normalizer {
 public:
  // The process-wide normalizer; built on first use (thread-safe).
  static const Normalizer& Default();

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;
  ~Normalizer();

  // Runs the whole pipeline. Returns InvalidArgument for invalid UTF-8
  // ("invalid UTF-8 at byte 7"). An empty name is valid and gives empty forms.
  // A non-ASCII name longer than 64 MiB is also InvalidArgument.
  absl::StatusOr<NameForms> Normalize(absl::string_view name) const;

  // The same pipeline with the ASCII fast path disabled: always ICU. Tests
  // compare the two; production code calls Normalize().
  absl::StatusOr<NameForms> NormalizeWithIcu(absl::string_view name) const;

  // Normalize() writing into *forms, so loops over millions of names reuse
  // its strings' capacity. On error *forms holds unspecified values.
  absl::Status NormalizeInto(absl::string_view name, NameForms* forms) const;

  // fold(skeleton(c)) for one code point, as UTF-8 ("I" -> "l", "m" -> "rn").
  // Used by explanations to name the mapping that made two names meet.
  std::string VisualKeyOf(char32_t code_point) const;

 private:
  struct Impl;
  Normalizer();
  std::unique_ptr<Impl> impl_;
};

// Removes '-', '_', '.' and ' ' (npm's rule for "too similar" names).
std::string RemoveSeparators(absl::string_view s);

// PEP 503: lowercase, runs of '-', '_', '.' become one '-'. Two PyPI names
// with equal PEP 503 forms are the same project.
std::string PypiNormalize(absl::string_view s);

// PyPI's "ultranormalized" form, whose collisions PyPI refuses: lowercase,
// separators removed, 'o' -> '0', 'l' and 'i' -> '1'.
std::string PypiUltranormalize(absl::string_view s);

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_NORMALIZE_H_
