// Reference extraction for `squatguard deps`: one reader per file format.
#include "cli/dependency_scanner.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"

namespace squatguard {
namespace cli {
namespace {

// Names longer than this cannot exist on any of the registries (Hub ids are at
// most 96 bytes a part, npm names 214, PyPI names have no limit but nothing
// real comes close), so they are not references worth a check.
constexpr size_t kMaxNameBytes = 256;

// JSON values nested deeper than this are not looked at.
constexpr size_t kMaxJsonDepth = 16;

absl::string_view BaseName(absl::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

absl::string_view ParentName(absl::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  if (slash == absl::string_view::npos) return {};
  return BaseName(path.substr(0, slash));
}

bool IsRequirementsFile(absl::string_view path) {
  const std::string base = absl::AsciiStrToLower(BaseName(path));
  if (!absl::EndsWith(base, ".txt")) return false;
  return absl::StrContains(base, "requirements") ||
         absl::AsciiStrToLower(ParentName(path)) == "requirements";
}

// A model reference that names a place on disk rather than a Hub id.
bool LooksLikePath(absl::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '/' || s[0] == '~' || s[0] == '.') return true;
  if (absl::StrContains(s, "\\")) return true;
  if (s.size() >= 2 && absl::ascii_isalpha(static_cast<unsigned char>(s[0])) && s[1] == ':') return true;
  if (std::count(s.begin(), s.end(), '/') >= 2) return true;
  for (absl::string_view part : absl::StrSplit(s, '/')) {
    if (part.empty() || part == "." || part == "..") return true;
  }
  return false;
}

// Text that cannot be a registry name at all: blank, too long, a URL, or
// holding whitespace, controls or punctuation no registry allows. (Look-alike
// letters from other scripts are kept: catching those is the point.)
bool PlausibleName(absl::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  if (absl::StrContains(s, "://")) return false;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
    if (absl::string_view("\"'`<>|?*{}()[],;=!$%^&+").find(c) != absl::string_view::npos) return false;
  }
  return true;
}

// A model reference (Hub id or path) from a literal; false when it is not one.
bool MakeModelReference(absl::string_view path_in_tree, absl::string_view value, int line,
                        absl::string_view field, Reference* ref) {
  absl::string_view name = absl::StripAsciiWhitespace(value);
  if (name.empty() || name.size() > kMaxNameBytes || absl::StrContains(name, "://")) return false;
  ref->kind = ReferenceKind::kModel;
  ref->local = LooksLikePath(name);
  if (!ref->local && !PlausibleName(name)) return false;
  ref->name = std::string(name);
  ref->file = std::string(path_in_tree);
  ref->line = line;
  ref->field = std::string(field);
  ref->raw = std::string(value);
  return true;
}

// ---------------------------------------------------------------------------
// JSON: nlohmann validates (and words the error); a small scanner over the
// validated text then reports each string value with its line and the keys
// above it, in document order (nlohmann's objects are sorted and lineless).

struct JsonFrame {
  bool object = false;
  bool expect_key = false;
  std::string key;  // the current key, for objects
};

std::string DecodeJsonString(absl::string_view quoted) {
  if (!absl::StrContains(quoted, "\\")) return std::string(quoted.substr(1, quoted.size() - 2));
  try {
    return nlohmann::json::parse(quoted).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(quoted.substr(1, quoted.size() - 2));
  }
}

// Calls visit(frames, value, line) for every string value (not key) of the
// valid JSON `text`, nested at most kMaxJsonDepth deep.
template <typename Visit>
void VisitJsonStrings(absl::string_view text, Visit visit) {
  std::vector<JsonFrame> frames;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '{' || c == '[') {
      frames.push_back({c == '{', c == '{', {}});
    } else if (c == '}' || c == ']') {
      if (!frames.empty()) frames.pop_back();
    } else if (c == ',') {
      if (!frames.empty() && frames.back().object) frames.back().expect_key = true;
    } else if (c == '"') {
      size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end, text.size() - 1);
      const absl::string_view quoted = text.substr(i, end + 1 - i);
      if (!frames.empty() && frames.back().object && frames.back().expect_key) {
        frames.back().key = DecodeJsonString(quoted);
        frames.back().expect_key = false;
      } else if (!frames.empty() && frames.size() <= kMaxJsonDepth) {
        visit(frames, DecodeJsonString(quoted), line);
      }
      i = end + 1;
      continue;
    }
    ++i;
  }
}

