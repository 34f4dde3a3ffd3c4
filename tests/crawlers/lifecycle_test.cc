// Lifecycle checks of model registries: the version-jump and alias-move
// rules on their own, then through the crawl job across several crawls
// (days apart on an injected clock): raised once, move-then-revert within
// and outside the window, review benign stays quiet, registries never mix.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/crawl_job.h"
#include "crawlers/lifecycle.h"
#include "crawlers/lifecycle_history.h"
#include "crawlers/state_store.h"
#include "gtest/gtest.h"
#include "tests/crawlers/temp_state_store.h"

namespace squatguard {
namespace crawlers {
namespace {

constexpr int64_t kDay0 = 1716552000;  // 2024-05-24T12:00:00Z
constexpr int64_t kDay = 86400;

// --- the rules ----------------------------------------------------------

TEST(LifecycleRulesTest, NumericVersions) {
  EXPECT_EQ(NumericVersion("3"), 3u);
  EXPECT_EQ(NumericVersion("0"), 0u);
  EXPECT_EQ(NumericVersion("000123"), 123u);
  EXPECT_EQ(NumericVersion("999999999999999999"), 999999999999999999u);
  EXPECT_FALSE(NumericVersion("9999999999999999999").has_value());  // 19 digits
  EXPECT_FALSE(NumericVersion("").has_value());
  EXPECT_FALSE(NumericVersion("v3").has_value());
  EXPECT_FALSE(NumericVersion("1.2").has_value());
  EXPECT_FALSE(NumericVersion("-1").has_value());
  EXPECT_FALSE(NumericVersion(" 3").has_value());
}

TEST(LifecycleRulesTest, VersionJumpNeedsTenTimesAndAHundredMore) {
  EXPECT_TRUE(IsVersionJump(3, 9000));
  EXPECT_TRUE(IsVersionJump(3, 103));
  EXPECT_FALSE(IsVersionJump(3, 102));   // under 100 higher
  EXPECT_FALSE(IsVersionJump(3, 30));
  EXPECT_TRUE(IsVersionJump(50, 600));
  EXPECT_FALSE(IsVersionJump(50, 500));  // not more than 10x
  EXPECT_FALSE(IsVersionJump(1000, 1100));
  EXPECT_TRUE(IsVersionJump(0, 100));
  EXPECT_FALSE(IsVersionJump(0, 99));
  EXPECT_FALSE(IsVersionJump(20240101, 20240201));  // date-numbered versions
  EXPECT_FALSE(IsVersionJump(9000, 3));
  EXPECT_FALSE(IsVersionJump(999999999999999999u, 999999999999999999u));
}

TEST(LifecycleRulesTest, JudgeVersionsAgainstEverythingKnown) {
  std::vector<Finding> f =
      JudgeVersions(Ecosystem::kMlflow, "fraud-model", {"1", "2", "3"}, {"9000"}, kDay0);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].candidate, "fraud-model");
  EXPECT_EQ(f[0].ecosystem, Ecosystem::kMlflow);
  EXPECT_EQ(f[0].target, "fraud-model version 9000");
  EXPECT_EQ(f[0].techniques, std::vector<Technique>{Technique::kVersionJump});
  EXPECT_DOUBLE_EQ(f[0].score, 0.80);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_TRUE(absl::StrContains(f[0].explanation, "previous highest version, 3"))
      << f[0].explanation;
  EXPECT_TRUE(absl::StrContains(f[0].explanation, "2024-05-24T12:00:00Z"));
  EXPECT_TRUE(absl::StrContains(f[0].explanation, "pin the model by version or content hash"));

