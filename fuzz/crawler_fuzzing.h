// What the crawler harnesses share: one loopback server for the process, and
// fetch options that make one exec one request (no rate limit, no retry, no
// sleeping, short timeouts).
#ifndef SQUATGUARD_FUZZ_CRAWLER_FUZZING_H_
#define SQUATGUARD_FUZZ_CRAWLER_FUZZING_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "crawlers/source_factory.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/loopback_server.h"

namespace squatguard {
namespace fuzzing {

// A token the harnesses send; it must never appear in an error.
inline constexpr char kSecretToken[] = "fuzz-secret-token-4f1c";

inline LoopbackServer& Server() {
  static LoopbackServer* server = [] {
    std::unique_ptr<LoopbackServer> s = LoopbackServer::Start();
    if (s == nullptr) {
      std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
      std::abort();
    }
    return s.release();  // lives for the whole process
  }();
  return *server;
}

inline crawlers::SourceOptions QuickSourceOptions(int page_size = 0) {
  crawlers::SourceOptions o;
  o.endpoint = Server().url();
  o.token = kSecretToken;
  o.page_size = page_size;
  o.fetch.requests_per_second = 0;
  o.fetch.retry.max_attempts = 1;
  o.fetch.retry.sleep = [](absl::Duration) {};
  o.fetch.http.connect_timeout = absl::Seconds(5);
  o.fetch.http.total_timeout = absl::Seconds(10);
  o.fetch.http.max_body_bytes = 1 << 20;
  return o;
}

// Errors are shown to people and logged: never the token. (Unless the
// response itself carried it: libFuzzer learns the string from the check and
// puts it in bodies and links, which an error may quote.)
inline void ExpectNoToken(const absl::Status& status, absl::string_view input) {
  if (absl::StrContains(input, kSecretToken)) return;
  FUZZ_EXPECT(!absl::StrContains(status.ToString(), kSecretToken), status.ToString());
}

// Header values cannot carry line breaks.
inline std::string HeaderValue(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
  return out;
}

}  // namespace fuzzing
}  // namespace squatguard

#endif  // SQUATGUARD_FUZZ_CRAWLER_FUZZING_H_