absl::Status ValidateJson(absl::string_view contents) {
  try {
    const nlohmann::json document = nlohmann::json::parse(contents.begin(), contents.end());
    static_cast<void>(document);
  } catch (const nlohmann::json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..."
    absl::string_view what = e.what();
    if (const size_t close = what.find("] "); absl::StartsWith(what, "[json.") && close != what.npos) {
      what.remove_prefix(close + 2);
    }
    return absl::InvalidArgumentError(absl::StrCat("malformed JSON: ", what));
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("malformed JSON: ", e.what()));
  }
  return absl::OkStatus();
}

// config.json: every "_name_or_path" (multimodal configs nest one per tower).
std::vector<Reference> ConfigReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  VisitJsonStrings(contents, [&](const std::vector<JsonFrame>& frames, const std::string& value, int line) {
    if (!frames.back().object || frames.back().key != "_name_or_path") return;
    Reference r;
    if (MakeModelReference(path, value, line, "_name_or_path", &r)) refs.push_back(std::move(r));
  });
  return refs;
}

// adapter_config.json: the base model PEFT loads, and the revision it loads.
std::vector<Reference> AdapterReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  std::string revision;
  VisitJsonStrings(contents, [&](const std::vector<JsonFrame>& frames, const std::string& value, int line) {
    if (frames.size() != 1 || !frames[0].object) return;
    if (frames[0].key == "revision") revision = value;
    if (frames[0].key != "base_model_name_or_path") return;
    Reference r;
    if (MakeModelReference(path, value, line, "base_model_name_or_path", &r)) refs.push_back(std::move(r));
  });
  for (Reference& r : refs) {
    r.pinnable = true;
    r.revision = revision;
    r.pinned = IsCommitHash(revision);
  }
  return refs;
}

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// "1.2.3", "=1.2.3", "v1.2.3-rc.1+build": one exact version, not a range.
bool IsExactSemver(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  if (absl::ConsumePrefix(&v, "=")) v = absl::StripLeadingAsciiWhitespace(v);
  absl::ConsumePrefix(&v, "v");
  const size_t tail = v.find_first_of("-+");
  const absl::string_view core = v.substr(0, tail);
  std::vector<absl::string_view> parts = absl::StrSplit(core, '.');
  if (parts.size() != 3) return false;
  for (absl::string_view p : parts) {
    if (!IsDigits(p)) return false;
  }
  if (tail == absl::string_view::npos) return true;
  const absl::string_view rest = v.substr(tail + 1);
  return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
  });
}

// package.json: the four dependency maps.
std::vector<Reference> PackageJsonReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  VisitJsonStrings(contents, [&](const std::vector<JsonFrame>& frames, const std::string& spec, int line) {
    if (frames.size() != 2 || !frames[0].object || !frames[1].object) return;
    const std::string& section = frames[0].key;
    if (section != "dependencies" && section != "devDependencies" && section != "peerDependencies" &&
        section != "optionalDependencies") {
      return;
    }
    const std::string& key = frames[1].key;
    absl::string_view name = key;
    absl::string_view range = absl::StripAsciiWhitespace(spec);
    if (absl::StartsWith(range, "npm:")) {
      // "npm:lodash@^4" and "npm:@scope/name@1": the package actually installed.
      const absl::string_view alias = range.substr(4);
      const size_t at = alias.find('@', absl::StartsWith(alias, "@") ? 1 : 0);
      name = alias.substr(0, at);
      range = at == absl::string_view::npos ? absl::string_view() : alias.substr(at + 1);
    } else {
      // Not from the registry: local folders, tarballs, git, URLs, GitHub
      // shorthand "user/repo", workspace links.
      for (absl::string_view prefix : {"file:", "link:", "portal:", "workspace:", "git:", "git+", "http:",
                                       "https:", "github:", "gitlab:", "bitbucket:", "gist:"}) {
        if (absl::StartsWith(range, prefix)) return;
      }
      if (absl::StrContains(range, "/")) return;
    }
    if (!PlausibleName(name) && !(absl::StartsWith(name, "@") && PlausibleName(name.substr(1)))) return;
    Reference r;
    r.kind = ReferenceKind::kNpmPackage;
    r.name = std::string(name);
    r.revision = std::string(range);
    r.pinnable = true;
    r.pinned = IsExactSemver(range);
    r.file = std::string(path);
    r.line = line;
    r.field = section;
    r.raw = absl::StrCat("\"", key, "\": \"", spec, "\"");
    refs.push_back(std::move(r));
  });
  return refs;
}