  // The first crawl judges within itself; gradual numbering never jumps.
  EXPECT_EQ(JudgeVersions(Ecosystem::kVertex, "m", {}, {"1", "2", "9000"}, kDay0).size(), 1u);
  std::vector<std::string> steady;
  for (int v = 4; v <= 300; ++v) steady.push_back(absl::StrCat(v));
  EXPECT_TRUE(JudgeVersions(Ecosystem::kVertex, "m", {"1", "2", "3"}, steady, kDay0).empty());
  // Once 9000 is known, 9001 is no jump; a lone first version is no jump;
  // names that are not numbers are not compared.
  EXPECT_TRUE(JudgeVersions(Ecosystem::kVertex, "m", {"1", "9000"}, {"9001"}, kDay0).empty());
  EXPECT_TRUE(JudgeVersions(Ecosystem::kVertex, "m", {}, {"9000"}, kDay0).empty());
  EXPECT_TRUE(JudgeVersions(Ecosystem::kAzureML, "m", {"1"}, {"v9000", "2024.1"}, kDay0).empty());
}

TEST(LifecycleRulesTest, PointerSightingsIncludeMlflowStages) {
  SourcePage page;
  auto version = [](std::string v, std::string stage) {
    SeenModelVersion out;
    out.ecosystem = Ecosystem::kMlflow;
    out.model = "fraud-model";
    out.version = std::move(v);
    out.stage = std::move(stage);
    return out;
  };
  page.versions = {version("2", "Production"), version("4", "Production"),
                   version("3", "Staging"), version("1", "Archived"),
                   version("5", "None")};
  page.aliases = {{Ecosystem::kMlflow, "fraud-model", "champion", "3"},
                  {Ecosystem::kMlflow, "fraud-model", "champion", "4"}};
  std::vector<PointerSighting> seen = PointerSightings(page);
  std::vector<std::string> got;
  for (const PointerSighting& s : seen) {
    got.push_back(absl::StrCat(PointerDisplay(s.model, s.pointer), "=", s.version));
  }
  // A repeated alias keeps its last sighting; a stage points at its highest
  // version (what models:/fraud-model/Production loads).
  EXPECT_EQ(got, (std::vector<std::string>{"fraud-model@champion=4",
                                           "fraud-model/Production=4",
                                           "fraud-model/Staging=3"}));
}

PointerSighting Sighting(std::string version) {
  return {Ecosystem::kMlflow, "fraud-model", "champion", std::move(version)};
}

TEST(LifecycleRulesTest, JudgePointerMovesAndReverts) {
  const LifecycleOptions options;
  const std::vector<std::string> versions = {"1", "2", "3", "4"};
  EXPECT_FALSE(JudgePointer(Sighting("3"), {}, versions, kDay0, options));
  EXPECT_FALSE(JudgePointer(Sighting("3"), {{"3", kDay0 - kDay, kDay0 - kDay}},
                            versions, kDay0, options));

  // 3 -> 4: a move forward, low.
  std::optional<Finding> f = JudgePointer(
      Sighting("4"), {{"3", kDay0 - 2 * kDay, kDay0 - kDay}}, versions, kDay0, options);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->target, "fraud-model@champion: 3 -> 4");
  EXPECT_EQ(f->techniques, std::vector<Technique>{Technique::kAliasMove});
  EXPECT_DOUBLE_EQ(f->score, 0.55);
  EXPECT_EQ(f->severity, Severity::kLow);
  EXPECT_TRUE(absl::StrContains(f->explanation,
                                "alias 'champion' of 'fraud-model' moved from version 3 to 4"))
      << f->explanation;
  EXPECT_TRUE(absl::StrContains(f->explanation, "seen 2024-05-24T12:00:00Z; still 3 at "
                                                "2024-05-23T12:00:00Z"))
      << f->explanation;
  EXPECT_TRUE(absl::StrContains(f->explanation, "pin the model by version or content hash"));

  // 4 -> 3 with no earlier 3: a move back to an older version.
  f = JudgePointer(Sighting("3"), {{"4", kDay0 - kDay, kDay0 - kDay}}, versions, kDay0,
                   options);
  ASSERT_TRUE(f.has_value());
  EXPECT_DOUBLE_EQ(f->score, 0.60);

