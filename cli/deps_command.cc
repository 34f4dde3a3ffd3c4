// squatguard deps [opts] PATH...: check the model and package references of
// model folders and source trees, for CI gates.
//
// The walk reads only the files cli/dependency_scanner.h understands, skips
// version-control, dependency and virtualenv folders and files over 10 MB, and
// never follows a symlink out of the scanned folder. Each reference is then
//   - a local path: a `path-escape` finding when it resolves outside the
//     scanned folder (lexically, from the folder of the file naming it);
//   - a registry name: checked like a newly seen name in its ecosystem, each
//     engine finding reported with `dependency` first and where it was found;
//   - a model reference without a commit pin where its format has a place for
//     one: an `unpinned` finding (score 0.5, low). Package references only
//     with --require-pins.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli/commands.h"
#include "cli/dependency_scanner.h"
#include "cli/engine_loader.h"
#include "cli/output.h"

namespace squatguard {
namespace cli {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 10 * 1024 * 1024;
constexpr int kMaxDepth = 64;
// Unpinned references are worth seeing but are not squats: low, and exactly at
// the default --min-score so "--min-score 0.6" hides them.
constexpr double kUnpinnedScore = 0.5;
constexpr double kPathEscapeScore = 0.9;

constexpr char kSummary[] =
    "Check the model and package references of model folders and source trees (a PATH\n"
    "may also be one file). References are read from config.json (_name_or_path),\n"
    "adapter_config.json (base_model_name_or_path, revision), README.md model-card front\n"
    "matter (base_model), Python string literals given to from_pretrained(), pipeline(model=),\n"
    "hf_hub_download()/snapshot_download(repo_id=), SentenceTransformer()/CrossEncoder(),\n"
    "requirements*.txt and package.json dependencies (an npm: alias counts as the package it\n"
    "installs). .git, node_modules, virtualenvs and files over 10 MB are skipped; symlinks\n"
    "leading out of PATH are not followed.\n"
    "\n"
    "Findings (rows carry file, line and the reference as written):\n"
    "  dependency    the referenced name imitates a protected one, or reuses a retired\n"
    "                namespace (scored by the engine, as `check` would)\n"
    "  path-escape   a local path that resolves outside PATH (high, 0.9)\n"
    "  unpinned      a Hugging Face model reference whose format allows a revision (Python\n"
    "                calls, adapter_config.json) but that is not pinned to a full 40-hex\n"
    "                commit: the repo owner, or whoever takes the name over, can change what\n"
    "                it loads. Reported by default at score 0.5, severity low, so it shows\n"
    "                at the default --min-score; --min-score 0.6 or --allow-unpinned hides it.\n"
    "                requirements without == or --hash, and package.json ranges, are\n"
    "                unpinned too, but are reported only with --require-pins (nearly every\n"
    "                such file would fail otherwise; lockfiles usually do that job).\n"
    "\n"
    "Exit codes as for check: 0 nothing at or above --min-score, 1 findings, 2 usage error,\n"
    "3 unreadable PATH, file or malformed JSON (reported with the file and the parser's\n"
    "message; the scan goes on, and findings elsewhere still exit 1).";

struct ScanRoot {
  std::string display;  // the scanned folder as given, normalized ("" for ".")
  fs::path folder;      // the scanned folder, absolute and lexically normal
  fs::path canonical;   // the same with symlinks resolved, for the walk
};

struct FileToScan {
  fs::path path;        // to open
  fs::path folder;      // its folder, absolute and lexically normal
  std::string display;  // shown to the user and in the output
};

struct Counters {
  size_t files = 0, references = 0, findings = 0, errors = 0, skipped = 0;
};

void Warn(absl::string_view what) {
  std::fprintf(stderr, "squatguard deps: %s\n", EscapeForTerminal(what).c_str());
}

void Error(absl::string_view what, Counters* counters) {
  Warn(what);
  ++counters->errors;
}

// True when `path` (absolute, lexically normal) is `folder` or below it.
bool Inside(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // the trailing "" of "dir/"
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

std::string JoinDisplay(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : absl::StrCat(dir, "/", name);
}

bool SkippedFolder(const std::string& name, const fs::path& path) {
  static const char* const kSkipped[] = {".git", ".hg", ".svn", "node_modules", "venv", ".venv",
                                         "__pycache__", ".tox", ".mypy_cache", ".pytest_cache"};
  for (const char* s : kSkipped) {
    if (name == s) return true;
  }
  std::error_code ec;
  return fs::exists(path / "pyvenv.cfg", ec);  // a virtualenv under any name
}

void WalkFolder(const ScanRoot& root, const fs::path& dir, const fs::path& lexical_dir, const std::string& display,
                int depth, std::vector<FileToScan>* files, Counters* counters) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    Error(absl::StrCat(display.empty() ? "." : display, ": cannot read folder: ", ec.message()), counters);
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  if (ec) Error(absl::StrCat(display.empty() ? "." : display, ": cannot list folder: ", ec.message()), counters);
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string shown = JoinDisplay(display, name);
    const fs::file_status st = entry.symlink_status(ec);
    if (ec) continue;
    if (fs::is_symlink(st)) {
      const fs::path target = fs::canonical(entry.path(), ec);
      if (ec) continue;  // a broken link
      const bool is_dir = fs::is_directory(target, ec);
      if (!Inside(target, root.canonical)) {
        if (is_dir || IsReferenceFile(shown)) {
          Warn(absl::StrCat(shown, ": symlink leads out of the scanned folder; not followed"));
          ++counters->skipped;
        }
        continue;
      }
      // A folder inside the tree is walked where it lives.
      if (!is_dir && fs::is_regular_file(target, ec) && IsReferenceFile(shown)) {
        files->push_back({entry.path(), lexical_dir, shown});
      }
      continue;
    }
    if (fs::is_directory(st)) {
      if (SkippedFolder(name, entry.path())) continue;
      if (depth >= kMaxDepth) {
        Warn(absl::StrCat(shown, ": nested deeper than ", kMaxDepth, " folders; not scanned"));
        ++counters->skipped;
        continue;
      }
      WalkFolder(root, entry.path(), lexical_dir / name, shown, depth + 1, files, counters);
    } else if (fs::is_regular_file(st) && IsReferenceFile(shown)) {
      files->push_back({entry.path(), lexical_dir, shown});
    }
  }
}

bool ReadFile(const FileToScan& file, std::string* contents, Counters* counters) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(file.path, ec);
  if (ec) {
    Error(absl::StrCat(file.display, ": cannot read: ", ec.message()), counters);
    return false;
  }
  if (size > kMaxFileBytes) {
    Warn(absl::StrCat(file.display, ": larger than 10 MB; not scanned"));
    ++counters->skipped;
    return false;
  }
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    Error(absl::StrCat(file.display, ": cannot read: ", std::error_code(errno, std::generic_category()).message()),
          counters);
    return false;
  }
  contents->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    Error(absl::StrCat(file.display, ": read error"), counters);
    return false;
  }
  return true;
}

