// NpmSource: new npm packages from the registry's CouchDB-style changes feed.
//
// GET <endpoint>/_changes?since=SEQ&limit=N returns
//   {"results": [{"seq": 12, "id": "left-pad", "changes": [...]}, ...],
//    "last_seq": 12}
// The cursor is the last sequence, kept as its JSON text (a number on some
// mirrors, an opaque string on CouchDB 2+). A change may be a new package
// or an update; the crawl job keeps only names it has not stored. Deleted
// documents and design documents are skipped. A page shorter than N (or
// empty) ends the run.
#ifndef SQUATGUARD_CRAWLERS_NPM_SOURCE_H_
#define SQUATGUARD_CRAWLERS_NPM_SOURCE_H_

#include <string>

#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class NpmSource : public Source {
 public:
  static constexpr char kDefaultEndpoint[] = "https://replicate.npmjs.com";
  static constexpr int kDefaultPageSize = 1000;

  explicit NpmSource(const SourceOptions& options);

  absl::string_view name() const override { return "npm"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

 private:
  std::string endpoint_;
  int page_size_;
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_NPM_SOURCE_H_