// ---------------------------------------------------------------------------
// Python: a tokenizer that knows strings (all prefixes, triple quotes,
// escapes), comments and names, then a look at the arguments of a few calls.

// 32 bytes a token (a 10 MB file of punctuation stays in the hundreds of MB
// at worst); decoded string values live beside the tokens.
struct PyToken {
  enum Type : uint8_t { kName, kString, kOp, kOther };
  absl::string_view text;  // the source text (strings: with prefix and quotes)
  int32_t line = 0;
  uint32_t value = 0;  // strings: index of the decoded value in PyTokens::values
  Type type = kOther;
  bool plain = false;  // a string without f (formatted) or b (bytes) prefix
};

struct PyTokens {
  std::vector<PyToken> tokens;
  std::vector<std::string> values;
};

bool IsIdentStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || absl::ascii_isdigit(static_cast<unsigned char>(c)); }

bool IsStringPrefix(absl::string_view word) {
  if (word.empty() || word.size() > 2) return false;
  const std::string w = absl::AsciiStrToLower(word);
  return w == "r" || w == "u" || w == "b" || w == "f" || w == "br" || w == "rb" || w == "fr" || w == "rf";
}

PyTokens TokenizePython(absl::string_view src) {
  PyTokens out;
  std::vector<PyToken>& tokens = out.tokens;
  const size_t n = src.size();
  size_t i = 0;
  int line = 1;
  auto lex_string = [&](absl::string_view prefix) {
    const std::string p = absl::AsciiStrToLower(prefix);
    const bool raw = absl::StrContains(p, "r");
    const char q = src[i];
    const bool triple = i + 2 < n && src[i + 1] == q && src[i + 2] == q;
    PyToken t;
    t.type = PyToken::kString;
    t.plain = !absl::StrContains(p, "f") && !absl::StrContains(p, "b");
    t.line = line;
    const size_t start = i - prefix.size();
    std::string value;
    size_t j = i + (triple ? 3 : 1);
    while (j < n) {
      const char c = src[j];
      if (c == '\\' && j + 1 < n) {
        const char next = src[j + 1];
        if (next == '\n') ++line;
        if (raw) {
          value += c;
          value += next;
        } else if (next == '\\' || next == '\'' || next == '"') {
          value += next;
        } else if (next != '\n') {
          value += c;
          value += next;
        }
        j += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) break;  // unterminated: the string ends with the line
        ++line;
      }
      if (c == q) {
        if (!triple) {
          ++j;
          break;
        }
        if (j + 2 < n && src[j + 1] == q && src[j + 2] == q) {
          j += 3;
          break;
        }
      }
      value += c;
      ++j;
    }
    t.text = src.substr(start, j - start);
    t.value = static_cast<uint32_t>(out.values.size());
    out.values.push_back(std::move(value));
    tokens.push_back(t);
    i = j;
  };
  while (i < n) {
    const char c = src[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\\') {
      ++i;
    } else if (c == '#') {
      while (i < n && src[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      lex_string({});
    } else if (IsIdentStart(c)) {
      const size_t start = i;
      while (i < n && IsIdentChar(src[i])) ++i;
      const absl::string_view word = src.substr(start, i - start);
      if (i < n && (src[i] == '"' || src[i] == '\'') && IsStringPrefix(word)) {
        lex_string(word);
      } else {
        tokens.push_back({word, line, 0, PyToken::kName, false});
      }
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      const size_t start = i;
      while (i < n && (IsIdentChar(src[i]) || src[i] == '.')) ++i;
      tokens.push_back({src.substr(start, i - start), line, 0, PyToken::kOther, false});
    } else {
      tokens.push_back({src.substr(i, 1), line, 0, PyToken::kOp, false});
      ++i;
    }
  }
  return out;
}

bool IsOp(const PyToken& t, char c) { return t.type == PyToken::kOp && t.text.size() == 1 && t.text[0] == c; }

// One argument of a call: tokens [begin, end), after "keyword=" if any.
struct PyArg {
  absl::string_view keyword;
  size_t begin = 0, end = 0;
};

// The value of an argument when it is a string literal (adjacent literals
// concatenate, as in Python); false for anything else.
bool LiteralValue(const PyTokens& py, const PyArg& arg, std::string* value, int* line) {
  const std::vector<PyToken>& tokens = py.tokens;
  if (arg.begin >= arg.end) return false;
  std::string v;
  for (size_t k = arg.begin; k < arg.end; ++k) {
    if (tokens[k].type != PyToken::kString || !tokens[k].plain) return false;
    v += py.values[tokens[k].value];
  }
  *value = std::move(v);
  *line = tokens[arg.begin].line;
  return true;
}

bool IsOpener(const PyToken& t) { return IsOp(t, '(') || IsOp(t, '[') || IsOp(t, '{'); }
bool IsCloser(const PyToken& t) { return IsOp(t, ')') || IsOp(t, ']') || IsOp(t, '}'); }

// For every opening bracket, the index of the bracket closing it (npos when
// unclosed), so argument lists can step over nested groups: reading every
// call's arguments then costs one pass over the tokens in all, however deeply
// calls nest.
std::vector<size_t> MatchBrackets(const std::vector<PyToken>& tokens) {
  std::vector<size_t> match(tokens.size(), std::string::npos);
  std::vector<size_t> open;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (IsOpener(tokens[k])) {
      open.push_back(k);
    } else if (IsCloser(tokens[k]) && !open.empty()) {
      match[open.back()] = k;
      open.pop_back();
    }
  }
  return match;
}

