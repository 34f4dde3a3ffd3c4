// The feed parser: JSONL candidates (ParseCandidateJson), prefixed names
// (ParseQualifiedName) and the feed source's line reading and paging.
//
// The input is a feed file. Properties: the source pages through it without
// stalling, never returns more than a page of names or an empty name, and
// its errors name the feed and a line inside it; every line parses or fails
// with a message (never a crash or undefined behaviour on odd numbers or
// dates).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "crawlers/feed_source.h"
#include "fuzz/fuzz_support.h"
#include "squatguard/candidate.h"

namespace {

using squatguard::Ecosystem;
using squatguard::fuzzing::Printable;

constexpr char kOrigin[] = "fuzz.feed";
constexpr int kPageSize = 7;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = squatguard::fuzzing::AsText(data, size);
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;

  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    squatguard::Candidate plain = squatguard::ParseQualifiedName(t, Ecosystem::kAny);
    FUZZ_EXPECT(plain.name.size() <= t.size(), Printable(t));
    if (!t.empty() && t.front() == '{') {
      absl::StatusOr<squatguard::Candidate> c = squatguard::ParseCandidateJson(t, Ecosystem::kNpm);
      FUZZ_EXPECT(c.ok() || !c.status().message().empty(), Printable(t));
    }
  }

  std::istringstream stream{std::string(text)};
  squatguard::crawlers::FeedSource feed(&stream, kOrigin, Ecosystem::kAny, kPageSize);
  size_t pages = 0;
  for (;;) {
    absl::StatusOr<squatguard::crawlers::SourcePage> page = feed.FetchPage("");
    ++pages;
    FUZZ_EXPECT(pages <= lines + 2, "the feed source does not advance");
    if (!page.ok()) {
      const std::string message(page.status().message());
      FUZZ_EXPECT(absl::StartsWith(message, absl::StrCat(kOrigin, ":")), message);
      size_t line = 0;
      absl::string_view rest = absl::string_view(message).substr(sizeof(kOrigin));
      FUZZ_EXPECT(absl::SimpleAtoi(rest.substr(0, rest.find(':')), &line), message);
      FUZZ_EXPECT(line >= 1 && line <= lines, message);
      break;
    }
    FUZZ_EXPECT(page->names.size() <= static_cast<size_t>(kPageSize), "page too long");
    for (const squatguard::crawlers::SeenName& n : page->names) {
      FUZZ_EXPECT(!n.name.empty(), "empty name in a page");
    }
    if (page->done) break;
  }
  return 0;
}
