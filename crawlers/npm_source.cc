#include "crawlers/npm_source.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crawlers/record_fields.h"

namespace squatguard {
namespace crawlers {
namespace {

// A sequence as it goes into the URL: numbers as digits, strings as is.
absl::StatusOr<std::string> SinceParameter(const std::string& cursor) {
  if (cursor.empty()) return std::string("0");
  nlohmann::json seq = nlohmann::json::parse(cursor, nullptr, false);
  if (seq.is_number_integer() || seq.is_number_unsigned()) return seq.dump();
  if (seq.is_string()) return UrlEncode(seq.get_ref<const std::string&>());
  return absl::DataLossError(absl::StrCat(
      "npm: the stored sequence is neither a number nor a string: ", cursor));
}

// A sequence is a whole number or a string (CouchDB's opaque "12-g1AA...").
// Anything else would be stored as a cursor that SinceParameter refuses on
// the next run: a number past 2^64 parses as a double (9.99e+20).
bool IsSequence(const nlohmann::json& seq) {
  return seq.is_string() || seq.is_number_integer() || seq.is_number_unsigned();
}

}  // namespace

NpmSource::NpmSource(const SourceOptions& options)
    : endpoint_(options.endpoint.empty() ? kDefaultEndpoint : options.endpoint),
      page_size_(options.page_size > 0 ? options.page_size : kDefaultPageSize),
      fetcher_("npm", options.fetch) {
  while (absl::EndsWith(endpoint_, "/")) endpoint_.pop_back();
}

absl::StatusOr<SourcePage> NpmSource::FetchPage(const std::string& cursor) {
  absl::StatusOr<std::string> since = SinceParameter(cursor);
  if (!since.ok()) return since.status();
  HttpRequest request;
  request.url = absl::StrCat(endpoint_, "/_changes?since=", *since,
                             "&limit=", page_size_);
  SourcePage page;
  size_t results = 0;
  absl::Status fetched = fetcher_.Get(
      request, [&](const HttpResponse&, const nlohmann::json& body) {
        page = SourcePage();
        auto list = body.is_object() ? body.find("results") : body.end();
        if (!body.is_object() || list == body.end() || !list->is_array()) {
          return absl::DataLossError("expected an object with a \"results\" array");
        }
        results = list->size();
        nlohmann::json last_seq;
        for (const nlohmann::json& change : *list) {
          if (!change.is_object() || !change.contains("seq")) {
            return absl::DataLossError("a change has no \"seq\"");
          }
          last_seq = change["seq"];
          if (!IsSequence(last_seq)) {
            return absl::DataLossError(absl::StrCat("a change's \"seq\" is neither a whole number nor a string: ",
                                                    DumpRecord(last_seq)));
          }
          std::string id = StringField(change, "id");
          auto deleted = change.find("deleted");
          if (id.empty() || absl::StartsWith(id, "_design/") ||
              (deleted != change.end() && deleted->is_boolean() &&
               deleted->get<bool>())) {
            continue;
          }
          SeenName name;
          name.name = std::move(id);
          name.ecosystem = Ecosystem::kNpm;
          name.kind = "package";
          page.names.push_back(std::move(name));
        }
        auto last = body.find("last_seq");
        if (last != body.end() && last->is_number() && !IsSequence(*last)) {
          return absl::DataLossError(absl::StrCat("\"last_seq\" is neither a whole number nor a string: ",
                                                  DumpRecord(*last)));
        }
        if (last != body.end() && IsSequence(*last)) last_seq = *last;
        page.next_cursor = last_seq.is_null() ? cursor : DumpRecord(last_seq);
        return absl::OkStatus();
      });
  if (!fetched.ok()) return fetched;
  page.done = results < static_cast<size_t>(page_size_);
  return page;
}

}  // namespace crawlers
}  // namespace squatguard