Ecosystem EcosystemOf(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::kModel: return Ecosystem::kHuggingFace;
    case ReferenceKind::kPyPIPackage: return Ecosystem::kPyPI;
    case ReferenceKind::kNpmPackage: return Ecosystem::kNpm;
  }
  return Ecosystem::kAny;
}

struct DepsOptions {
  CommonOptions common;
  bool require_pins = false;
  bool allow_unpinned = false;
};

class ReferenceChecker {
 public:
  ReferenceChecker(const Engine& engine, const DepsOptions& options, FindingWriter* out, Counters* counters)
      : engine_(engine), options_(options), out_(out), counters_(counters) {}

  void Check(const Reference& ref, const FileToScan& file, const ScanRoot& root) {
    ++counters_->references;
    const std::string where = absl::StrCat(ref.file, ":", ref.line, " ", ref.field);
    const ExtraFields extra = {{"file", ref.file}, {"line", absl::StrCat(ref.line)}, {"reference", ref.raw}};
    if (ref.kind == ReferenceKind::kModel) {
      bool local = ref.local;
      std::error_code ec;
      if (!local && fs::exists(file.folder / ref.name, ec)) local = true;
      if (local) {
        CheckLocalPath(ref, file, root, where, extra);
        return;
      }
    }
    Candidate candidate;
    candidate.name = ref.name;
    candidate.ecosystem = EcosystemOf(ref.kind);
    absl::StatusOr<std::vector<Finding>> found =
        engine_.Check(candidate, options_.common.min_score, options_.common.top);
    if (!found.ok()) {
      Error(absl::StrCat(where, ": ", ReferenceKindName(ref.kind), " '", ref.name.substr(0, 200),
                         "': ", found.status().message()),
            counters_);
    } else {
      for (Finding& f : *found) {
        f.candidate = ref.name;
        f.techniques.erase(std::remove(f.techniques.begin(), f.techniques.end(), Technique::kDependency),
                           f.techniques.end());
        f.techniques.insert(f.techniques.begin(), Technique::kDependency);
        f.explanation = absl::StrCat(where, ": ", f.explanation);
        Emit(f, extra);
      }
    }
    CheckPin(ref, where, extra);
  }

