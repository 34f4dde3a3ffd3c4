// What is known about a candidate, turned into a factor on the evidence:
// an established name (popular, old, itself protected) is a weaker suspect
// than one registered yesterday (SPEC.md "A JSONL candidate").
#ifndef SQUATGUARD_ENGINE_CONTEXT_H_
#define SQUATGUARD_ENGINE_CONTEXT_H_

#include "squatguard/candidate.h"

namespace squatguard {
namespace internal {

// In (0, 1.05]: 1 for an unknown name, lower for established ones.
double CandidateContextFactor(const Candidate& candidate, bool candidate_is_protected,
                              int64_t now_unix_seconds);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_CONTEXT_H_
