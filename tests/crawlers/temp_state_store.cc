#include "tests/crawlers/temp_state_store.h"

#include <stdlib.h>

#include <cstdlib>

namespace squatguard {
namespace testing {

TempStateStore::TempStateStore(const std::string& dir_tag) {
  std::string tmpl = "/tmp/squatguard-" + dir_tag + "-XXXXXX";
  dir_ = mkdtemp(tmpl.data());
  store_ = *crawlers::StateStore::Open(path());
}

TempStateStore::~TempStateStore() {
  store_.reset();
  std::system(("rm -rf '" + dir_ + "'").c_str());
}

void TempStateStore::Reopen() {
  store_.reset();
  store_ = *crawlers::StateStore::Open(path());
}

}  // namespace testing
}  // namespace squatguard