  // 3, then 4 for a day, then 3 again: move-then-revert, high.
  std::vector<PointerSpan> history = {{"4", kDay0 - kDay, kDay0 - kDay},
                                      {"3", kDay0 - 5 * kDay, kDay0 - 2 * kDay}};
  f = JudgePointer(Sighting("3"), history, versions, kDay0, options);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->target, "fraud-model@champion: 3 -> 4 -> 3");
  EXPECT_DOUBLE_EQ(f->score, 0.95);
  EXPECT_EQ(f->severity, Severity::kHigh);
  for (const char* part :
       {"moved from version 3 to 4", "seen from 2024-05-23T12:00:00Z to 2024-05-23T12:00:00Z",
        "still 3 at 2024-05-22T12:00:00Z", "moved back to 3 (seen 2024-05-24T12:00:00Z)",
        "1d after the move was seen", "within the 7d revert window",
        "check-then-download", "pin the model by version or content hash"}) {
    EXPECT_TRUE(absl::StrContains(f->explanation, part)) << part << "\n" << f->explanation;
  }

  // The same pattern slower than the window is a move back, not a revert.
  LifecycleOptions narrow;
  narrow.revert_window = absl::Hours(12);
  f = JudgePointer(Sighting("3"), history, versions, kDay0, narrow);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->target, "fraud-model@champion: 4 -> 3");
  EXPECT_DOUBLE_EQ(f->score, 0.60);
  EXPECT_TRUE(absl::StrContains(f->explanation, "older version it pointed at before"))
      << f->explanation;

  // Onto a version numbered far above the rest: both techniques, high.
  f = JudgePointer(Sighting("9000"), {{"3", kDay0 - kDay, kDay0 - kDay}},
                   {"1", "2", "3", "9000"}, kDay0, options);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->techniques,
            (std::vector<Technique>{Technique::kAliasMove, Technique::kVersionJump}));
  EXPECT_DOUBLE_EQ(f->score, 0.90);
  EXPECT_TRUE(absl::StrContains(f->explanation, "far above the previous highest, 3"));

  // Stages read as stages.
  PointerSighting stage{Ecosystem::kMlflow, "fraud-model", "stage:Production", "2"};
  f = JudgePointer(stage, {{"3", kDay0 - kDay, kDay0 - kDay}}, versions, kDay0, options);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->target, "fraud-model/Production: 3 -> 2");
  EXPECT_TRUE(absl::StartsWith(f->explanation, "stage 'Production' of 'fraud-model'"));
}

TEST(LifecycleRulesTest, FormatSpan) {
  EXPECT_EQ(FormatSpan(0), "0s");
  EXPECT_EQ(FormatSpan(59), "59s");
  EXPECT_EQ(FormatSpan(26 * 60), "26m");
  EXPECT_EQ(FormatSpan(3 * 3600 + 60), "3h 1m");
  EXPECT_EQ(FormatSpan(7 * kDay), "7d");
  EXPECT_EQ(FormatSpan(kDay + 2 * 3600 + 5), "1d 2h");
}

// --- through the crawl job ---------------------------------------------

class TempDb : public ::squatguard::testing::TempStateStore {
 public:
  TempDb() : TempStateStore("lifecycle") {}
};

// A registry of one page: its models, versions and pointers as given.
class RegistrySource : public Source {
 public:
  explicit RegistrySource(SourcePage page) : page_(std::move(page)) {}
  absl::string_view name() const override { return "registry"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string&) override {
    SourcePage page = page_;
    page.done = true;
    return page;
  }

 private:
  SourcePage page_;
};

