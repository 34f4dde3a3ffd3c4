// Building the cloud registry sources (sagemaker, vertex, azureml) for
// MakeSource: checks their locations and fills credentials from the
// environment.
#ifndef SQUATGUARD_CRAWLERS_CLOUD_SOURCE_FACTORY_H_
#define SQUATGUARD_CRAWLERS_CLOUD_SOURCE_FACTORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

// `name` is "sagemaker", "vertex" or "azureml". InvalidArgument naming the
// missing or malformed option (--region, --project, ...). A missing
// credential is not an error here: the source reports it on its first
// request, naming the variable to set (exit 4).
absl::StatusOr<std::unique_ptr<Source>> MakeCloudSource(absl::string_view name,
                                                        SourceOptions options);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_CLOUD_SOURCE_FACTORY_H_
