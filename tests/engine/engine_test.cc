// The Engine through its public API: the SPEC "must show" cases on a list of
// real orgs, repos and packages (tests/testdata/engine/protected.jsonl), the
// list options (owner, allow, retired), what is known about a candidate,
// ranking, errors, Explain, properties on the shipped lists, and thread safety.
//
// Scores are being tuned: these tests assert targets, techniques, ordering
// and thresholds, never exact score values.

#include "squatguard/engine.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/engine/corpus.h"

namespace squatguard {
namespace {

constexpr char kTestList[] = SQUATGUARD_SOURCE_DIR "/tests/testdata/engine/protected.jsonl";
constexpr char kShippedLists[] = SQUATGUARD_SOURCE_DIR "/data/protected";

bool Has(const Finding& f, Technique t) {
  return std::find(f.techniques.begin(), f.techniques.end(), t) != f.techniques.end();
}

std::string Describe(const Finding& f) {
  std::vector<std::string> t;
  for (Technique x : f.techniques) t.emplace_back(TechniqueName(x));
  return absl::StrCat(f.candidate, " -> ", EcosystemName(f.ecosystem), ":", f.target, " (",
                      EntryKindName(f.target_kind), ") score ", f.score, " ", SeverityName(f.severity), " [",
                      absl::StrJoin(t, ","), "] d=", f.distance, " \"", f.explanation, "\"");
}

std::string Describe(const std::vector<Finding>& fs) {
  if (fs.empty()) return "(no findings)";
  std::vector<std::string> lines;
  for (const Finding& f : fs) lines.push_back(Describe(f));
  return absl::StrJoin(lines, "\n");
}

const Finding* FindTarget(const std::vector<Finding>& fs, absl::string_view target) {
  for (const Finding& f : fs) {
    if (f.target == target) return &f;
  }
  return nullptr;
}

std::unique_ptr<Engine> EngineFromText(absl::string_view jsonl, EngineOptions options = {}) {
  ProtectedList list;
  absl::Status s = list.AddText(jsonl, "inline");
  EXPECT_TRUE(s.ok()) << s;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list), std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ProtectedList list;
    absl::Status s = list.AddPath(kTestList);
    ASSERT_TRUE(s.ok()) << s;
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list));
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(engine_, nullptr); }

  // Default limits (min_score 0.5, top 3).
  static std::vector<Finding> Check(absl::string_view name) {
    absl::StatusOr<std::vector<Finding>> f = engine_->Check(name);
    EXPECT_TRUE(f.ok()) << name << ": " << f.status();
    return f.ok() ? *f : std::vector<Finding>();
  }
  // Every finding, however weak.
  static std::vector<Finding> CheckAll(const Candidate& c) {
    absl::StatusOr<std::vector<Finding>> f = engine_->Check(c, 0.0, 0);
    EXPECT_TRUE(f.ok()) << c.name << ": " << f.status();
    return f.ok() ? *f : std::vector<Finding>();
  }
  static std::vector<Finding> CheckAll(absl::string_view name) {
    return CheckAll(ParseQualifiedName(name, Ecosystem::kAny));
  }

  // The best finding must be against `target` with technique `t`.
  static void ExpectTop(absl::string_view name, absl::string_view target, Technique t) {
    const std::vector<Finding> fs = Check(name);
    ASSERT_FALSE(fs.empty()) << name << ": expected a finding against " << target;
    EXPECT_EQ(fs[0].target, target) << Describe(fs);
    EXPECT_TRUE(Has(fs[0], t)) << "expected technique " << TechniqueName(t) << ":\n" << Describe(fs);
    EXPECT_EQ(fs[0].candidate, ParseQualifiedName(name, Ecosystem::kAny).name) << "the name as given";
    EXPECT_GE(fs[0].score, 0.5);
    EXPECT_LE(fs[0].score, 1.0);
    EXPECT_FALSE(fs[0].explanation.empty());
  }

  static Engine* engine_;
};

Engine* EngineTest::engine_ = nullptr;

// --- SPEC "must show" ---------------------------------------------------------

TEST_F(EngineTest, HomoglyphOrgWithCopiedRepo) {
  const std::vector<Finding> fs = Check("hf:meta-Ilama/Llama-3-8B");
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs[0];
  EXPECT_EQ(f.target, "meta-llama/Llama-3-8B") << Describe(fs);
  EXPECT_EQ(f.target_kind, EntryKind::kRepo);
  EXPECT_EQ(f.ecosystem, Ecosystem::kHuggingFace);
  EXPECT_EQ(f.candidate, "meta-Ilama/Llama-3-8B");
  ASSERT_FALSE(f.techniques.empty());
  EXPECT_EQ(f.techniques[0], Technique::kHomoglyph) << Describe(f);
  EXPECT_EQ(f.distance, 0);
  // A look-alike of a household-name org carrying its exact repo name is the
  // strongest signal there is.
  EXPECT_GE(f.score, 0.85) << Describe(f);
  EXPECT_GE(f.severity, Severity::kHigh) << Describe(f);
  EXPECT_TRUE(absl::StrContains(f.explanation, "meta-Ilama")) << f.explanation;
  EXPECT_TRUE(absl::StrContains(f.explanation, "meta-llama")) << f.explanation;
  EXPECT_TRUE(absl::StrContains(f.explanation, "I -> l")) << "the explanation names the mapping: " << f.explanation;
}

