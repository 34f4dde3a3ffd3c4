// The normalization pipeline on arbitrary bytes.
//
// Properties: Normalize() accepts exactly the strings ValidateUtf8() accepts;
// every form it returns is valid UTF-8 and `original` is the input; the
// removed code points point inside the input in order; NormalizeInto() with
// reused strings gives what Normalize() gives; and on ASCII text (the input
// itself when it is ASCII, and always the input with its top bits cleared)
// the fast path equals the ICU pipeline field by field.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "fuzz/fuzz_support.h"

namespace {

using squatguard::confusables::NameForms;
using squatguard::confusables::Normalizer;
using squatguard::fuzzing::Printable;

// "" when equal (ignoring `ascii`, which says which path ran).
std::string Difference(const NameForms& a, const NameForms& b) {
  struct Field {
    const char* name;
    const std::string& x;
    const std::string& y;
  };
  const Field fields[] = {
      {"original", a.original, b.original},
      {"visible", a.visible, b.visible},
      {"nfkc", a.nfkc, b.nfkc},
      {"casefold", a.casefold, b.casefold},
      {"visual", a.visual, b.visual},
      {"folded", a.folded, b.folded},
      {"casefold_flat", a.casefold_flat, b.casefold_flat},
      {"visual_flat", a.visual_flat, b.visual_flat},
      {"folded_flat", a.folded_flat, b.folded_flat},
  };
  for (const Field& f : fields) {
    if (f.x != f.y) {
      return absl::StrCat(f.name, ": '", Printable(f.x), "' vs '", Printable(f.y), "'");
    }
  }
  if (a.removed.size() != b.removed.size()) return "removed: sizes differ";
  for (size_t i = 0; i < a.removed.size(); ++i) {
    if (a.removed[i].code_point != b.removed[i].code_point ||
        a.removed[i].byte_offset != b.removed[i].byte_offset) {
      return absl::StrCat("removed[", i, "] differs");
    }
  }
  if (a.mixed_script != b.mixed_script) {
    return absl::StrCat("mixed_script: ", a.mixed_script, " vs ", b.mixed_script);
  }
  return "";
}

void CheckForms(absl::string_view input, const NameForms& forms) {
  FUZZ_EXPECT(forms.original == input, Printable(input));
  for (const std::string* s : {&forms.visible, &forms.nfkc, &forms.casefold, &forms.visual,
                               &forms.folded, &forms.casefold_flat, &forms.visual_flat,
                               &forms.folded_flat}) {
    FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(*s).ok(),
                absl::StrCat(Printable(input), " -> ", Printable(*s)));
  }
  size_t previous = 0;
  for (size_t i = 0; i < forms.removed.size(); ++i) {
    const size_t at = forms.removed[i].byte_offset;
    FUZZ_EXPECT(at < input.size(), Printable(input));
    FUZZ_EXPECT(i == 0 || at > previous, Printable(input));
    previous = at;
  }
}

void CheckAsciiEquality(absl::string_view ascii) {
  absl::StatusOr<NameForms> fast = Normalizer::Default().Normalize(ascii);
  absl::StatusOr<NameForms> icu = Normalizer::Default().NormalizeWithIcu(ascii);
  FUZZ_EXPECT(fast.ok() && icu.ok(), Printable(ascii));
  const std::string diff = Difference(*fast, *icu);
  FUZZ_EXPECT(diff.empty(), absl::StrCat("'", Printable(ascii), "': fast path vs ICU: ", diff));
  CheckForms(ascii, *icu);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input = squatguard::fuzzing::AsText(data, size);
  const bool valid = squatguard::confusables::ValidateUtf8(input).ok();

  absl::StatusOr<NameForms> forms = Normalizer::Default().Normalize(input);
  FUZZ_EXPECT(forms.ok() == valid, absl::StrCat(Printable(input), ": ", forms.status().ToString()));

  // The escaped text is always valid and is the input itself when valid.
  const std::string escaped = squatguard::confusables::EscapeInvalidUtf8(input);
  FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(escaped).ok(), Printable(input));
  FUZZ_EXPECT(!valid || escaped == input, Printable(input));

  if (forms.ok()) {
    CheckForms(input, *forms);
    // Strings reused across calls, as scan does per thread.
    static NameForms reused;
    FUZZ_EXPECT(Normalizer::Default().NormalizeInto(input, &reused).ok(), Printable(input));
    const std::string diff = Difference(*forms, reused);
    FUZZ_EXPECT(diff.empty(), absl::StrCat("NormalizeInto: ", diff));
    // Decoding and encoding again gives the same bytes.
    std::string round_trip;
    for (char32_t c : squatguard::confusables::DecodeUtf8(input)) {
      squatguard::confusables::AppendUtf8(c, &round_trip);
    }
    FUZZ_EXPECT(round_trip == input, Printable(input));
  }

  bool ascii = true;
  std::string low(input);
  for (char& c : low) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    c = static_cast<char>(c & 0x7f);
  }
  if (ascii) {
    CheckAsciiEquality(input);
  } else {
    CheckAsciiEquality(low);
  }
  return 0;
}
