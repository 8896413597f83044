#include "lib/common/strict_json.h"

#include <string>
#include <vector>

namespace marac {
namespace {

// nlohmann's message without its "[json.exception.parse_error.101] " tag,
// "line 1, " dropped for one-line input, and the echoed input made safe.
std::string CleanParseError(std::string_view what) {
  if (const auto close = what.find("] "); close != std::string_view::npos) {
    what.remove_prefix(close + 2);
  }
  std::string out;
  constexpr std::string_view kLineOne = "at line 1, column";
  if (const auto at = what.find(kLineOne); at != std::string_view::npos) {
    out.append(what.substr(0, at));
    out.append("at column");
    what.remove_prefix(at + kLineOne.size());
  }
  out += ShownText(what, 200);
  return out;
}

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
    // One search: insert, or find the key already there.
    auto& members = stack_.back()->get_ref<Json::object_t&>();
    const auto [it, inserted] = members.try_emplace(std::move(k));
    if (!inserted) {
      error_path_ =
          JoinPath(PathOf(stack_.size() - 1), ShownText(it->first, 64));
      error_ = "duplicate key";
      return false;
    }
    object_element_ = &it->second;
    keys_.back() = &it->first;
    return true;
  }

  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) {
    error_ = CleanParseError(ex.what());
    // Name the field whose value was being read, when there is one.
    error_path_ = PathOf(stack_.size());
    return false;
  }

  const std::string& error() const { return error_; }
  const std::string& error_path() const { return error_path_; }

 private:
  // The path of the value being read inside the outermost `levels` open
  // containers: "answers.3", "items[2].key". Where the next level is open,
  // it is its array's last element; at the top, the element being read is
  // not yet added.
  std::string PathOf(std::size_t levels) const {
    std::string path;
    for (std::size_t i = 0; i < levels; ++i) {
      const bool child_open = i + 1 < stack_.size();
      if (stack_[i]->is_array()) {
        const std::size_t size = stack_[i]->size();
        const std::size_t index = child_open ? size - 1 : size;
        path += "[" + std::to_string(index) + "]";
      } else if (keys_[i] != nullptr) {
        path = JoinPath(path, ShownText(*keys_[i], 64));
      }
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
      keys_.back() = nullptr;  // That member is complete.
    }
    return true;
  }

  bool Close() {
    stack_.pop_back();
    keys_.pop_back();
    if (!keys_.empty()) keys_.back() = nullptr;  // The parent's member is done.
    return true;
  }

  bool Open(Json&& value) {
    if (stack_.size() >= max_depth_) {
      error_path_ = PathOf(stack_.size());
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
    keys_.push_back(nullptr);
    return true;
  }

  Json& root_;
  std::size_t max_depth_;
  std::vector<Json*> stack_;
  // Per open container, the key being read in it (null for arrays and
  // between members). Points into the DOM, which owns the keys.
  std::vector<const std::string*> keys_;
  Json* object_element_ = nullptr;
  std::string error_;
  std::string error_path_;
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
    return InvalidArgument(options.where, ShownText(ex.what(), 200));
  }
  if (!ok) {
    const std::string& path = builder.error_path();
    return InvalidArgument(
        path.empty() ? options.where : std::string_view(path),
        builder.error().empty() ? "not valid JSON" : builder.error());
  }
  return root;
}

std::string ShownText(std::string_view text, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() < max_bytes ? text.size() : max_bytes + 3);
  std::size_t i = 0;
  while (i < text.size()) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (c >= 0x20 && c < 0x7F) {
      length = 1;
    } else if (c >= 0xC2 && c <= 0xF4) {
      // A well-formed UTF-8 sequence (RFC 3629): lead byte, then 1-3
      // continuation bytes, no overlongs, no surrogates, at most U+10FFFF.
      const std::size_t need = c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4);
      bool good = i + need <= text.size();
      for (std::size_t k = 1; good && k < need; ++k) {
        good = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
      }
      if (good && need >= 3) {
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        good = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0) &&
               !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
      }
      if (good) length = need;
    }
    if (length == 0) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
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
    if (!known) {
      return InvalidArgument(JoinPath(path, ShownText(key, 64)),
                             "unknown field");
    }
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
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    // 99999999999999999999 arrives as a float: say what is wrong with it.
    if (d > static_cast<double>(max) || d < static_cast<double>(min)) {
      return InvalidArgument(path, "out of range (" + std::to_string(min) +
                                       " to " + std::to_string(max) + ")");
    }
    return InvalidArgument(path, "expected a whole number, got " +
                                     std::string(JsonTypeName(value)));
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