// The arguments of the call whose '(' is tokens[open]; empty when unclosed.
std::vector<PyArg> CallArguments(const std::vector<PyToken>& tokens, const std::vector<size_t>& match,
                                 size_t open) {
  std::vector<PyArg> args;
  const size_t close = match[open];
  if (close == std::string::npos) return args;
  auto push = [&](size_t begin, size_t end) {
    if (begin >= end) return;
    PyArg a;
    a.begin = begin;
    a.end = end;
    if (end - begin >= 2 && tokens[begin].type == PyToken::kName && IsOp(tokens[begin + 1], '=') &&
        !(end - begin >= 3 && IsOp(tokens[begin + 2], '='))) {
      a.keyword = tokens[begin].text;
      a.begin = begin + 2;
    }
    args.push_back(a);
  };
  size_t start = open + 1;
  for (size_t k = open + 1; k < close; ++k) {
    if (IsOpener(tokens[k])) {
      if (match[k] == std::string::npos || match[k] > close) return {};
      k = match[k];
    } else if (IsOp(tokens[k], ',')) {
      push(start, k);
      start = k + 1;
    }
  }
  push(start, close);
  return args;
}

const PyArg* Keyword(const std::vector<PyArg>& args, std::initializer_list<absl::string_view> names) {
  for (const PyArg& a : args) {
    for (absl::string_view n : names) {
      if (a.keyword == n) return &a;
    }
  }
  return nullptr;
}

const PyArg* Positional(const std::vector<PyArg>& args, size_t index) {
  size_t seen = 0;
  for (const PyArg& a : args) {
    if (!a.keyword.empty()) continue;
    if (seen++ == index) return &a;
  }
  return nullptr;
}

enum class PyCall { kNone, kFromPretrained, kPipeline, kHubDownload, kSentenceTransformer };

PyCall ClassifyCall(absl::string_view name) {
  if (name == "from_pretrained") return PyCall::kFromPretrained;
  if (name == "pipeline") return PyCall::kPipeline;
  if (name == "hf_hub_download" || name == "snapshot_download") return PyCall::kHubDownload;
  if (name == "SentenceTransformer" || name == "CrossEncoder") return PyCall::kSentenceTransformer;
  return PyCall::kNone;
}

