// The options every scoring command shares (--protected, --add-protected,
// --ecosystem, --kind, --min-score, --top, --max-name-bytes,
// --max-reorder-words, --format) and building an Engine from them.
#ifndef SQUATGUARD_CLI_ENGINE_LOADER_H_
#define SQUATGUARD_CLI_ENGINE_LOADER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "cli/args.h"
#include "cli/output.h"
#include "squatguard/engine.h"

namespace squatguard {
namespace cli {

// Registers the shared options on `parser`.
void AddEngineOptions(ArgParser* parser);

// Where the shipped lists live: $SQUATGUARD_DATA_DIR, else the source tree's
// data/ (a build run from the tree), else the installed share/squatguard.
std::string DataDir();

// The upper bounds of --max-name-bytes (1 MiB, far past any registry's
// limit) and --max-reorder-words (word orderings grow factorially).
inline constexpr int64_t kMaxNameBytesLimit = 1 << 20;
inline constexpr int kMaxReorderWordsLimit = 8;

struct CommonOptions {
  Ecosystem ecosystem = Ecosystem::kAny;  // --ecosystem: candidates without a prefix
  double min_score = 0.5;
  int top = 3;
  // The engine's defaults (1024 bytes, 5 words) unless given.
  int64_t max_name_bytes = static_cast<int64_t>(EngineOptions{}.max_name_bytes);
  int max_reorder_words = EngineOptions{}.max_reorder_tokens;
  OutputFormat format = OutputFormat::kTable;
};

// Parses the shared options (InvalidArgument for bad values: exit 2).
absl::StatusOr<CommonOptions> ParseCommonOptions(const ArgParser& parser);

// Loads the protected lists (--protected replaces the shipped ones,
// --add-protected adds to them) and the affix words, and builds the engine.
// Errors name the file and line (exit 3).
absl::StatusOr<std::unique_ptr<Engine>> LoadEngineFromArgs(const ArgParser& parser);

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_ENGINE_LOADER_H_