SourcePage Registry(Ecosystem ecosystem, const std::string& model,
                    const std::vector<std::string>& versions,
                    const std::vector<std::pair<std::string, std::string>> aliases) {
  SourcePage page;
  SeenName name;
  name.name = model;
  name.ecosystem = ecosystem;
  name.kind = "model";
  page.names.push_back(name);
  for (const std::string& v : versions) {
    SeenModelVersion version;
    version.ecosystem = ecosystem;
    version.model = model;
    version.version = v;
    page.versions.push_back(version);
  }
  for (const auto& [alias, version] : aliases) {
    page.aliases.push_back({ecosystem, model, alias, version});
  }
  return page;
}

// Crawls `page` at `when`; returns the new alerts' targets.
std::vector<std::string> CrawlAt(StateStore& store, SourcePage page, int64_t when,
                                 LifecycleOptions lifecycle = {}) {
  RegistrySource source(std::move(page));
  CrawlOptions o;
  o.check = [](const Candidate&) -> absl::StatusOr<std::vector<Finding>> {
    return std::vector<Finding>{};
  };
  o.clock = [when] { return absl::FromUnixSeconds(when); };
  o.lifecycle = lifecycle;
  CrawlSummary s = RunCrawlJob(source, store, o);
  EXPECT_TRUE(s.status.ok()) << s.status;
  std::vector<std::string> targets;
  for (const StoredAlert& a : s.new_alerts) targets.push_back(a.finding.target);
  return targets;
}

using Targets = std::vector<std::string>;

TEST(LifecycleCrawlTest, MoveThenRevertAcrossCrawlsIsRaisedOnce) {
  TempDb db;
  const Ecosystem mlflow = Ecosystem::kMlflow;
  EXPECT_EQ(CrawlAt(db.store(), Registry(mlflow, "fraud-model", {"1", "2", "3"},
                                         {{"champion", "3"}}), kDay0),
            Targets{});
  EXPECT_EQ(CrawlAt(db.store(), Registry(mlflow, "fraud-model", {"1", "2", "3", "4"},
                                         {{"champion", "4"}}), kDay0 + kDay),
            Targets{"fraud-model@champion: 3 -> 4"});
  EXPECT_EQ(CrawlAt(db.store(), Registry(mlflow, "fraud-model", {"1", "2", "3", "4"},
                                         {{"champion", "3"}}), kDay0 + 2 * kDay),
            Targets{"fraud-model@champion: 3 -> 4 -> 3"});
  // Nothing changes: nothing new, however often it is crawled.
  for (int i = 3; i < 5; ++i) {
    EXPECT_EQ(CrawlAt(db.store(), Registry(mlflow, "fraud-model", {"1", "2", "3", "4"},
                                           {{"champion", "3"}}), kDay0 + i * kDay),
              Targets{});
  }
  // The history: one span per stretch of crawls that saw the same version.
  std::vector<PointerSpan> spans =
      *StoredPointerHistory(db.store(), mlflow, "fraud-model", "champion", 10);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].version, "3");
  EXPECT_EQ(spans[0].first_seen, kDay0 + 2 * kDay);
  EXPECT_EQ(spans[0].last_seen, kDay0 + 4 * kDay);
  EXPECT_EQ(spans[1].version, "4");
  EXPECT_EQ(spans[1].first_seen, kDay0 + kDay);
  EXPECT_EQ(spans[2].version, "3");

  std::vector<StoredAlert> alerts = *db.store().ListAlerts({});
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].finding.severity, Severity::kHigh);
  EXPECT_EQ(alerts[1].source, "registry");
  EXPECT_EQ(alerts[1].finding.ecosystem, mlflow);
}

TEST(LifecycleCrawlTest, RevertSlowerThanTheWindowIsAMoveBack) {
  TempDb db;
  const Ecosystem vertex = Ecosystem::kVertex;
  LifecycleOptions options;
  options.revert_window = absl::Hours(48);
  CrawlAt(db.store(), Registry(vertex, "m", {"3", "4"}, {{"default", "3"}}), kDay0, options);
  CrawlAt(db.store(), Registry(vertex, "m", {"3", "4"}, {{"default", "4"}}), kDay0 + kDay,
          options);
  EXPECT_EQ(CrawlAt(db.store(), Registry(vertex, "m", {"3", "4"}, {{"default", "3"}}),
                    kDay0 + 4 * kDay, options),
            Targets{"m@default: 4 -> 3"});
}

