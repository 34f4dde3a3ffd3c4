// LoopbackServer: the smallest HTTP/1.1 server that lets a fuzz harness feed
// arbitrary bytes to a crawler's real response parser.
//
// The crawlers parse registry responses inside Source::FetchPage (lambdas
// handed to JsonFetcher), not in pure functions, so the harnesses drive the
// whole path: HttpClient -> JsonFetcher -> the source's reader. The server
// answers every request on 127.0.0.1 with what the harness's responder
// returns for the request target; nothing leaves the machine.
//
//   static LoopbackServer* server = LoopbackServer::Start().release();
//   server->SetResponder([&](const LoopbackRequest& request) {
//     return LoopbackResponse{200, {{"Link", "<...>; rel=\"next\""}}, body};
//   });
//   HfSource source({.endpoint = server->url()});
//
// One connection at a time, one request per connection (the response says
// "Connection: close"), which is all a crawler with one curl handle needs.
#ifndef SQUATGUARD_FUZZ_LOOPBACK_SERVER_H_
#define SQUATGUARD_FUZZ_LOOPBACK_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace squatguard {
namespace fuzzing {

struct LoopbackResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct LoopbackRequest {
  std::string target;  // "/api/models?limit=50"
  std::string head;    // the request line, headers and body, as received
};

using LoopbackResponder = std::function<LoopbackResponse(const LoopbackRequest& request)>;

class LoopbackServer {
 public:
  // Listens on an ephemeral port of 127.0.0.1; nullptr when that fails.
  // With `record_heads`, keeps the first 1,000 request heads for heads()
  // (tests); harnesses leave it off, since a fuzzer checks for leaks after
  // any input that allocates more than it frees, and that is slow.
  static std::unique_ptr<LoopbackServer> Start(bool record_heads = false);
  ~LoopbackServer();

  // "http://127.0.0.1:PORT"
  const std::string& url() const { return url_; }

  // Replaces the responder; requests after the call use the new one.
  void SetResponder(LoopbackResponder responder);

  // Requests answered since the last call (and resets the count).
  int TakeRequestCount();

  // The first 1,000 request heads received, oldest first (when recorded).
  std::vector<std::string> heads() const;

 private:
  LoopbackServer(int listen_fd, int port, bool record_heads);
  void Loop();
  void Handle(int fd);

  const int listen_fd_;
  const std::string url_;
  const bool record_heads_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  LoopbackResponder responder_;
  int requests_ = 0;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace fuzzing
}  // namespace squatguard

#endif  // SQUATGUARD_FUZZ_LOOPBACK_SERVER_H_
