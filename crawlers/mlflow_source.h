// MlflowSource: registered models of an MLflow tracking server, with their
// versions and aliases.
//
// GET <endpoint>/api/2.0/mlflow/registered-models/search?max_results=N
// [&page_token=T] lists every registered model; for each model on a page,
// GET .../model-versions/search?filter=name='<model>' lists its versions.
// Aliases ({"alias": "champion", "version": "3"}) come with the model. The
// crawl job stores new model names once, and every version and every
// (alias, version) pair it has not seen before, which is the history the
// lifecycle checks (alias-move, version-jump) read.
//
// The cursor is the page_token of the run under way; a finished run leaves
// it empty, so each run lists the registry again (model registries are
// small, and MLflow offers no "created since" filter).
// Token from MLFLOW_TRACKING_TOKEN, sent as a Bearer token.
#ifndef SQUATGUARD_CRAWLERS_MLFLOW_SOURCE_H_
#define SQUATGUARD_CRAWLERS_MLFLOW_SOURCE_H_

#include <string>
#include <vector>

#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class MlflowSource : public Source {
 public:
  static constexpr int kDefaultPageSize = 100;

  explicit MlflowSource(const SourceOptions& options);

  absl::string_view name() const override { return "mlflow"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

 private:
  HttpRequest Request(std::string url) const;
  absl::Status FetchVersions(const std::string& model, SourcePage* page);

  std::string endpoint_;
  std::string token_;
  int page_size_;
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_MLFLOW_SOURCE_H_
