#include "crawlers/pypi_source.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {

PypiSource::PypiSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? kDefaultEndpoint : options.endpoint),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      fetcher_("pypi", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
}

absl::Status PypiSource::FetchIndex() {
  HttpRequest request;
  request.url = absl::StrCat(endpoint_, "/simple/");
  request.headers.emplace_back("Accept", "application/vnd.pypi.simple.v1+json");
  request.max_body_bytes = kMaxIndexBytes;
  std::vector<std::string> projects;
  absl::Status fetched = fetcher_.Get(
      request, [&](const HttpResponse&, const nlohmann::json& body) {
        projects.clear();
        auto list = body.is_object() ? body.find("projects") : body.end();
        if (!body.is_object() || list == body.end() || !list->is_array()) {
          return absl::DataLossError(
              "expected a PEP 691 index object with a \"projects\" array");
        }
        projects.reserve(list->size());
        for (const nlohmann::json& project : *list) {
          std::string name = StringField(project, "name");
          if (name.empty()) {
            return absl::DataLossError("a project has no string \"name\"");
          }
          projects.push_back(std::move(name));
        }
        return absl::OkStatus();
      });
  if (!fetched.ok()) return fetched;
  projects_ = std::move(projects);
  next_ = 0;
  return absl::OkStatus();
}

absl::StatusOr<SourcePage> PypiSource::FetchPage(const std::string& /*cursor*/) {
  if (!projects_.has_value()) {
    absl::Status fetched = FetchIndex();
    if (!fetched.ok()) return fetched;
  }
  SourcePage page;
  size_t end = std::min(projects_->size(), next_ + page_size_);
  page.names.reserve(end - next_);
  for (; next_ < end; ++next_) {
    SeenName name;
    name.name = std::move((*projects_)[next_]);
    name.ecosystem = Ecosystem::kPyPI;
    name.kind = "package";
    page.names.push_back(std::move(name));
  }
  page.done = next_ >= projects_->size();
  return page;
}

}  // namespace crawlers
}  // namespace squatguard