TEST_F(EngineTest, SeparatorOrg) {
  ExpectTop("hf:mistral-ai/Mistral-7B", "mistralai", Technique::kSeparator);
  EXPECT_EQ(Check("hf:mistral-ai/Mistral-7B")[0].target_kind, EntryKind::kOrg);
}

TEST_F(EngineTest, HomoglyphOrgGoogle) {
  ExpectTop("hf:googIe/gemma-7b", "google/gemma-7b", Technique::kHomoglyph);
  const std::vector<Finding> org_only = Check("hf:googIe");
  ASSERT_FALSE(org_only.empty());
  EXPECT_EQ(org_only[0].target, "google");
  EXPECT_GE(org_only[0].severity, Severity::kHigh) << Describe(org_only);
}

TEST_F(EngineTest, CaseOnlyOrgOnTheHub) {
  // Hub identity is case-sensitive: qwen is not Qwen.
  ExpectTop("hf:qwen/Qwen2-72B", "Qwen/Qwen2-72B", Technique::kCase);
}

TEST_F(EngineTest, AffixOrg) {
  ExpectTop("hf:openai-research", "openai", Technique::kAffix);
  EXPECT_EQ(Check("hf:openai-research")[0].target_kind, EntryKind::kOrg);
}

TEST_F(EngineTest, TheRealNamesAreNotFindings) {
  for (const char* name : {"hf:meta-llama/Llama-3-8B", "hf:meta-llama", "hf:meta-llama/Llama-3.1-8B-Instruct",
                           "hf:mistralai/Mistral-7B-v0.1", "hf:google/gemma-7b", "hf:Qwen/Qwen2-72B",
                           "hf:openai", "pypi:requests", "pypi:numpy", "npm:lodash", "npm:react"}) {
    EXPECT_TRUE(CheckAll(name).empty()) << name << ":\n" << Describe(CheckAll(name));
  }
}

TEST_F(EngineTest, OwnNamespaceIsNeverAFinding) {
  // Any repo under exactly a protected org is the owner's own, however close
  // to the org's protected repos.
  for (const char* name : {"hf:meta-llama/brand-new-model", "hf:meta-llama/Llama-3-8C", "hf:meta-llama/Llama-5-8B",
                           "hf:google/gemma-7b-it", "hf:Qwen/Qwen2-72b"}) {
    EXPECT_TRUE(CheckAll(name).empty()) << name << ":\n" << Describe(CheckAll(name));
  }
}

TEST_F(EngineTest, CyrillicLetterIsHomoglyphAndMixedScript) {
  const std::string name = "hf:m\xD0\xB5ta-llama/Llama-3-8B";  // U+0435 CYRILLIC SMALL LETTER IE
  const std::vector<Finding> fs = Check(name);
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "meta-llama/Llama-3-8B") << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kHomoglyph)) << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kMixedScript)) << Describe(fs);
  EXPECT_GE(fs[0].severity, Severity::kHigh) << Describe(fs);
  EXPECT_EQ(fs[0].candidate, name.substr(3)) << "the original bytes, not a skeleton";
}

TEST_F(EngineTest, ZeroWidthCharacterIsInvisible) {
  const std::vector<Finding> fs = Check("hf:m\xE2\x80\x8B" "eta-llama/Llama-3-8B");  // U+200B
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "meta-llama/Llama-3-8B") << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kInvisible)) << Describe(fs);
  EXPECT_GE(fs[0].severity, Severity::kHigh) << Describe(fs);

  const std::vector<Finding> flat = Check("pypi:req\xE2\x80\x8Buests");
  ASSERT_FALSE(flat.empty());
  EXPECT_EQ(flat[0].target, "requests") << Describe(flat);
  EXPECT_TRUE(Has(flat[0], Technique::kInvisible)) << Describe(flat);
}

TEST_F(EngineTest, FullWidthLettersAreHomoglyphs) {
  // "ｍｅｔａ-ｌｌａｍａ" in full-width forms (U+FF4D ...): equal after NFKC.
  const std::string name = "hf:\xEF\xBD\x8D\xEF\xBD\x85\xEF\xBD\x94\xEF\xBD\x81-\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x81\xEF\xBD\x8D\xEF\xBD\x81/Llama-3-8B";
  const std::vector<Finding> fs = Check(name);
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "meta-llama/Llama-3-8B") << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kHomoglyph)) << Describe(fs);
  EXPECT_GE(fs[0].score, 0.85) << Describe(fs);
}

TEST_F(EngineTest, PypiPep503IdentityIsNotAFinding) {
  // Django is django, zope_interface is zope.interface: the same project.
  for (const char* name : {"pypi:Django", "pypi:DJANGO", "pypi:zope_interface", "pypi:zope-interface",
                           "pypi:Zope.Interface", "pypi:zope__interface", "pypi:Requests", "pypi:NumPy"}) {
    const std::vector<Finding> fs = Check(name);
    EXPECT_TRUE(fs.empty()) << name << ":\n" << Describe(fs);
  }
}

TEST_F(EngineTest, PypiTypos) {
  ExpectTop("pypi:reqeusts", "requests", Technique::kTransposition);
  ExpectTop("pypi:requestss", "requests", Technique::kRepetition);
  ExpectTop("pypi:python-requests", "requests", Technique::kAffix);
  ExpectTop("pypi:requests-py", "requests", Technique::kAffix);
  EXPECT_EQ(Check("pypi:reqeusts")[0].distance, 1);
  EXPECT_EQ(Check("pypi:reqeusts")[0].target_kind, EntryKind::kPackage);
  EXPECT_EQ(Check("pypi:reqeusts")[0].ecosystem, Ecosystem::kPyPI);
}

