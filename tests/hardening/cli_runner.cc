#include "tests/hardening/cli_runner.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace squatguard {
namespace hardening {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// argv and envp, built before fork() so the child need not allocate.
struct ChildSpec {
  std::string binary;
  std::vector<std::string> argv_storage, env_storage;
  std::vector<char*> argv, envp;
  std::optional<uid_t> uid;
};

ChildSpec MakeSpec(const std::vector<std::string>& args, const RunOptions& options) {
  ChildSpec spec;
  spec.binary = Binary();
  spec.uid = options.run_as_uid;
  spec.argv_storage.push_back(spec.binary);
  spec.argv_storage.insert(spec.argv_storage.end(), args.begin(), args.end());
  for (char** e = environ; *e != nullptr; ++e) {
    absl::string_view entry(*e);
    bool overridden = false;
    for (const auto& [k, v] : options.env) {
      if (entry.substr(0, entry.find('=')) == k) overridden = true;
    }
    if (!overridden) spec.env_storage.emplace_back(entry);
  }
  for (const auto& [k, v] : options.env) spec.env_storage.push_back(absl::StrCat(k, "=", v));
  for (std::string& a : spec.argv_storage) spec.argv.push_back(a.data());
  spec.argv.push_back(nullptr);
  for (std::string& e : spec.env_storage) spec.envp.push_back(e.data());
  spec.envp.push_back(nullptr);
  return spec;
}

// In the child after fork(): only async-signal-safe calls and exec.
[[noreturn]] void ExecChild(const ChildSpec& spec, int in_fd, const char* out_path,
                            const char* err_path) {
  int out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  int err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(120);
  dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  if (spec.uid) {
    const gid_t gid = static_cast<gid_t>(*spec.uid);
    if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(*spec.uid) != 0) _exit(121);
  }
  execve(spec.binary.c_str(), spec.argv.data(), spec.envp.data());
  _exit(122);
}

RunResult Collect(pid_t pid, double started, double timeout_seconds, const std::string& out_path,
                  const std::string& err_path) {
  RunResult r;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (Now() - started > timeout_seconds) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = Now() - started;
  if (!r.timed_out && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

std::string MakeTempDir() {
  char tmpl[] = "/tmp/squatguard-hardening-XXXXXX";
  char* made = mkdtemp(tmpl);
  if (made == nullptr) std::abort();
  // Readable by the unprivileged user of the permission cases.
  chmod(made, 0777);
  return made;
}

}  // namespace

std::string Binary() { return SQUATGUARD_BINARY_DIR "/cli/squatguard"; }

std::string Testdata(absl::string_view name) {
  return absl::StrCat(SQUATGUARD_SOURCE_DIR "/tests/testdata/hardening/", name);
}

bool Sanitized() {
  const char* v = std::getenv("SQUATGUARD_SANITIZED");
  return v != nullptr && std::string(v) == "1";
}

ScratchDir::ScratchDir() : path_(MakeTempDir()) {}

ScratchDir::~ScratchDir() {
  for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) umount2(it->c_str(), MNT_DETACH);
  std::system(absl::StrCat("rm -rf '", path_, "'").c_str());
}

std::string ScratchDir::File(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

std::string ScratchDir::MountTmpfs(absl::string_view name, size_t bytes) {
  const std::string target = File(name);
  mkdir(target.c_str(), 0777);
  const std::string options = absl::StrCat("size=", bytes, ",mode=0777");
  if (mount("tmpfs", target.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    return absl::StrCat("mount -t tmpfs ", target, ": ", std::strerror(errno));
  }
  mounts_.push_back(target);
  return "";
}

std::string ScratchDir::Remount(absl::string_view name, absl::string_view options) {
  const std::string target = File(name);
  unsigned long flags = MS_REMOUNT;
  std::string data(options);
  if (options == "ro") {
    flags |= MS_RDONLY;
    data.clear();
  }
  if (mount("tmpfs", target.c_str(), "tmpfs", flags, data.empty() ? nullptr : data.c_str()) != 0) {
    return absl::StrCat("remount ", target, " ", options, ": ", std::strerror(errno));
  }
  return "";
}

RunResult RunCli(const std::vector<std::string>& args, const RunOptions& options) {
  const std::string dir = MakeTempDir();
  const std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::string in_path = options.stdin_path.empty() ? "/dev/null" : options.stdin_path;
  if (options.stdin_bytes) {
    in_path = dir + "/stdin";
    WriteFile(in_path, *options.stdin_bytes);
  }
  int in_fd = open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  const ChildSpec spec = MakeSpec(args, options);
  const double started = Now();
  pid_t pid = fork();
  if (pid == 0) ExecChild(spec, in_fd, out_path.c_str(), err_path.c_str());
  if (in_fd >= 0) close(in_fd);
  RunResult r = Collect(pid, started, options.timeout_seconds, out_path, err_path);
  std::system(absl::StrCat("rm -rf '", dir, "'").c_str());
  return r;
}

Background::Background(const std::vector<std::string>& args, const RunOptions& options,
                       bool pipe_stdin, const std::string& scratch) {
  // Fresh files per process: a stale file from an earlier one would look
  // like output of this one before it has even started.
  static int serial = 0;
  ++serial;
  out_path_ = absl::StrCat(scratch, "/bg-", serial, "-stdout");
  err_path_ = absl::StrCat(scratch, "/bg-", serial, "-stderr");
  int in_fd = -1;
  if (pipe_stdin) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) std::abort();
    in_fd = fds[0];
    stdin_fd_ = fds[1];
  } else {
    in_fd = open(options.stdin_path.empty() ? "/dev/null" : options.stdin_path.c_str(),
                 O_RDONLY | O_CLOEXEC);
  }
  const ChildSpec spec = MakeSpec(args, options);
  started_ = Now();
  pid_ = fork();
  if (pid_ == 0) ExecChild(spec, in_fd, out_path_.c_str(), err_path_.c_str());
  close(in_fd);
}

Background::~Background() {
  CloseStdin();
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool Background::WriteStdin(absl::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(stdin_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

void Background::CloseStdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

void Background::Signal(int signal) { kill(pid_, signal); }

size_t Background::StdoutSize() const {
  struct stat st;
  return stat(out_path_.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
}

RunResult Background::Wait(double timeout_seconds) {
  RunResult r = Collect(pid_, Now(), timeout_seconds, out_path_, err_path_);
  r.seconds = Now() - started_;
  pid_ = -1;
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, absl::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string QueryDb(const std::string& path, const std::string& sql, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string e = absl::StrCat("error: ", sqlite3_errmsg(db));
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    result = absl::StrCat("error: ", sqlite3_errmsg(db));
  } else {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) result = reinterpret_cast<const char*>(text);
    } else if (rc != SQLITE_DONE) {
      result = absl::StrCat("error: ", sqlite3_errmsg(db));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

std::optional<uid_t> UnprivilegedUid() {
  struct passwd* pw = getpwnam("nobody");
  if (pw == nullptr) return std::nullopt;
  return pw->pw_uid;
}

}  // namespace hardening
}  // namespace squatguard
