// A Candidate: a newly seen name and what is known about it.
#ifndef SQUATGUARD_CANDIDATE_H_
#define SQUATGUARD_CANDIDATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "squatguard/ecosystem.h"

namespace squatguard {

struct Candidate {
  std::string name;                        // required
  Ecosystem ecosystem = Ecosystem::kAny;   // kAny: compare with every list
  std::string account;                     // who registered it, if known
  std::optional<int64_t> created_at;       // unix seconds, if known
  std::optional<int64_t> rank;             // registry popularity rank (1 = top)
  std::optional<int64_t> downloads;        // downloads a month, if known
};

// Parses a command-line name that may carry an ecosystem prefix:
// "hf:meta-llama/Llama-3-8B", "pypi:requests", "npm:@types/node". Without a
// known prefix, `fallback` is the ecosystem and the whole text is the name
// (so "@scope/x" and names containing ':' for other reasons still work).
Candidate ParseQualifiedName(absl::string_view text, Ecosystem fallback);

// Parses one JSONL candidate object ({"name": ..., "ecosystem": ...,
// "account": ..., "created_at": ..., "rank": ..., "downloads": ...}).
// created_at may be unix seconds or an ISO 8601 date/time string. Errors
// (broken JSON, missing or non-string "name", unknown ecosystem) say what is
// wrong; the caller adds the file and line.
absl::StatusOr<Candidate> ParseCandidateJson(absl::string_view line,
                                             Ecosystem fallback);

}  // namespace squatguard

#endif  // SQUATGUARD_CANDIDATE_H_