TEST_F(EngineTest, NoPrefixComparesWithEveryEcosystem) {
  const std::vector<Finding> hf = Check("meta-Ilama/Llama-3-8B");
  ASSERT_FALSE(hf.empty());
  EXPECT_EQ(hf[0].target, "meta-llama/Llama-3-8B");
  const std::vector<Finding> pypi = Check("reqeusts");
  ASSERT_FALSE(pypi.empty());
  EXPECT_EQ(pypi[0].target, "requests");
  EXPECT_EQ(pypi[0].ecosystem, Ecosystem::kPyPI);
  // A prefix limits the comparison to that ecosystem.
  for (const Finding& f : CheckAll("npm:reqeusts")) EXPECT_EQ(f.ecosystem, Ecosystem::kNpm) << Describe(f);
}

TEST_F(EngineTest, ReorderedWords) {
  ExpectTop("hf:llama-meta", "meta-llama", Technique::kReorder);
}

TEST_F(EngineTest, AnticipatedReleaseUnderAnotherOrg) {
  const std::vector<Finding> fs = Check("hf:evil/Llama-5-8B-Instruct");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "meta-llama/Llama-5-8B-Instruct") << Describe(fs);
  EXPECT_EQ(fs[0].target_kind, EntryKind::kAnticipated);
  EXPECT_TRUE(Has(fs[0], Technique::kAnticipated)) << Describe(fs);
  EXPECT_GE(fs[0].score, 0.65) << Describe(fs);
}

TEST_F(EngineTest, AffixOrgWithAnticipatedRepo) {
  const std::vector<Finding> fs = Check("hf:meta-llama-hf/Llama-5-8B");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "meta-llama/Llama-5-8B") << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kAffix)) << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kAnticipated)) << Describe(fs);
}

TEST_F(EngineTest, NpmScopeCopy) {
  const std::vector<Finding> fs = Check("npm:@evil/lodash");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "lodash") << Describe(fs);
  EXPECT_EQ(fs[0].ecosystem, Ecosystem::kNpm);
  EXPECT_TRUE(Has(fs[0], Technique::kScope)) << Describe(fs);
}

TEST_F(EngineTest, HubRepoNameCopiedUnderAStrangersOrg) {
  const std::vector<Finding> fs = Check("hf:evil/gemma-7b");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "google/gemma-7b") << Describe(fs);
  EXPECT_TRUE(Has(fs[0], Technique::kScope)) << Describe(fs);
}

// --- List options ----------------------------------------------------------------

TEST_F(EngineTest, OrgsOfOneOwnerNeverFlagEachOther) {
  // google-bert belongs to google and facebook to meta: their copies of the
  // sibling org's repo names are their own business, where a stranger's
  // copy is a finding.
  EXPECT_TRUE(CheckAll("hf:google-bert/gemma-7b").empty()) << Describe(CheckAll("hf:google-bert/gemma-7b"));
  EXPECT_TRUE(CheckAll("hf:facebook/Llama-3-8B").empty()) << Describe(CheckAll("hf:facebook/Llama-3-8B"));
  EXPECT_TRUE(CheckAll("hf:openai-community").empty()) << Describe(CheckAll("hf:openai-community"));
  EXPECT_NE(FindTarget(CheckAll("hf:evil/Llama-3-8B"), "meta-llama/Llama-3-8B"), nullptr);
}

TEST(EngineOwnerTest, PackagesOfOneOwnerNeverFlagEachOther) {
  const char* without_owner =
      "{\"name\": \"lodash\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.9}\n"
      "{\"name\": \"lodash-es\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.8}\n";
  const char* with_owner =
      "{\"name\": \"lodash\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.9, \"owner\": \"jdalton\"}\n"
      "{\"name\": \"lodash-es\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.8, \"owner\": \"jdalton\"}\n";
  auto all = [](const Engine& e, absl::string_view name) {
    absl::StatusOr<std::vector<Finding>> f = e.Check(ParseQualifiedName(name, Ecosystem::kAny), 0.0, 0);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *f : std::vector<Finding>();
  };
  std::unique_ptr<Engine> a = EngineFromText(without_owner);
  std::unique_ptr<Engine> b = EngineFromText(with_owner);
  ASSERT_TRUE(a && b);
  // Without an owner the two look related (a guard: the pair does meet).
  EXPECT_NE(FindTarget(all(*a, "npm:lodash-es"), "lodash"), nullptr) << Describe(all(*a, "npm:lodash-es"));
  EXPECT_TRUE(all(*b, "npm:lodash-es").empty()) << Describe(all(*b, "npm:lodash-es"));
  EXPECT_TRUE(all(*b, "npm:lodash").empty()) << Describe(all(*b, "npm:lodash"));
  // A stranger's look-alike is still a finding.
  EXPECT_NE(FindTarget(all(*b, "npm:lodash-ess"), "lodash-es"), nullptr) << Describe(all(*b, "npm:lodash-ess"));
}

