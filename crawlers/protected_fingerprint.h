// A fingerprint of protected lists, so the crawl job can tell when they
// changed and names already stored must be checked again.
//
// It covers every field of every entry that can change a finding, and not
// the order of entries or where they came from (moving an entry to another
// file is not a change). "v1:<entries>:<16 hex digits>".
#ifndef SQUATGUARD_CRAWLERS_PROTECTED_FINGERPRINT_H_
#define SQUATGUARD_CRAWLERS_PROTECTED_FINGERPRINT_H_

#include <string>
#include <vector>

#include "squatguard/protected_list.h"

namespace squatguard {
namespace crawlers {

std::string ProtectedListFingerprint(const std::vector<ProtectedEntry>& entries);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_PROTECTED_FINGERPRINT_H_
