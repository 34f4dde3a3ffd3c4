#include "cli/line_reader.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace squatguard {
namespace cli {

absl::Status LineReader::Open(const std::string& path) {
  if (path == "-") {
    file_ = stdin;
    name_ = "<stdin>";
  } else {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      return absl::NotFoundError(absl::StrCat(path, ": ", std::strerror(errno)));
    }
    owned_ = true;
    name_ = path;
  }
  struct stat st;
  if (fstat(fileno(file_), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return absl::InvalidArgumentError(absl::StrCat(path, ": is a folder"));
    if (S_ISREG(st.st_mode)) total_bytes_ = static_cast<size_t>(st.st_size);
  }
  return absl::OkStatus();
}

LineReader::~LineReader() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

std::vector<Line> LineReader::ReadBatch(size_t max_lines) {
  std::vector<Line> lines;
  if (file_ == nullptr) return lines;
  char* buf = nullptr;
  size_t cap = 0;
  while (lines.size() < max_lines) {
    const ssize_t n = getline(&buf, &cap, file_);
    if (n < 0) {
      error_ = std::ferror(file_) != 0;
      break;
    }
    bytes_read_ += static_cast<size_t>(n);
    size_t len = static_cast<size_t>(n);
    if (len > 0 && buf[len - 1] == '\n') --len;
    if (len > 0 && buf[len - 1] == '\r') --len;
    lines.push_back(Line{++line_number_, std::string(buf, len)});
  }
  std::free(buf);
  return lines;
}

}  // namespace cli
}  // namespace squatguard
