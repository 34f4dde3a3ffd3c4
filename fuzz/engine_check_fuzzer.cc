// Engine::Check (and Explain) on hostile names.
//
// The engine is built once from fuzz/data/engine_protected.jsonl and the
// shipped affix words. Input: a name (with or without an ecosystem prefix),
// or a JSONL candidate line; a tab splits off an Explain target. Properties:
// Check accepts exactly the non-empty, valid UTF-8 names within the length
// limit; findings are scored in [0, 1], best first, at most `top`, one per
// target, and carry the candidate as given; Explain never fails on a valid
// pair. Slow inputs (factorial reorders, quadratic distance) show up as
// libFuzzer timeouts.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "confusables/normalize.h"
#include "confusables/utf8.h"
#include "fuzz/fuzz_support.h"
#include "squatguard/engine.h"

namespace {

using squatguard::Ecosystem;
using squatguard::Engine;
using squatguard::fuzzing::Printable;

constexpr int kTop = 3;
constexpr double kMinScore = 0.3;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const Engine& TheEngine() {
  static const Engine* engine = [] {
    squatguard::ProtectedList list;
    const std::string path = SQUATGUARD_FUZZ_DATA_DIR "/engine_protected.jsonl";
    absl::Status s = list.AddText(ReadFile(path), path);
    FUZZ_EXPECT(s.ok(), s.ToString());
    squatguard::EngineOptions options;
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const fs::directory_entry& d :
         fs::directory_iterator(SQUATGUARD_SOURCE_DIR "/data/affixes", ec)) {
      const std::string stem = d.path().stem().string();
      Ecosystem eco = Ecosystem::kAny;
      if (stem != "common") {
        std::optional<Ecosystem> e = squatguard::ParseEcosystem(stem);
        if (!e) continue;
        eco = *e;
      }
      std::istringstream lines(ReadFile(d.path().string()));
      std::string line;
      while (std::getline(lines, line)) {
        absl::string_view w = absl::StripAsciiWhitespace(line);
        if (!w.empty() && w[0] != '#') options.affix_words.emplace_back(eco, std::string(w));
      }
    }
    absl::StatusOr<std::unique_ptr<Engine>> built = Engine::Create(std::move(list), options);
    FUZZ_EXPECT(built.ok(), built.status().ToString());
    return built->release();  // lives for the whole process
  }();
  return *engine;
}

void CheckFindings(const squatguard::Candidate& c,
                   const std::vector<squatguard::Finding>& findings) {
  FUZZ_EXPECT(findings.size() <= static_cast<size_t>(kTop), Printable(c.name));
  std::set<std::pair<std::string, Ecosystem>> targets;
  for (size_t i = 0; i < findings.size(); ++i) {
    const squatguard::Finding& f = findings[i];
    FUZZ_EXPECT(f.score >= kMinScore && f.score <= 1.0, absl::StrCat(Printable(c.name), " ", f.score));
    FUZZ_EXPECT(i == 0 || findings[i - 1].score >= f.score, Printable(c.name));
    FUZZ_EXPECT(targets.insert({f.target, f.ecosystem}).second,
                absl::StrCat(Printable(c.name), ": two findings for ", f.target));
    FUZZ_EXPECT(f.candidate == c.name, Printable(f.candidate));
    FUZZ_EXPECT(!f.target.empty() && !f.explanation.empty(), Printable(c.name));
    FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(f.explanation).ok(), Printable(f.explanation));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Engine& engine = TheEngine();
  const auto [name_part, target] =
      squatguard::fuzzing::SplitOnce(squatguard::fuzzing::AsText(data, size), "\t");

  squatguard::Candidate candidate;
  if (!name_part.empty() && name_part.front() == '{') {
    absl::StatusOr<squatguard::Candidate> parsed =
        squatguard::ParseCandidateJson(name_part, Ecosystem::kAny);
    if (!parsed.ok()) return 0;
    candidate = *std::move(parsed);
  } else {
    candidate = squatguard::ParseQualifiedName(name_part, Ecosystem::kAny);
  }
  bool acceptable = !candidate.name.empty() &&
                    candidate.name.size() <= engine.options().max_name_bytes &&
                    squatguard::confusables::ValidateUtf8(candidate.name).ok();
  // A name of only invisible or control characters shows nothing: refused.
  if (acceptable) {
    absl::StatusOr<squatguard::confusables::NameForms> forms =
        squatguard::confusables::Normalizer::Default().Normalize(candidate.name);
    acceptable = forms.ok() && !forms->nfkc.empty();
  }
  absl::StatusOr<std::vector<squatguard::Finding>> found = engine.Check(candidate, kMinScore, kTop);
  FUZZ_EXPECT(found.ok() == acceptable,
              absl::StrCat(Printable(candidate.name), ": ", found.status().ToString()));
  if (found.ok()) CheckFindings(candidate, *found);

  if (!target.empty()) {
    absl::StatusOr<squatguard::Explanation> e = engine.Explain(name_part, target);
    if (e.ok()) {
      for (const std::string& step : e->edit_path) {
        FUZZ_EXPECT(squatguard::confusables::ValidateUtf8(step).ok(), Printable(step));
      }
    }
  }
  return 0;
}