std::vector<Reference> PythonReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  if (contents.size() >= INT32_MAX) return refs;  // lines and value indexes are 32-bit
  const PyTokens py = TokenizePython(contents);
  const std::vector<PyToken>& tokens = py.tokens;
  const std::vector<size_t> match = MatchBrackets(tokens);
  for (size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k].type != PyToken::kName || !IsOp(tokens[k + 1], '(')) continue;
    const PyCall call = ClassifyCall(tokens[k].text);
    if (call == PyCall::kNone) continue;
    // A definition of the same name ("def from_pretrained(cls, ...)") is not a call.
    if (k > 0 && tokens[k - 1].type == PyToken::kName && (tokens[k - 1].text == "def" || tokens[k - 1].text == "class")) {
      continue;
    }
    const std::vector<PyArg> args = CallArguments(tokens, match, k + 1);
    const PyArg* model = nullptr;
    switch (call) {
      case PyCall::kFromPretrained:
        model = Keyword(args, {"pretrained_model_name_or_path", "model_id"});
        if (model == nullptr) {
          // PeftModel.from_pretrained(base_model, "org/adapter"): the id is
          // second when the first argument is a model object.
          std::string unused;
          int unused_line = 0;
          const PyArg* first = Positional(args, 0);
          const PyArg* second = Positional(args, 1);
          model = first;
          if (first != nullptr && !LiteralValue(py, *first, &unused, &unused_line) && second != nullptr) {
            model = second;
          }
        }
        break;
      case PyCall::kPipeline:
        model = Keyword(args, {"model"});
        if (model == nullptr) model = Positional(args, 1);
        break;
      case PyCall::kHubDownload:
        model = Keyword(args, {"repo_id"});
        if (model == nullptr) model = Positional(args, 0);
        break;
      case PyCall::kSentenceTransformer:
        model = Keyword(args, {"model_name_or_path", "model_name"});
        if (model == nullptr) model = Positional(args, 0);
        break;
      case PyCall::kNone:
        break;
    }
    std::string value;
    int line = 0;
    if (model == nullptr || !LiteralValue(py, *model, &value, &line)) continue;
    Reference r;
    if (!MakeModelReference(path, value, line, tokens[k].text, &r)) continue;
    r.pinnable = true;
    if (const PyArg* rev = Keyword(args, {"revision"}); rev != nullptr) {
      std::string rev_value;
      int rev_line = 0;
      if (LiteralValue(py, *rev, &rev_value, &rev_line)) {
        r.revision = rev_value;
        r.pinned = IsCommitHash(rev_value);
      } else if (!(rev->end - rev->begin == 1 && tokens[rev->begin].text == "None")) {
        // A variable or expression: cannot be judged from the source text, so
        // the author is given the benefit of the doubt.
        r.revision = "(expression)";
        r.pinned = true;
      }
    }
    refs.push_back(std::move(r));
  }
  return refs;
}

// ---------------------------------------------------------------------------
// Model cards: YAML front matter between a leading "---" and the next "---"
// (or "..."), read for a top-level base_model: a scalar, a flow list
// "[a, b]" or a block list of "- a" lines.

// A YAML scalar as written on one line: quotes removed, a trailing comment cut.
std::string YamlScalar(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  if (!v.empty() && (v[0] == '"' || v[0] == '\'')) {
    const size_t close = v.find(v[0], 1);
    return std::string(v.substr(1, close == absl::string_view::npos ? v.npos : close - 1));
  }
  if (absl::StartsWith(v, "#")) return {};
  if (const size_t hash = v.find(" #"); hash != absl::string_view::npos) v = v.substr(0, hash);
  return std::string(absl::StripAsciiWhitespace(v));
}

bool YamlNull(absl::string_view v) { return v.empty() || v == "~" || absl::AsciiStrToLower(v) == "null"; }

