// PypiSource: every project name of the PEP 691 JSON simple index.
//
// GET <endpoint>/simple/ with Accept: application/vnd.pypi.simple.v1+json
// returns all project names at once (tens of MB). The crawl job keeps only
// names not already stored, so each new project is seen once; the index is
// handed out in pages of page_size names so each page commits on its own.
// The cursor stays empty: after a kill the index is fetched again and the
// names already stored are skipped.
#ifndef SQUATGUARD_CRAWLERS_PYPI_SOURCE_H_
#define SQUATGUARD_CRAWLERS_PYPI_SOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class PypiSource : public Source {
 public:
  static constexpr char kDefaultEndpoint[] = "https://pypi.org";
  static constexpr int kDefaultPageSize = 5000;
  static constexpr size_t kMaxIndexBytes = size_t{1} << 30;

  explicit PypiSource(const SourceOptions& options);

  absl::string_view name() const override { return "pypi"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

 private:
  absl::Status FetchIndex();

  std::string endpoint_;
  int page_size_;
  size_t index_max_bytes_;  // options.max_body_bytes, else kMaxIndexBytes
  JsonFetcher fetcher_;
  std::optional<std::vector<std::string>> projects_;  // fetched once a run
  size_t next_ = 0;
};

// The project names of a PEP 691 index body, read as a stream. DataLoss for
// a body that is not complete JSON, has no "projects" array at the top, or
// has a project without a string "name".
absl::Status ReadProjectNames(absl::string_view body,
                              std::vector<std::string>* names);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_PYPI_SOURCE_H_
