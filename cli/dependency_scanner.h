// Finding the model and package references in the files of a model folder or
// source tree, for `squatguard deps`.
//
// Extraction is a pure function over one file's name and bytes: no file
// system, no engine, so moderation tools can reuse it and tests can feed it
// anything. Which files carry references:
//
//   config.json            "_name_or_path" (also nested: text_config, ...)
//   adapter_config.json    "base_model_name_or_path", pinned by "revision"
//   README.md              model-card front matter: base_model (scalar or list)
//   *.py                   .from_pretrained("x"), pipeline(model="x"),
//                          hf_hub_download(repo_id="x"), snapshot_download,
//                          SentenceTransformer("x"), CrossEncoder("x"); each
//                          pinned by a revision="..." argument
//   requirements*.txt,     PEP 508 requirements; pinned by == / === or
//   *requirements*.txt,    --hash=
//   requirements/*.txt
//   package.json           dependencies, devDependencies, peerDependencies,
//                          optionalDependencies; "npm:" aliases name the real
//                          package; pinned by an exact version
//
//   absl::StatusOr<std::vector<Reference>> refs =
//       ExtractReferences("models/lora/adapter_config.json", text);
//   // refs->front().name == "meta-llama/Llama-3-8B", .field ==
//   // "base_model_name_or_path", .line == 4
//
// Python is read with a small tokenizer (strings, comments, brackets), not
// executed and not fully parsed: only string literals count, so f-strings,
// variables and calls in comments or docstrings are ignored. References that
// are local (git URLs, file: specs, wheels, editable installs) are not
// returned for packages; model references that look like filesystem paths are
// returned with `local` set, for the caller to check where they point.
#ifndef SQUATGUARD_CLI_DEPENDENCY_SCANNER_H_
#define SQUATGUARD_CLI_DEPENDENCY_SCANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace squatguard {
namespace cli {

enum class ReferenceKind : uint8_t {
  kModel,        // a Hugging Face model id ("org/repo" or a legacy bare name)
  kPyPIPackage,  // a requirements file entry
  kNpmPackage,   // a package.json dependency
};

struct Reference {
  ReferenceKind kind = ReferenceKind::kModel;
  std::string name;      // the referenced name (an npm alias: the real package)
  std::string revision;  // the pin as written: a model revision, "==2.0", "^1.2.3"; may be empty
  // The format has a place for an immutable pin (a Python call's revision=,
  // adapter_config.json's "revision", a version specifier), so a missing or
  // movable pin is the author's choice. config.json and model cards have none.
  bool pinnable = false;
  // Pinned immutably: a model revision that is a full 40-hex commit hash (or an
  // expression the tokenizer cannot evaluate, which is given the benefit of the
  // doubt), an exact or hashed pip requirement, an exact npm version.
  bool pinned = false;
  // A model reference written as a filesystem path ("./x", "../x", "/x",
  // "~/x", "C:\x", or more than one '/'): not a Hub id.
  bool local = false;
  std::string file;   // path_in_tree as given
  int line = 0;       // 1-based line of the reference
  std::string field;  // where it sits: "_name_or_path", "from_pretrained", "dependencies", ...
  std::string raw;    // the reference as written (a value, a requirement line, "key": "spec")
};

// True when `path_in_tree` names a file ExtractReferences understands (by its
// file name, and for requirements/*.txt its folder). Lets a tree walker skip
// every other file unread.
bool IsReferenceFile(absl::string_view path_in_tree);

// The references in one file, in file order. `path_in_tree` decides the
// format (see IsReferenceFile; other names give no references) and is copied
// into Reference::file. InvalidArgument for a malformed JSON file, with the
// parser's message; every other format is read leniently and never fails.
// Linear in the size of `contents`.
absl::StatusOr<std::vector<Reference>> ExtractReferences(absl::string_view path_in_tree,
                                                         absl::string_view contents);

// A full Hugging Face commit hash: exactly 40 hex digits.
bool IsCommitHash(absl::string_view revision);

// "hf model", "pypi package", "npm package".
absl::string_view ReferenceKindName(ReferenceKind kind);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_DEPENDENCY_SCANNER_H_
