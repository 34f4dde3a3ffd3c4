// Normalizer is shared by every engine thread: concurrent calls must give the
// same answers as one thread does.

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "confusables/normalize.h"
#include "gtest/gtest.h"
#include "tests/confusables/forms_testing.h"

namespace squatguard {
namespace confusables {
namespace {

std::vector<std::string> SampleNames() {
  std::vector<std::string> names = {"meta-llama",
                                    "meta-Ilama",
                                    "m\u0435ta-llama",
                                    "googIe",
                                    "0penai",
                                    "\uFF47\uFF4F\uFF4F\uFF47\uFF4C\uFF45",
                                    "\uFB01le",
                                    "JOIN",
                                    "Qwen",
                                    "a\u200Bb",
                                    "\u202Ex",
                                    "r\u00E9quests",
                                    "\u044F\u043D\u0434\u0435\u043A\u0441",
                                    "\uFDFA",
                                    "g\u03BFogle",
                                    "",
                                    "tab\there"};
  const std::string dir = SharedCorporaDir();
  if (!dir.empty()) {
    std::vector<std::string> corpus =
        ReadCorpusNames(absl::StrCat(dir, "/hf-models.txt"));
    names.insert(names.end(), corpus.begin(), corpus.end());
  }
  return names;
}

TEST(ThreadSafetyTest, ConcurrentCallsMatchASingleThread) {
  const std::vector<std::string> names = SampleNames();
  const Normalizer& normalizer = Normalizer::Default();
  std::vector<NameForms> expected;
  for (const std::string& name : names) {
    absl::StatusOr<NameForms> forms = normalizer.NormalizeWithIcu(name);
    ASSERT_TRUE(forms.ok()) << forms.status();
    expected.push_back(*std::move(forms));
  }

  constexpr int kThreads = 6;
  constexpr int kRounds = 5;
  std::vector<std::vector<std::string>> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      NameForms reused;
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < names.size(); ++i) {
          // Mix the three entry points so they run against each other.
          absl::StatusOr<NameForms> forms =
              (i + t + round) % 3 == 0 ? normalizer.NormalizeWithIcu(names[i])
                                       : normalizer.Normalize(names[i]);
          std::string diff = forms.ok()
                                 ? DescribeFormsDifference(*forms, expected[i])
                                 : std::string(forms.status().message());
          if (diff.empty() &&
              normalizer.NormalizeInto(names[i], &reused).ok()) {
            diff = DescribeFormsDifference(reused, expected[i]);
          }
          if (!diff.empty()) failures[t].push_back(names[i] + ": " + diff);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(failures[t].empty())
        << "thread " << t << ": " << failures[t].front();
  }
}

}  // namespace
}  // namespace confusables
}  // namespace squatguard
