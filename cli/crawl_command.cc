// squatguard crawl [opts] SOURCE: fetch the names a registry has seen since
// the last run, score the new ones and store names, alerts and cursor.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/engine_loader.h"
#include "cli/output.h"
#include "cli/reuse_and_campaigns.h"
#include "crawlers/crawl_job.h"
#include "crawlers/http_client.h"
#include "crawlers/protected_fingerprint.h"
#include "crawlers/source_factory.h"
#include "crawlers/state_store.h"

namespace squatguard {
namespace cli {
namespace {

constexpr char kCommand[] = "squatguard crawl";

int Fail(int code, absl::string_view message) {
  std::fprintf(stderr, "%s: %s\n", kCommand, EscapeForTerminal(message).c_str());
  return code;
}

struct NetworkFlags {
  double rate = 2.0;
  double timeout_seconds = 60;
  int attempts = 5;
  int max_pages = 0;
  int page_size = 0;
  int64_t max_body_bytes = 0;  // 0: the defaults (64 MiB; PyPI's index 1 GiB)
};

absl::StatusOr<NetworkFlags> ParseNetworkFlags(const ArgParser& p) {
  NetworkFlags f;
  if (auto v = p.Get("--rate")) {
    if (!absl::SimpleAtod(*v, &f.rate) || f.rate < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--rate: expected requests a second >= 0, got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--timeout")) {
    if (!absl::SimpleAtod(*v, &f.timeout_seconds) || f.timeout_seconds <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout: expected seconds > 0, got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--retries")) {
    int retries = 0;
    if (!absl::SimpleAtoi(*v, &retries) || retries < 0 || retries > 20) {
      return absl::InvalidArgumentError(
          absl::StrCat("--retries: expected 0 to 20, got '", *v, "'"));
    }
    f.attempts = retries + 1;
  }
  if (auto v = p.Get("--max-pages")) {
    if (!absl::SimpleAtoi(*v, &f.max_pages) || f.max_pages < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--max-pages: expected a whole number >= 0, got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--page-size")) {
    if (!absl::SimpleAtoi(*v, &f.page_size) || f.page_size < 1 ||
        f.page_size > 100000) {
      return absl::InvalidArgumentError(
          absl::StrCat("--page-size: expected 1 to 100000, got '", *v, "'"));
    }
  }
  if (auto v = p.Get("--max-body-bytes")) {
    if (!absl::SimpleAtoi(*v, &f.max_body_bytes) || f.max_body_bytes < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--max-body-bytes: expected a number of bytes >= 1, got '", *v, "'"));
    }
  }
  return f;
}

// The cloud registries' options; the token of --token-file, whitespace
// trimmed. The token itself never reaches a message.
absl::Status ReadCloudOptions(const ArgParser& p,
                              crawlers::SourceOptions* options) {
  crawlers::CloudOptions& cloud = options->cloud;
  cloud.region = p.Get("--region").value_or("");
  cloud.project = p.Get("--project").value_or("");
  cloud.location = p.Get("--location").value_or("");
  cloud.subscription = p.Get("--subscription").value_or("");
  cloud.resource_group = p.Get("--resource-group").value_or("");
  cloud.registry = p.Get("--registry").value_or("");
  if (auto path = p.Get("--token-file")) {
    std::ifstream in(*path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat("--token-file: cannot read '", *path, "'"));
    }
    options->token = std::string(absl::StripAsciiWhitespace(text.str()));
    if (options->token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token-file: '", *path, "' is empty"));
    }
    cloud.token_origin = absl::StrCat("--token-file ", *path);
  }
  return absl::OkStatus();
}

// The report's format, from the extension of its path.
absl::StatusOr<OutputFormat> ReportFormat(const std::string& path) {
  std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".json")) return OutputFormat::kJson;
  if (absl::EndsWith(lower, ".csv")) return OutputFormat::kCsv;
  if (absl::EndsWith(lower, ".jsonl")) return OutputFormat::kJsonl;
  return absl::InvalidArgumentError(absl::StrCat(
      "--report: '", path, "' should end in .json, .jsonl or .csv"));
}

ExtraFields RunStats(const crawlers::CrawlSummary& s) {
  return {{"source", s.source},
          {"run_id", absl::StrCat(s.run_id)},
          {"pages", absl::StrCat(s.counts.pages)},
          {"names_fetched", absl::StrCat(s.counts.names_fetched)},
          {"new_names", absl::StrCat(s.counts.new_names)},
          {"rescanned", absl::StrCat(s.counts.rescanned)},
          {"new_alerts", absl::StrCat(s.new_alerts.size())},
          {"errors", absl::StrCat(s.counts.errors)},
          {"status", s.status.ok() ? "ok" : std::string(s.status.message())}};
}

void WriteAlerts(const crawlers::CrawlSummary& s, FindingWriter& out) {
  for (const crawlers::StoredAlert& a : s.new_alerts) {
    out.Write(a.finding, crawlers::AlertFields(a));
  }
  out.Finish(RunStats(s));
}

// The short summary for the brand-protection team, on stderr.
void PrintSummary(const crawlers::CrawlSummary& s) {
  std::string by_severity;
  for (Severity sev : {Severity::kCritical, Severity::kHigh, Severity::kMedium,
                       Severity::kLow}) {
    auto it = s.new_alerts_by_severity.find(sev);
    if (it == s.new_alerts_by_severity.end() || it->second == 0) continue;
    absl::StrAppend(&by_severity, by_severity.empty() ? "" : ", ",
                    SeverityName(sev), " ", it->second);
  }
  std::string line = absl::StrFormat(
      "%s %s: %d pages, %d names fetched, %d new; %d new alerts%s; errors: %d; "
      "%.1f s",
      kCommand, s.source, s.counts.pages, s.counts.names_fetched,
      s.counts.new_names, s.new_alerts.size(),
      by_severity.empty() ? "" : absl::StrCat(" (", by_severity, ")"),
      s.counts.errors, absl::ToDoubleSeconds(s.elapsed));
  std::fprintf(stderr, "%s\n", line.c_str());
  if (s.fetch.requests > 0) {
    std::fprintf(stderr, "  requests: %lld (%lld retried), %.1f KiB received\n",
                 static_cast<long long>(s.fetch.requests),
                 static_cast<long long>(s.fetch.failed_attempts),
                 static_cast<double>(s.fetch.bytes) / 1024);
  }
  if (s.counts.rescanned > 0) {
    std::fprintf(stderr,
                 "  protected lists changed: %lld stored names checked again\n",
                 static_cast<long long>(s.counts.rescanned));
  }
  if (s.rejected_names > 0) {
    std::fprintf(stderr, "  %lld names could not be scored (stored anyway)\n",
                 static_cast<long long>(s.rejected_names));
  }
  if (s.hit_max_pages) {
    std::fprintf(stderr, "  stopped at --max-pages; the next run continues here\n");
  }
  for (const std::string& e : s.errors) {
    std::fprintf(stderr, "  error: %s\n", EscapeForTerminal(e).c_str());
  }
}

}  // namespace

namespace {
std::atomic<bool> g_crawl_interrupted{false};
void OnCrawlInterrupt(int) { g_crawl_interrupted.store(true); }
}  // namespace

int RunCrawl(const Args& args) {
  ArgParser p("crawl",
              "Fetch the names a registry has seen since the last run, score the new\n"
              "ones against the protected lists and store names, alerts and cursor in\n"
              "--db. SOURCE: hf, pypi, npm, mlflow, sagemaker, vertex, azureml, or\n"
              "feed [FILE|-] (JSONL or text). Model registries are also checked for\n"
              "alias/stage moves (and moves reverted within --revert-window) and for\n"
              "version jumps. New alerts go to stdout, ranked; a summary to stderr.\n"
              "Credentials come from HF_TOKEN, MLFLOW_TRACKING_TOKEN (MLFLOW_TRACKING_URI\n"
              "is mlflow's default endpoint), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and\n"
              "AWS_SESSION_TOKEN (sagemaker), GOOGLE_OAUTH_ACCESS_TOKEN (vertex) and\n"
              "AZURE_ACCESS_TOKEN (azureml), or --token-file. Exit 0 no new alert, 1 new\n"
              "alerts, 3 bad input or database, 4 registry unreachable after retries or\n"
              "credentials refused.",
              "SOURCE [FILE|-]");
  AddEngineOptions(&p);
  p.AddOption("--db", "PATH", "crawl state database (default squatguard.db)");
  p.AddOption("--endpoint", "URL", "registry address: a mirror or test server");
  p.AddOption("--max-pages", "N", "stop after N pages; the next run continues (default: no limit)");
  p.AddOption("--page-size", "N", "names asked for per request (default: the source's)");
  p.AddOption("--report", "PATH", "also write the new alerts to PATH (.json, .jsonl or .csv)");
  p.AddOption("--rate", "R", "at most R requests a second, 0 for no limit (default 2)");
  p.AddOption("--timeout", "SECONDS", "time limit of one request (default 60)");
  p.AddOption("--retries", "N", "retries of a failed request, with backoff (default 4)");
  p.AddOption("--max-body-bytes", "N",
              "largest response body accepted, in bytes; larger fails the run (default 64 MiB, PyPI's index 1 GiB)");
  CrawlChecks::AddOptions(&p);
  p.AddOption("--revert-window", "SPAN", "an alias move undone within SPAN is a move-then-revert (default 7d)");
  p.AddOption("--region", "R", "sagemaker: AWS region, e.g. us-east-1");
  p.AddOption("--project", "P", "vertex: Google Cloud project");
  p.AddOption("--location", "L", "vertex: location, e.g. us-central1");
  p.AddOption("--subscription", "S", "azureml: Azure subscription id");
  p.AddOption("--resource-group", "G", "azureml: resource group");
  p.AddOption("--registry", "R", "azureml: Azure ML registry name");
  p.AddOption("--token-file", "PATH", "vertex, azureml: read the access token from PATH");
  if (absl::Status s = p.Parse(args); !s.ok()) return Fail(kExitUsage, s.message());
  if (p.help_requested()) {
    std::fputs(p.Usage().c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<CommonOptions> common = ParseCommonOptions(p);
  if (!common.ok()) return Fail(kExitUsage, common.status().message());
  absl::StatusOr<NetworkFlags> flags = ParseNetworkFlags(p);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());

  const std::vector<std::string>& pos = p.positionals();
  if (pos.empty()) {
    std::fprintf(stderr, "%s: name a SOURCE\n\n%s", kCommand, p.Usage().c_str());
    return kExitUsage;
  }
  const std::string& source_name = pos[0];
  const bool is_feed = source_name == "feed";
  if (pos.size() > (is_feed ? 2u : 1u)) {
    return Fail(kExitUsage, absl::StrCat("unexpected argument '", pos.back(), "'"));
  }
  std::optional<OutputFormat> report_format;
  const std::optional<std::string> report_path = p.Get("--report");
  if (report_path) {
    absl::StatusOr<OutputFormat> f = ReportFormat(*report_path);
    if (!f.ok()) return Fail(kExitUsage, f.status().message());
    report_format = *f;
  }

  crawlers::SourceOptions source_options;
  source_options.endpoint = p.Get("--endpoint").value_or("");
  source_options.page_size = flags->page_size;
  source_options.max_body_bytes = static_cast<size_t>(flags->max_body_bytes);
  source_options.fetch.requests_per_second = flags->rate;
  source_options.fetch.retry.max_attempts = flags->attempts;
  source_options.fetch.http.user_agent =
      absl::StrCat("squatguard/", SQUATGUARD_VERSION,
                   " (+typosquatting monitor; nightly crawl)");
  source_options.fetch.http.total_timeout = absl::Seconds(flags->timeout_seconds);
  source_options.fetch.http.connect_timeout =
      std::min(absl::Seconds(10), absl::Seconds(flags->timeout_seconds));
  source_options.feed_path = is_feed && pos.size() == 2 ? pos[1] : "-";
  source_options.feed_stream = &std::cin;
  source_options.feed_ecosystem = common->ecosystem;
  if (absl::Status s = ReadCloudOptions(p, &source_options); !s.ok()) {
    return Fail(kExitBadInput, s.message());
  }
  crawlers::LifecycleOptions lifecycle;
  lifecycle.min_score = common->min_score;
  if (auto v = p.Get("--revert-window")) {
    absl::StatusOr<absl::Duration> window = ParseSpanOption("--revert-window", *v, "7d, 36h, 90m or 2w");
    if (!window.ok()) return Fail(kExitUsage, window.status().message());
    lifecycle.revert_window = *window;
  }
  absl::StatusOr<std::unique_ptr<crawlers::Source>> source =
      crawlers::MakeSource(source_name, source_options);
  if (!source.ok()) {
    return Fail(absl::IsInvalidArgument(source.status()) ? kExitUsage : kExitBadInput,
                source.status().message());
  }

  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngineFromArgs(p);
  if (!engine.ok()) return Fail(kExitBadInput, engine.status().message());

  const std::string db_path = p.Get("--db").value_or("squatguard.db");
  absl::StatusOr<std::unique_ptr<crawlers::StateStore>> store =
      crawlers::StateStore::Open(db_path);
  if (!store.ok()) return Fail(kExitBadInput, store.status().message());

  crawlers::CrawlOptions options;
  const Engine& scorer = **engine;
  const double min_score = common->min_score;
  const int top = common->top;
  options.check = [&scorer, min_score, top](const Candidate& c) {
    return scorer.Check(c, min_score, top);
  };
  options.protected_fingerprint =
      crawlers::ProtectedListFingerprint(scorer.entries());
  options.max_pages = flags->max_pages;
  options.lifecycle = lifecycle;
  const bool progress = isatty(STDERR_FILENO) == 1;
  if (progress) {
    options.on_progress = [&source_name](const crawlers::CrawlProgress& pr) {
      std::fprintf(stderr, "\r%s %s: %lld pages, %lld names, %lld new alerts%s\x1b[K",
                   kCommand, source_name.c_str(), static_cast<long long>(pr.pages),
                   static_cast<long long>(pr.names_fetched),
                   static_cast<long long>(pr.new_alerts),
                   pr.rescanned > 0
                       ? absl::StrCat(", ", pr.rescanned, " rescanned").c_str()
                       : "");
    };
  }

  // Namespace reuse (each page, and --verify-known) and campaigns (after).
  CrawlChecks checks;
  if (absl::Status s = checks.Install(p, source_name, source_options, min_score,
                                      **store, &options);
      !s.ok()) {
    return Fail(kExitUsage, s.message());
  }

  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to the program; a server
  // closing a TLS connection must be an error, not the end of the process.
  signal(SIGPIPE, SIG_IGN);
  // Ctrl-C (or SIGTERM) stops after the page being stored: the database
  // stays consistent and the output below is complete.
  g_crawl_interrupted.store(false);
  auto previous_int = signal(SIGINT, OnCrawlInterrupt);
  auto previous_term = signal(SIGTERM, OnCrawlInterrupt);
  options.stop_requested = [] { return g_crawl_interrupted.load(); };
  crawlers::CrawlSummary summary =
      crawlers::RunCrawlJob(**source, **store, options);
  signal(SIGINT, previous_int);
  signal(SIGTERM, previous_term);
  if (progress) std::fputs("\r\x1b[K", stderr);

  std::unique_ptr<FindingWriter> out = MakeFindingWriter(common->format, std::cout);
  WriteAlerts(summary, *out);
  PrintSummary(summary);
  checks.PrintSummary();

  if (report_path) {
    std::ofstream file(*report_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Fail(kExitBadInput,
                  absl::StrCat("--report: cannot write '", *report_path, "'"));
    }
    std::unique_ptr<FindingWriter> report = MakeFindingWriter(*report_format, file);
    WriteAlerts(summary, *report);
    file.close();
    if (!file) {
      return Fail(kExitBadInput,
                  absl::StrCat("--report: error writing '", *report_path, "'"));
    }
  }

  if (!summary.status.ok()) {
    // Say what stopped the run, unless the summary's error list already did.
    const std::string why(summary.status.message());
    if (std::find(summary.errors.begin(), summary.errors.end(), why) == summary.errors.end()) {
      std::fprintf(stderr, "squatguard crawl: %s\n", EscapeForTerminal(why).c_str());
    }
    return crawlers::IsNetworkFailure(summary.status) ? kExitNetwork : kExitBadInput;
  }
  if (summary.interrupted) {
    std::fprintf(stderr, "squatguard crawl: interrupted; every stored page is complete and the next run continues\n");
    return 130;
  }
  return summary.new_alerts.empty() ? kExitClean : kExitFindings;
}

}  // namespace cli
}  // namespace squatguard
