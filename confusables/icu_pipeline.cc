// The ICU normalization pipeline (steps 2-4 of normalize.h).

#include "confusables/icu_pipeline.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_format.h"
#include "confusables/invisibles.h"
#include "confusables/utf16.h"

namespace squatguard {
namespace confusables {
namespace {

// Per-thread buffers so a bulk run does not allocate six strings per name.
struct Scratch {
  std::u16string visible, nfkc, casefold, skeleton, visual, folded;

  // A huge name should not pin its buffers for the life of the thread.
  void Trim() {
    constexpr size_t kKeepUnits = size_t{1} << 16;
    for (std::u16string* s :
         {&visible, &nfkc, &casefold, &skeleton, &visual, &folded}) {
      if (s->capacity() > kKeepUnits) std::u16string().swap(*s);
    }
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

struct CheckResultCloser {
  void operator()(USpoofCheckResult* r) const { uspoof_closeCheckResult(r); }
};

bool HasCombiningMark(const std::u16string& s) {
  const int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U16_NEXT(s.data(), i, length, c);
    if (u_getCombiningClass(c) != 0) return true;
  }
  return false;
}

bool IsScalarValue(char32_t c) {
  return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

}  // namespace

absl::StatusOr<std::unique_ptr<IcuPipeline>> IcuPipeline::Create() {
  auto pipeline = absl::WrapUnique(new IcuPipeline());
  UErrorCode status = U_ZERO_ERROR;
  pipeline->nfkc_ = unorm2_getNFKCInstance(&status);
  pipeline->nfkd_ = unorm2_getNFKDInstance(&status);
  if (U_FAILURE(status)) return IcuError("unorm2_getNFK[CD]Instance", status);
  pipeline->checker_ = uspoof_open(&status);
  if (U_FAILURE(status)) return IcuError("uspoof_open", status);
  // Only the restriction level is wanted from checks; AUX_INFO makes ICU
  // report the level the name actually reached, not just pass/fail.
  uspoof_setChecks(pipeline->checker_,
                   USPOOF_RESTRICTION_LEVEL | USPOOF_AUX_INFO, &status);
  if (U_FAILURE(status)) return IcuError("uspoof_setChecks", status);
  for (char32_t c = 0; c < 128; ++c) {
    pipeline->ascii_may_yield_combining_mark_[c] =
        pipeline->ComputeMayYieldCombiningMark(c);
  }
  return pipeline;
}

IcuPipeline::~IcuPipeline() {
  if (checker_ != nullptr) uspoof_close(checker_);
}

absl::Status IcuPipeline::Nfkc(const std::u16string& in,
                               std::u16string* out) const {
  return CallIcuIntoBuffer(
      "unorm2_normalize", in.size() + 16,
      [&](UChar* dest, int32_t capacity, UErrorCode* status) {
        return unorm2_normalize(nfkc_, in.data(),
                                static_cast<int32_t>(in.size()), dest, capacity,
                                status);
      },
      out);
}

absl::Status IcuPipeline::Fold(const std::u16string& in,
                               std::u16string* out) const {
  return CallIcuIntoBuffer(
      "u_strFoldCase", in.size() + 16,
      [&](UChar* dest, int32_t capacity, UErrorCode* status) {
        return u_strFoldCase(dest, capacity, in.data(),
                             static_cast<int32_t>(in.size()),
                             U_FOLD_CASE_DEFAULT, status);
      },
      out);
}

absl::Status IcuPipeline::Skeleton(const std::u16string& in,
                                   std::u16string* out) const {
  return CallIcuIntoBuffer(
      "uspoof_getSkeleton", in.size() + 16,
      [&](UChar* dest, int32_t capacity, UErrorCode* status) {
        // The type argument has been ignored since ICU 58.
        return uspoof_getSkeleton(checker_, 0, in.data(),
                                  static_cast<int32_t>(in.size()), dest,
                                  capacity, status);
      },
      out);
}

absl::StatusOr<bool> IcuPipeline::IsMixedScript(const std::u16string& s) const {
  UErrorCode status = U_ZERO_ERROR;
  // A check result is written by every check, so each thread owns one.
  thread_local std::unique_ptr<USpoofCheckResult, CheckResultCloser> result(
      uspoof_openCheckResult(&status));
  if (result == nullptr) return IcuError("uspoof_openCheckResult", status);
  status = U_ZERO_ERROR;
  uspoof_check2(checker_, s.data(), static_cast<int32_t>(s.size()),
                result.get(), &status);
  if (U_FAILURE(status)) return IcuError("uspoof_check2", status);
  URestrictionLevel level =
      uspoof_getCheckResultRestrictionLevel(result.get(), &status);
  if (U_FAILURE(status)) {
    return IcuError("uspoof_getCheckResultRestrictionLevel", status);
  }
  // ASCII, single-script and the CJK+Latin combinations are fine; Latin mixed
  // with Cyrillic or Greek (or anything looser) is the homoglyph signature.
  return level > USPOOF_HIGHLY_RESTRICTIVE;
}

bool IcuPipeline::ComputeMayYieldCombiningMark(char32_t c) const {
  UChar buffer[32];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = unorm2_getDecomposition(nfkd_, static_cast<UChar32>(c),
                                                 buffer, 32, &status);
  if (U_FAILURE(status)) return true;  // when unsure, break the run
  std::u16string decomposed;
  if (length < 0) {
    AppendUtf16(c, &decomposed);
  } else {
    decomposed.assign(buffer, static_cast<size_t>(length));
  }
  std::u16string folded, skeleton, folded_skeleton, skeleton_of_folded;
  if (!Fold(decomposed, &folded).ok() ||
      !Skeleton(decomposed, &skeleton).ok() ||
      !Fold(skeleton, &folded_skeleton).ok() ||
      !Skeleton(folded, &skeleton_of_folded).ok()) {
    return true;
  }
  return HasCombiningMark(decomposed) || HasCombiningMark(folded) ||
         HasCombiningMark(skeleton) || HasCombiningMark(folded_skeleton) ||
         HasCombiningMark(skeleton_of_folded);
}

bool IcuPipeline::MayYieldCombiningMark(char32_t c) const {
  if (c < 128) return ascii_may_yield_combining_mark_[c];
  return ComputeMayYieldCombiningMark(c);
}

bool IcuPipeline::BreakLongCombiningRuns(std::u16string* s) const {
  std::u16string out;
  out.reserve(s->size() + s->size() / kMaxCombiningRun + 1);
  const int32_t length = static_cast<int32_t>(s->size());
  // Long names repeat their characters; the per-character test runs several
  // ICU calls, so remember recent answers.
  struct CacheSlot {
    char32_t code_point = 0xFFFFFFFF;
    bool may_yield = false;
  };
  std::array<CacheSlot, 256> cache;
  int run = 0;
  bool inserted = false;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U16_NEXT(s->data(), i, length, c);
    const auto cp = static_cast<char32_t>(c);
    CacheSlot& slot = cache[cp & 0xFF];
    if (slot.code_point != cp) {
      slot.code_point = cp;
      slot.may_yield = MayYieldCombiningMark(cp);
    }
    if (slot.may_yield) {
      if (run == kMaxCombiningRun) {
        out.push_back(kRunBreak);
        inserted = true;
        run = 0;
      }
      ++run;
    } else {
      run = 0;
    }
    AppendUtf16(cp, &out);
  }
  s->swap(out);
  return inserted;
}

absl::Status IcuPipeline::Run(absl::string_view name, NameForms* forms) const {
  forms->original.assign(name.data(), name.size());
  forms->visible.clear();
  forms->removed.clear();
  forms->mixed_script = false;
  forms->ascii = false;
  if (name.size() > kMaxIcuNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("name of %d bytes is longer than the %d-byte limit",
                        name.size(), kMaxIcuNameBytes));
  }

