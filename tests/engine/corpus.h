// Test helpers: the real registry names of shared/corpora, read once per
// process, and a deterministic random source that gives the same sample on
// every platform (std:: distributions do not).
#ifndef SQUATGUARD_TESTS_ENGINE_CORPUS_H_
#define SQUATGUARD_TESTS_ENGINE_CORPUS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace squatguard {
namespace test {

// The shared corpora folder, or "" when it is not there (tests then skip).
std::string SharedCorporaDir();

struct RankedName {
  std::string name;
  int64_t rank = 0;  // 0: the corpus gives no rank
};

// shared/corpora/pypi-names.tsv (`name rank month`), every row. Empty when
// the corpora are missing.
const std::vector<RankedName>& PypiNames();

// The PyPI names that have a rank, most popular first.
std::vector<std::string> PypiNamesByRank();

// Every non-comment, non-blank line of a shared/corpora .txt file.
std::vector<std::string> CorpusLines(const std::string& file);

// The file's contents; fails the calling test when it cannot be read.
std::string ReadFileOrDie(const std::string& path);

// A seeded generator with platform-independent helpers.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  uint64_t Next() { return engine_(); }
  // Uniform in [0, n), n > 0 (modulo bias is irrelevant for sampling tests).
  size_t Below(size_t n) { return static_cast<size_t>(engine_() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }

 private:
  std::mt19937_64 engine_;
};

// `count` distinct indices in [0, n), in random order.
std::vector<size_t> SampleIndices(Random& rng, size_t n, size_t count);

}  // namespace test
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_ENGINE_CORPUS_H_
