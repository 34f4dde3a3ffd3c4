// Test helpers: comparing two NameForms field by field, and the corpora.
#ifndef SQUATGUARD_TESTS_CONFUSABLES_FORMS_TESTING_H_
#define SQUATGUARD_TESTS_CONFUSABLES_FORMS_TESTING_H_

#include <string>
#include <vector>

#include "confusables/normalize.h"

namespace squatguard {
namespace confusables {

// Empty when a and b agree on every field but `ascii` (which says which path
// ran); otherwise names the first field that differs and both values.
std::string DescribeFormsDifference(const NameForms& a, const NameForms& b);

// "U+0041 U+0308 ..." for error messages about non-ASCII strings.
std::string CodePoints(const std::string& utf8);

// The shared corpora folder, or "" if it is not there.
std::string SharedCorporaDir();

// Registry names from one corpus file: the first tab-separated column after
// the header line for .tsv files, every non-comment line for .txt files.
std::vector<std::string> ReadCorpusNames(const std::string& path);

}  // namespace confusables
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CONFUSABLES_FORMS_TESTING_H_