TEST(EngineAllowTest, AllowListSilencesOnlyTheListedName) {
  const char* plain = "{\"name\": \"cookie\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.9}\n";
  const char* allowing =
      "{\"name\": \"cookie\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": 0.9, "
      "\"allow\": [\"cookies\"]}\n";
  std::unique_ptr<Engine> a = EngineFromText(plain);
  std::unique_ptr<Engine> b = EngineFromText(allowing);
  ASSERT_TRUE(a && b);
  auto all = [](const Engine& e, absl::string_view name) {
    absl::StatusOr<std::vector<Finding>> f = e.Check(ParseQualifiedName(name, Ecosystem::kAny), 0.0, 0);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *f : std::vector<Finding>();
  };
  ASSERT_NE(FindTarget(all(*a, "npm:cookies"), "cookie"), nullptr) << "guard: cookies meets cookie";
  EXPECT_EQ(FindTarget(all(*b, "npm:cookies"), "cookie"), nullptr) << Describe(all(*b, "npm:cookies"));
  // Other look-alikes of cookie are still findings.
  EXPECT_NE(FindTarget(all(*b, "npm:cookei"), "cookie"), nullptr) << Describe(all(*b, "npm:cookei"));
  EXPECT_NE(FindTarget(all(*b, "npm:cookie-js"), "cookie"), nullptr) << Describe(all(*b, "npm:cookie-js"));
}

TEST_F(EngineTest, RetiredOrgReappearingIsReusedNamespace) {
  for (const char* name : {"hf:mosaicml/mpt-7b", "hf:mosaicml"}) {
    const std::vector<Finding> fs = Check(name);
    ASSERT_FALSE(fs.empty()) << name;
    EXPECT_EQ(fs[0].target, "mosaicml") << Describe(fs);
    EXPECT_TRUE(Has(fs[0], Technique::kReusedNamespace)) << Describe(fs);
  }
}

TEST(EngineRetiredTest, ProtectedRepoUnderARetiredOrg) {
  // The org was deleted; its best-known repo is still listed (not itself
  // marked retired). Whoever re-registers the org and re-uploads that repo
  // is not the old owner: any reappearance is a finding.
  std::unique_ptr<Engine> e = EngineFromText(
      "{\"name\": \"mosaicml\", \"kind\": \"org\", \"ecosystem\": \"hf\", \"retired\": true}\n"
      "{\"name\": \"mosaicml/mpt-7b\", \"kind\": \"repo\", \"ecosystem\": \"hf\"}\n");
  ASSERT_TRUE(e);
  for (const char* name : {"hf:mosaicml/mpt-30b", "hf:mosaicml/mpt-7b"}) {
    absl::StatusOr<std::vector<Finding>> fs = e->Check(name);
    ASSERT_TRUE(fs.ok()) << fs.status();
    ASSERT_FALSE(fs->empty()) << name << ": the org is retired";
    EXPECT_TRUE(Has((*fs)[0], Technique::kReusedNamespace)) << Describe(*fs);
  }
}

TEST(EngineRetiredTest, RetiredPackageReappearing) {
  std::unique_ptr<Engine> e = EngineFromText(
      "{\"name\": \"colourama\", \"kind\": \"package\", \"ecosystem\": \"pypi\", \"retired\": true}\n");
  ASSERT_TRUE(e);
  absl::StatusOr<std::vector<Finding>> fs = e->Check("pypi:Colourama");
  ASSERT_TRUE(fs.ok()) << fs.status();
  ASSERT_FALSE(fs->empty());
  EXPECT_EQ((*fs)[0].target, "colourama");
  EXPECT_TRUE(Has((*fs)[0], Technique::kReusedNamespace)) << Describe(*fs);
}

TEST_F(EngineTest, ShortNamesMeetOnlyByEqualSkeletons) {
  for (const Finding& f : CheckAll("hf:xbi")) {
    EXPECT_NE(f.target, "xai") << "xbi is one substitution from xai: too short to mean anything\n" << Describe(f);
  }
  EXPECT_EQ(FindTarget(CheckAll("pypi:task"), "flask"), nullptr) << Describe(CheckAll("pypi:task"));
  EXPECT_EQ(FindTarget(CheckAll("pypi:sux"), "six"), nullptr) << Describe(CheckAll("pypi:sux"));
  EXPECT_NE(FindTarget(CheckAll("pypi:numpi"), "numpy"), nullptr) << "5 letters: one edit is allowed";
  // Equal skeletons still meet short names.
  const std::vector<Finding> fs = Check("hf:xaI");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].target, "xai") << Describe(fs);
}

TEST_F(EngineTest, AccentedLetterIsOneEdit) {
  // Edit limits and distances count characters (README: "1 edit below 9
  // characters"), not UTF-8 bytes: u -> \u00fc is one substitution.
  const std::pair<const char*, const char*> cases[] = {
      {"pypi:req\xC3\xBC" "ests", "requests"},   // reqüests: 8 letters, 1 edit allowed
      {"pypi:requ\xC3\xA9sts", "requests"},      // requésts
      {"pypi:n\xC3\xBCmpy", "numpy"},            // nümpy: 5 letters, 1 edit allowed
      {"pypi:tensorfl\xC3\xB6w", "tensorflow"},  // tensorflöw
      {"hf:googl\xC3\xA9", "google"},            // googlé
  };
  for (const auto& [name, target] : cases) {
    const std::vector<Finding> all = CheckAll(name);
    const Finding* f = FindTarget(all, target);
    ASSERT_NE(f, nullptr) << name << " is one accented letter away from " << target << "\n" << Describe(all);
    EXPECT_EQ(f->distance, 1) << Describe(*f);
    EXPECT_FALSE(absl::StrContains(f->explanation, "2 edits")) << Describe(*f);
  }
  absl::StatusOr<Explanation> ex = engine_->Explain("pypi:n\xC3\xBCmpy", "pypi:numpy");
  ASSERT_TRUE(ex.ok()) << ex.status();
  EXPECT_EQ(ex->distance, 1);
  EXPECT_EQ(ex->edit_path.size(), 1u);
}

