#include "lib/common/strict_json.h"

#include <string>
#include <vector>

namespace marac {
namespace {

// Builds a DOM like nlohmann's own json_sax_dom_parser, but refuses duplicate
// keys and deep nesting rather than silently keeping the last value.
class StrictDomBuilder {
 public:
  StrictDomBuilder(Json& root, std::size_t max_depth)
      : root_(root), max_depth_(max_depth) {}

  bool null() { return Handle(Json(nullptr)); }
  bool boolean(bool v) { return Handle(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return Handle(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Handle(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    return Handle(Json(v));
  }
  bool string(Json::string_t& v) { return Handle(Json(std::move(v))); }
  bool binary(Json::binary_t&) {
    error_ = "binary values are not JSON";
    return false;
  }
  bool start_object(std::size_t) { return Open(Json::object()); }
  bool key(Json::string_t& k) {
    Json& object = *stack_.back();
    if (object.contains(k)) {
      error_ = JoinPath(ParentPath(), k) + ": duplicate key";
      return false;
    }
    object_element_ = &object[k];
    keys_.back() = k;
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    keys_.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_array() {
    stack_.pop_back();
    keys_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " tag.
    if (const auto close = what.find("] "); close != std::string::npos) {
      what = what.substr(close + 2);
    }
    error_ = what;
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  // Keys of the enclosing objects, outermost first (the current object's
  // own pending key excluded).
  std::string ParentPath() const {
    std::string path;
    for (std::size_t i = 0; i + 1 < keys_.size(); ++i) {
      if (!keys_[i].empty()) path = JoinPath(path, keys_[i]);
    }
    return path;
  }

  bool Handle(Json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
    } else {
      *object_element_ = std::move(value);
    }
    return true;
  }

  bool Open(Json&& value) {
    if (stack_.size() >= max_depth_) {
      error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    Json* slot;
    if (stack_.empty()) {
      root_ = std::move(value);
      slot = &root_;
    } else if (stack_.back()->is_array()) {
      stack_.back()->push_back(std::move(value));
      slot = &stack_.back()->back();
    } else {
      *object_element_ = std::move(value);
      slot = object_element_;
    }
    stack_.push_back(slot);
    keys_.emplace_back();
    return true;
  }

  Json& root_;
  std::size_t max_depth_;
  std::vector<Json*> stack_;
  std::vector<std::string> keys_;
  Json* object_element_ = nullptr;
  std::string error_;
};

}  // namespace

Result<Json> ParseStrictJson(std::string_view text,
                             const StrictJsonOptions& options) {
  Json root;
  StrictDomBuilder builder(root, options.max_depth);
  bool ok = false;
  try {
    ok = Json::sax_parse(text.begin(), text.end(), &builder,
                         Json::input_format_t::json, /*strict=*/true,
                         /*ignore_comments=*/false);
  } catch (const std::exception& ex) {
    // sax_parse reports through parse_error; anything else (allocation) is
    // still an input problem from the caller's point of view.
    return InvalidArgument(options.where, ex.what());
  }
  if (!ok) {
    return InvalidArgument(options.where, builder.error().empty()
                                              ? "not valid JSON"
                                              : builder.error());
  }
  return root;
}

std::string JoinPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out.append(key);
  return out;
}

std::string_view JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "a whole number";
    case Json::value_t::number_float:
      return "a number with a fraction";
    default:
      return "an unsupported value";
  }
}

Status CheckKnownKeys(const Json& object, std::string_view path,
                      std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return InvalidArgument(JoinPath(path, key), "unknown field");
  }
  return Status::Ok();
}

const Json* FindMember(const Json& object, std::string_view key,
                       bool null_is_absent) {
  const auto it = object.find(key);
  if (it == object.end()) return nullptr;
  if (null_is_absent && it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> ReadString(const Json& value, std::string_view path,
                               std::size_t max_length) {
  if (!value.is_string()) {
    return InvalidArgument(
        path, "expected a string, got " + std::string(JsonTypeName(value)));
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() > max_length) {
    return InvalidArgument(
        path, "longer than " + std::to_string(max_length) + " bytes");
  }
  return text;
}

Result<std::int64_t> ReadInt(const Json& value, std::string_view path,
                             std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    n = value.get<std::int64_t>();
  } else if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max)) {
      return InvalidArgument(path, "out of range (" + std::to_string(min) +
                                       " to " + std::to_string(max) + ")");
    }
    n = static_cast<std::int64_t>(u);
  } else {
    return InvalidArgument(path, "expected a whole number, got " +
                                     std::string(JsonTypeName(value)));
  }
  if (n < min || n > max) {
    return InvalidArgument(path, std::to_string(n) + " is out of range (" +
                                     std::to_string(min) + " to " +
                                     std::to_string(max) + ")");
  }
  return n;
}

Result<bool> ReadBool(const Json& value, std::string_view path) {
  if (!value.is_boolean()) {
    return InvalidArgument(path, "expected true or false, got " +
                                     std::string(JsonTypeName(value)));
  }
  return value.get<bool>();
}

}  // namespace marac
