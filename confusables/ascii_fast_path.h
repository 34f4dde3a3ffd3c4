// The ASCII fast path: registry names are nearly always ASCII, and for ASCII
// every pipeline step works one character at a time, so each form is a
// concatenation of per-byte pieces looked up in tables. The tables are filled
// at start-up by running the ICU pipeline on each ASCII character, so the fast
// path follows whatever ICU version is linked.
#ifndef SQUATGUARD_CONFUSABLES_ASCII_FAST_PATH_H_
#define SQUATGUARD_CONFUSABLES_ASCII_FAST_PATH_H_

#include <array>
#include <cstdint>
#include <cstring>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "confusables/icu_pipeline.h"
#include "confusables/normalize.h"

namespace squatguard {
namespace confusables {

class AsciiFastPath {
 public:
  // Fills the tables from `icu`. A byte whose pieces could not be
  // concatenated exactly (one starting with a combining mark, which the
  // skeleton's final NFD could reorder across the boundary) is left to ICU.
  static absl::StatusOr<AsciiFastPath> Build(const IcuPipeline& icu);

  // When every byte of `name` is ASCII with a usable table entry, fills every
  // field of *forms (ascii = true) and returns true. Otherwise returns false
  // and leaves *forms untouched. Thread-safe.
  bool TryNormalize(absl::string_view name, NameForms* forms) const;

 private:
  // A short UTF-8 string stored inline (ICU 72's longest ASCII skeleton is
  // '%' -> "º/₀", 6 bytes).
  struct Piece {
    uint8_t size = 0;
    char bytes[7] = {};
  };
  struct Entry {
    bool removed = false;         // a control character: dropped in step 2
    char lower = 0;               // the casefold (and NFKC is the byte itself)
    uint8_t lower_flat_size = 0;  // 0 if `lower` is a separator, else 1
    Piece visual;                 // fold(skeleton(c))
    Piece folded;                 // skeleton(fold(c))
    Piece visual_flat;            // visual without separators
    Piece folded_flat;            // folded without separators
  };

  AsciiFastPath() = default;

  static void SetPiece(absl::string_view utf8, Piece* piece);

  // Appends `piece` at *cursor, which has room for it.
  static void Put(const Piece& piece, char** cursor) {
    if (piece.size == 1) {
      *(*cursor)++ = piece.bytes[0];
    } else {
      std::memcpy(*cursor, piece.bytes, piece.size);
      *cursor += piece.size;
    }
  }

  std::array<Entry, 128> entries_;
  // usable_[b]: byte b may take the fast path (always false for b >= 0x80).
  std::array<bool, 256> usable_{};
};

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_ASCII_FAST_PATH_H_
