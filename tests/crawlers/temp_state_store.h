// TempStateStore: a StateStore in a scratch directory of its own, removed
// with it; for tests that drive the crawl job without the binary.
#ifndef SQUATGUARD_TESTS_CRAWLERS_TEMP_STATE_STORE_H_
#define SQUATGUARD_TESTS_CRAWLERS_TEMP_STATE_STORE_H_

#include <memory>
#include <string>

#include "crawlers/state_store.h"

namespace squatguard {
namespace testing {

class TempStateStore {
 public:
  // The directory is /tmp/squatguard-<dir_tag>-XXXXXX.
  explicit TempStateStore(const std::string& dir_tag);
  ~TempStateStore();
  TempStateStore(const TempStateStore&) = delete;
  TempStateStore& operator=(const TempStateStore&) = delete;

  std::string path() const { return dir_ + "/s.db"; }
  crawlers::StateStore& store() { return *store_; }
  // Closes and opens the database again, as a later run would.
  void Reopen();

 private:
  std::string dir_;
  std::unique_ptr<crawlers::StateStore> store_;
};

}  // namespace testing
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CRAWLERS_TEMP_STATE_STORE_H_
