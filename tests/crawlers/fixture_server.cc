#include "tests/crawlers/fixture_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace squatguard {
namespace testing {
namespace {

constexpr size_t kMaxRequestBytes = 64 * 1024;

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string RecordedRequest::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return "";
}

absl::StatusOr<std::unique_ptr<FixtureServer>> FixtureServer::Start() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 64) != 0) {
    std::string err = strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("bind/listen on 127.0.0.1: ", err));
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::unique_ptr<FixtureServer> server(new FixtureServer(fd, ntohs(addr.sin_port)));
  server->thread_ = std::thread([s = server.get()] { s->Loop(); });
  return server;
}

FixtureServer::FixtureServer(int listen_fd, int port)
    : listen_fd_(listen_fd), port_(port) {}

FixtureServer::~FixtureServer() {
  Stop();
  close(listen_fd_);
}

void FixtureServer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (std::thread& t : connections_) t.join();
  connections_.clear();
}

std::string FixtureServer::url() const {
  return absl::StrCat("http://127.0.0.1:", port_);
}

void FixtureServer::Script(const std::string& target,
                           std::vector<FixtureResponse> responses) {
  absl::MutexLock lock(&mu_);
  scripts_[target] = Queue{std::move(responses), 0};
}

void FixtureServer::Serve(const std::string& target, FixtureResponse response) {
  Script(target, {std::move(response)});
}

void FixtureServer::Clear() {
  absl::MutexLock lock(&mu_);
  scripts_.clear();
  requests_.clear();
}

std::vector<RecordedRequest> FixtureServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

int FixtureServer::CountRequests(const std::string& target_or_path) const {
  absl::MutexLock lock(&mu_);
  int n = 0;
  for (const RecordedRequest& r : requests_) {
    absl::string_view path = r.target;
    path = path.substr(0, path.find('?'));
    if (r.target == target_or_path || path == target_or_path) ++n;
  }
  return n;
}

void FixtureServer::Route(Router route) {
  absl::MutexLock lock(&mu_);
  route_ = std::move(route);
}

FixtureResponse FixtureServer::Next(const RecordedRequest& request) {
  absl::MutexLock lock(&mu_);
  const std::string& target = request.target;
  auto it = scripts_.end();
  if (route_) {
    std::string key = route_(request);
    if (!key.empty()) it = scripts_.find(key);
  }
  if (it == scripts_.end()) it = scripts_.find(target);
  if (it == scripts_.end()) it = scripts_.find(target.substr(0, target.find('?')));
  if (it == scripts_.end() || it->second.responses.empty()) {
    FixtureResponse missing;
    missing.status = 404;
    missing.body = absl::StrCat("{\"error\": \"no fixture for ", target, "\"}");
    return missing;
  }
  Queue& q = it->second;
  size_t i = std::min(q.next, q.responses.size() - 1);
  if (q.next < q.responses.size()) ++q.next;
  return q.responses[i];
}

void FixtureServer::SleepUnlessStopped(absl::Duration d) const {
  absl::Time end = absl::Now() + d;
  while (!stop_ && absl::Now() < end) {
    absl::SleepFor(std::min(absl::Milliseconds(10), end - absl::Now()));
  }
}

void FixtureServer::Loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // A thread per connection, so a delayed answer does not hold back the
    // client's retry on a new connection.
    connections_.emplace_back([this, fd] {
      Handle(fd);
      close(fd);
    });
  }
}

void FixtureServer::Handle(int fd) {
  std::string data;
  char buf[4096];
  while (data.find("\r\n\r\n") == std::string::npos && data.size() < kMaxRequestBytes) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0 || stop_) return;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;
    data.append(buf, static_cast<size_t>(n));
  }
  std::vector<std::string> lines =
      absl::StrSplit(data.substr(0, data.find("\r\n\r\n")), "\r\n");
  if (lines.empty()) return;
  std::vector<std::string> request_line = absl::StrSplit(lines[0], ' ');
  if (request_line.size() < 2) return;
  RecordedRequest request;
  request.method = request_line[0];
  request.target = request_line[1];
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    request.headers.emplace_back(
        absl::AsciiStrToLower(lines[i].substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
  }
  // The body: what came with the head, then the rest of Content-Length.
  size_t length = 0;
  for (const auto& [name, value] : request.headers) {
    if (name == "content-length") length = std::strtoul(value.c_str(), nullptr, 10);
  }
  request.body = data.substr(data.find("\r\n\r\n") + 4);
  while (request.body.size() < length && request.body.size() < kMaxRequestBytes) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0 || stop_) return;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;
    request.body.append(buf, static_cast<size_t>(n));
  }
  if (request.body.size() > length) request.body.resize(length);
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
  }

  FixtureResponse response = Next(request);
  SleepUnlessStopped(response.delay);
  if (stop_ || response.drop_connection) return;
  const std::string base = url();
  std::string body = absl::StrReplaceAll(response.body, {{"{{base}}", base}});
  std::string head = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                  Reason(response.status), "\r\n");
  if (!response.omit_content_length) {
    absl::StrAppend(&head, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&head, "Connection: close\r\n");
  for (const auto& [name, value] : response.headers) {
    absl::StrAppend(&head, name, ": ",
                    absl::StrReplaceAll(value, {{"{{base}}", base}}), "\r\n");
  }
  head += "\r\n";
  if (!SendAll(fd, head)) return;
  if (response.truncate_after) body.resize(std::min(body.size(), *response.truncate_after));
  SendAll(fd, body);
  shutdown(fd, SHUT_WR);
}

std::string ReadTestdata(const std::string& name) {
  std::string path =
      absl::StrCat(SQUATGUARD_SOURCE_DIR, "/tests/testdata/crawlers/", name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "missing test data file %s\n", path.c_str());
    std::abort();
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace testing
}  // namespace squatguard
