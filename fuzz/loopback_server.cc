#include "fuzz/loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace squatguard {
namespace fuzzing {
namespace {

constexpr size_t kMaxRequestBytes = 64 * 1024;

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// The request target of "GET /path?query HTTP/1.1", or "" when unreadable.
std::string RequestTarget(const std::string& head) {
  size_t first = head.find(' ');
  if (first == std::string::npos) return "";
  size_t second = head.find(' ', first + 1);
  if (second == std::string::npos) return "";
  return head.substr(first + 1, second - first - 1);
}

}  // namespace

std::unique_ptr<LoopbackServer> LoopbackServer::Start(bool record_heads) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return nullptr;
  }
  std::unique_ptr<LoopbackServer> server(new LoopbackServer(fd, ntohs(addr.sin_port), record_heads));
  server->thread_ = std::thread([s = server.get()] { s->Loop(); });
  return server;
}

LoopbackServer::LoopbackServer(int listen_fd, int port, bool record_heads)
    : listen_fd_(listen_fd),
      url_("http://127.0.0.1:" + std::to_string(port)),
      record_heads_(record_heads) {}

LoopbackServer::~LoopbackServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

void LoopbackServer::SetResponder(LoopbackResponder responder) {
  std::lock_guard<std::mutex> lock(mu_);
  responder_ = std::move(responder);
}

int LoopbackServer::TakeRequestCount() {
  std::lock_guard<std::mutex> lock(mu_);
  int n = requests_;
  requests_ = 0;
  return n;
}

std::vector<std::string> LoopbackServer::heads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return heads_;
}

void LoopbackServer::Loop() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    int ready = poll(&p, 1, 100);
    if (ready <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Handle(fd);
    close(fd);
  }
}

void LoopbackServer::Handle(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0) return;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    head.append(buf, static_cast<size_t>(n));
  }
  // A POST (SageMaker's JSON API) carries a body: read it all, or closing
  // with unread data would reset the connection before curl reads the answer.
  const size_t head_end = head.find("\r\n\r\n");
  if (head_end == std::string::npos) return;
  size_t body_bytes = 0;
  for (size_t at = head.find('\n'); at != std::string::npos && at < head_end;
       at = head.find('\n', at + 1)) {
    static constexpr char kLength[] = "content-length:";
    std::string line = head.substr(at + 1, sizeof(kLength) - 1);
    for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (line == kLength) body_bytes = std::strtoul(head.c_str() + at + sizeof(kLength), nullptr, 10);
  }
  if (body_bytes > kMaxRequestBytes) return;
  while (head.size() < head_end + 4 + body_bytes) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0) return;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    head.append(buf, static_cast<size_t>(n));
  }
  LoopbackResponse response;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_;
    if (record_heads_ && heads_.size() < 1000) heads_.push_back(head);
    if (responder_) response = responder_(LoopbackRequest{RequestTarget(head), head});
    else response.status = 404;
  }
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Fuzz\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  out += response.body;
  SendAll(fd, out);
  shutdown(fd, SHUT_WR);
}

}  // namespace fuzzing
}  // namespace squatguard
