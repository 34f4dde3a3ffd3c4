// HfSource: new Hugging Face Hub models, datasets and spaces.
//
// For each of /api/models, /api/datasets and /api/spaces it lists newest
// first (sort=createdAt&direction=-1) and follows the Link rel="next" cursor
// until it reaches repos created before the newest one the previous pass
// saw (the watermark). The cursor holds, per listing, the next-page URL, the
// watermark of the last finished pass and the newest time of the pass under
// way; a pass cut short (kill, --max-pages) resumes where it stopped, and
// only when it has finished does the watermark move up. The three listings
// are walked in turn; one run is one round of all three.
//
// Each repo is stored as the API gives it (its "_id", "id", author when
// present, "createdAt"), so a later pass can tell a name deleted and taken
// again from the original. The org is the part of "id" before '/'.
//
// Next-page links to another host are refused (the token would follow).
#ifndef SQUATGUARD_CRAWLERS_HF_SOURCE_H_
#define SQUATGUARD_CRAWLERS_HF_SOURCE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "crawlers/json_fetcher.h"
#include "crawlers/source.h"
#include "crawlers/source_factory.h"

namespace squatguard {
namespace crawlers {

class HfSource : public Source {
 public:
  static constexpr char kDefaultEndpoint[] = "https://huggingface.co";
  static constexpr int kDefaultPageSize = 500;

  explicit HfSource(const SourceOptions& options);

  absl::string_view name() const override { return "hf"; }
  absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) override;
  FetchStats stats() const override { return fetcher_.stats(); }

 private:
  std::string endpoint_;
  std::string token_;
  int page_size_;
  JsonFetcher fetcher_;
};

// The URL of the rel="next" entry of an RFC 8288 Link header, or "".
std::string ParseLinkNext(absl::string_view link_header);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_HF_SOURCE_H_