std::vector<Reference> ModelCardReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  std::vector<absl::string_view> lines = absl::StrSplit(contents, '\n');
  for (absl::string_view& l : lines) absl::ConsumeSuffix(&l, "\r");
  if (lines.empty()) return refs;
  absl::string_view first = lines[0];
  absl::ConsumePrefix(&first, "\xEF\xBB\xBF");
  if (absl::StripTrailingAsciiWhitespace(first) != "---") return refs;
  auto add = [&](absl::string_view value, size_t index) {
    const std::string name = YamlScalar(value);
    if (YamlNull(name)) return;
    Reference r;
    if (MakeModelReference(path, name, static_cast<int>(index + 1), "base_model", &r)) refs.push_back(std::move(r));
  };
  for (size_t i = 1; i < lines.size(); ++i) {
    const absl::string_view line = absl::StripTrailingAsciiWhitespace(lines[i]);
    if (line == "---" || line == "...") break;
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "base_model")) continue;
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (!absl::ConsumePrefix(&rest, ":")) continue;  // base_model_relation and friends
    rest = absl::StripAsciiWhitespace(rest);
    if (absl::StartsWith(rest, "[")) {
      absl::ConsumePrefix(&rest, "[");
      if (const size_t close = rest.find(']'); close != absl::string_view::npos) rest = rest.substr(0, close);
      for (absl::string_view item : absl::StrSplit(rest, ',')) add(item, i);
      continue;
    }
    if (!rest.empty() && rest[0] != '#') {
      add(rest, i);  // a scalar (null, ~ and '' name nothing)
      continue;
    }
    // A block list: "- a" lines (indented or not), blank and comment lines between.
    for (size_t j = i + 1; j < lines.size(); ++j) {
      const absl::string_view item_line = absl::StripTrailingAsciiWhitespace(lines[j]);
      if (item_line == "---" || item_line == "...") break;
      absl::string_view item = absl::StripLeadingAsciiWhitespace(item_line);
      if (item.empty() || absl::StartsWith(item, "#")) continue;
      if (!absl::ConsumePrefix(&item, "-")) {
        if (item.size() == item_line.size()) break;  // the next top-level key
        continue;
      }
      if (!item.empty() && item[0] != ' ' && item[0] != '\t') continue;  // "-x" is no list item
      if (absl::StrContains(YamlScalar(item), ": ")) continue;  // a mapping item
      add(item, j);
      i = j;
    }
  }
  return refs;
}

// ---------------------------------------------------------------------------
// requirements*.txt: pip's format. Logical lines join on a trailing '\';
// "#" starts a comment at the line start or after whitespace.

void RequirementLine(absl::string_view path, absl::string_view text, int line, std::vector<Reference>* refs) {
  // Cut the comment.
  for (size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '#' && (k == 0 || text[k - 1] == ' ' || text[k - 1] == '\t')) {
      text = text.substr(0, k);
      break;
    }
  }
  text = absl::StripAsciiWhitespace(text);
  // Option lines: -r/-c includes, -e editable installs, index options.
  if (text.empty() || text[0] == '-') return;
  // Per-requirement options ("--hash=sha256:...") follow the requirement.
  absl::string_view requirement = text;
  absl::string_view options;
  for (size_t k = 1; k + 1 < text.size(); ++k) {
    if ((text[k - 1] == ' ' || text[k - 1] == '\t') && text[k] == '-' && text[k + 1] == '-') {
      requirement = absl::StripAsciiWhitespace(text.substr(0, k));
      options = text.substr(k);
      break;
    }
  }
  // Not from the index: URLs, VCS, local paths and archives, variables.
  const absl::string_view first_word = requirement.substr(0, requirement.find_first_of(" \t;"));
  if (absl::StrContains(requirement, "://") || absl::StrContains(requirement, "git+") ||
      absl::StrContains(requirement, "${") || absl::StrContains(first_word, "/") ||
      absl::StrContains(first_word, "\\") || requirement[0] == '.' || requirement[0] == '~') {
    return;
  }
  for (absl::string_view archive : {".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"}) {
    if (absl::EndsWith(absl::AsciiStrToLower(requirement), archive)) return;
  }
  size_t end = 0;
  while (end < requirement.size()) {
    const char c = requirement[end];
    const unsigned char u = static_cast<unsigned char>(c);
    if (!(absl::ascii_isalnum(u) || c == '.' || c == '_' || c == '-' || u >= 0x80)) break;
    ++end;
  }
  const absl::string_view name = requirement.substr(0, end);
  if (name.empty() || name.size() > kMaxNameBytes) return;
  absl::string_view spec = absl::StripLeadingAsciiWhitespace(requirement.substr(end));
  if (absl::StartsWith(spec, "[")) {
    const size_t close = spec.find(']');
    spec = close == absl::string_view::npos ? absl::string_view() : spec.substr(close + 1);
  }
  spec = absl::StripAsciiWhitespace(spec.substr(0, spec.find(';')));
  if (absl::StartsWith(spec, "@")) return;  // "name @ https://...": a direct URL
  if (!spec.empty() && absl::string_view("<>=!~(,").find(spec[0]) == absl::string_view::npos) return;
  const bool hashed = absl::StrContains(options, "--hash");
  bool exact = false;
  if (const size_t eq = spec.find("=="); eq != absl::string_view::npos) {
    const absl::string_view version = spec.substr(eq, spec.find(',', eq) - eq);
    exact = !absl::StrContains(version, "*");
  }
  Reference r;
  r.kind = ReferenceKind::kPyPIPackage;
  r.name = std::string(name);
  r.revision = hashed ? absl::StrCat(spec, spec.empty() ? "" : " ", "--hash") : std::string(spec);
  r.pinnable = true;
  r.pinned = hashed || exact;
  r.file = std::string(path);
  r.line = line;
  r.field = "requirements";
  r.raw = std::string(requirement);
  refs->push_back(std::move(r));
}

