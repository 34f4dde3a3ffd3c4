// EdgeFilter may answer "maybe" for a key never added, never "absent" for
// one that was; and it must actually say "absent" for most others, or the
// maps behind it pay a full hash for every probe.

#include "edge_filter.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace internal {
namespace {

TEST(EdgeFilterTest, NeverLosesAnAddedKey) {
  EdgeFilter filter(2000);
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back(absl::StrCat("name", i * 7919, "x"));
  keys.push_back("");
  keys.push_back("a");
  keys.push_back("ab");
  for (const std::string& k : keys) filter.Add(k);
  for (const std::string& k : keys) EXPECT_TRUE(filter.MayContain(k)) << k;
}

TEST(EdgeFilterTest, RejectsMostOtherKeys) {
  EdgeFilter filter(100);
  for (const char* w : {"py", "python", "sdk", "client", "api", "lib", "official", "io", "ai"}) filter.Add(w);
  int admitted = 0;
  const int kProbes = 10000;
  for (int i = 0; i < kProbes; ++i) admitted += filter.MayContain(absl::StrCat(i * 2654435761u % 100003, "-pkg-", i)) ? 1 : 0;
  EXPECT_LT(admitted, kProbes / 100) << "the filter must rule out nearly all non-members";
  EXPECT_FALSE(filter.MayContain("pz"));
  EXPECT_FALSE(filter.MayContain("pyth0n"));
}

TEST(EdgeFilterTest, AnUnsizedFilterAdmitsEverything) {
  EdgeFilter filter;
  filter.Add("ignored");
  EXPECT_TRUE(filter.MayContain("anything"));
}

TEST(FilteredMapTest, FindsTheSameBeforeAndAfterSeal) {
  FilteredMap<int> map;
  map.map()["requests"] = 1;
  map.map()["numpy"] = 2;
  ASSERT_NE(map.Find("numpy"), nullptr);
  EXPECT_EQ(*map.Find("numpy"), 2);
  EXPECT_EQ(map.Find("reqeusts"), nullptr);
  map.Seal();
  ASSERT_NE(map.Find("requests"), nullptr);
  EXPECT_EQ(*map.Find("requests"), 1);
  EXPECT_EQ(map.Find("numpyy"), nullptr);
  map.map().erase("numpy");  // erasing after Seal leaves the filter a superset: still correct
  EXPECT_EQ(map.Find("numpy"), nullptr);
}

}  // namespace
}  // namespace internal
}  // namespace squatguard
