// The crawl loop with a scripted source and a stand-in checker: cursors,
// alerts raised once, reviews that stay quiet, rescans on list changes and
// resuming after a failure.
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "crawlers/crawl_job.h"
#include "crawlers/http_client.h"
#include "crawlers/state_store.h"
#include "gtest/gtest.h"
#include "tests/crawlers/temp_state_store.h"

namespace squatguard {
namespace crawlers {
namespace {

class TempDb : public ::squatguard::testing::TempStateStore {
 public:
  TempDb() : TempStateStore("job") {}
};

// Pages keyed by the cursor that asks for them; cursor "p<N>" is page N.
class ScriptedSource : public Source {
 public:
  ScriptedSource(std::initializer_list<std::vector<std::string>> pages)
      : pages_(pages) {}

  absl::string_view name() const override { return "scripted"; }

  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override {
    size_t index = cursor.empty() ? 0 : std::stoul(cursor.substr(1));
    if (fail_at_ >= 0 && static_cast<int>(index) == fail_at_) {
      return MarkNetworkFailure(absl::UnavailableError("scripted: registry down"));
    }
    ++fetched_;
    SourcePage page;
    if (index < pages_.size()) {
      for (const std::string& n : pages_[index]) {
        SeenName seen;
        seen.name = n;
        seen.ecosystem = Ecosystem::kPyPI;
        seen.kind = "package";
        page.names.push_back(seen);
      }
    }
    page.done = index + 1 >= pages_.size();
    page.next_cursor = page.done ? "" : absl::StrCat("p", index + 1);
    return page;
  }

  void FailAt(int index) { fail_at_ = index; }
  int fetched() const { return fetched_; }

 private:
  std::vector<std::vector<std::string>> pages_;
  int fail_at_ = -1;
  int fetched_ = 0;
};

// A stand-in for the engine: flags exactly the candidates in `targets`.
struct FakeLists {
  std::map<std::string, std::string> targets;  // candidate -> target
  int checks = 0;

