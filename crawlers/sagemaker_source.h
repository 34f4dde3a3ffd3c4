// SageMakerSource: the model package groups of an AWS SageMaker Model
// Registry, with every package version and which version is approved.
//
// AWS JSON 1.1: POST <endpoint>/ with X-Amz-Target:
// SageMaker.ListModelPackageGroups ({"MaxResults": N, "NextToken": T} ->
// ModelPackageGroupSummaryList, NextToken), then for each group on the page
// SageMaker.ListModelPackages ({"ModelPackageGroupName": G, ...} ->
// ModelPackageSummaryList with ModelPackageVersion and ModelApprovalStatus).
// Requests are signed with SigV4 by libcurl (CURLOPT_AWS_SIGV4,
// "aws:amz:REGION:sagemaker"); a session token goes in X-Amz-Security-Token
// (signed with the other headers).
//
// The model name is the group name (ecosystem "sagemaker"); its alias
// "approved" is the highest Approved version, the one a deployment that
// takes "the latest approved package" deploys.
//
// Endpoint: https://api.sagemaker.REGION.amazonaws.com unless given.
// The cursor is the NextToken of the run under way; a finished run leaves it
// empty, so each run lists the registry again (as MLflow's).
#ifndef SQUATGUARD_CRAWLERS_SAGEMAKER_SOURCE_H_
#define SQUATGUARD_CRAWLERS_SAGEMAKER_SOURCE_H_

#include <string>

#include <nlohmann/json.hpp>

#include "crawlers/cloud_registry.h"
#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class SageMakerSource : public Source {
 public:
  static constexpr int kDefaultPageSize = 100;  // the API's maximum

  // options.cloud.region is required (MakeSource checks it).
  explicit SageMakerSource(const SourceOptions& options);

  absl::string_view name() const override { return "sagemaker"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

  static std::string DefaultEndpoint(absl::string_view region);

 private:
  // POSTs `body` as `operation` until `read` accepts the answer.
  absl::Status Call(const std::string& operation, const nlohmann::json& body,
                    const JsonReader& read);
  absl::Status FetchPackages(const std::string& group, SourcePage* page);

  std::string endpoint_;
  std::string region_;
  AwsCredentials credentials_;
  int page_size_;
  std::string operation_;  // the call under way, for error messages
  JsonFetcher fetcher_;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_SAGEMAKER_SOURCE_H_
