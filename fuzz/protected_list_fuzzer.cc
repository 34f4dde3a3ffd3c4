// The protected-list parser (JSONL and plain text) and brace patterns.
//
// The input is list text. It is parsed twice: as a file of unknown
// ecosystem (JSONL must name it) and as a PyPI text list. Properties: an
// error names the origin and a line number inside the text; a list that
// parses has valid, non-empty names of at most 1024 bytes; a small list that
// parses also builds an Engine, which then checks a few names without error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "fuzz/fuzz_support.h"
#include "squatguard/engine.h"
#include "squatguard/protected_list.h"

namespace {

using squatguard::Ecosystem;
using squatguard::EntryKind;
using squatguard::ListDefaults;
using squatguard::ProtectedList;
using squatguard::fuzzing::Printable;

constexpr char kOrigin[] = "fuzz.jsonl";
constexpr size_t kMaxEngineEntries = 64;

// "fuzz.jsonl:N: ..." with 1 <= N <= lines, or "fuzz.jsonl: ..." for
// whole-file problems.
void CheckErrorNamesPlace(const absl::Status& status, absl::string_view text) {
  const std::string message(status.message());
  FUZZ_EXPECT(absl::StartsWith(message, absl::StrCat(kOrigin, ":")), message);
  absl::string_view rest = absl::string_view(message).substr(sizeof(kOrigin));
  if (absl::StartsWith(rest, " ")) return;
  size_t colon = rest.find(':');
  FUZZ_EXPECT(colon != absl::string_view::npos, message);
  size_t line = 0;
  FUZZ_EXPECT(absl::SimpleAtoi(rest.substr(0, colon), &line), message);
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  FUZZ_EXPECT(line >= 1 && line <= lines, absl::StrCat(message, " (", lines, " lines)"));
}

void CheckList(const ProtectedList& list) {
  for (const squatguard::ProtectedEntry& e : list.entries()) {
    FUZZ_EXPECT(!e.name.empty(), e.origin);
    FUZZ_EXPECT(e.name.size() <= 1024, e.origin);
    FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(e.name).ok(), e.origin);
    FUZZ_EXPECT(e.ecosystem != Ecosystem::kAny, e.origin);
    FUZZ_EXPECT(e.popularity >= 0 && e.popularity <= 1, e.origin);
  }
}

void BuildAndCheck(ProtectedList list) {
  if (list.empty() || list.size() > kMaxEngineEntries) return;
  std::string first = list.entries().front().name;
  absl::StatusOr<std::unique_ptr<squatguard::Engine>> engine =
      squatguard::Engine::Create(std::move(list));
  // Every name passed the parser's checks, so indexing must succeed.
  FUZZ_EXPECT(engine.ok(), engine.status().ToString());
  std::string typo = first;
  if (typo.size() > 1) std::swap(typo[0], typo[1]);
  for (const std::string& name : {first, typo, first + "-sdk", std::string("requests")}) {
    absl::StatusOr<std::vector<squatguard::Finding>> found = (*engine)->Check(name);
    // Check refuses what is too long, not UTF-8, or shows nothing at all.
    absl::StatusOr<squatguard::confusables::NameForms> forms =
        squatguard::confusables::Normalizer::Default().Normalize(name);
    const bool acceptable = name.size() <= 1024 && forms.ok() && !forms->nfkc.empty();
    FUZZ_EXPECT(found.ok() || !acceptable, found.status().ToString());
    if (!found.ok()) continue;
    for (const squatguard::Finding& f : *found) {
      FUZZ_EXPECT(f.score >= 0 && f.score <= 1, Printable(name));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = squatguard::fuzzing::AsText(data, size);

  ProtectedList jsonl;
  absl::Status s = jsonl.AddText(text, kOrigin, ListDefaults{});
  if (s.ok()) {
    CheckList(jsonl);
    BuildAndCheck(std::move(jsonl));
  } else {
    CheckErrorNamesPlace(s, text);
  }

  ProtectedList pypi;
  s = pypi.AddText(text, kOrigin, ListDefaults{Ecosystem::kPyPI, EntryKind::kPackage});
  if (s.ok()) {
    CheckList(pypi);
  } else {
    CheckErrorNamesPlace(s, text);
  }

  // The first line as a brace pattern: bounded output or a clear error.
  absl::string_view first_line = squatguard::fuzzing::SplitOnce(text, "\n").first;
  absl::StatusOr<std::vector<std::string>> names = squatguard::ExpandBracePattern(first_line);
  if (names.ok()) {
    FUZZ_EXPECT(names->size() <= squatguard::kMaxPatternExpansions, Printable(first_line));
  }
  return 0;
}