  CrawlOptions Options() {
    CrawlOptions o;
    o.check = [this](const Candidate& c) -> absl::StatusOr<std::vector<Finding>> {
      ++checks;
      if (c.name == "bad\xff") return absl::InvalidArgumentError("invalid UTF-8");
      std::vector<Finding> out;
      auto it = targets.find(c.name);
      if (it != targets.end()) {
        Finding f;
        f.candidate = c.name;
        f.ecosystem = Ecosystem::kPyPI;
        f.target = it->second;
        f.score = 0.8;
        f.severity = Severity::kHigh;
        out.push_back(f);
      }
      return out;
    };
    std::string fp;
    for (const auto& [c, t] : targets) fp += t + ",";
    o.protected_fingerprint = fp;
    o.clock = [] { return absl::FromUnixSeconds(1716552000); };
    return o;
  }
};

TEST(CrawlJobTest, StoresNamesAlertsAndCursorPerPage) {
  TempDb db;
  ScriptedSource source({{"requests", "reqeusts"}, {"numpy", "requestss"}, {"flask"}});
  FakeLists lists{{{"reqeusts", "requests"}, {"requestss", "requests"}}};
  CrawlSummary s = RunCrawlJob(source, db.store(), lists.Options());
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(s.counts.pages, 3);
  EXPECT_EQ(s.counts.names_fetched, 5);
  EXPECT_EQ(s.counts.new_names, 5);
  ASSERT_EQ(s.new_alerts.size(), 2u);
  EXPECT_EQ(s.new_alerts_by_severity[Severity::kHigh], 2);
  EXPECT_EQ(*db.store().GetCursor("scripted"), "");
  RunRecord run = *db.store().GetRun(s.run_id);
  EXPECT_EQ(run.status, "ok");
  EXPECT_EQ(run.counts.new_alerts, 2);
}

TEST(CrawlJobTest, SecondRunRaisesNothingTwice) {
  TempDb db;
  FakeLists lists{{{"reqeusts", "requests"}}};
  ScriptedSource first({{"requests", "reqeusts"}});
  ASSERT_EQ(RunCrawlJob(first, db.store(), lists.Options()).new_alerts.size(), 1u);
  int checks_after_first = lists.checks;
  ScriptedSource second({{"requests", "reqeusts", "rqeuests"}});
  lists.targets["rqeuests"] = "requests";
  CrawlOptions o = lists.Options();
  o.protected_fingerprint = "";  // same lists for this test: no rescan
  CrawlSummary s = RunCrawlJob(second, db.store(), o);
  ASSERT_TRUE(s.status.ok());
  ASSERT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(s.new_alerts[0].finding.candidate, "rqeuests");
  // Names already stored are not scored again.
  EXPECT_EQ(lists.checks - checks_after_first, 1);
  EXPECT_EQ(db.store().ListAlerts({})->size(), 2u);
}

TEST(CrawlJobTest, ResumesAfterAFailureWithoutLosingOrRepeating) {
  TempDb db;
  FakeLists lists{{{"b2", "t"}, {"c1", "t"}}};
  ScriptedSource source({{"a1", "a2"}, {"b1", "b2"}, {"c1"}});
  source.FailAt(2);
  CrawlSummary s = RunCrawlJob(source, db.store(), lists.Options());
  EXPECT_TRUE(IsNetworkFailure(s.status)) << s.status;
  EXPECT_EQ(s.counts.pages, 2);
  EXPECT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(*db.store().GetCursor("scripted"), "p2");
  EXPECT_EQ(db.store().GetRun(s.run_id)->status, "failed");
  ASSERT_FALSE(s.errors.empty());

  ScriptedSource resumed({{"a1", "a2"}, {"b1", "b2"}, {"c1"}});
  s = RunCrawlJob(resumed, db.store(), lists.Options());
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(resumed.fetched(), 1);  // only the page after the stored cursor
  EXPECT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(*db.store().NameCount(), 5);
  EXPECT_EQ(db.store().ListAlerts({})->size(), 2u);
}

TEST(CrawlJobTest, MaxPagesStopsAndTheNextRunContinues) {
  TempDb db;
  FakeLists lists;
  ScriptedSource source({{"a"}, {"b"}, {"c"}, {"d"}});
  CrawlOptions o = lists.Options();
  o.max_pages = 2;
  CrawlSummary s = RunCrawlJob(source, db.store(), o);
  EXPECT_TRUE(s.status.ok());
  EXPECT_TRUE(s.hit_max_pages);
  EXPECT_EQ(s.counts.pages, 2);
  s = RunCrawlJob(source, db.store(), o);
  EXPECT_EQ(s.counts.pages, 2);
  EXPECT_FALSE(s.hit_max_pages);  // the source finished first
  EXPECT_EQ(*db.store().GetCursor("scripted"), "");
  EXPECT_EQ(*db.store().NameCount(), 4);
}

TEST(CrawlJobTest, BenignReviewKeepsThePairQuietAcrossListChanges) {
  TempDb db;
  FakeLists lists{{{"reqeusts", "requests"}}};
  ScriptedSource source({{"reqeusts"}});
  CrawlSummary s = RunCrawlJob(source, db.store(), lists.Options());
  ASSERT_EQ(s.new_alerts.size(), 1u);
  ASSERT_TRUE(db.store().Review(s.new_alerts[0].id, "benign", "our fork", 5).ok());

  // The lists change (a refresh): every stored name is checked again, and
  // the reviewed pair stays quiet while a new pair is raised.
  lists.targets["reqeusts"] = "requests";
  lists.targets["numpy-x"] = "numpy";
  ScriptedSource next({{"numpy-x"}});
  CrawlOptions o = lists.Options();
  o.protected_fingerprint = "refreshed";
  s = RunCrawlJob(next, db.store(), o);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.counts.rescanned, 1);
  ASSERT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(s.new_alerts[0].finding.candidate, "numpy-x");
  std::vector<StoredAlert> all = *db.store().ListAlerts({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].verdict, "benign");
}

TEST(CrawlJobTest, ListChangeRescansStoredNamesOnce) {
  TempDb db;
  FakeLists lists;
  ScriptedSource source({{"nunpy", "flask", "reqeusts"}});
  CrawlOptions o = lists.Options();
  o.protected_fingerprint = "v1";
  CrawlSummary s = RunCrawlJob(source, db.store(), o);
  EXPECT_TRUE(s.new_alerts.empty());
  EXPECT_EQ(s.counts.rescanned, 0);  // nothing stored before the first run

  lists.targets["nunpy"] = "numpy";  // a newly protected name
  o = lists.Options();
  o.protected_fingerprint = "v2";
  o.rescan_batch = 2;
  ScriptedSource empty({{}});
  s = RunCrawlJob(empty, db.store(), o);
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(s.counts.rescanned, 3);
  ASSERT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(s.new_alerts[0].finding.candidate, "nunpy");
  EXPECT_EQ(s.new_alerts[0].finding.target, "numpy");

  // Same lists again: no rescan.
  ScriptedSource empty2({{}});
  s = RunCrawlJob(empty2, db.store(), o);
  EXPECT_EQ(s.counts.rescanned, 0);
}

TEST(CrawlJobTest, InterruptedRescanResumesWhereItStopped) {
  TempDb db;
  FakeLists lists;
  ScriptedSource source({{"n1", "n2", "n3", "n4", "n5"}});
  CrawlOptions o = lists.Options();
  o.protected_fingerprint = "v1";
  RunCrawlJob(source, db.store(), o);

  // A checker that fails on the fourth name stands in for a kill mid-rescan:
  // batches before it are committed.
  o.protected_fingerprint = "v2";
  o.rescan_batch = 2;
  int seen = 0;
  o.check = [&](const Candidate&) -> absl::StatusOr<std::vector<Finding>> {
    ++seen;
    return std::vector<Finding>{};
  };
  o.on_progress = [&](const CrawlProgress& p) {
    if (p.rescanned == 2) throw 1;  // leave mid-rescan, as a kill would
  };
  ScriptedSource empty({{}});
  try {
    RunCrawlJob(empty, db.store(), o);
  } catch (int) {
  }
  EXPECT_EQ(seen, 2);
  o.on_progress = nullptr;
  seen = 0;
  CrawlSummary s = RunCrawlJob(empty, db.store(), o);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(seen, 3);  // n3, n4, n5 only
  EXPECT_EQ(s.counts.rescanned, 3);
}

TEST(CrawlJobTest, NamesTheEngineRefusesAreCountedNotFatal) {
  TempDb db;
  FakeLists lists{{{"reqeusts", "requests"}}};
  ScriptedSource source({{"bad\xff", "reqeusts"}});
  CrawlSummary s = RunCrawlJob(source, db.store(), lists.Options());
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(s.rejected_names, 1);
  EXPECT_EQ(s.counts.errors, 1);
  EXPECT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(*db.store().NameCount(), 2);  // stored, so not retried forever
}

TEST(CrawlJobTest, DuplicateNamesWithinAPageAreScoredOnce) {
  TempDb db;
  FakeLists lists{{{"reqeusts", "requests"}}};
  ScriptedSource source({{"reqeusts", "reqeusts"}});
  CrawlSummary s = RunCrawlJob(source, db.store(), lists.Options());
  EXPECT_EQ(lists.checks, 1);
  EXPECT_EQ(s.new_alerts.size(), 1u);
  EXPECT_EQ(s.counts.new_names, 1);
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
