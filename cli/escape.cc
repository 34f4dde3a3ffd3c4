// Escaping attacker-controlled names for terminals and spreadsheets.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/output.h"
#include "confusables/utf8.h"

namespace squatguard {
namespace cli {
namespace {

// Code points that change how a terminal shows text, or show nothing at all:
// bidi controls, zero-width and other default-ignorable format characters,
// line and paragraph separators.
bool IsInvisibleOrFormat(char32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || (c >= 0x115F && c <= 0x1160) ||
         (c >= 0x17B4 && c <= 0x17B5) || (c >= 0x180B && c <= 0x180F) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x205F && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFFB) ||
         (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) ||
         (c >= 0xE0000 && c <= 0xE0FFF);
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
size_t DecodeOne(absl::string_view s, size_t i, char32_t* out) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  if (!confusables::ValidateUtf8(s.substr(i, len)).ok()) return 0;
  std::vector<char32_t> cps = confusables::DecodeUtf8(s.substr(i, len));
  if (cps.size() != 1) return 0;
  *out = cps[0];
  return len;
}

}  // namespace

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7F) {
      if (b == '\\') out += "\\\\";
      else out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    char32_t cp = 0;
    const size_t len = DecodeOne(text, i, &cp);
    if (len == 0) {  // invalid byte: show it, never drop it
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", b));
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", static_cast<uint32_t>(cp)));
    } else if ((cp >= 0x80 && cp < 0xA0) || IsInvisibleOrFormat(cp)) {
      absl::StrAppend(&out, cp > 0xFFFF ? absl::StrFormat("\\U%08x", static_cast<uint32_t>(cp))
                                        : absl::StrFormat("\\u%04x", static_cast<uint32_t>(cp)));
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  return out;
}

std::string CsvCell(absl::string_view text) {
  std::string cell = EscapeForTerminal(text);
  // A spreadsheet runs a cell starting with these as a formula.
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\n\r") != std::string::npos || (!cell.empty() && cell[0] == '\'')) {
    std::string quoted = "\"";
    for (char c : cell) {
      if (c == '"') quoted += "\"\"";
      else quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
  }
  return cell;
}

}  // namespace cli
}  // namespace squatguard
