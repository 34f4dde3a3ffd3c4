#include "crawlers/hf_source.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

// The three listings, walked in this order; "kind" is what a repo is.
struct Listing {
  const char* path;  // under /api/
  const char* kind;
};
constexpr Listing kListings[] = {
    {"models", "model"}, {"datasets", "dataset"}, {"spaces", "space"}};
constexpr int kListingCount = 3;

// Resumable state of one listing.
struct ListingState {
  std::optional<int64_t> watermark;  // newest createdAt of the last full pass
  std::optional<int64_t> pending;    // newest createdAt of the pass under way
  std::string next;                  // next page of the pass under way
};

struct HfCursor {
  int phase = 0;  // index into kListings
  ListingState listings[kListingCount];
};

absl::StatusOr<HfCursor> ParseCursor(const std::string& text) {
  HfCursor cursor;
  if (text.empty()) return cursor;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError(
        "hf: the stored cursor is not a JSON object; reset it with a new --db");
  }
  std::string phase = StringField(j, "phase");
  for (int i = 0; i < kListingCount; ++i) {
    if (phase == kListings[i].path) cursor.phase = i;
    auto it = j.find(kListings[i].path);
    if (it == j.end() || !it->is_object()) continue;
    ListingState& s = cursor.listings[i];
    s.watermark = IntField(*it, "watermark");
    s.pending = IntField(*it, "pending");
    s.next = StringField(*it, "next");
  }
  return cursor;
}

std::string FormatCursor(const HfCursor& cursor) {
  nlohmann::json j = nlohmann::json::object();
  j["phase"] = kListings[cursor.phase].path;
  for (int i = 0; i < kListingCount; ++i) {
    const ListingState& s = cursor.listings[i];
    nlohmann::json o = nlohmann::json::object();
    if (s.watermark) o["watermark"] = *s.watermark;
    if (s.pending) o["pending"] = *s.pending;
    if (!s.next.empty()) o["next"] = s.next;
    j[kListings[i].path] = std::move(o);
  }
  return DumpRecord(j);
}

// One repo of a listing page; false for a record without a usable "id".
// `created_millis` keeps createdAt at full precision for the watermark.
bool ReadRepo(const nlohmann::json& item, const char* kind, SeenName* out,
              std::optional<int64_t>* created_millis) {
  std::string id = StringField(item, "id");
  if (id.empty()) id = StringField(item, "modelId");
  if (id.empty()) return false;
  out->name = id;
  out->ecosystem = Ecosystem::kHuggingFace;
  out->kind = kind;
  out->account = StringField(item, "author");
  if (out->account.empty()) {
    size_t slash = id.find('/');
    if (slash != std::string::npos) out->account = id.substr(0, slash);
  }
  *created_millis = ParseRfc3339Millis(StringField(item, "createdAt"));
  if (*created_millis) out->created_at = **created_millis / 1000;
  out->registry_id = StringField(item, "_id");
  out->record = DumpRecord(item);
  return true;
}

}  // namespace

std::string ParseLinkNext(absl::string_view link_header) {
  // <url>; rel="next", <url2>; rel="prev"  (commas may also sit inside URLs,
  // so split on '<' boundaries rather than on every comma).
  size_t pos = 0;
  while ((pos = link_header.find('<', pos)) != absl::string_view::npos) {
    size_t end = link_header.find('>', pos);
    if (end == absl::string_view::npos) return "";
    absl::string_view url = link_header.substr(pos + 1, end - pos - 1);
    size_t next_entry = link_header.find('<', end);
    absl::string_view params = link_header.substr(
        end + 1, next_entry == absl::string_view::npos ? absl::string_view::npos
                                                        : next_entry - end - 1);
    for (absl::string_view param : absl::StrSplit(params, ';')) {
      param = absl::StripAsciiWhitespace(param);
      param = absl::StripSuffix(absl::StripAsciiWhitespace(param), ",");
      if (!absl::StartsWithIgnoreCase(param, "rel=")) continue;
      absl::string_view rel = param.substr(4);
      rel = absl::StripPrefix(absl::StripSuffix(rel, "\""), "\"");
      for (absl::string_view word : absl::StrSplit(rel, ' ')) {
        if (absl::EqualsIgnoreCase(word, "next")) return std::string(url);
      }
    }
    pos = end;
  }
  return "";
}

HfSource::HfSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? kDefaultEndpoint : options.endpoint),
      token_(options.token),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      fetcher_("hf", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
}

absl::StatusOr<SourcePage> HfSource::FetchPage(const std::string& cursor_text) {
  absl::StatusOr<HfCursor> cursor = ParseCursor(cursor_text);
  if (!cursor.ok()) return cursor.status();
  const Listing& listing = kListings[cursor->phase];
  ListingState& state = cursor->listings[cursor->phase];

  HttpRequest request;
  request.url = !state.next.empty()
                    ? state.next
                    : absl::StrCat(endpoint_, "/api/", listing.path,
                                   "?sort=createdAt&direction=-1&limit=",
                                   page_size_);
  if (!token_.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", token_));
  }

  std::vector<SeenName> repos;
  std::vector<std::optional<int64_t>> created;  // parallel to repos
  std::string next_url;
  absl::Status fetched = fetcher_.Get(
      request, [&](const HttpResponse& response, const nlohmann::json& body) {
        repos.clear();
        created.clear();
        if (!body.is_array()) {
          return absl::DataLossError("expected a JSON array of repos");
        }
        for (const nlohmann::json& item : body) {
          SeenName repo;
          std::optional<int64_t> millis;
          if (!ReadRepo(item, listing.kind, &repo, &millis)) {
            return absl::DataLossError("a repo record has no string \"id\"");
          }
          repos.push_back(std::move(repo));
          created.push_back(millis);
        }
        next_url = ParseLinkNext(response.Header("link"));
        if (absl::StartsWith(next_url, "/")) {
          next_url = absl::StrCat(endpoint_, next_url);
        }
        return absl::OkStatus();
      });
  if (!fetched.ok()) return fetched;
  if (!next_url.empty() && UrlOrigin(next_url) != UrlOrigin(endpoint_)) {
    return MarkNetworkFailure(absl::FailedPreconditionError(absl::StrCat(
        "hf: next-page link points to another host (", RedactUrl(next_url),
        "); refusing to follow it")));
  }

  SourcePage page;
  bool reached_watermark = false;
  for (size_t i = 0; i < repos.size(); ++i) {
    const std::optional<int64_t>& millis = created[i];
    if (millis) {
      // Newest first: everything from here on was seen by an earlier pass.
      if (state.watermark && *millis < *state.watermark) {
        reached_watermark = true;
        break;
      }
      if (!state.pending || *millis > *state.pending) state.pending = millis;
    }
    page.names.push_back(std::move(repos[i]));
  }

  if (reached_watermark || next_url.empty()) {
    // The pass is complete: what it saw becomes the next pass's floor.
    if (state.pending &&
        (!state.watermark || *state.pending > *state.watermark)) {
      state.watermark = state.pending;
    }
    state.pending.reset();
    state.next.clear();
    cursor->phase = (cursor->phase + 1) % kListingCount;
    page.done = cursor->phase == 0;
  } else {
    state.next = next_url;
  }
  page.next_cursor = FormatCursor(*cursor);
  return page;
}

}  // namespace crawlers
}  // namespace squatguard
