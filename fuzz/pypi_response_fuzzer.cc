// The PyPI simple-index parser (PEP 691 JSON), through PypiSource::FetchPage.
//
// Input: the body of GET /simple/, read by the pure ReadProjectNames and
// through the whole source. Properties: both agree; the index is fetched
// once and handed out in pages of at most page_size non-empty PyPI names,
// ending with done; errors never carry the token.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crawlers/pypi_source.h"
#include "fuzz/crawler_fuzzing.h"

namespace {

using squatguard::crawlers::PypiSource;
using squatguard::crawlers::SourcePage;
using squatguard::fuzzing::Server;

constexpr int kPageSize = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(squatguard::fuzzing::AsText(data, size));
  std::vector<std::string> direct;
  const absl::Status read = squatguard::crawlers::ReadProjectNames(body, &direct);
  Server().SetResponder([&](const squatguard::fuzzing::LoopbackRequest&) {
    squatguard::fuzzing::LoopbackResponse r;
    r.headers.emplace_back("Content-Type", "application/vnd.pypi.simple.v1+json");
    r.body = body;
    return r;
  });
  Server().TakeRequestCount();

  PypiSource source(squatguard::fuzzing::QuickSourceOptions(kPageSize));
  size_t handed_out = 0;
  // Each page holds at least one name until the last, so the loop ends.
  const size_t max_pages = size / 2 + 2;
  for (size_t pages = 1;; ++pages) {
    FUZZ_EXPECT(pages <= max_pages, "the index is paged without end");
    absl::StatusOr<SourcePage> page = source.FetchPage("");
    if (!page.ok()) {
      squatguard::fuzzing::ExpectNoToken(page.status(), body);
      FUZZ_EXPECT(!read.ok(), "ReadProjectNames accepts what the source refuses");
      break;
    }
    FUZZ_EXPECT(read.ok(), "the source accepts what ReadProjectNames refuses");
    FUZZ_EXPECT(page->names.size() <= static_cast<size_t>(kPageSize), "page too long");
    for (const squatguard::crawlers::SeenName& n : page->names) {
      FUZZ_EXPECT(!n.name.empty(), "empty name");
      FUZZ_EXPECT(handed_out < direct.size() && n.name == direct[handed_out], n.name);
      FUZZ_EXPECT(n.ecosystem == squatguard::Ecosystem::kPyPI, n.name);
      ++handed_out;
    }
    if (page->done) {
      FUZZ_EXPECT(handed_out == direct.size(), "names lost between index and pages");
      break;
    }
    FUZZ_EXPECT(!page->names.empty(), "an empty page that is not the last");
  }
  FUZZ_EXPECT(Server().TakeRequestCount() == 1, "the index is fetched once a run");
  return 0;
}
