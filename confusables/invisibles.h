// Step 2 of the pipeline: which code points are taken out of a name before it
// is compared, because they render as nothing or steer rendering.
#ifndef SQUATGUARD_CONFUSABLES_INVISIBLES_H_
#define SQUATGUARD_CONFUSABLES_INVISIBLES_H_

namespace squatguard {
namespace confusables {

// True for C0 and C1 controls (U+0000-001F, U+007F-009F) and for every
// Default_Ignorable_Code_Point (zero-width spaces and joiners, bidi controls,
// variation selectors, soft hyphen, U+FEFF, tag characters...).
bool IsInvisibleOrControl(char32_t code_point);

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_CONFUSABLES_INVISIBLES_H_
