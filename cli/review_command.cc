// squatguard review [opts] ID --verdict benign|malicious [--note TEXT]:
// record a person's verdict on a stored alert. A benign (candidate, target)
// pair is never alerted again, in any later crawl or list refresh.
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "crawlers/state_store.h"

namespace squatguard {
namespace cli {
namespace {

constexpr char kCommand[] = "squatguard review";
constexpr size_t kMaxNoteBytes = 4096;

int Fail(int code, absl::string_view message) {
  std::fprintf(stderr, "%s: %s\n", kCommand, EscapeForTerminal(message).c_str());
  return code;
}

}  // namespace

int RunReview(const Args& args) {
  ArgParser p("review",
              "Record a verdict on the stored alert ID (see 'squatguard alerts'). A benign\n"
              "pair stays quiet in every later crawl; a malicious one stays listed.",
              "ID");
  p.AddOption("--db", "PATH", "crawl state database (default squatguard.db)");
  p.AddOption("--verdict", "V", "benign or malicious (required)");
  p.AddOption("--note", "TEXT", "why, for the next person to read it");
  p.AddOption("--format", "FMT", "how to show the reviewed alert: table, json, jsonl, csv or sarif");
  if (absl::Status s = p.Parse(args); !s.ok()) return Fail(kExitUsage, s.message());
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  if (p.positionals().size() != 1) {
    std::fprintf(stderr, "%s: give exactly one alert ID\n\n%s", kCommand, p.Usage().c_str());
    return kExitUsage;
  }
  int64_t id = 0;
  if (!absl::SimpleAtoi(p.positionals()[0], &id) || id <= 0) {
    return Fail(kExitUsage, absl::StrCat("ID: expected an alert number, got '",
                                         p.positionals()[0], "'"));
  }
  const std::optional<std::string> verdict = p.Get("--verdict");
  if (!verdict || (*verdict != "benign" && *verdict != "malicious")) {
    return Fail(kExitUsage, "--verdict: expected benign or malicious");
  }
  const std::string note = p.Get("--note").value_or("");
  if (note.size() > kMaxNoteBytes) {
    return Fail(kExitUsage, absl::StrCat("--note: at most ", kMaxNoteBytes, " bytes"));
  }
  OutputFormat format = DefaultOutputFormat();
  if (auto v = p.Get("--format")) {
    std::optional<OutputFormat> f = ParseOutputFormat(*v);
    if (!f) return Fail(kExitUsage, absl::StrCat("--format: unknown format '", *v, "'"));
    format = *f;
  }

  const std::string db_path = p.Get("--db").value_or("squatguard.db");
  absl::StatusOr<std::unique_ptr<crawlers::StateStore>> store =
      crawlers::StateStore::Open(db_path, {.create_if_missing = false});
  if (!store.ok()) return Fail(kExitBadInput, store.status().message());
  absl::StatusOr<crawlers::StoredAlert> alert =
      (*store)->Review(id, *verdict, note, absl::ToUnixSeconds(absl::Now()));
  if (!alert.ok()) return Fail(kExitBadInput, alert.status().message());

  std::unique_ptr<FindingWriter> out = MakeFindingWriter(format, std::cout);
  out->Write(alert->finding, crawlers::AlertFields(*alert));
  out->Finish({{"reviewed", absl::StrCat(id)}});
  return kExitClean;
}

}  // namespace cli
}  // namespace squatguard
