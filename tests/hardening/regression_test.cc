// Regression tests for what the fuzz harnesses found in pure functions,
// one test per finding, named for the property that broke. Inputs that
// need the whole path (HTTP, the binary) live in fuzz/regressions/ and are
// replayed by the fuzz_replay.* tests instead.
#include <string>
#include <vector>

#include "crawlers/pypi_source.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace crawlers {
namespace {

// pypi_response harness, 2026-11-25: a project named "" was handed to the
// crawl as a name (the DOM reader before it refused it), stored, and then
// refused by the engine as "empty name" on every rescan. Every other source
// refuses or skips a record without a name.
TEST(PypiIndex, EmptyProjectNameIsRefused) {
  std::vector<std::string> names;
  absl::Status s = ReadProjectNames(R"({"projects": [{"name": "a"}, {"name": ""}]})", &names);
  EXPECT_FALSE(s.ok()) << "accepted names: " << names.size();
}

TEST(PypiIndex, ReadsNamesAndRefusesUnnamedProjects) {
  std::vector<std::string> names;
  ASSERT_TRUE(ReadProjectNames(R"({"meta": {}, "projects": [{"name": "a"}, {"name": "b"}]})", &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(ReadProjectNames(R"({"projects": [{"name": 5}]})", &names).ok());
  EXPECT_FALSE(ReadProjectNames(R"({"projects": [{"name": "a")", &names).ok());
  EXPECT_FALSE(ReadProjectNames(R"([])", &names).ok());
}

}  // namespace
}  // namespace crawlers
}  // namespace squatguard
