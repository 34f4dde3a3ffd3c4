// The reference pipeline: every step of normalize.h done by ICU, one code
// point at a time. The ASCII fast path derives its tables from this and is
// tested against it; non-ASCII names always come here.
#ifndef SQUATGUARD_CONFUSABLES_ICU_PIPELINE_H_
#define SQUATGUARD_CONFUSABLES_ICU_PIPELINE_H_

#include <unicode/unorm2.h>
#include <unicode/uspoof.h>

#include <array>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace confusables {

// Longest name the ICU path accepts. NFKC can grow text 18x (U+FDFA) and ICU
// counts in int32_t, so this keeps every intermediate string addressable.
inline constexpr size_t kMaxIcuNameBytes = size_t{64} << 20;

// Longest run of code points that may put combining marks next to each other
// before the pipeline inserts a break (UAX #15 "stream-safe" limit). ICU sorts
// combining marks by insertion, so unbounded runs make NFKC and skeletons
// quadratic on hostile names.
inline constexpr int kMaxCombiningRun = 30;

// U+034F COMBINING GRAPHEME JOINER: the break. It is a starter that every
// step keeps, and as a default-ignorable it never survives step 2, so the
// pipeline can remove all of them from its results afterwards.
inline constexpr char16_t kRunBreak = 0x034F;

class IcuPipeline {
 public:
  // Opens ICU's NFKC/NFKD data and one spoof checker for the process.
  static absl::StatusOr<std::unique_ptr<IcuPipeline>> Create();

  IcuPipeline(const IcuPipeline&) = delete;
  IcuPipeline& operator=(const IcuPipeline&) = delete;
  ~IcuPipeline();

  // Runs steps 2-4 on `name`, which must be valid UTF-8. Fills every field of
  // *forms except the *_flat ones, with ascii = false. Thread-safe.
  absl::Status Run(absl::string_view name, NameForms* forms) const;

  // fold(skeleton(c)) as UTF-8; empty for a surrogate or a value above
  // U+10FFFF.
  absl::StatusOr<std::string> VisualKey(char32_t code_point) const;

 private:
  IcuPipeline() = default;

  absl::Status Nfkc(const std::u16string& in, std::u16string* out) const;
  absl::Status Fold(const std::u16string& in, std::u16string* out) const;
  absl::Status Skeleton(const std::u16string& in, std::u16string* out) const;
  absl::StatusOr<bool> IsMixedScript(const std::u16string& s) const;

  // Whether NFKD, folding or a skeleton of c can contain a combining mark.
  bool MayYieldCombiningMark(char32_t c) const;
  bool ComputeMayYieldCombiningMark(char32_t c) const;
  // Inserts kRunBreak into runs longer than kMaxCombiningRun; returns whether
  // it inserted any.
  bool BreakLongCombiningRuns(std::u16string* s) const;

  const UNormalizer2* nfkc_ = nullptr;
  const UNormalizer2* nfkd_ = nullptr;
  // Configured once in Create(); ICU documents the check and skeleton calls,
  // which take a const checker, as safe to share between threads.
  USpoofChecker* checker_ = nullptr;
  std::array<bool, 128> ascii_may_yield_combining_mark_{};
};

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_ICU_PIPELINE_H_