 private:
  void Emit(const Finding& f, const ExtraFields& extra) {
    out_->Write(f, extra);
    ++counters_->findings;
  }

  void CheckLocalPath(const Reference& ref, const FileToScan& file, const ScanRoot& root, const std::string& where,
                      const ExtraFields& extra) {
    if (kPathEscapeScore < options_.common.min_score) return;
    const std::string path = absl::StrReplaceAll(ref.name, {{"\\", "/"}});
    const bool home = absl::StartsWith(path, "~");
    const bool drive = path.size() >= 2 && path[1] == ':';
    std::string target;
    if (home || drive) {
      target = path;
    } else {
      const fs::path resolved = (path[0] == '/' ? fs::path(path) : file.folder / path).lexically_normal();
      if (Inside(resolved, root.folder)) return;
      target = path[0] == '/' ? resolved.generic_string() : resolved.lexically_relative(root.folder).generic_string();
    }
    Finding f;
    f.candidate = ref.name;
    f.ecosystem = Ecosystem::kHuggingFace;
    f.target = target;
    f.target_kind = EntryKind::kRepo;
    f.score = kPathEscapeScore;
    f.severity = Severity::kHigh;
    f.techniques = {Technique::kPathEscape};
    f.explanation = absl::StrCat(where, ": local path '", ref.name, "' resolves outside the scanned folder (",
                                 target, " from ", root.display.empty() ? "." : root.display,
                                 "): whatever sits there is loaded");
    Emit(f, extra);
  }

  void CheckPin(const Reference& ref, const std::string& where, const ExtraFields& extra) {
    if (!ref.pinnable || ref.pinned || options_.allow_unpinned) return;
    if (ref.kind != ReferenceKind::kModel && !options_.require_pins) return;
    if (kUnpinnedScore < options_.common.min_score) return;
    Finding f;
    f.candidate = ref.name;
    f.ecosystem = EcosystemOf(ref.kind);
    f.target = ref.name;
    f.target_kind = ref.kind == ReferenceKind::kModel ? EntryKind::kRepo : EntryKind::kPackage;
    f.score = kUnpinnedScore;
    f.severity = Severity::kLow;
    f.techniques = {Technique::kUnpinned};
    switch (ref.kind) {
      case ReferenceKind::kModel:
        f.explanation = ref.revision.empty()
                            ? absl::StrCat(where, ": '", ref.name,
                                           "' has no revision, so it loads whatever the repo holds at run time; "
                                           "pin revision=\"<40-hex commit>\"")
                            : absl::StrCat(where, ": '", ref.name, "' is pinned to revision '", ref.revision,
                                           "', a branch, tag or short hash that can move; pin a full 40-hex commit");
        break;
      case ReferenceKind::kPyPIPackage:
        f.explanation = absl::StrCat(where, ": '", ref.name, "' ",
                                     ref.revision.empty() ? "has no version"
                                                          : absl::StrCat("allows '", ref.revision, "'"),
                                     ", so any new release is installed; pin with == (and --hash)");
        break;
      case ReferenceKind::kNpmPackage:
        f.explanation = absl::StrCat(where, ": '", ref.name, "@", ref.revision,
                                     "' is a range, so any new matching release is installed; pin an exact version");
        break;
    }
    Emit(f, extra);
  }

  const Engine& engine_;
  const DepsOptions& options_;
  FindingWriter* out_;
  Counters* counters_;
};

