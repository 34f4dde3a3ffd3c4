// Source: one registry's feed of newly seen names, read a page at a time.
//
// A source turns its registry's paging protocol into (names, next cursor).
// The cursor is an opaque string the crawl job stores in the same
// transaction as the page's names, and hands back on the next call; so a run
// killed at any moment resumes from the last committed page. A source must
// therefore keep all resumable state in the cursor: whatever it keeps in
// memory (a cached index, say) is only a speed-up.
//
// Adding a registry is one new file: implement Source, and add a line to
// MakeSource() in source_factory.cc.
//
// Errors from FetchPage: network failures are marked IsNetworkFailure()
// (exit 4); bad local input (a feed file) is InvalidArgument or NotFound
// naming the file and line (exit 3).
#ifndef SQUATGUARD_CRAWLERS_SOURCE_H_
#define SQUATGUARD_CRAWLERS_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crawlers/json_fetcher.h"
#include "squatguard/ecosystem.h"

namespace squatguard {
namespace crawlers {

// One name as a registry shows it.
struct SeenName {
  std::string name;  // as the registry writes it ("org/repo", "@scope/x")
  Ecosystem ecosystem = Ecosystem::kAny;
  // What kind of thing it names within the ecosystem: "model", "dataset",
  // "space", "package", "registered-model"; "" when the source cannot tell.
  std::string kind;
  std::string account;               // registering user or org, when known
  std::optional<int64_t> created_at;  // unix seconds, when known
  // The registry's own identity for the object (Hugging Face's "_id"), so a
  // name deleted and registered again by someone else can be told apart.
  std::string registry_id;
  // The registry's record as it came, JSON text ("" when none).
  std::string record;
};

// A model version as a model registry shows it (MLflow, the clouds).
struct SeenModelVersion {
  Ecosystem ecosystem = Ecosystem::kAny;  // the registry's
  std::string model;
  std::string version;
  std::optional<int64_t> created_at;  // unix seconds
  std::string status;                 // e.g. "READY"
  std::string stage;                  // e.g. "Production" (legacy stages)
  std::string run_id;
  std::string source_uri;
  std::string record;                 // JSON text
};

// An alias pointing at a version at the time of the crawl.
struct SeenAlias {
  Ecosystem ecosystem = Ecosystem::kAny;  // the registry's
  std::string model;
  std::string alias;
  std::string version;
};

struct SourcePage {
  std::vector<SeenName> names;
  std::vector<SeenModelVersion> versions;
  std::vector<SeenAlias> aliases;
  // Stored with this page's names; handed to the next FetchPage.
  std::string next_cursor;
  // True when this run has nothing more to fetch (the cursor is then what
  // the next run starts from).
  bool done = false;
};

class Source {
 public:
  virtual ~Source() = default;

  // "hf", "pypi", "npm", "mlflow", "feed": the key its cursor is stored under.
  virtual absl::string_view name() const = 0;

  // Fetches the page after `cursor` ("" on the very first run).
  virtual absl::StatusOr<SourcePage> FetchPage(const std::string& cursor) = 0;

  // Requests, retries and bytes so far (zero for sources without HTTP).
  virtual FetchStats stats() const { return {}; }
};

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_SOURCE_H_
