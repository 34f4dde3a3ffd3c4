// StateStore: schema, atomic pages, uniqueness, reviews and clear errors for
// files that are not (or no longer) usable.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <sqlite3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/state_store.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace crawlers {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/squatguard-store-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs one statement on a database file outside the store.
int RawExec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(path.c_str(), &db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

SeenName Name(std::string name, Ecosystem e = Ecosystem::kPyPI,
              std::string registry_id = "") {
  SeenName n;
  n.name = std::move(name);
  n.ecosystem = e;
  n.kind = "package";
  n.registry_id = std::move(registry_id);
  return n;
}

Finding Alert(std::string candidate, std::string target, double score = 0.9) {
  Finding f;
  f.candidate = std::move(candidate);
  f.target = std::move(target);
  f.ecosystem = Ecosystem::kPyPI;
  f.score = score;
  f.severity = score >= 0.9 ? Severity::kHigh : Severity::kMedium;
  f.techniques = {Technique::kTransposition, Technique::kKeyboard};
  f.distance = 1;
  f.explanation = "swapped letters";
  return f;
}

TEST(StateStoreTest, CreatesSchemaAndReopens) {
  TempDir dir;
  {
    auto store = StateStore::Open(dir.File("s.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(*(*store)->GetCursor("hf"), "");
  }
  auto store = StateStore::Open(dir.File("s.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->NameCount(), 0);
}

TEST(StateStoreTest, AppliesAPageAtomicallyAndOnlyOnce) {
  TempDir dir;
  auto store = *StateStore::Open(dir.File("s.db"));
  int64_t run = *store->BeginRun("pypi", 100);
  PageWrite write;
  write.source = "pypi";
  write.run_id = run;
  write.now = 100;
  write.cursor = "c1";
  write.names = {Name("reqeusts"), Name("numpy")};
  write.alerts = {Alert("reqeusts", "requests")};
  write.counts.pages = 1;
  write.counts.names_fetched = 2;
  absl::StatusOr<PageWriteResult> first = store->Apply(write);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->new_names, 2);
  ASSERT_EQ(first->new_alerts.size(), 1u);
  EXPECT_GT(first->new_alerts[0].id, 0);

  // Replaying the same page (as after a kill) adds nothing.
  write.cursor = "c2";
  absl::StatusOr<PageWriteResult> again = store->Apply(write);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_names, 0);
  EXPECT_TRUE(again->new_alerts.empty());
  EXPECT_EQ(*store->GetCursor("pypi"), "c2");
  EXPECT_EQ(*store->NameCount(), 2);
  EXPECT_EQ(store->ListAlerts({})->size(), 1u);

  ASSERT_TRUE(store->FinishRun(run, 200, "ok", "").ok());
  RunRecord r = *store->GetRun(run);
  EXPECT_EQ(r.counts.pages, 2);
  EXPECT_EQ(r.counts.new_names, 2);
  EXPECT_EQ(r.counts.new_alerts, 1);
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(*r.ended_at, 200);
}

TEST(StateStoreTest, AlertRoundTripsEveryField) {
  TempDir dir;
  auto store = *StateStore::Open(dir.File("s.db"));
  PageWrite write;
  write.source = "feed";
  write.now = 1716552000;
  Finding f = Alert("meta-llarna/Llama-3-8B", "meta-llama/Llama-3-8B", 0.97);
  f.ecosystem = Ecosystem::kHuggingFace;
  f.target_kind = EntryKind::kRepo;
  f.techniques = {Technique::kHomoglyph};
  f.distance = 0;
  write.alerts = {f};
  ASSERT_TRUE(store->Apply(write).ok());
  std::vector<StoredAlert> alerts = *store->ListAlerts({});
  ASSERT_EQ(alerts.size(), 1u);
  const StoredAlert& a = alerts[0];
  EXPECT_EQ(a.finding.candidate, f.candidate);
  EXPECT_EQ(a.finding.ecosystem, Ecosystem::kHuggingFace);
  EXPECT_EQ(a.finding.target, f.target);
  EXPECT_EQ(a.finding.target_kind, EntryKind::kRepo);
  EXPECT_DOUBLE_EQ(a.finding.score, 0.97);
  EXPECT_EQ(a.finding.severity, Severity::kHigh);
  EXPECT_EQ(a.finding.techniques, std::vector<Technique>{Technique::kHomoglyph});
  EXPECT_EQ(a.finding.explanation, f.explanation);
  EXPECT_EQ(a.first_seen, 1716552000);
  EXPECT_EQ(a.source, "feed");
  EXPECT_EQ(a.status, "new");
  EXPECT_EQ(a.verdict, "");
}

TEST(StateStoreTest, KnownAndIdentities) {
  TempDir dir;
  auto store = *StateStore::Open(dir.File("s.db"));
  PageWrite write;
  write.source = "hf";
  write.names = {Name("org/a", Ecosystem::kHuggingFace, "id1")};
  ASSERT_TRUE(store->Apply(write).ok());
  std::vector<bool> known = *store->Known(
      {Name("org/a", Ecosystem::kHuggingFace), Name("org/a", Ecosystem::kPyPI),
       Name("org/b", Ecosystem::kHuggingFace)});
  EXPECT_EQ(known, (std::vector<bool>{true, false, false}));
  // The same name with a new identity is not a new name.
  write.names = {Name("org/a", Ecosystem::kHuggingFace, "id2")};
  EXPECT_EQ(store->Apply(write)->new_names, 0);
}

TEST(StateStoreTest, FiltersAlerts) {
  TempDir dir;
  auto store = *StateStore::Open(dir.File("s.db"));
  PageWrite write;
  write.source = "pypi";
  write.now = 1000;
  write.alerts = {Alert("a1", "t", 0.95), Alert("a2", "t", 0.6)};
  ASSERT_TRUE(store->Apply(write).ok());
  write.now = 2000;
  Finding hf = Alert("org/x", "org2/x", 0.7);
  hf.ecosystem = Ecosystem::kHuggingFace;
  write.alerts = {hf};
  ASSERT_TRUE(store->Apply(write).ok());
  ASSERT_TRUE(store->Review(1, "benign", "ours", 3000).ok());

  AlertFilter f;
  EXPECT_EQ(store->ListAlerts(f)->size(), 3u);
  f.min_score = 0.65;
  EXPECT_EQ(store->ListAlerts(f)->size(), 2u);
  f = {};
  f.since = 1500;
  EXPECT_EQ(store->ListAlerts(f)->size(), 1u);
  f = {};
  f.ecosystem = "hf";
  EXPECT_EQ(store->ListAlerts(f)->at(0).finding.candidate, "org/x");
  f = {};
  f.status = "new";
  EXPECT_EQ(store->ListAlerts(f)->size(), 2u);
  f.status = "reviewed";
  EXPECT_EQ(store->ListAlerts(f)->size(), 1u);
  f.status = "benign";
  EXPECT_EQ(store->ListAlerts(f)->size(), 1u);
  f.status = "malicious";
  EXPECT_EQ(store->ListAlerts(f)->size(), 0u);
}

TEST(StateStoreTest, ReviewRecordsVerdictAndRejectsUnknownIds) {
  TempDir dir;
  auto store = *StateStore::Open(dir.File("s.db"));
  PageWrite write;
  write.source = "pypi";
  write.alerts = {Alert("reqeusts", "requests")};
  ASSERT_TRUE(store->Apply(write).ok());
  absl::StatusOr<StoredAlert> a = store->Review(1, "malicious", "reported", 77);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->status, "reviewed");
  EXPECT_EQ(a->verdict, "malicious");
  EXPECT_EQ(a->note, "reported");
  EXPECT_EQ(*a->reviewed_at, 77);
  EXPECT_TRUE(absl::IsNotFound(store->Review(99, "benign", "", 1).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(store->Review(1, "fine", "", 1).status()));
}

TEST(StateStoreTest, RefusesFilesThatAreNotItsDatabase) {
  TempDir dir;
  {
    std::ofstream junk(dir.File("junk.db"));
    junk << "this is not an SQLite database, just some text that is long enough "
            "to fill a header of one hundred bytes, which SQLite reads first.\n";
  }
  absl::StatusOr<std::unique_ptr<StateStore>> store =
      StateStore::Open(dir.File("junk.db"));
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "junk.db"));

  store = StateStore::Open(dir.File("missing.db"), {.create_if_missing = false});
  EXPECT_TRUE(absl::IsNotFound(store.status())) << store.status();
}

TEST(StateStoreTest, RefusesANewerSchemaAndForeignDatabases) {
  TempDir dir;
  { ASSERT_TRUE(StateStore::Open(dir.File("s.db")).ok()); }
  ASSERT_EQ(RawExec(dir.File("s.db"), "PRAGMA user_version=99"), SQLITE_OK);
  absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open(dir.File("s.db"));
  EXPECT_TRUE(absl::IsFailedPrecondition(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "99"));

  ASSERT_EQ(RawExec(dir.File("other.db"), "CREATE TABLE photos (id INTEGER)"),
            SQLITE_OK);
  store = StateStore::Open(dir.File("other.db"));
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "not a squatguard database"));
}

TEST(StateStoreTest, ReadOnlyFileIsAClearError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  TempDir dir;
  { ASSERT_TRUE(StateStore::Open(dir.File("s.db")).ok()); }
  chmod(dir.File("s.db").c_str(), 0444);
  absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open(dir.File("s.db"));
  if (store.ok()) {
    PageWrite write;
    write.source = "x";
    write.cursor = "c";
    absl::StatusOr<PageWriteResult> r = (*store)->Apply(write);
    EXPECT_TRUE(absl::IsPermissionDenied(r.status())) << r.status();
  } else {
    EXPECT_TRUE(absl::IsPermissionDenied(store.status())) << store.status();
  }
}

TEST(StateStoreTest, LockedDatabaseTimesOutClearly) {
  TempDir dir;
  auto store =
      *StateStore::Open(dir.File("s.db"), {.busy_timeout = absl::Milliseconds(100)});
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("s.db").c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  PageWrite write;
  write.source = "x";
  write.cursor = "c";
  absl::StatusOr<PageWriteResult> r = store->Apply(write);
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "s.db"));
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_TRUE(store->Apply(write).ok());
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