// The files to scan under one PATH (a folder, or a single file).
bool CollectFiles(const std::string& arg, ScanRoot* root, std::vector<FileToScan>* files, Counters* counters) {
  std::error_code ec;
  const fs::path path(arg);
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    Error(absl::StrCat(arg, ": cannot read: ",
                       ec ? ec.message() : std::make_error_code(std::errc::no_such_file_or_directory).message()),
          counters);
    return false;
  }
  std::string shown = path.lexically_normal().generic_string();
  while (shown.size() > 1 && absl::EndsWith(shown, "/")) shown.pop_back();
  if (shown == ".") shown.clear();
  root->display = shown;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  if (fs::is_directory(st)) {
    root->folder = absolute;
    root->canonical = fs::canonical(path, ec);
    if (ec) {
      Error(absl::StrCat(arg, ": cannot read: ", ec.message()), counters);
      return false;
    }
    WalkFolder(*root, path, root->folder, root->display, 0, files, counters);
    return true;
  }
  if (!fs::is_regular_file(st)) {
    Error(absl::StrCat(arg, ": not a file or folder"), counters);
    return false;
  }
  // One file: its folder is the scanned folder. Any file name is read as the
  // format its name says; a name no reader knows is an error, not a silent pass.
  root->display = fs::path(shown).parent_path().generic_string();
  root->folder = absolute.parent_path();
  root->canonical = fs::canonical(path, ec).parent_path();
  if (!IsReferenceFile(shown)) {
    Error(absl::StrCat(arg, ": not a file squatguard deps reads (config.json, adapter_config.json, README.md, "
                            "*.py, requirements*.txt, package.json)"),
          counters);
    return false;
  }
  files->push_back({path, root->folder, shown});
  return true;
}

}  // namespace

int RunDeps(const Args& args) {
  ArgParser p("deps", kSummary, "PATH...");
  AddEngineOptions(&p);
  p.AddFlag("--require-pins", "also report requirements without == or --hash and package.json version ranges");
  p.AddFlag("--allow-unpinned", "report no unpinned references at all");
  if (absl::Status s = p.Parse(args); !s.ok()) {
    std::fprintf(stderr, "squatguard deps: %s\n", std::string(s.message()).c_str());
    return kExitUsage;
  }
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok()) {
    std::fprintf(stderr, "squatguard deps: %s\n", std::string(common.status().message()).c_str());
    return kExitUsage;
  }
  DepsOptions options;
  options.common = *common;
  options.require_pins = p.Has("--require-pins");
  options.allow_unpinned = p.Has("--allow-unpinned");
  if (options.require_pins && options.allow_unpinned) {
    std::fprintf(stderr, "squatguard deps: --require-pins and --allow-unpinned contradict each other\n");
    return kExitUsage;
  }
  if (p.positionals().empty()) {
    std::fprintf(stderr, "squatguard deps: give at least one PATH (a model folder, source tree or file)\n\n%s",
                 p.Usage().c_str());
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngineFromArgs(p);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard deps: %s\n", EscapeForTerminal(engine.status().message()).c_str());
    return kExitBadInput;
  }
  std::unique_ptr<FindingWriter> out = MakeFindingWriter(options.common.format, std::cout);
  Counters counters;
  ReferenceChecker checker(**engine, options, out.get(), &counters);
  for (const std::string& arg : p.positionals()) {
    ScanRoot root;
    std::vector<FileToScan> files;
    if (!CollectFiles(arg, &root, &files, &counters)) continue;
    for (const FileToScan& file : files) {
      std::string contents;
      if (!ReadFile(file, &contents, &counters)) continue;
      ++counters.files;
      absl::StatusOr<std::vector<Reference>> refs = ExtractReferences(file.display, contents);
      if (!refs.ok()) {
        Error(absl::StrCat(file.display, ": ", refs.status().message()), &counters);
        continue;
      }
      for (const Reference& ref : *refs) checker.Check(ref, file, root);
    }
  }
  out->Finish({{"paths", absl::StrCat(p.positionals().size())},
               {"files", absl::StrCat(counters.files)},
               {"references", absl::StrCat(counters.references)},
               {"findings", absl::StrCat(counters.findings)},
               {"errors", absl::StrCat(counters.errors)},
               {"skipped", absl::StrCat(counters.skipped)},
               {"protected", absl::StrCat((*engine)->protected_count())}});
  if (counters.findings > 0) return kExitFindings;
  return counters.errors > 0 ? kExitBadInput : kExitClean;
}

}  // namespace cli
}  // namespace squatguard
