// The crawlers' network policy through `squatguard crawl`: TLS is verified,
// tokens never reach a message, redirects and next-page links to another
// host are refused (and the other host gets no request), and the response
// body and page limits hold.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/loopback_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hardening/cli_runner.h"

namespace squatguard {
namespace hardening {
namespace {

using ::squatguard::fuzzing::LoopbackRequest;
using ::squatguard::fuzzing::LoopbackResponse;
using ::squatguard::fuzzing::LoopbackServer;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kNetwork = 4;
constexpr char kToken[] = "hf_SECRET_token_never_printed_31337";

std::vector<std::string> CrawlHf(const ScratchDir& dir, const std::string& endpoint,
                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"crawl", "hf", "--endpoint", endpoint, "--db",
                                   dir.File("state.db"), "--protected", Testdata("protected.jsonl"),
                                   "--retries", "0", "--rate", "0", "--timeout", "20"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

RunOptions WithToken() { return RunOptions{.env = {{"HF_TOKEN", kToken}}}; }

std::unique_ptr<LoopbackServer> StartServer() {
  std::unique_ptr<LoopbackServer> s = LoopbackServer::Start(/*record_heads=*/true);
  EXPECT_NE(s, nullptr);
  return s;
}

// The same server under another host name: a different origin to curl.
std::string AsLocalhost(const std::string& url) {
  return absl::StrCat("http://localhost", url.substr(url.rfind(':')));
}

TEST(NetworkPolicy, TokenIsSentButNeverPrinted) {
  ScratchDir dir;
  auto server = StartServer();
  for (int status : {401, 403, 500}) {
    server->SetResponder([&](const LoopbackRequest&) {
      return LoopbackResponse{status, {}, absl::StrCat("{\"error\": \"echo ", kToken, "\"}")};
    });
    RunResult r = RunCli(CrawlHf(dir, server->url()), WithToken());
    EXPECT_EQ(r.exit_code, kNetwork) << status << ": " << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr(kToken))) << status;
    EXPECT_THAT(r.out, Not(HasSubstr(kToken))) << status;
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat("HTTP ", status)));
  }
  ASSERT_FALSE(server->heads().empty());
  EXPECT_THAT(server->heads().front(), HasSubstr(absl::StrCat("Bearer ", kToken)));
  // Nor is it stored.
  EXPECT_THAT(ReadFile(dir.File("state.db")), Not(HasSubstr(kToken)));
}

TEST(NetworkPolicy, PasswordsInTheEndpointAreRedacted) {
  ScratchDir dir;
  auto server = StartServer();
  server->SetResponder([](const LoopbackRequest&) { return LoopbackResponse{404, {}, "{}"}; });
  const std::string url = server->url();
  const std::string endpoint =
      absl::StrCat("http://user:pw-SECRET-42@", url.substr(std::string("http://").size()));
  RunResult r = RunCli(CrawlHf(dir, endpoint));
  EXPECT_EQ(r.exit_code, kNetwork) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("pw-SECRET-42")));
}

TEST(NetworkPolicy, RedirectToAnotherHostIsRefused) {
  ScratchDir dir;
  auto registry = StartServer();
  auto elsewhere = StartServer();
  const std::string target = AsLocalhost(elsewhere->url()) + "/api/models";
  registry->SetResponder([&](const LoopbackRequest&) {
    return LoopbackResponse{302, {{"Location", target}}, ""};
  });
  elsewhere->SetResponder([](const LoopbackRequest&) { return LoopbackResponse{200, {}, "[]"}; });
  RunResult r = RunCli(CrawlHf(dir, registry->url()), WithToken());
  EXPECT_EQ(r.exit_code, kNetwork) << r.err;
  EXPECT_THAT(r.err, HasSubstr("refused redirect to another host"));
  EXPECT_THAT(r.err, Not(HasSubstr(kToken)));
  EXPECT_EQ(elsewhere->TakeRequestCount(), 0) << "the other host was contacted";
}

