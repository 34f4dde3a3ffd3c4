// The npm changes-feed parser, through NpmSource::FetchPage.
//
// Input: the body of GET /_changes. Properties: a page that parses has only
// non-empty npm names, and its next cursor is one the next call accepts (a
// stored cursor the source itself refuses would stop every later crawl);
// errors never carry the token.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "crawlers/npm_source.h"
#include "fuzz/crawler_fuzzing.h"

namespace {

using squatguard::crawlers::NpmSource;
using squatguard::crawlers::SourcePage;
using squatguard::fuzzing::Printable;
using squatguard::fuzzing::Server;

constexpr int kPageSize = 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(squatguard::fuzzing::AsText(data, size));
  Server().SetResponder([&](const squatguard::fuzzing::LoopbackRequest&) {
    squatguard::fuzzing::LoopbackResponse r;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body;
    return r;
  });

  NpmSource source(squatguard::fuzzing::QuickSourceOptions(kPageSize));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  if (!page.ok()) {
    squatguard::fuzzing::ExpectNoToken(page.status(), body);
    return 0;
  }
  for (const squatguard::crawlers::SeenName& n : page->names) {
    FUZZ_EXPECT(!n.name.empty(), "empty name");
    FUZZ_EXPECT(n.ecosystem == squatguard::Ecosystem::kNpm, n.name);
  }
  // The cursor goes into the database and comes back on the next run.
  absl::StatusOr<SourcePage> next = source.FetchPage(page->next_cursor);
  if (!next.ok()) {
    squatguard::fuzzing::ExpectNoToken(next.status(), body);
    FUZZ_EXPECT(!absl::StrContains(next.status().message(), "stored sequence"),
                "a cursor the source wrote itself is refused on the next run: " +
                    Printable(page->next_cursor));
  }
  return 0;
}
