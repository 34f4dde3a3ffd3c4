// squatguard alerts [opts]: list the alerts stored by crawls.
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/reuse_and_campaigns.h"
#include "crawlers/record_fields.h"
#include "crawlers/state_store.h"

namespace squatguard {
namespace cli {
namespace {

constexpr char kCommand[] = "squatguard alerts";

int Fail(int code, absl::string_view message) {
  std::fprintf(stderr, "%s: %s\n", kCommand, EscapeForTerminal(message).c_str());
  return code;
}

// --since: a date ("2024-05-01", UTC), a time ("2024-05-01T12:00:00Z") or an
// age ("36h", "7d", "90m", "2w") counted back from now.
absl::StatusOr<int64_t> ParseSince(const std::string& text, absl::Time now) {
  if (!text.empty() && absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    if (std::optional<absl::Duration> age = ParseSpan(text, INT64_MAX)) return absl::ToUnixSeconds(now - *age);
  }
  absl::Time day;
  std::string err;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &day, &err)) {
    return absl::ToUnixSeconds(day);
  }
  if (std::optional<int64_t> millis = crawlers::ParseRfc3339Millis(text)) {
    return *millis / 1000;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--since: expected a date (2024-05-01), a time (2024-05-01T12:00:00Z) or "
      "an age (36h, 7d), got '", text, "'"));
}

}  // namespace

int RunAlerts(const Args& args) {
  ArgParser p("alerts",
              "List the alerts stored by crawls with their id, review status and when\n"
              "they were first seen: campaigns first, then oldest first. Exit 0 when none\n"
              "match, 1 when some do.",
              "");
  p.AddOption("--db", "PATH", "crawl state database (default squatguard.db)");
  p.AddOption("--since", "WHEN", "first seen at or after WHEN: 2024-05-01, 2024-05-01T12:00:00Z or an age like 36h, 7d");
  p.AddOption("--status", "S", "new, reviewed, benign or malicious");
  p.AddOption("--min-score", "X", "only alerts scoring at least X, in [0, 1]");
  p.AddOption("--ecosystem", "ECO", "only alerts against this ecosystem's names");
  p.AddOption("--format", "FMT", "table, json, jsonl, csv or sarif (default table on a terminal, else jsonl)");
  AddAlertCampaignOptions(&p);
  if (absl::Status s = p.Parse(args); !s.ok()) return Fail(kExitUsage, s.message());
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  if (!p.positionals().empty()) {
    return Fail(kExitUsage, absl::StrCat("unexpected argument '", p.positionals()[0], "'"));
  }

  crawlers::AlertFilter filter;
  if (auto v = p.Get("--since")) {
    absl::StatusOr<int64_t> since = ParseSince(*v, absl::Now());
    if (!since.ok()) return Fail(kExitUsage, since.status().message());
    filter.since = *since;
  }
  if (auto v = p.Get("--status")) {
    if (*v != "new" && *v != "reviewed" && *v != "benign" && *v != "malicious") {
      return Fail(kExitUsage, absl::StrCat("--status: expected new, reviewed, benign "
                                           "or malicious, got '", *v, "'"));
    }
    filter.status = *v;
  }
  if (auto v = p.Get("--min-score")) {
    if (!absl::SimpleAtod(*v, &filter.min_score) || filter.min_score < 0 ||
        filter.min_score > 1) {
      return Fail(kExitUsage,
                  absl::StrCat("--min-score: expected a number in [0, 1], got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--ecosystem")) {
    std::optional<Ecosystem> e = ParseEcosystem(*v);
    if (!e) return Fail(kExitUsage, absl::StrCat("--ecosystem: unknown ecosystem '", *v, "'"));
    if (*e != Ecosystem::kAny) filter.ecosystem = std::string(EcosystemName(*e));
  }
  OutputFormat format = DefaultOutputFormat();
  if (auto v = p.Get("--format")) {
    std::optional<OutputFormat> f = ParseOutputFormat(*v);
    if (!f) {
      return Fail(kExitUsage, absl::StrCat("--format: expected table, json, jsonl, "
                                           "csv or sarif, got '", *v, "'"));
    }
    format = *f;
  }

  const std::string db_path = p.Get("--db").value_or("squatguard.db");
  absl::StatusOr<std::unique_ptr<crawlers::StateStore>> store =
      crawlers::StateStore::Open(db_path, {.create_if_missing = false});
  if (!store.ok()) return Fail(kExitBadInput, store.status().message());
  absl::StatusOr<std::vector<ListedAlert>> alerts =
      ListAlertsWithCampaigns(p, **store, filter);
  if (!alerts.ok()) {
    return Fail(absl::IsInvalidArgument(alerts.status()) ? kExitUsage : kExitBadInput,
                alerts.status().message());
  }

  std::unique_ptr<FindingWriter> out = MakeFindingWriter(format, std::cout);
  for (const ListedAlert& a : *alerts) out->Write(a.alert.finding, a.fields);
  out->Finish({{"alerts", absl::StrCat(alerts->size())}, {"db", db_path}});
  return alerts->empty() ? kExitClean : kExitFindings;
}

}  // namespace cli
}  // namespace squatguard
