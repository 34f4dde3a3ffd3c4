// FixtureServer: a scripted HTTP/1.1 server on 127.0.0.1 for crawler tests.
//
//   auto server = FixtureServer::Start();           // ephemeral port
//   (*server)->Script("/api/models?sort=createdAt&direction=-1&limit=2",
//                     {{.status = 429, .headers = {{"Retry-After", "1"}}},
//                      {.body = ReadTestdata("hf_models_page1.json")}});
//   HfSource source({.endpoint = (*server)->url()});
//
// A request is matched by its Route() key, if any, then by its exact target
// (path and query), then by its path alone; unmatched requests get 404. A
// target's responses are served in order and the last one repeats.
// "{{base}}" in a body or header value becomes the server's URL, so fixtures
// can hold absolute links. Request bodies are read and recorded. Every
// response closes its connection.
//
// Each connection gets its own thread; delays sleep in small steps so
// Stop() (and the destructor) return promptly. Loopback only.
#ifndef SQUATGUARD_TESTS_CRAWLERS_FIXTURE_SERVER_H_
#define SQUATGUARD_TESTS_CRAWLERS_FIXTURE_SERVER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace squatguard {
namespace testing {

struct FixtureResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Duration delay = absl::ZeroDuration();  // before the status line
  // Send only this many body bytes (Content-Length still says the full
  // size), then close: a truncated transfer.
  std::optional<size_t> truncate_after;
  bool omit_content_length = false;  // end the body by closing instead
  bool drop_connection = false;      // close without answering at all
};

struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;  // as sent (Content-Length bytes)

  std::string Header(const std::string& lower_name) const;
};

class FixtureServer {
 public:
  static absl::StatusOr<std::unique_ptr<FixtureServer>> Start();
  ~FixtureServer();

  std::string url() const;  // "http://127.0.0.1:PORT"
  int port() const { return port_; }

  void Script(const std::string& target, std::vector<FixtureResponse> responses);
  void Serve(const std::string& target, FixtureResponse response);
  void Clear();

  // Scripts keyed by more than the target (POST APIs that all go to "/"):
  // a non-empty key from `route` is looked up first. Survives Clear().
  using Router = std::function<std::string(const RecordedRequest&)>;
  void Route(Router route);

  std::vector<RecordedRequest> requests() const;
  int CountRequests(const std::string& target_or_path) const;

  void Stop();

 private:
  FixtureServer(int listen_fd, int port);
  void Loop();
  void Handle(int fd);
  FixtureResponse Next(const RecordedRequest& request);
  void SleepUnlessStopped(absl::Duration d) const;

  const int listen_fd_;
  const int port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> connections_;  // touched by thread_, then Stop()
  mutable absl::Mutex mu_;
  struct Queue {
    std::vector<FixtureResponse> responses;
    size_t next = 0;
  };
  std::map<std::string, Queue> scripts_ ABSL_GUARDED_BY(mu_);
  Router route_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
};

// The contents of tests/testdata/crawlers/<name>; aborts the test binary
// with a message when the file is missing.
std::string ReadTestdata(const std::string& name);

}  // namespace testing
}  // namespace squatguard

#endif  // SQUATGUARD_TESTS_CRAWLERS_FIXTURE_SERVER_H_
