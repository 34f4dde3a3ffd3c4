// Normalizer: validation, then the ASCII fast path or the ICU pipeline.

#include "confusables/normalize.h"

#include <utility>

#include "confusables/ascii_fast_path.h"
#include "confusables/icu_pipeline.h"
#include "confusables/separators.h"
#include "confusables/utf8.h"

namespace squatguard {
namespace confusables {
namespace {

void FillFlatForms(NameForms* forms) {
  AssignWithoutSeparators(forms->casefold, &forms->casefold_flat);
  AssignWithoutSeparators(forms->visual, &forms->visual_flat);
  AssignWithoutSeparators(forms->folded, &forms->folded_flat);
}

}  // namespace

struct Normalizer::Impl {
  // Not OK if ICU could not be set up; every call then returns this error
  // rather than the process crashing at start-up.
  absl::Status status;
  std::unique_ptr<IcuPipeline> icu;
  std::unique_ptr<AsciiFastPath> ascii;

  absl::Status RunIcu(absl::string_view name, NameForms* forms) const {
    if (!status.ok()) return status;
    absl::Status valid = ValidateUtf8(name);
    if (!valid.ok()) return valid;
    absl::Status ran = icu->Run(name, forms);
    if (!ran.ok()) return ran;
    FillFlatForms(forms);
    return absl::OkStatus();
  }
};

Normalizer::Normalizer() : impl_(std::make_unique<Impl>()) {
  absl::StatusOr<std::unique_ptr<IcuPipeline>> icu = IcuPipeline::Create();
  if (!icu.ok()) {
    impl_->status = icu.status();
    return;
  }
  impl_->icu = *std::move(icu);
  absl::StatusOr<AsciiFastPath> ascii = AsciiFastPath::Build(*impl_->icu);
  if (!ascii.ok()) {
    impl_->status = ascii.status();
    return;
  }
  impl_->ascii = std::make_unique<AsciiFastPath>(*std::move(ascii));
}

Normalizer::~Normalizer() = default;

const Normalizer& Normalizer::Default() {
  // Never destroyed: threads may still be normalizing during exit.
  static const Normalizer* const normalizer = new Normalizer();
  return *normalizer;
}

absl::Status Normalizer::NormalizeInto(absl::string_view name,
                                       NameForms* forms) const {
  if (impl_->status.ok() && impl_->ascii->TryNormalize(name, forms)) {
    return absl::OkStatus();
  }
  return impl_->RunIcu(name, forms);
}

absl::StatusOr<NameForms> Normalizer::Normalize(absl::string_view name) const {
  // Built in place and returned by one path, so the forms are never moved.
  absl::StatusOr<NameForms> forms(absl::in_place);
  absl::Status status = NormalizeInto(name, &*forms);
  if (!status.ok()) forms = std::move(status);
  return forms;
}

absl::StatusOr<NameForms> Normalizer::NormalizeWithIcu(
    absl::string_view name) const {
  absl::StatusOr<NameForms> forms(absl::in_place);
  absl::Status status = impl_->RunIcu(name, &*forms);
  if (!status.ok()) forms = std::move(status);
  return forms;
}

std::string Normalizer::VisualKeyOf(char32_t code_point) const {
  if (!impl_->status.ok()) return std::string();
  absl::StatusOr<std::string> key = impl_->icu->VisualKey(code_point);
  return key.ok() ? *std::move(key) : std::string();
}

}  // namespace confusables
}  // namespace squatguard
