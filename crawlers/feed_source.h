// FeedSource: names from a file or a stream, so any registry can be fed in.
//
// One name per line, either a JSONL candidate object
//   {"name": "meta-llama/x", "ecosystem": "hf", "account": "u", "created_at": ...}
// or a plain name, optionally prefixed ("pypi:requests"). Blank lines and
// '#' comments are skipped. Lines without an ecosystem take the fallback.
//
// Pages are page_size lines. The cursor stays empty: the crawl job skips
// names it has already stored, so reading a file again after a kill only
// costs the time to skip them. A malformed line is InvalidArgument naming
// the file and line; pages before it stay committed.
#ifndef SQUATGUARD_CRAWLERS_FEED_SOURCE_H_
#define SQUATGUARD_CRAWLERS_FEED_SOURCE_H_

#include <fstream>
#include <istream>
#include <memory>
#include <string>

#include "crawlers/source.h"
#include "crawlers/source_factory.h"
#include "squatguard/ecosystem.h"

namespace squatguard {
namespace crawlers {

class FeedSource : public Source {
 public:
  static constexpr int kDefaultPageSize = 1000;

  // `stream` is read to its end; `origin` names it in errors.
  FeedSource(std::istream* stream, std::string origin, Ecosystem fallback,
             int page_size);
  // Opens `path`; NotFound when it cannot be read.
  static absl::StatusOr<std::unique_ptr<FeedSource>> Open(
      const std::string& path, Ecosystem fallback, int page_size);

  absl::string_view name() const override { return "feed"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;

 private:
  std::unique_ptr<std::ifstream> file_;  // set when opened from a path
  std::istream* stream_;
  std::string origin_;
  Ecosystem fallback_;
  int page_size_;
  int64_t line_number_ = 0;
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_FEED_SOURCE_H_
