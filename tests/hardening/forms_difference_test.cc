// Regression test for a shared test helper: DescribeFormsDifference
// (tests/confusables/forms_testing.cc) must report a `mixed_script`
// difference. It used "%v", which Debian 12's Abseil (20220623) does not
// know: StrFormat returned "" under gcc, so a fast-path/ICU disagreement on
// mixed_script passed unseen, and clang refused to compile the file.
#include "confusables/normalize.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

TEST(FormsDifference, ReportsAMixedScriptDifference) {
  NameForms a, b;
  a.mixed_script = true;
  b.mixed_script = false;
  EXPECT_NE(DescribeFormsDifference(a, b), "");
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