TEST_F(EngineTest, ExplanationsShowWordsAsWritten) {
  // Skeletons are for comparison only: a user reads 'models', not the
  // skeleton 'rnodels' (m -> rn).
  struct Case {
    const char* name;
    const char* word;      // as written in the name
    const char* skeleton;  // its comparison key, never shown
  };
  const Case cases[] = {
      {"hf:openai-models", "models", "rnodels"},
      {"hf:mistralai-community", "community", "cornrnunity"},
      {"hf:meta-llama-models/Llama-3-8B", "models", "rnodels"},
      {"pypi:django-framework", "framework", "frarnework"},
  };
  for (const Case& c : cases) {
    const std::vector<Finding> all = CheckAll(c.name);
    ASSERT_FALSE(all.empty()) << c.name;
    const Finding& f = all[0];
    EXPECT_TRUE(Has(f, Technique::kAffix)) << Describe(f);
    EXPECT_TRUE(absl::StrContains(f.explanation, absl::StrCat("'", c.word, "'"))) << Describe(f);
    EXPECT_FALSE(absl::StrContains(f.explanation, c.skeleton)) << "skeleton text shown to the user: " << Describe(f);
  }
}

// --- What is known about the candidate --------------------------------------------

TEST_F(EngineTest, PopularCandidateIsAWeakerSuspect) {
  Candidate fresh = ParseQualifiedName("pypi:reqeusts", Ecosystem::kAny);
  Candidate popular = fresh;
  popular.rank = 100;
  const std::vector<Finding> fresh_findings = CheckAll(fresh);
  const std::vector<Finding> popular_findings = CheckAll(popular);
  const Finding* a = FindTarget(fresh_findings, "requests");
  const Finding* b = FindTarget(popular_findings, "requests");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_LT(b->score, a->score) << "rank 100: " << Describe(*b) << "\nno rank: " << Describe(*a);
  // A name that is itself in the registry's top 100 stays below the default
  // threshold for a one-letter swap.
  absl::StatusOr<std::vector<Finding>> at_default = engine_->Check(popular);
  ASSERT_TRUE(at_default.ok());
  EXPECT_TRUE(at_default->empty()) << Describe(*at_default);

  Candidate downloaded = fresh;
  downloaded.downloads = 5000000;
  const std::vector<Finding> downloaded_findings = CheckAll(downloaded);
  const Finding* c = FindTarget(downloaded_findings, "requests");
  ASSERT_NE(c, nullptr);
  EXPECT_LT(c->score, a->score);
}

TEST_F(EngineTest, OldNameIsAWeakerSuspectThanANewOne) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  Candidate young = ParseQualifiedName("pypi:reqeusts", Ecosystem::kAny);
  young.created_at = now - 86400;
  Candidate old = young;
  old.created_at = now - 3 * 365 * 86400;
  const std::vector<Finding> young_findings = CheckAll(young);
  const std::vector<Finding> old_findings = CheckAll(old);
  const Finding* y = FindTarget(young_findings, "requests");
  const Finding* o = FindTarget(old_findings, "requests");
  ASSERT_NE(y, nullptr);
  ASSERT_NE(o, nullptr);
  EXPECT_LT(o->score, y->score) << "3 years old: " << Describe(*o) << "\n1 day old: " << Describe(*y);
}

TEST_F(EngineTest, ExtremeCandidateFieldsAreHandled) {
  // Feed data is attacker-controlled: any int64 may arrive in created_at,
  // rank or downloads. None of them may break Check (the sanitizer build
  // turns signed overflow into a crash) or make a name more suspect than
  // knowing nothing about it.
  const Candidate plain = ParseQualifiedName("pypi:reqeusts", Ecosystem::kAny);
  const std::vector<Finding> base = CheckAll(plain);
  const Finding* base_f = FindTarget(base, "requests");
  ASSERT_NE(base_f, nullptr);
  const int64_t extremes[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::min() + 1, -1, 0,
                              std::numeric_limits<int64_t>::max()};
  for (int64_t v : extremes) {
    for (int field = 0; field < 3; ++field) {
      Candidate c = plain;
      if (field == 0) c.created_at = v;
      if (field == 1) c.rank = v;
      if (field == 2) c.downloads = v;
      absl::StatusOr<std::vector<Finding>> fs = engine_->Check(c, 0.0, 0);
      ASSERT_TRUE(fs.ok()) << "field " << field << " = " << v << ": " << fs.status();
      const Finding* f = FindTarget(*fs, "requests");
      ASSERT_NE(f, nullptr) << "field " << field << " = " << v;
      EXPECT_GE(f->score, 0.0);
      EXPECT_LE(f->score, base_f->score * 1.06) << "field " << field << " = " << v << ": " << Describe(*f);
    }
  }
}

// --- Ranking ---------------------------------------------------------------------

