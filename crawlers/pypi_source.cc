#include "crawlers/pypi_source.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace squatguard {
namespace crawlers {
namespace {

// Collects "projects"[i]["name"] while parsing, without building the whole
// document: the index has close to a million projects, and a JSON tree of it
// would take several hundred MB.
class ProjectNameCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit ProjectNameCollector(std::vector<std::string>* names) : names_(names) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    // An empty project name is no name: counting it unnamed fails the page,
    // as every other source refuses a record without a name.
    if (InProject() && key_ == "name" && !value.empty()) {
      names_->push_back(std::move(value));
      ++named_;
    }
    return true;
  }
  bool key(string_t& key) override {
    key_ = key;
    return true;
  }
  bool start_object(std::size_t) override {
    if (projects_depth_ != 0 && depth_ == projects_depth_) ++projects_seen_;
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    // The index object is depth 1; its "projects" array opens depth 2.
    if (depth_ == 1 && key_ == "projects") projects_depth_ = depth_ + 1;
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

  bool saw_projects() const { return projects_depth_ != 0; }
  bool every_project_named() const { return named_ == projects_seen_; }

 private:
  // Directly inside one object of the projects array.
  bool InProject() const {
    return projects_depth_ != 0 && depth_ == projects_depth_ + 1;
  }

  std::vector<std::string>* names_;
  std::string key_;
  int depth_ = 0;
  int projects_depth_ = 0;
  size_t projects_seen_ = 0;
  size_t named_ = 0;
};

}  // namespace

absl::Status ReadProjectNames(absl::string_view body,
                              std::vector<std::string>* names) {
  names->clear();
  ProjectNameCollector collector(names);
  if (!nlohmann::json::sax_parse(body.begin(), body.end(), &collector)) {
    return absl::DataLossError(
        absl::StrCat("body is not complete JSON (", body.size(), " bytes)"));
  }
  if (!collector.saw_projects()) {
    return absl::DataLossError(
        "expected a PEP 691 index object with a \"projects\" array");
  }
  if (!collector.every_project_named()) {
    return absl::DataLossError("a project has no string \"name\"");
  }
  return absl::OkStatus();
}

PypiSource::PypiSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? kDefaultEndpoint : options.endpoint),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      index_max_bytes_(options.max_body_bytes != 0 ? options.max_body_bytes : kMaxIndexBytes),
      fetcher_("pypi", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
}

absl::Status PypiSource::FetchIndex() {
  HttpRequest request;
  request.url = absl::StrCat(endpoint_, "/simple/");
  request.headers.emplace_back("Accept", "application/vnd.pypi.simple.v1+json");
  request.max_body_bytes = index_max_bytes_;
  std::vector<std::string> projects;
  absl::Status fetched = fetcher_.GetBody(request, [&](const HttpResponse& r) {
    return ReadProjectNames(r.body, &projects);
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
