#include "crawlers/record_fields.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"

namespace squatguard {
namespace crawlers {

std::string StringField(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get_ref<const std::string&>();
}

std::optional<int64_t> IntField(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_unsigned()) {
    uint64_t v = it->get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (it->is_string()) {
    int64_t v = 0;
    if (absl::SimpleAtoi(it->get_ref<const std::string&>(), &v)) return v;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseRfc3339Millis(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::nullopt;
  absl::Time t;
  std::string err;
  // %Ez accepts "Z" as well as "+hh:mm"; %E*S takes any fraction.
  if (!absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", text, &t, &err) &&
      !absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S", text, absl::UTCTimeZone(), &t,
                       &err)) {
    return std::nullopt;
  }
  return absl::ToUnixMillis(t);
}

std::string DumpRecord(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace crawlers
}  // namespace squatguard
