// `squatguard deps` end to end: the real binary on the model folders under
// tests/testdata/deps (and on trees built here for the walk's edge cases),
// checked for findings, techniques, file and line fields, and exit codes.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string kBinary = SQUATGUARD_BINARY_DIR "/cli/squatguard";
const std::string kData = SQUATGUARD_TEST_DATA_DIR "/deps";
const std::string kProtected = kData + "/protected.jsonl";

struct Outcome {
  int exit_code = -1;
  std::string out, err;
  std::vector<json> findings;  // stdout parsed as JSON Lines
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the binary with `args` in `cwd` (empty: this process's), capturing
// stdout and stderr.
Outcome RunSquatguard(const std::vector<std::string>& args, const std::string& cwd = "") {
  static int counter = 0;
  const std::string base = absl::StrCat(testing::TempDir(), "/deps_run_", getpid(), "_", counter++);
  const std::string out_path = base + ".out", err_path = base + ".err";
  std::vector<std::string> argv_storage = {kBinary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0) _exit(126);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Outcome r;
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out_path);
  r.err = ReadAll(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  const bool jsonl = std::find(args.begin(), args.end(), "jsonl") != args.end();
  if (jsonl) {
    for (absl::string_view line : absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
      r.findings.push_back(json::parse(line));
    }
  }
  return r;
}

// deps with the small protected list and JSON Lines output.
Outcome Deps(std::vector<std::string> args, const std::string& cwd = "") {
  std::vector<std::string> all = {"deps", "--protected", kProtected, "--format", "jsonl"};
  all.insert(all.end(), args.begin(), args.end());
  return RunSquatguard(all, cwd);
}

std::vector<std::string> Techniques(const json& f) {
  std::vector<std::string> t;
  for (const json& x : f.at("techniques")) t.push_back(x.get<std::string>());
  return t;
}

// The findings whose first technique is `technique`.
std::vector<json> WithRule(const Outcome& r, const std::string& technique) {
  std::vector<json> out;
  for (const json& f : r.findings) {
    if (Techniques(f).front() == technique) out.push_back(f);
  }
  return out;
}

// A scratch folder, removed at the end of the test.
class ScratchTree {
 public:
  ScratchTree() {
    static int counter = 0;
    root_ = fs::path(testing::TempDir()) / absl::StrCat("deps_tree_", getpid(), "_", counter++);
    fs::remove_all(root_);
    fs::create_directories(root_ / "tree");
  }
  ~ScratchTree() {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    fs::remove_all(root_, ec);
  }
  // The folder to scan; root() / "outside" is beside it.
  fs::path tree() const { return root_ / "tree"; }
  fs::path root() const { return root_; }
  void Write(const fs::path& path, const std::string& text) const {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

 private:
  fs::path root_;
};

// --- usage -----------------------------------------------------------------

TEST(DepsCommandTest, HelpExplainsTheFindingsAndThePinPolicy) {
  const Outcome r = RunSquatguard({"deps", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"usage: squatguard deps", "PATH", "--require-pins", "--allow-unpinned", "dependency",
                           "path-escape", "unpinned", "40-hex", "--min-score 0.6", "Exit codes", "--protected"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
}

TEST(DepsCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunSquatguard({"deps"}).exit_code, 2);
  EXPECT_EQ(RunSquatguard({"deps", "--min-score", "2", kData}).exit_code, 2);
  EXPECT_EQ(RunSquatguard({"deps", "--format", "xml", kData}).exit_code, 2);
  EXPECT_EQ(RunSquatguard({"deps", "--no-such-option", kData}).exit_code, 2);
  const Outcome r = RunSquatguard({"deps", "--require-pins", "--allow-unpinned", kData});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("contradict"));
}

TEST(DepsCommandTest, UnreadablePathExitsThree) {
  Outcome r = Deps({kData + "/no-such-folder"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("no-such-folder: cannot read"));
  r = Deps({kProtected});  // a file, but no format deps reads
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("not a file squatguard deps reads"));
}

// --- the fixture folders ---------------------------------------------------

TEST(DepsCommandTest, CleanFolderPasses) {
  // Protected names, commit pins, local paths inside the folder, and squats
  // hidden in node_modules/ and venv/ (which are not scanned).
  const Outcome r = Deps({kData + "/clean"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_EQ(r.err, "");
}

TEST(DepsCommandTest, RequirePinsReportsPackageRanges) {
  const Outcome r = Deps({"--require-pins", kData + "/clean"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  const json& f = r.findings[0];
  EXPECT_EQ(f["candidate"], "transformers");
  EXPECT_EQ(f["ecosystem"], "pypi");
  EXPECT_THAT(Techniques(f), ElementsAre("unpinned"));
  EXPECT_EQ(f["severity"], "low");
  EXPECT_EQ(f["score"], 0.5);
  EXPECT_EQ(f["file"], kData + "/clean/requirements.txt");
  EXPECT_EQ(f["line"], "5");
  EXPECT_EQ(f["reference"], "transformers>=4.40");
}

TEST(DepsCommandTest, AdapterOnALookAlikeOrg) {
  const Outcome r = Deps({kData + "/adapter"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 2u) << r.out;
  const json& squat = r.findings[0];
  EXPECT_EQ(squat["candidate"], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(squat["ecosystem"], "hf");
  EXPECT_EQ(squat["target"], "meta-llama/Llama-3-8B");
  EXPECT_EQ(squat["severity"], "high");
  EXPECT_THAT(Techniques(squat), ElementsAre("dependency", "homoglyph"));
  EXPECT_EQ(squat["file"], kData + "/adapter/adapter_config.json");
  EXPECT_EQ(squat["line"], "3");
  EXPECT_EQ(squat["reference"], "meta-Ilama/Llama-3-8B");
  EXPECT_THAT(squat["explanation"].get<std::string>(),
              HasSubstr("adapter/adapter_config.json:3 base_model_name_or_path: "));
  // "revision": null: not pinned, and adapter_config.json has the field.
  const json& pin = r.findings[1];
  EXPECT_THAT(Techniques(pin), ElementsAre("unpinned"));
  EXPECT_EQ(pin["target"], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(pin["severity"], "low");
  EXPECT_EQ(pin["score"], 0.5);
  EXPECT_EQ(pin["line"], "3");
}

TEST(DepsCommandTest, UnpinnedHidesAtMinScoreSixOrWithAllowUnpinned) {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--min-score", "0.6"}, std::vector<std::string>{"--allow-unpinned"}}) {
    std::vector<std::string> args = extra;
    args.push_back(kData + "/adapter");
    const Outcome r = Deps(args);
    EXPECT_EQ(r.exit_code, 1);
    ASSERT_EQ(r.findings.size(), 1u) << r.out;
    EXPECT_THAT(Techniques(r.findings[0]), ElementsAre("dependency", "homoglyph"));
  }
  // And above every finding's score: clean exit.
  EXPECT_EQ(Deps({"--min-score", "1", kData + "/adapter"}).exit_code, 0);
}

TEST(DepsCommandTest, ConfigPathEscapingTheFolder) {
  const Outcome r = Deps({kData + "/escape"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  const json& f = r.findings[0];
  EXPECT_THAT(Techniques(f), ElementsAre("path-escape"));
  EXPECT_EQ(f["candidate"], "../../../etc/models/x");
  EXPECT_EQ(f["target"], "../../../etc/models/x");  // relative to the scanned folder
  EXPECT_EQ(f["severity"], "high");
  EXPECT_EQ(f["score"], 0.9);
  EXPECT_EQ(f["file"], kData + "/escape/config.json");
  EXPECT_EQ(f["line"], "2");
  EXPECT_THAT(f["explanation"].get<std::string>(), HasSubstr("resolves outside the scanned folder"));
}

TEST(DepsCommandTest, RunInsideTheFolderShowsShortPaths) {
  Outcome r = Deps({"."}, kData + "/escape");
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0]["file"], "config.json");
  EXPECT_THAT(r.findings[0]["explanation"].get<std::string>(), HasSubstr("config.json:2 _name_or_path: "));
  // One file as PATH: its folder is the scanned folder.
  r = Deps({"config.json"}, kData + "/escape");
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0]["file"], "config.json");
  EXPECT_EQ(r.findings[0]["target"], "../../../etc/models/x");
}

TEST(DepsCommandTest, PythonCalls) {
  const Outcome r = Deps({kData + "/python"});
  EXPECT_EQ(r.exit_code, 1);
  const std::string file = kData + "/python/load.py";
  std::vector<std::string> rows;
  for (const json& f : r.findings) {
    EXPECT_EQ(f["file"], file);
    rows.push_back(absl::StrCat(f["line"].get<std::string>(), " ", f["candidate"].get<std::string>(), " ",
                                Techniques(f)[0], " ", Techniques(f).back()));
  }
  // Line 9 (the protected model pinned to a commit) and line 20 (an f-string)
  // give nothing.
  EXPECT_THAT(rows, ElementsAre("6 mistral-ai/Mistral-7B-v0.1 dependency separator",
                                "6 mistral-ai/Mistral-7B-v0.1 unpinned unpinned",
                                "12 CohereForAI/aya-101 dependency reused-namespace",
                                "16 google/gemma-7b unpinned unpinned"));
  EXPECT_EQ(r.findings[0]["target"], "mistralai/Mistral-7B-v0.1");
  EXPECT_EQ(r.findings[0]["reference"], "mistral-ai/Mistral-7B-v0.1");
  EXPECT_EQ(r.findings[2]["target"], "CohereForAI");
  EXPECT_THAT(r.findings[3]["explanation"].get<std::string>(), HasSubstr("revision 'main'"));
}

TEST(DepsCommandTest, ModelCardBaseModelList) {
  const Outcome r = Deps({kData + "/card"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u) << r.out;  // model cards have no pin: no unpinned
  const json& f = r.findings[0];
  EXPECT_EQ(f["candidate"], "gogle/gemma-7b");
  EXPECT_EQ(f["target"], "google/gemma-7b");
  EXPECT_THAT(Techniques(f), ElementsAre("dependency", "omission"));
  EXPECT_EQ(f["file"], kData + "/card/README.md");
  EXPECT_EQ(f["line"], "6");
}

TEST(DepsCommandTest, RequirementsTyposquat) {
  const Outcome r = Deps({kData + "/requirements"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  const json& f = r.findings[0];
  EXPECT_EQ(f["candidate"], "reqeusts");
  EXPECT_EQ(f["ecosystem"], "pypi");
  EXPECT_EQ(f["target"], "requests");
  EXPECT_THAT(Techniques(f), ElementsAre("dependency", "transposition"));
  EXPECT_EQ(f["file"], kData + "/requirements/requirements.txt");
  EXPECT_EQ(f["line"], "1");
  EXPECT_EQ(f["reference"], "reqeusts==2.0");
}

TEST(DepsCommandTest, PackageJsonTyposquatAndAlias) {
  const Outcome r = Deps({kData + "/npm"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 2u) << r.out;
  EXPECT_EQ(r.findings[0]["candidate"], "lodahs");
  EXPECT_EQ(r.findings[0]["ecosystem"], "npm");
  EXPECT_EQ(r.findings[0]["target"], "lodash");
  EXPECT_EQ(r.findings[0]["line"], "4");
  EXPECT_THAT(Techniques(r.findings[0]), ElementsAre("dependency", "transposition"));
  // "web-server": "npm:expresss@4.19.2" installs expresss.
  EXPECT_EQ(r.findings[1]["candidate"], "expresss");
  EXPECT_EQ(r.findings[1]["target"], "express");
  EXPECT_EQ(r.findings[1]["line"], "8");
  EXPECT_EQ(r.findings[1]["reference"], "\"web-server\": \"npm:expresss@4.19.2\"");
  EXPECT_THAT(r.findings[1]["explanation"].get<std::string>(), HasSubstr("package.json:8 devDependencies: "));
}

TEST(DepsCommandTest, MalformedConfigIsReportedAndExitsThree) {
  const Outcome r = Deps({kData + "/malformed"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("malformed/config.json: malformed JSON: parse error at line 4"));
}

TEST(DepsCommandTest, MalformedConfigDoesNotStopTheScan) {
  const Outcome r = Deps({kData + "/malformed", kData + "/requirements"});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0]["candidate"], "reqeusts");
  EXPECT_THAT(r.err, HasSubstr("malformed JSON"));
}

TEST(DepsCommandTest, WholeTreeInEveryFormat) {
  // JSON: every finding once, and the counts.
  Outcome r = RunSquatguard({"deps", "--protected", kProtected, "--format", "json", kData});
  EXPECT_EQ(r.exit_code, 1);
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["findings"].size(), 11u) << r.out;
  EXPECT_EQ(doc["stats"]["findings"], 11);
  EXPECT_EQ(doc["stats"]["errors"], 1);  // the malformed config.json
  EXPECT_EQ(doc["stats"]["files"], 14);
  size_t escapes = 0;
  for (const json& f : doc["findings"]) {
    EXPECT_TRUE(f.contains("file") && f.contains("line") && f.contains("reference")) << f;
    if (f["techniques"][0] == "path-escape") {
      ++escapes;
      EXPECT_EQ(f["target"], "../../etc/models/x");  // relative to testdata/deps now
    }
  }
  EXPECT_EQ(escapes, 1u);

  r = RunSquatguard({"deps", "--protected", kProtected, "--format", "csv", kData + "/requirements"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("file,line,reference,candidate,ecosystem,target"));
  EXPECT_THAT(r.out, HasSubstr("/requirements/requirements.txt,1,reqeusts==2.0,reqeusts,pypi,requests"));

  r = RunSquatguard({"deps", "--protected", kProtected, "--format", "table", kData + "/escape"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("FILE"));
  EXPECT_THAT(r.out, HasSubstr("LINE"));
  EXPECT_THAT(r.out, HasSubstr("path-escape"));

  r = RunSquatguard({"deps", "--protected", kProtected, "--format", "sarif", kData + "/python"});
  EXPECT_EQ(r.exit_code, 1);
  const json sarif = json::parse(r.out);
  std::vector<std::string> rules;
  for (const json& result : sarif["runs"][0]["results"]) {
    rules.push_back(result["ruleId"]);
    EXPECT_EQ(result["properties"]["file"], kData + "/python/load.py");
  }
  EXPECT_THAT(rules, ElementsAre("dependency", "unpinned", "dependency", "unpinned"));

  r = RunSquatguard({"deps", "--protected", kProtected, "--format", "table", kData + "/clean"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("no findings"));
}

TEST(DepsCommandTest, ShippedProtectedLists) {
  // Without --protected: the lists under data/protected.
  const Outcome r = RunSquatguard({"deps", "--format", "jsonl", "--allow-unpinned", kData + "/adapter"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0]["candidate"], "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(Techniques(r.findings[0]).front(), "dependency");
  EXPECT_THAT(Techniques(r.findings[0]), testing::Contains("homoglyph"));
}

// --- the walk --------------------------------------------------------------

TEST(DepsWalkTest, SkipsVcsDependencyAndVirtualenvFolders) {
  ScratchTree t;
  const std::string squat = "{\"_name_or_path\": \"mistral-ai/Mistral-7B-v0.1\"}";
  t.Write(t.tree() / ".git" / "config.json", squat);
  t.Write(t.tree() / "node_modules" / "x" / "config.json", squat);
  t.Write(t.tree() / ".venv" / "config.json", squat);
  t.Write(t.tree() / "env" / "pyvenv.cfg", "home = /usr/bin\n");
  t.Write(t.tree() / "env" / "lib" / "config.json", squat);
  t.Write(t.tree() / "src" / "deep" / "config.json", squat);
  const Outcome r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  EXPECT_EQ(r.findings[0]["file"], (t.tree() / "src/deep/config.json").string());
}

TEST(DepsWalkTest, SymlinksOutOfTheTreeAreNotFollowed) {
  ScratchTree t;
  t.Write(t.root() / "outside" / "config.json", "{\"_name_or_path\": \"mistral-ai/Mistral-7B-v0.1\"}");
  fs::create_directory_symlink(t.root() / "outside", t.tree() / "linked-dir");
  fs::create_symlink(t.root() / "outside" / "config.json", t.tree() / "config.json");
  Outcome r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("linked-dir: symlink leads out of the scanned folder; not followed"));
  EXPECT_THAT(r.err, HasSubstr("config.json: symlink leads out of the scanned folder; not followed"));

  // A link to a file inside the tree is read.
  ScratchTree inside;
  inside.Write(inside.tree() / "real" / "adapter.json",
               "{\"base_model_name_or_path\": \"mistral-ai/Mistral-7B-v0.1\", \"revision\": null}");
  fs::create_symlink(inside.tree() / "real" / "adapter.json", inside.tree() / "adapter_config.json");
  r = Deps({"--allow-unpinned", inside.tree().string()});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0]["file"], (inside.tree() / "adapter_config.json").string());
}

TEST(DepsWalkTest, LargeFilesAreSkippedAndSaidSo) {
  ScratchTree t;
  std::string big = "reqeusts==2.0\n";
  big.resize(10 * 1024 * 1024 + 1, '#');
  t.Write(t.tree() / "requirements.txt", big);
  const Outcome r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("requirements.txt: larger than 10 MB; not scanned"));
}

TEST(DepsWalkTest, UnreadableFileExitsThreeUnlessFindingsElsewhere) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file";
  ScratchTree t;
  t.Write(t.tree() / "a" / "config.json", "{\"_name_or_path\": \"mistralai/Mistral-7B-v0.1\"}");
  fs::permissions(t.tree() / "a" / "config.json", fs::perms::none);
  Outcome r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("a/config.json: cannot read"));
  t.Write(t.tree() / "b" / "requirements.txt", "reqeusts\n");
  r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("a/config.json: cannot read"));
}

TEST(DepsWalkTest, LocalPaths) {
  ScratchTree t;
  // A Hub-looking id that exists next to the file is a local folder, not a squat.
  fs::create_directories(t.tree() / "code" / "mistral-ai" / "Mistral-7B-v0.1");
  t.Write(t.tree() / "code" / "load.py",
          "a.from_pretrained('mistral-ai/Mistral-7B-v0.1')\n"
          "a.from_pretrained('../weights')\n"
          "a.from_pretrained('/opt/models/m')\n"
          "a.from_pretrained('~/models/m')\n"
          "a.from_pretrained('../../outside')\n");
  const Outcome r = Deps({t.tree().string()});
  EXPECT_EQ(r.exit_code, 1);
  std::vector<std::string> rows;
  for (const json& f : r.findings) {
    EXPECT_THAT(Techniques(f), ElementsAre("path-escape"));
    rows.push_back(absl::StrCat(f["line"].get<std::string>(), " ", f["target"].get<std::string>()));
  }
  EXPECT_THAT(rows, ElementsAre("3 /opt/models/m", "4 ~/models/m", "5 ../outside"));
}

TEST(DepsWalkTest, EmptyFolderIsClean) {
  ScratchTree t;
  const Outcome r = RunSquatguard({"deps", "--protected", kProtected, "--format", "json", t.tree().string()});
  EXPECT_EQ(r.exit_code, 0);
  const json doc = json::parse(r.out);
  EXPECT_THAT(doc["findings"], IsEmpty());
  EXPECT_EQ(doc["stats"]["files"], 0);
}

TEST(DepsWalkTest, NamesAreEscapedInTables) {
  ScratchTree t;
  // A bidi override inside the name: shown escaped, never raw.
  t.Write(t.tree() / "config.json", "{\"_name_or_path\": \"mistral\\u202e-ai/Mistral-7B-v0.1\"}");
  const Outcome r = RunSquatguard({"deps", "--protected", kProtected, "--format", "table", t.tree().string()});
  EXPECT_THAT(r.out, Not(HasSubstr("\xE2\x80\xAE")));
}

}  // namespace