  Scratch& scratch = ThreadScratch();
  // Step 2: drop invisibles and controls, keeping their original offsets.
  scratch.visible.clear();
  scratch.visible.reserve(name.size());
  forms->visible.reserve(name.size());
  const int32_t length = static_cast<int32_t>(name.size());
  size_t may_combine = 0;
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(name.data(), i, length, c);
    const auto cp = static_cast<char32_t>(c);
    if (IsInvisibleOrControl(cp)) {
      forms->removed.push_back({cp, static_cast<size_t>(start)});
      continue;
    }
    forms->visible.append(name.data() + start, static_cast<size_t>(i - start));
    AppendUtf16(cp, &scratch.visible);
    if (cp >= 128 || ascii_may_yield_combining_mark_[cp]) ++may_combine;
  }
  const bool broke_runs = may_combine > static_cast<size_t>(kMaxCombiningRun) &&
                          BreakLongCombiningRuns(&scratch.visible);

  // Steps 3 and 4.
  absl::Status status = Nfkc(scratch.visible, &scratch.nfkc);
  if (status.ok()) status = Fold(scratch.nfkc, &scratch.casefold);
  if (status.ok()) status = Skeleton(scratch.nfkc, &scratch.skeleton);
  if (status.ok()) status = Fold(scratch.skeleton, &scratch.visual);
  if (status.ok()) status = Skeleton(scratch.casefold, &scratch.folded);
  if (status.ok()) {
    absl::StatusOr<bool> mixed = IsMixedScript(scratch.nfkc);
    if (mixed.ok()) {
      forms->mixed_script = *mixed;
    } else {
      status = mixed.status();
    }
  }
  if (status.ok()) {
    const char32_t skip = broke_runs ? kRunBreak : 0;
    AssignUtf8FromUtf16(scratch.nfkc, skip, &forms->nfkc);
    AssignUtf8FromUtf16(scratch.casefold, skip, &forms->casefold);
    AssignUtf8FromUtf16(scratch.visual, skip, &forms->visual);
    AssignUtf8FromUtf16(scratch.folded, skip, &forms->folded);
  }
  scratch.Trim();
  return status;
}

absl::StatusOr<std::string> IcuPipeline::VisualKey(char32_t code_point) const {
  if (!IsScalarValue(code_point)) return std::string();
  std::u16string in, skeleton, visual;
  AppendUtf16(code_point, &in);
  absl::Status status = Skeleton(in, &skeleton);
  if (status.ok()) status = Fold(skeleton, &visual);
  if (!status.ok()) return status;
  std::string out;
  AssignUtf8FromUtf16(visual, 0, &out);
  return out;
}

}  // namespace confusables
}  // namespace squatguard