TEST_F(EngineTest, FindingsAreRankedAndCut) {
  // meta-Ilama-hf/Llama-3-8B meets several Meta entries and more.
  for (const char* name : {"hf:meta-Ilama/Llama-3-8B", "hf:googIe-research/gemma-7b", "reqeusts", "hf:llama-meta",
                           "hf:rneta-llama/Llama-2-7b-hf", "pypi:django-numpy"}) {
    const std::vector<Finding> all = CheckAll(name);
    for (size_t i = 1; i < all.size(); ++i) {
      EXPECT_GE(all[i - 1].score, all[i].score) << name << ":\n" << Describe(all);
    }
    std::set<std::pair<std::string, Ecosystem>> targets;
    for (const Finding& f : all) {
      EXPECT_TRUE(targets.insert({f.target, f.ecosystem}).second) << "one finding per target\n" << Describe(all);
    }
    const Candidate c = ParseQualifiedName(name, Ecosystem::kAny);
    for (int top = 1; top <= 3; ++top) {
      absl::StatusOr<std::vector<Finding>> cut = engine_->Check(c, 0.0, top);
      ASSERT_TRUE(cut.ok());
      ASSERT_EQ(cut->size(), std::min<size_t>(top, all.size())) << name;
      for (size_t i = 0; i < cut->size(); ++i) EXPECT_EQ((*cut)[i].target, all[i].target) << name;
    }
    absl::StatusOr<std::vector<Finding>> strong = engine_->Check(c, 0.8, 0);
    ASSERT_TRUE(strong.ok());
    for (const Finding& f : *strong) EXPECT_GE(f.score, 0.8);
    EXPECT_EQ(strong->size(),
              static_cast<size_t>(std::count_if(all.begin(), all.end(), [](const Finding& f) { return f.score >= 0.8; })));
  }
}

TEST(EngineRankingTest, MorePopularTargetFirstOnEqualEvidence) {
  // The same package name in two registries, met by the same look-alike:
  // the more popular target comes first, whichever registry it is in.
  const std::string name = "t\xE2\x80\x8B" "ensorfl\xD0\xBEw";  // U+200B, Cyrillic o
  for (int flip = 0; flip < 2; ++flip) {
    const double pypi_pop = flip ? 0.9 : 0.3, npm_pop = flip ? 0.3 : 0.9;
    std::unique_ptr<Engine> e = EngineFromText(absl::StrCat(
        "{\"name\": \"tensorflow\", \"kind\": \"package\", \"ecosystem\": \"pypi\", \"popularity\": ", pypi_pop, "}\n",
        "{\"name\": \"tensorflow\", \"kind\": \"package\", \"ecosystem\": \"npm\", \"popularity\": ", npm_pop, "}\n"));
    ASSERT_TRUE(e);
    absl::StatusOr<std::vector<Finding>> fs = e->Check(name);
    ASSERT_TRUE(fs.ok()) << fs.status();
    ASSERT_EQ(fs->size(), 2u) << Describe(*fs);
    EXPECT_EQ((*fs)[0].ecosystem, flip ? Ecosystem::kPyPI : Ecosystem::kNpm) << Describe(*fs);
    EXPECT_GE((*fs)[0].score, (*fs)[1].score);
  }
}

TEST_F(EngineTest, TopAndMinScoreOptionsApply) {
  EngineOptions options;
  options.top = 1;
  options.min_score = 0.0;
  ProtectedList list;
  ASSERT_TRUE(list.AddPath(kTestList).ok());
  absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(std::move(list), options);
  ASSERT_TRUE(e.ok());
  absl::StatusOr<std::vector<Finding>> fs = (*e)->Check("hf:meta-Ilama/Llama-3-8B");
  ASSERT_TRUE(fs.ok());
  EXPECT_EQ(fs->size(), 1u);
  EXPECT_EQ((*e)->options().top, 1);
}

// --- Errors --------------------------------------------------------------------

TEST_F(EngineTest, InvalidUtf8NamesTheByte) {
  absl::StatusOr<std::vector<Finding>> r = engine_->Check("pypi:req\xFFuests");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "byte 3")) << r.status();

  r = engine_->Check("hf:meta-llama/\xC0\xAF");  // overlong '/'
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "byte 11")) << r.status();
}

