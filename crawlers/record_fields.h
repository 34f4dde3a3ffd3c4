// Reading fields of a registry's JSON records without exceptions.
//
// Registry responses are untrusted: a field may be missing, null or of the
// wrong type. nlohmann's value()/get() throw on a type mismatch; these return
// an empty result instead, so one odd record can never crash a crawl.
#ifndef SQUATGUARD_CRAWLERS_RECORD_FIELDS_H_
#define SQUATGUARD_CRAWLERS_RECORD_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/string_view.h"

namespace squatguard {
namespace crawlers {

// The string at `key` of an object, or "" (missing, null, not a string).
std::string StringField(const nlohmann::json& object, const char* key);

// The integer at `key`: a JSON integer, or a string of decimal digits (some
// APIs quote 64-bit numbers). nullopt otherwise.
std::optional<int64_t> IntField(const nlohmann::json& object, const char* key);

// Milliseconds since the epoch of an RFC 3339 time ("2024-05-01T12:00:00.000Z",
// "2024-05-01T12:00:00+02:00"); nullopt when unreadable.
std::optional<int64_t> ParseRfc3339Millis(absl::string_view text);

// Compact JSON text of a value, invalid UTF-8 replaced (never throws).
std::string DumpRecord(const nlohmann::json& value);

}  // namespace crawlers
}  // namespace squatguard

#endif  // SQUATGUARD_CRAWLERS_RECORD_FIELDS_H_
