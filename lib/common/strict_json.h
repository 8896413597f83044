// Strict JSON for input the engine does not trust: a parse that rejects
// duplicate keys, deep nesting and invalid UTF-8 with a message instead of a
// guess, and small accessors whose errors name the field path. Private to the
// project (nlohmann::json never appears in include/marac).
#ifndef MARAC_COMMON_STRICT_JSON_H_
#define MARAC_COMMON_STRICT_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

using Json = nlohmann::json;

struct StrictJsonOptions {
  std::size_t max_depth = 16;
  // Where syntax errors are reported ("<input>", "line 3").
  std::string_view where = "<input>";
};

// Parses one JSON value. kInvalidArgument for a syntax error (with the
// column), invalid UTF-8, a duplicate key (naming its path) or nesting deeper
// than max_depth.
Result<Json> ParseStrictJson(std::string_view text,
                             const StrictJsonOptions& options = {});

// `text` made safe to echo in an error message: control characters and bytes
// that are not valid UTF-8 become \xNN, and it is cut (at a character
// boundary, marked "...") after about `max_bytes`.
std::string ShownText(std::string_view text, std::size_t max_bytes = 40);

// "answers" + "25" -> "answers.25"; "" + "id" -> "id".
std::string JoinPath(std::string_view path, std::string_view key);
// "a string", "a number", "an object", ...
std::string_view JsonTypeName(const Json& value);

// kInvalidArgument "path.key: unknown field" for a key not in `allowed`.
Status CheckKnownKeys(const Json& object, std::string_view path,
                      std::initializer_list<std::string_view> allowed);
// The member `key` of `object`, or nullptr when absent. A JSON null counts as
// absent only when `null_is_absent`.
const Json* FindMember(const Json& object, std::string_view key,
                       bool null_is_absent = false);
// Typed reads of a present value; errors name `path`.
Result<std::string> ReadString(const Json& value, std::string_view path,
                               std::size_t max_length = 4096);
Result<std::int64_t> ReadInt(const Json& value, std::string_view path,
                             std::int64_t min, std::int64_t max);
Result<bool> ReadBool(const Json& value, std::string_view path);

}  // namespace marac

#endif  // MARAC_COMMON_STRICT_JSON_H_
