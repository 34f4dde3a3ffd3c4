// HfRepoLookup: asks the Hugging Face Hub about one stored repo, for the
// verify pass (name_verifier.h).
//
//   GET {endpoint}/api/{models|datasets|spaces}/{org}/{name}
//
// 200 with the same "id": present (its "_id", author and createdAt as now).
// 200 with another "id": moved (the Hub redirects renamed repos).
// 404 or 410: gone. 401 without a token: gone too (the Hub answers 401 to
// anonymous requests for missing or private repos); with a token, 401 and
// 403 are errors (a bad token must not turn every repo into a tombstone).
// Requests go through a JsonFetcher (rate limit, retries of 429, 5xx,
// transport failures and unreadable bodies); other statuses are errors.
// Errors are network failures.
//
// Only kinds "model", "dataset" and "space" are looked up.
#ifndef SQUATGUARD_CRAWLERS_HF_REPO_LOOKUP_H_
#define SQUATGUARD_CRAWLERS_HF_REPO_LOOKUP_H_

#include <string>
#include <vector>

#include "crawlers/json_fetcher.h"
#include "crawlers/name_verifier.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class HfRepoLookup : public NameLookup {
 public:
  // The token is options.token, else HF_TOKEN from the environment.
  explicit HfRepoLookup(const SourceOptions& options);

  Ecosystem ecosystem() const override { return Ecosystem::kHuggingFace; }
  absl::StatusOr<LookupAnswer> Lookup(const SeenName& stored) override;
  FetchStats stats() const override { return fetcher_.stats(); }

  std::vector<std::string> kinds() const override {
    return {"model", "dataset", "space"};
  }

  // The API URL of a stored repo; "" for a kind the Hub has no API for.
  std::string RepoUrl(const SeenName& stored) const;

 private:
  std::string endpoint_;
  std::string token_;
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_HF_REPO_LOOKUP_H_