TEST_F(EngineTest, EmptyAndOverlongNames) {
  for (const char* name : {"", "hf:", "pypi:"}) {
    absl::StatusOr<std::vector<Finding>> r = engine_->Check(name);
    ASSERT_FALSE(r.ok()) << "'" << name << "'";
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
  const size_t limit = engine_->options().max_name_bytes;
  EXPECT_EQ(limit, 1024u) << "EngineOptions default";
  EXPECT_TRUE(engine_->Check("pypi:" + std::string(limit, 'a')).ok());
  absl::StatusOr<std::vector<Finding>> r = engine_->Check("pypi:" + std::string(limit + 1, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "1024")) << r.status();

  EngineOptions small;
  small.max_name_bytes = 10;
  ProtectedList list;
  ASSERT_TRUE(list.AddPath(kTestList).ok());
  absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(std::move(list), small);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE((*e)->Check("pypi:requests").ok());
  EXPECT_EQ((*e)->Check("pypi:requests-xyz").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EngineCreateTest, EmptyListFindsNothing) {
  absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(ProtectedList());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ((*e)->protected_count(), 0u);
  absl::StatusOr<std::vector<Finding>> fs = (*e)->Check("hf:meta-Ilama/Llama-3-8B");
  ASSERT_TRUE(fs.ok());
  EXPECT_TRUE(fs->empty());
}

TEST_F(EngineTest, ProtectedCountIncludesExpandedPatterns) {
  ProtectedList list;
  ASSERT_TRUE(list.AddPath(kTestList).ok());
  EXPECT_EQ(engine_->protected_count(), list.size());
  size_t anticipated = 0;
  for (const ProtectedEntry& e : engine_->entries()) anticipated += e.kind == EntryKind::kAnticipated;
  EXPECT_EQ(anticipated, 6u) << "Llama-5-{8B,70B,405B}{,-Instruct}";
}

// --- Explain -------------------------------------------------------------------

std::string Step(const NameSteps& s, absl::string_view prefix) {
  for (const auto& [name, value] : s.steps) {
    if (absl::StartsWith(name, prefix)) return value;
  }
  return "<no step " + std::string(prefix) + ">";
}

TEST_F(EngineTest, ExplainShowsStepsPathAndFinding) {
  absl::StatusOr<Explanation> ex = engine_->Explain("hf:meta-Ilama", "hf:meta-llama");
  ASSERT_TRUE(ex.ok()) << ex.status();
  EXPECT_EQ(ex->candidate.original, "meta-Ilama");
  EXPECT_EQ(ex->target.original, "meta-llama");
  EXPECT_EQ(Step(ex->candidate, "original"), "meta-Ilama");
  EXPECT_EQ(Step(ex->candidate, "case folded"), "meta-ilama");
  EXPECT_EQ(Step(ex->target, "NFKC"), "meta-llama");
  EXPECT_GE(ex->candidate.steps.size(), 6u);
  // The edit path has one line per edit.
  EXPECT_EQ(static_cast<int>(ex->edit_path.size()), ex->distance);
  EXPECT_GE(ex->distance, 1) << "the folded skeletons differ: i vs l";
  ASSERT_TRUE(ex->finding.has_value());
  EXPECT_TRUE(Has(*ex->finding, Technique::kHomoglyph)) << Describe(*ex->finding);
  EXPECT_EQ(ex->finding->target, "meta-llama");

  absl::StatusOr<Explanation> swap = engine_->Explain("pypi:reqeusts", "pypi:requests");
  ASSERT_TRUE(swap.ok());
  EXPECT_EQ(swap->distance, 1);
  ASSERT_EQ(swap->edit_path.size(), 1u);
  EXPECT_TRUE(absl::StrContains(swap->edit_path[0], "transpose")) << swap->edit_path[0];
  ASSERT_TRUE(swap->finding.has_value());
  EXPECT_TRUE(Has(*swap->finding, Technique::kTransposition));

  absl::StatusOr<Explanation> same = engine_->Explain("pypi:requests", "pypi:requests");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->distance, 0);
  EXPECT_TRUE(same->edit_path.empty());
}

TEST_F(EngineTest, ExplainNotesInvisiblesAndScripts) {
  absl::StatusOr<Explanation> zw = engine_->Explain("hf:m\xE2\x80\x8B" "eta-llama", "hf:meta-llama");
  ASSERT_TRUE(zw.ok()) << zw.status();
  EXPECT_TRUE(absl::StrContains(absl::StrJoin(zw->candidate.notes, "\n"), "U+200B"))
      << absl::StrJoin(zw->candidate.notes, "\n");
  EXPECT_EQ(Step(zw->candidate, "invisibles removed"), "meta-llama");

  absl::StatusOr<Explanation> cy = engine_->Explain("hf:m\xD0\xB5ta-llama", "hf:meta-llama");
  ASSERT_TRUE(cy.ok()) << cy.status();
  const std::string notes = absl::StrJoin(cy->candidate.notes, "\n");
  EXPECT_TRUE(absl::StrContains(notes, "U+0435")) << notes;
  EXPECT_TRUE(absl::StrContains(notes, "script")) << notes;
  ASSERT_TRUE(cy->finding.has_value());
  EXPECT_TRUE(Has(*cy->finding, Technique::kMixedScript)) << Describe(*cy->finding);
}

TEST_F(EngineTest, ExplainRejectsBadNames) {
  EXPECT_EQ(engine_->Explain("pypi:re\xFF", "pypi:requests").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_->Explain("pypi:requests", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_->Explain(std::string(2000, 'a'), "requests").status().code(), absl::StatusCode::kInvalidArgument);
}

// --- The shipped lists ------------------------------------------------------------

class ShippedListsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ProtectedList list;
    absl::Status s = list.AddPath(kShippedLists);
    ASSERT_TRUE(s.ok()) << s;
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list));
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(engine_, nullptr); }

  // Real names and look-alikes built from them.
  static std::vector<std::string> Names() {
    std::vector<std::string> names = {"hf:meta-Ilama/Llama-3-8B", "hf:mistral-ai/Mistral-7B", "hf:googIe/gemma-7b",
                                      "hf:qwen/Qwen2-72B",       "hf:openai-research",       "pypi:reqeusts",
                                      "npm:@evil/lodash",        "hf:llama-meta",            "npm:lodahs"};
    test::Random rng(5);
    const auto& pypi = test::PypiNames();
    if (!pypi.empty()) {
      for (size_t i : test::SampleIndices(rng, pypi.size(), 1500)) names.push_back("pypi:" + pypi[i].name);
    }
    for (const ProtectedEntry& e : engine_->entries()) {
      if (!rng.OneIn(10)) continue;
      std::string n = e.name;
      const size_t p = n.size() > 2 ? 1 + rng.Below(n.size() - 2) : 0;
      if (n.size() > 2) std::swap(n[p], n[p - 1]);
      names.push_back(absl::StrCat(EcosystemName(e.ecosystem), ":", n));
    }
    return names;
  }

  static Engine* engine_;
};

