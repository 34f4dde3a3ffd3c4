// Invisible and control code points (pipeline step 2).

#include "confusables/invisibles.h"

#include <unicode/uchar.h>

namespace squatguard {
namespace confusables {

bool IsInvisibleOrControl(char32_t c) {
  if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) return true;
  if (c < 0xA0) return false;  // no other ASCII or Latin-1 control is ignorable
  return u_hasBinaryProperty(static_cast<UChar32>(c),
                             UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

}  // namespace confusables
}  // namespace squatguard
