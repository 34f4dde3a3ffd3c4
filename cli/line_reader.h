// Reads a file or stdin line by line in batches, tracking line numbers and
// bytes read (for progress and ETA). Lines keep no '\n' or trailing '\r'.
#ifndef SQUATGUARD_CLI_LINE_READER_H_
#define SQUATGUARD_CLI_LINE_READER_H_

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace squatguard {
namespace cli {

struct Line {
  size_t number = 0;  // 1-based
  std::string text;
};

class LineReader {
 public:
  // "-" reads stdin.
  absl::Status Open(const std::string& path);
  ~LineReader();

  // Up to `max_lines` lines; empty at end of input. Lines longer than
  // `max_line_bytes` are cut there and flagged with `truncated` = true.
  std::vector<Line> ReadBatch(size_t max_lines);

  size_t bytes_read() const { return bytes_read_; }
  // Total size when the input is a regular file, else 0.
  size_t total_bytes() const { return total_bytes_; }
  const std::string& name() const { return name_; }
  bool error() const { return error_; }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string name_;
  size_t line_number_ = 0;
  size_t bytes_read_ = 0;
  size_t total_bytes_ = 0;
  bool error_ = false;
};

}  // namespace cli
}  // namespace squatguard

#endif  // SQUATGUARD_CLI_LINE_READER_H_