Engine* ShippedListsTest::engine_ = nullptr;

TEST_F(ShippedListsTest, EveryFindingIsWellFormed) {
  size_t with_findings = 0;
  for (const std::string& name : Names()) {
    const Candidate c = ParseQualifiedName(name, Ecosystem::kAny);
    absl::StatusOr<std::vector<Finding>> fs = engine_->Check(c);
    ASSERT_TRUE(fs.ok()) << name << ": " << fs.status();
    EXPECT_LE(fs->size(), 3u);
    with_findings += !fs->empty();
    for (size_t i = 0; i < fs->size(); ++i) {
      const Finding& f = (*fs)[i];
      EXPECT_EQ(f.candidate, c.name);
      EXPECT_GE(f.score, 0.5) << Describe(f);
      EXPECT_LE(f.score, 1.0) << Describe(f);
      if (i > 0) EXPECT_GE((*fs)[i - 1].score, f.score) << Describe(*fs);
      EXPECT_FALSE(f.target.empty());
      EXPECT_FALSE(f.explanation.empty()) << Describe(f);
      EXPECT_FALSE(f.techniques.empty()) << Describe(f);
      std::set<Technique> seen(f.techniques.begin(), f.techniques.end());
      EXPECT_EQ(seen.size(), f.techniques.size()) << "techniques repeat: " << Describe(f);
      EXPECT_GE(f.distance, 0);
      if (c.ecosystem != Ecosystem::kAny) EXPECT_EQ(f.ecosystem, c.ecosystem) << Describe(f);
    }
  }
  EXPECT_GT(with_findings, 100u);
}

TEST_F(ShippedListsTest, NoProtectedNameIsAFindingAgainstItself) {
  size_t failures = 0;
  for (const ProtectedEntry& e : engine_->entries()) {
    if (e.retired) continue;
    Candidate c;
    c.name = e.name;
    c.ecosystem = e.ecosystem;
    absl::StatusOr<std::vector<Finding>> fs = engine_->Check(c, 0.0, 0);
    ASSERT_TRUE(fs.ok()) << e.origin << ": " << fs.status();
    for (const Finding& f : *fs) {
      if (f.target == e.name && f.ecosystem == e.ecosystem && ++failures <= 10) {
        ADD_FAILURE() << e.origin << ": " << Describe(f);
      }
    }
  }
  EXPECT_EQ(failures, 0u);
}

TEST_F(ShippedListsTest, SpecExamplesOnTheShippedLists) {
  const std::pair<const char*, const char*> cases[] = {
      {"hf:meta-Ilama/Llama-3-8B", "meta-llama"}, {"hf:mistral-ai/Mistral-7B", "mistralai"},
      {"hf:googIe/gemma-7b", "google"},           {"hf:qwen/Qwen2-72B", "Qwen"},
      {"hf:openai-research", "openai"},           {"pypi:reqeusts", "requests"}};
  for (const auto& [name, org] : cases) {
    absl::StatusOr<std::vector<Finding>> fs = engine_->Check(name);
    ASSERT_TRUE(fs.ok());
    ASSERT_FALSE(fs->empty()) << name;
    const std::string& t = (*fs)[0].target;
    EXPECT_TRUE(t == org || absl::StartsWith(t, absl::StrCat(org, "/"))) << name << ":\n" << Describe(*fs);
  }
  absl::StatusOr<std::vector<Finding>> real = engine_->Check("hf:meta-llama/Llama-3-8B");
  ASSERT_TRUE(real.ok());
  EXPECT_TRUE(real->empty()) << Describe(*real);
}

// --- Threads ------------------------------------------------------------------

TEST_F(ShippedListsTest, ConcurrentChecksGiveTheSameResults) {
  const std::vector<std::string> names = Names();
  auto run = [&](size_t begin, size_t stride, std::vector<std::string>* out) {
    for (size_t i = begin; i < names.size(); i += stride) {
      absl::StatusOr<std::vector<Finding>> fs = engine_->Check(ParseQualifiedName(names[i], Ecosystem::kAny), 0.3, 0);
      (*out)[i] = fs.ok() ? Describe(*fs) : fs.status().ToString();
    }
  };
  std::vector<std::string> serial(names.size());
  run(0, 1, &serial);
  // Four threads, each checking every name (different orders of arrival),
  // several rounds.
  for (int round = 0; round < 3; ++round) {
    std::vector<std::vector<std::string>> results(4, std::vector<std::string>(names.size()));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        std::vector<std::string>& out = results[t];
        // Each thread starts at a different offset.
        const size_t offset = t * names.size() / 4;
        for (size_t k = 0; k < names.size(); ++k) {
          const size_t i = (offset + k) % names.size();
          absl::StatusOr<std::vector<Finding>> fs =
              engine_->Check(ParseQualifiedName(names[i], Ecosystem::kAny), 0.3, 0);
          out[i] = fs.ok() ? Describe(*fs) : fs.status().ToString();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (int t = 0; t < 4; ++t) {
      size_t diffs = 0;
      for (size_t i = 0; i < names.size(); ++i) {
        if (results[t][i] != serial[i] && ++diffs <= 5) {
          ADD_FAILURE() << "thread " << t << " on '" << names[i] << "':\n" << results[t][i] << "\nserial:\n" << serial[i];
        }
      }
      EXPECT_EQ(diffs, 0u);
    }
  }
}

}  // namespace
}  // namespace squatguard
