// The Hugging Face listing parser, through HfSource::FetchPage.
//
// Input: the first line is the response's Link header, the rest its body
// (a JSON array of repos on a real Hub). Properties: a page that parses has
// only non-empty Hugging Face names and a cursor the next call accepts; a
// next-page link to another origin is refused, never followed; errors never
// carry the token. ParseLinkNext and the URL helpers see the header too.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/hf_source.h"
#include "crawlers/http_client.h"
#include "fuzz/crawler_fuzzing.h"

namespace {

using squatguard::crawlers::HfSource;
using squatguard::crawlers::SourcePage;
using squatguard::fuzzing::Printable;
using squatguard::fuzzing::Server;

void CheckPage(const SourcePage& page) {
  for (const squatguard::crawlers::SeenName& n : page.names) {
    FUZZ_EXPECT(!n.name.empty(), "empty name");
    FUZZ_EXPECT(n.ecosystem == squatguard::Ecosystem::kHuggingFace, n.name);
  }
  nlohmann::json cursor = nlohmann::json::parse(page.next_cursor, nullptr, false);
  FUZZ_EXPECT(cursor.is_object(), Printable(page.next_cursor));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [link_line, body] =
      squatguard::fuzzing::SplitOnce(squatguard::fuzzing::AsText(data, size), "\n");
  const std::string link = squatguard::fuzzing::HeaderValue(link_line);

  // The pure helpers on the raw header.
  const std::string next = squatguard::crawlers::ParseLinkNext(link);
  FUZZ_EXPECT(next.size() <= link.size(), Printable(link));
  squatguard::crawlers::UrlOrigin(next);
  squatguard::crawlers::RedactUrl(next);

  const std::string body_text(body);
  Server().SetResponder([&](const squatguard::fuzzing::LoopbackRequest&) {
    squatguard::fuzzing::LoopbackResponse r;
    if (!link.empty()) r.headers.emplace_back("Link", link);
    r.body = body_text;
    return r;
  });
  Server().TakeRequestCount();

  HfSource source(squatguard::fuzzing::QuickSourceOptions(/*page_size=*/50));
  absl::StatusOr<SourcePage> page = source.FetchPage("");
  if (!page.ok()) {
    squatguard::fuzzing::ExpectNoToken(page.status(), squatguard::fuzzing::AsText(data, size));
    return 0;
  }
  CheckPage(*page);
  FUZZ_EXPECT(Server().TakeRequestCount() == 1, "one page, one request");

  // The stored cursor drives the next call; a link it kept must lead back to
  // the same server, never elsewhere.
  nlohmann::json cursor = nlohmann::json::parse(page->next_cursor, nullptr, false);
  for (const char* listing : {"models", "datasets", "spaces"}) {
    auto it = cursor.find(listing);
    if (it == cursor.end() || !it->is_object() || !it->contains("next")) continue;
    const nlohmann::json& kept = (*it)["next"];
    if (!kept.is_string()) continue;
    FUZZ_EXPECT(squatguard::crawlers::UrlOrigin(kept.get<std::string>()) ==
                    squatguard::crawlers::UrlOrigin(Server().url()),
                Printable(kept.get<std::string>()));
  }
  absl::StatusOr<SourcePage> second = source.FetchPage(page->next_cursor);
  if (second.ok()) {
    CheckPage(*second);
  } else {
    squatguard::fuzzing::ExpectNoToken(second.status(), squatguard::fuzzing::AsText(data, size));
  }
  return 0;
}
