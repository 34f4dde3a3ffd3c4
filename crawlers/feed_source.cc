#include "crawlers/feed_source.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "squatguard/candidate.h"

namespace squatguard {
namespace crawlers {

FeedSource::FeedSource(std::istream* stream, std::string origin,
                       Ecosystem fallback, int page_size)
    : stream_(stream),
      origin_(std::move(origin)),
      fallback_(fallback),
      page_size_(page_size > 0 ? page_size : kDefaultPageSize) {}

absl::StatusOr<std::unique_ptr<FeedSource>> FeedSource::Open(
    const std::string& path, Ecosystem fallback, int page_size) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    return absl::NotFoundError(
        absl::StrCat("feed: cannot read '", path, "': ", std::strerror(errno)));
  }
  auto source = std::make_unique<FeedSource>(file.get(), path, fallback, page_size);
  source->file_ = std::move(file);
  return source;
}

absl::StatusOr<SourcePage> FeedSource::FetchPage(const std::string& /*cursor*/) {
  SourcePage page;
  std::string line;
  while (static_cast<int>(page.names.size()) < page_size_ &&
         std::getline(*stream_, line)) {
    ++line_number_;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (line_number_ == 1) text = absl::StripPrefix(text, "\xEF\xBB\xBF");
    if (text.empty() || text.front() == '#') continue;
    Candidate candidate;
    SeenName name;
    if (text.front() == '{') {
      absl::StatusOr<Candidate> parsed = ParseCandidateJson(text, fallback_);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            origin_, ":", line_number_, ": ", parsed.status().message()));
      }
      candidate = *std::move(parsed);
      name.record = std::string(text);
    } else {
      candidate = ParseQualifiedName(text, fallback_);
    }
    if (candidate.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin_, ":", line_number_, ": empty name"));
    }
    name.name = std::move(candidate.name);
    name.ecosystem = candidate.ecosystem;
    name.account = std::move(candidate.account);
    name.created_at = candidate.created_at;
    page.names.push_back(std::move(name));
  }
  if (stream_->bad()) {
    return absl::DataLossError(absl::StrCat("feed: error reading ", origin_));
  }
  page.done = !stream_->good();
  return page;
}

}  // namespace crawlers
}  // namespace squatguard