std::vector<Reference> RequirementsReferences(absl::string_view path, absl::string_view contents) {
  std::vector<Reference> refs;
  std::vector<absl::string_view> lines = absl::StrSplit(contents, '\n');
  std::string logical;
  int start = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view l = lines[i];
    absl::ConsumeSuffix(&l, "\r");
    if (logical.empty()) start = static_cast<int>(i + 1);
    if (absl::EndsWith(l, "\\") && i + 1 < lines.size()) {
      l.remove_suffix(1);
      absl::StrAppend(&logical, l, " ");
      continue;
    }
    absl::StrAppend(&logical, l);
    RequirementLine(path, logical, start, &refs);
    logical.clear();
  }
  return refs;
}

}  // namespace

bool IsCommitHash(absl::string_view revision) {
  return revision.size() == 40 &&
         std::all_of(revision.begin(), revision.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

absl::string_view ReferenceKindName(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::kModel: return "hf model";
    case ReferenceKind::kPyPIPackage: return "pypi package";
    case ReferenceKind::kNpmPackage: return "npm package";
  }
  return "reference";
}

bool IsReferenceFile(absl::string_view path_in_tree) {
  const absl::string_view base = BaseName(path_in_tree);
  if (base == "config.json" || base == "adapter_config.json" || base == "package.json") return true;
  if (absl::AsciiStrToLower(base) == "readme.md") return true;
  if (absl::EndsWith(base, ".py")) return true;
  return IsRequirementsFile(path_in_tree);
}

absl::StatusOr<std::vector<Reference>> ExtractReferences(absl::string_view path_in_tree,
                                                         absl::string_view contents) {
  const absl::string_view base = BaseName(path_in_tree);
  if (base == "config.json" || base == "adapter_config.json" || base == "package.json") {
    if (absl::Status s = ValidateJson(contents); !s.ok()) return s;
    if (base == "config.json") return ConfigReferences(path_in_tree, contents);
    if (base == "adapter_config.json") return AdapterReferences(path_in_tree, contents);
    return PackageJsonReferences(path_in_tree, contents);
  }
  if (absl::AsciiStrToLower(base) == "readme.md") return ModelCardReferences(path_in_tree, contents);
  if (absl::EndsWith(base, ".py")) return PythonReferences(path_in_tree, contents);
  if (IsRequirementsFile(path_in_tree)) return RequirementsReferences(path_in_tree, contents);
  return std::vector<Reference>{};
}

}  // namespace cli
}  // namespace squatguard
