// PyPI's name identities (PEP 503, Warehouse's ultranormalize_name) and the
// separator-free form npm uses.

#include <string>

#include "absl/strings/str_cat.h"
#include "confusables/normalize.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

TEST(PypiNormalizeTest, SpellingsOfOneProjectMeet) {
  EXPECT_EQ(PypiNormalize("Django"), PypiNormalize("django"));
  EXPECT_EQ(PypiNormalize("Django"), "django");
  EXPECT_EQ(PypiNormalize("zope_interface"), "zope-interface");
  EXPECT_EQ(PypiNormalize("zope.interface"), "zope-interface");
  EXPECT_EQ(PypiNormalize("Zope-Interface"), "zope-interface");
  EXPECT_EQ(PypiNormalize("PyYAML"), "pyyaml");
  // Runs of mixed separators collapse to one '-'.
  EXPECT_EQ(PypiNormalize("Foo__Bar.-_baz"), "foo-bar-baz");
  EXPECT_EQ(PypiNormalize("-lead.trail_"), "-lead-trail-");
  EXPECT_EQ(PypiNormalize(""), "");
}

TEST(PypiNormalizeTest, DifferentProjectsStayApart) {
  EXPECT_NE(PypiNormalize("requests"), PypiNormalize("request"));
  EXPECT_NE(PypiNormalize("python-dateutil"), PypiNormalize("pythondateutil"));
  // Non-ASCII is left alone (PEP 503 names are ASCII; this never breaks UTF-8).
  EXPECT_EQ(PypiNormalize("Caf\u00E9"), "caf\u00E9");
}

TEST(PypiNormalizeTest, EveryCorpusNameIsAlreadyNormalized) {
  const std::string dir = SharedCorporaDir();
  if (dir.empty()) {
    GTEST_SKIP() << "shared corpora not found under " << SQUATGUARD_SHARED_DIR;
  }
  // The PyPI simple index lists projects by their PEP 503 names.
  const std::vector<std::string> names =
      ReadCorpusNames(absl::StrCat(dir, "/pypi-names.tsv"));
  ASSERT_GT(names.size(), 100000u);
  size_t changed = 0;
  for (const std::string& name : names) changed += PypiNormalize(name) != name;
  EXPECT_EQ(changed, 0u);
}

TEST(PypiUltranormalizeTest, CollisionsPypiRefuses) {
  // Real project pairs on PyPI that predate the rule and collide under it.
  EXPECT_EQ(PypiUltranormalize("able"), PypiUltranormalize("abie"));
  EXPECT_EQ(PypiUltranormalize("pia"), PypiUltranormalize("pla"));
  EXPECT_EQ(PypiUltranormalize("vsi"), PypiUltranormalize("vsl"));
  // Look-alikes of popular names.
  EXPECT_EQ(PypiUltranormalize("Pillow"), PypiUltranormalize("PiIl0w"));
  EXPECT_EQ(PypiUltranormalize("Pillow"), "p1110w");
  EXPECT_EQ(PypiUltranormalize("0penai"), PypiUltranormalize("openai"));
  EXPECT_EQ(PypiUltranormalize("zope.interface"),
            PypiUltranormalize("ZopeInterface"));
}

TEST(PypiUltranormalizeTest, OnlyTheDocumentedLookAlikesAreMapped) {
  // Warehouse maps o/O, l/L, i/I only: a '5' for 's' is not caught.
  EXPECT_NE(PypiUltranormalize("requests"), PypiUltranormalize("reque5ts"));
  EXPECT_EQ(PypiUltranormalize("requests"), "requests");
  // Spaces are not separators for PyPI.
  EXPECT_EQ(PypiUltranormalize("a b"), "a b");
  EXPECT_EQ(PypiUltranormalize("Caf\u00E9"), "caf\u00E9");
}

TEST(RemoveSeparatorsTest, RemovesDashUnderscoreDotAndSpace) {
  EXPECT_EQ(RemoveSeparators("meta-llama_3.1 8B"), "metallama318B");
  EXPECT_EQ(RemoveSeparators("@types/node"), "@types/node");
  EXPECT_EQ(RemoveSeparators("--__.. "), "");
  EXPECT_EQ(RemoveSeparators("caf\u00E9-au-lait"), "caf\u00E9aulait");
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
