// Table-driven normalization of ASCII names (see ascii_fast_path.h).

#include "confusables/ascii_fast_path.h"

#include <unicode/uchar.h>

#include <cstring>

#include "confusables/separators.h"
#include "confusables/utf8.h"

namespace squatguard {
namespace confusables {
namespace {

// A piece can follow any other piece only if it starts with a starter
// (canonical combining class 0): NFD never reorders across a starter.
bool StartsWithStarter(absl::string_view utf8) {
  if (utf8.empty()) return true;
  std::vector<char32_t> cps = DecodeUtf8(utf8.substr(0, 4));
  return u_getCombiningClass(static_cast<UChar32>(cps.front())) == 0;
}

}  // namespace

void AsciiFastPath::SetPiece(absl::string_view utf8, Piece* piece) {
  piece->size = static_cast<uint8_t>(utf8.size());
  std::memcpy(piece->bytes, utf8.data(), utf8.size());
}

absl::StatusOr<AsciiFastPath> AsciiFastPath::Build(const IcuPipeline& icu) {
  AsciiFastPath path;
  for (int b = 0; b < 128; ++b) {
    const char c = static_cast<char>(b);
    NameForms one;
    absl::Status status = icu.Run(absl::string_view(&c, 1), &one);
    if (!status.ok()) return status;
    Entry& entry = path.entries_[b];
    if (!one.removed.empty()) {
      // Concatenation is exact only if the whole character disappears.
      entry.removed = one.visible.empty();
      path.usable_[b] = entry.removed;
      continue;
    }
    // NFKC must leave the byte alone and folding must be one ASCII byte;
    // otherwise names with this byte take the ICU path.
    const bool simple = one.nfkc == one.original && one.casefold.size() == 1 &&
                        static_cast<unsigned char>(one.casefold[0]) < 128;
    // The flat pieces are never longer than these.
    const bool fits = one.visual.size() <= sizeof(Piece::bytes) &&
                      one.folded.size() <= sizeof(Piece::bytes);
    const bool concatenates =
        StartsWithStarter(one.visual) && StartsWithStarter(one.folded);
    if (!simple || !fits || !concatenates || one.mixed_script) continue;
    entry.lower = one.casefold[0];
    entry.lower_flat_size = IsSeparator(entry.lower) ? 0 : 1;
    SetPiece(one.visual, &entry.visual);
    SetPiece(one.folded, &entry.folded);
    SetPiece(RemoveSeparators(one.visual), &entry.visual_flat);
    SetPiece(RemoveSeparators(one.folded), &entry.folded_flat);
    path.usable_[b] = true;
  }
  return path;
}

bool AsciiFastPath::TryNormalize(absl::string_view name,
                                 NameForms* forms) const {
  bool has_control = false;
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (!usable_[b]) return false;
    has_control |= entries_[b].removed;
  }

  forms->original.assign(name.data(), name.size());
  forms->removed.clear();
  if (!has_control) {
    forms->visible.assign(name.data(), name.size());
  } else {
    forms->visible.clear();
    for (size_t i = 0; i < name.size(); ++i) {
      const auto b = static_cast<unsigned char>(name[i]);
      if (entries_[b].removed) {
        forms->removed.push_back({static_cast<char32_t>(b), i});
      } else {
        forms->visible.push_back(name[i]);
      }
    }
  }
  // NFKC is the identity on printable ASCII (checked in Build).
  forms->nfkc = forms->visible;

  // Size every output exactly first, so short names stay in the strings'
  // inline buffers and long ones allocate once.
  const std::string& visible = forms->visible;
  size_t casefold_flat = 0, visual = 0, folded = 0, visual_flat = 0,
         folded_flat = 0;
  for (char c : visible) {
    const Entry& entry = entries_[static_cast<unsigned char>(c)];
    casefold_flat += entry.lower_flat_size;
    visual += entry.visual.size;
    folded += entry.folded.size;
    visual_flat += entry.visual_flat.size;
    folded_flat += entry.folded_flat.size;
  }
  forms->casefold.resize(visible.size());
  forms->casefold_flat.resize(casefold_flat);
  forms->visual.resize(visual);
  forms->folded.resize(folded);
  forms->visual_flat.resize(visual_flat);
  forms->folded_flat.resize(folded_flat);
  char* casefold_out = &forms->casefold[0];
  char* casefold_flat_out = &forms->casefold_flat[0];
  char* visual_out = &forms->visual[0];
  char* folded_out = &forms->folded[0];
  char* visual_flat_out = &forms->visual_flat[0];
  char* folded_flat_out = &forms->folded_flat[0];
  for (char c : visible) {
    const Entry& entry = entries_[static_cast<unsigned char>(c)];
    *casefold_out++ = entry.lower;
    if (entry.lower_flat_size != 0) *casefold_flat_out++ = entry.lower;
    Put(entry.visual, &visual_out);
    Put(entry.folded, &folded_out);
    Put(entry.visual_flat, &visual_flat_out);
    Put(entry.folded_flat, &folded_flat_out);
  }
  // ICU rates any all-ASCII string USPOOF_ASCII, the strictest level.
  forms->mixed_script = false;
  forms->ascii = true;
  return true;
}

}  // namespace confusables
}  // namespace squatguard
