#include "tests/engine/corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace test {

std::string SharedCorporaDir() {
  const std::string dir = std::string(SQUATGUARD_SHARED_DIR) + "/corpora";
  std::error_code ec;
  if (std::filesystem::exists(dir + "/pypi-names.tsv", ec)) return dir;
  return "";
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::vector<RankedName>& PypiNames() {
  static const std::vector<RankedName>* names = [] {
    auto* out = new std::vector<RankedName>();
    const std::string dir = SharedCorporaDir();
    if (dir.empty()) return out;
    std::ifstream in(dir + "/pypi-names.tsv");
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
      if (header) {  // "name\trank\tmonth"
        header = false;
        continue;
      }
      std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
      if (cols.empty() || cols[0].empty()) continue;
      RankedName r;
      r.name = std::string(cols[0]);
      if (cols.size() > 1 && !cols[1].empty()) {
        if (!absl::SimpleAtoi(cols[1], &r.rank)) r.rank = 0;
      }
      out->push_back(std::move(r));
    }
    return out;
  }();
  return *names;
}

std::vector<std::string> PypiNamesByRank() {
  std::vector<const RankedName*> ranked;
  for (const RankedName& r : PypiNames()) {
    if (r.rank > 0) ranked.push_back(&r);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const RankedName* a, const RankedName* b) { return a->rank < b->rank; });
  std::vector<std::string> out;
  out.reserve(ranked.size());
  for (const RankedName* r : ranked) out.push_back(r->name);
  return out;
}

std::vector<std::string> CorpusLines(const std::string& file) {
  std::vector<std::string> out;
  const std::string dir = SharedCorporaDir();
  if (dir.empty()) return out;
  std::ifstream in(dir + "/" + file);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty() || t[0] == '#') continue;
    out.emplace_back(t);
  }
  return out;
}

std::vector<size_t> SampleIndices(Random& rng, size_t n, size_t count) {
  count = std::min(count, n);
  std::vector<size_t> out;
  std::unordered_set<size_t> seen;
  while (out.size() < count) {
    const size_t i = rng.Below(n);
    if (seen.insert(i).second) out.push_back(i);
  }
  return out;
}

}  // namespace test
}  // namespace squatguard