TEST(NetworkPolicy, RedirectWithinTheHostIsFollowed) {
  ScratchDir dir;
  auto registry = StartServer();
  registry->SetResponder([&](const LoopbackRequest& request) {
    if (absl::StartsWith(request.target, "/moved")) return LoopbackResponse{200, {}, "[]"};
    return LoopbackResponse{301, {{"Location", "/moved" + request.target}}, ""};
  });
  RunResult r = RunCli(CrawlHf(dir, registry->url()), WithToken());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(NetworkPolicy, NextPageLinkToAnotherHostIsRefused) {
  ScratchDir dir;
  auto registry = StartServer();
  auto elsewhere = StartServer();
  const std::string next = AsLocalhost(elsewhere->url()) + "/api/models?cursor=2";
  registry->SetResponder([&](const LoopbackRequest&) {
    return LoopbackResponse{
        200,
        {{"Link", absl::StrCat("<", next, ">; rel=\"next\"")}},
        "[{\"_id\": \"1\", \"id\": \"someone/model\", \"createdAt\": \"2026-11-24T00:00:00.000Z\"}]"};
  });
  RunResult r = RunCli(CrawlHf(dir, registry->url()), WithToken());
  EXPECT_EQ(r.exit_code, kNetwork) << r.err;
  EXPECT_THAT(r.err, HasSubstr("another host"));
  EXPECT_THAT(r.err, Not(HasSubstr(kToken)));
  EXPECT_EQ(elsewhere->TakeRequestCount(), 0);
}

TEST(NetworkPolicy, OversizedBodyIsRefusedNotBuffered) {
  ScratchDir dir;
  auto registry = StartServer();
  const std::string huge(65 << 20, ' ');  // over the 64 MiB default
  registry->SetResponder([&](const LoopbackRequest&) { return LoopbackResponse{200, {}, huge}; });
  RunResult r = RunCli(CrawlHf(dir, registry->url()), {.timeout_seconds = 120});
  EXPECT_EQ(r.exit_code, kNetwork) << r.err;
  EXPECT_THAT(r.err, HasSubstr("response body larger than 67108864 bytes"));
}

TEST(NetworkPolicy, PageLimitStopsAnEndlessListing) {
  ScratchDir dir;
  auto registry = StartServer();
  int page = 0;
  registry->SetResponder([&](const LoopbackRequest&) {
    ++page;
    return LoopbackResponse{
        200,
        {{"Link", absl::StrCat("</api/models?page=", page + 1, ">; rel=\"next\"")}},
        absl::StrCat("[{\"_id\": \"", page, "\", \"id\": \"org/model-", page,
                     "\", \"createdAt\": \"2026-11-24T00:00:00.000Z\"}]")};
  });
  RunResult r = RunCli(CrawlHf(dir, registry->url(), {"--max-pages", "3"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stopped at --max-pages"));
  EXPECT_EQ(registry->TakeRequestCount(), 3);
}

// A port nothing listens on yet.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Listening(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

TEST(NetworkPolicy, SelfSignedCertificateIsRejected) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the openssl command is not installed; cannot serve TLS";
  }
  ScratchDir dir;
  const std::string make_cert = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout '",
      dir.File("key.pem"), "' -out '", dir.File("cert.pem"), "' >/dev/null 2>&1");
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  const int port = FreePort();
  pid_t server = fork();
  if (server == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execlp("openssl", "openssl", "s_server", "-quiet", "-www", "-accept",
           std::to_string(port).c_str(), "-cert", dir.File("cert.pem").c_str(), "-key",
           dir.File("key.pem").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    up = Listening(port);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (up) {
    RunResult r = RunCli(CrawlHf(dir, absl::StrCat("https://127.0.0.1:", port)), WithToken());
    EXPECT_EQ(r.exit_code, kNetwork) << r.err;
    EXPECT_THAT(r.err, HasSubstr("certificate"));
    EXPECT_THAT(r.err, Not(HasSubstr(kToken)));
  }
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  ASSERT_TRUE(up) << "openssl s_server did not start";
}

}  // namespace
}  // namespace hardening
}  // namespace squatguard
