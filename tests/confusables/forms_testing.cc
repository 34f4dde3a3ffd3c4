// Test helpers shared by the confusables tests.

#include "tests/confusables/forms_testing.h"

#include <sys/stat.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "confusables/utf8.h"

namespace squatguard {
namespace confusables {

std::string CodePoints(const std::string& utf8) {
  std::vector<std::string> parts;
  for (char32_t c : DecodeUtf8(utf8)) {
    parts.push_back(absl::StrFormat("U+%04X", static_cast<uint32_t>(c)));
  }
  return absl::StrJoin(parts, " ");
}

std::string DescribeFormsDifference(const NameForms& a, const NameForms& b) {
  const std::pair<const char*, const std::string NameForms::*> fields[] = {
      {"original", &NameForms::original},
      {"visible", &NameForms::visible},
      {"nfkc", &NameForms::nfkc},
      {"casefold", &NameForms::casefold},
      {"visual", &NameForms::visual},
      {"folded", &NameForms::folded},
      {"casefold_flat", &NameForms::casefold_flat},
      {"visual_flat", &NameForms::visual_flat},
      {"folded_flat", &NameForms::folded_flat},
  };
  for (const auto& [label, field] : fields) {
    if (a.*field != b.*field) {
      return absl::StrFormat("%s differs: \"%s\" [%s] vs \"%s\" [%s]", label,
                             EscapeInvalidUtf8(a.*field), CodePoints(a.*field),
                             EscapeInvalidUtf8(b.*field), CodePoints(b.*field));
    }
  }
  if (a.removed.size() != b.removed.size()) {
    return absl::StrFormat("removed differs: %d vs %d code points",
                           a.removed.size(), b.removed.size());
  }
  for (size_t i = 0; i < a.removed.size(); ++i) {
    if (a.removed[i].code_point != b.removed[i].code_point ||
        a.removed[i].byte_offset != b.removed[i].byte_offset) {
      return absl::StrFormat("removed[%d] differs: U+%04X@%d vs U+%04X@%d", i,
                             static_cast<uint32_t>(a.removed[i].code_point),
                             a.removed[i].byte_offset,
                             static_cast<uint32_t>(b.removed[i].code_point),
                             b.removed[i].byte_offset);
    }
  }
  if (a.mixed_script != b.mixed_script) {
    return absl::StrFormat("mixed_script differs: %d vs %d", static_cast<int>(a.mixed_script),
                           static_cast<int>(b.mixed_script));
  }
  return "";
}

std::string SharedCorporaDir() {
  const std::string dir = absl::StrCat(SQUATGUARD_SHARED_DIR, "/corpora");
  struct stat info;
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return "";
  return dir;
}

std::vector<std::string> ReadCorpusNames(const std::string& path) {
  std::vector<std::string> names;
  std::ifstream in(path);
  const bool tsv = absl::EndsWith(path, ".tsv");
  std::string line;
  bool header = tsv;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (tsv) {
      names.push_back(line.substr(0, line.find('\t')));
    } else if (!line.empty() && line[0] != '#') {
      names.push_back(line);
    }
  }
  return names;
}

}  // namespace confusables
}  // namespace squatguard