TEST(LifecycleCrawlTest, VersionJumpOnceAndBenignReviewStaysQuiet) {
  TempDb db;
  const Ecosystem sagemaker = Ecosystem::kSageMaker;
  CrawlAt(db.store(), Registry(sagemaker, "fraud-detector", {"1", "2", "3"},
                               {{"approved", "2"}}), kDay0);
  EXPECT_EQ(CrawlAt(db.store(), Registry(sagemaker, "fraud-detector",
                                         {"1", "2", "3", "9000"}, {{"approved", "2"}}),
                    kDay0 + kDay),
            Targets{"fraud-detector version 9000"});
  std::vector<StoredAlert> alerts = *db.store().ListAlerts({});
  ASSERT_EQ(alerts.size(), 1u);
  ASSERT_TRUE(db.store().Review(alerts[0].id, "benign", "load test", kDay0 + kDay).ok());
  EXPECT_EQ(CrawlAt(db.store(), Registry(sagemaker, "fraud-detector",
                                         {"1", "2", "3", "9000"}, {{"approved", "2"}}),
                    kDay0 + 2 * kDay),
            Targets{});
  alerts = *db.store().ListAlerts({});
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].verdict, "benign");

  // Approving the jumped version moves the pointer onto it.
  EXPECT_EQ(CrawlAt(db.store(), Registry(sagemaker, "fraud-detector",
                                         {"1", "2", "3", "9000"}, {{"approved", "9000"}}),
                    kDay0 + 3 * kDay),
            Targets{"fraud-detector@approved: 2 -> 9000"});
}

TEST(LifecycleCrawlTest, MinScoreDropsRoutinePromotionsNotReverts) {
  TempDb db;
  LifecycleOptions options;
  options.min_score = 0.6;
  const Ecosystem azure = Ecosystem::kAzureML;
  CrawlAt(db.store(), Registry(azure, "m", {"1", "2"}, {{"latest", "1"}}), kDay0, options);
  EXPECT_EQ(CrawlAt(db.store(), Registry(azure, "m", {"1", "2"}, {{"latest", "2"}}),
                    kDay0 + kDay, options),
            Targets{});
  EXPECT_EQ(CrawlAt(db.store(), Registry(azure, "m", {"1", "2"}, {{"latest", "1"}}),
                    kDay0 + 2 * kDay, options),
            Targets{"m@latest: 1 -> 2 -> 1"});
}

TEST(LifecycleCrawlTest, RegistriesNeverMixAndTheChecksCanBeOff) {
  TempDb db;
  CrawlAt(db.store(), Registry(Ecosystem::kMlflow, "m", {"1", "2", "3"}, {{"champion", "3"}}),
          kDay0);
  // The same model name in another registry: its own history.
  EXPECT_EQ(CrawlAt(db.store(), Registry(Ecosystem::kSageMaker, "m", {"1", "2", "3", "500"},
                                         {{"champion", "1"}}), kDay0 + kDay),
            Targets{"m version 500"});
  std::vector<std::string> mlflow = *StoredVersions(db.store(), Ecosystem::kMlflow, "m");
  std::sort(mlflow.begin(), mlflow.end());
  EXPECT_EQ(mlflow, (std::vector<std::string>{"1", "2", "3"}));

  LifecycleOptions off;
  off.enabled = false;
  EXPECT_EQ(CrawlAt(db.store(), Registry(Ecosystem::kVertex, "v", {"1", "5000"},
                                         {{"default", "5000"}}), kDay0, off),
            Targets{});
  EXPECT_TRUE(StoredVersions(db.store(), Ecosystem::kVertex, "v")->empty());
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
