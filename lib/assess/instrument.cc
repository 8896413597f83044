#include "marac/assess/instrument.h"

#include <cassert>
#include <set>
#include <string>

#include "lib/assess/builtin_instruments.h"
#include "lib/common/strict_json.h"

namespace marac {
namespace {

bool IsIdentifier(std::string_view s, char separator) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == separator;
    if (!ok) return false;
  }
  return true;
}

Result<InstrumentItem> ParseItem(const Json& value, const std::string& path,
                                 int expected_number) {
  if (!value.is_object()) {
    return InvalidArgument(
        path, "expected an object, got " + std::string(JsonTypeName(value)));
  }
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(value, path,
                     {"number", "key", "label", "high_harm_tags", "ric_number",
                      "follow_up_instrument"}));
  InstrumentItem item;
  const Json* number = FindMember(value, "number");
  if (number == nullptr) return InvalidArgument(path + ".number", "required");
  MARAC_ASSIGN_OR_RETURN(const std::int64_t n,
                         ReadInt(*number, path + ".number", 1, kMaxItems));
  if (n != expected_number) {
    return InvalidArgument(path + ".number",
                           "expected " + std::to_string(expected_number) +
                               ": items are listed in order, numbered 1..n");
  }
  item.number = static_cast<int>(n);

  const Json* key = FindMember(value, "key");
  if (key == nullptr) return InvalidArgument(path + ".key", "required");
  MARAC_ASSIGN_OR_RETURN(item.key, ReadString(*key, path + ".key", 64));
  if (!IsIdentifier(item.key, '_')) {
    return InvalidArgument(path + ".key", "\"" + item.key +
                                              "\" must be lower-case letters, "
                                              "digits and _");
  }
  const Json* label = FindMember(value, "label");
  if (label == nullptr) return InvalidArgument(path + ".label", "required");
  MARAC_ASSIGN_OR_RETURN(item.label, ReadString(*label, path + ".label", 300));
  if (item.label.empty()) return InvalidArgument(path + ".label", "empty");

  if (const Json* tags = FindMember(value, "high_harm_tags")) {
    if (!tags->is_array()) {
      return InvalidArgument(path + ".high_harm_tags",
                             "expected an array of strings");
    }
    for (std::size_t i = 0; i < tags->size(); ++i) {
      const std::string tag_path =
          path + ".high_harm_tags[" + std::to_string(i) + "]";
      MARAC_ASSIGN_OR_RETURN(std::string tag,
                             ReadString((*tags)[i], tag_path, 64));
      if (!IsIdentifier(tag, '_')) {
        return InvalidArgument(tag_path, "\"" + tag +
                                             "\" must be lower-case letters, "
                                             "digits and _");
      }
      item.high_harm_tags.push_back(std::move(tag));
    }
  }
  if (const Json* ric = FindMember(value, "ric_number")) {
    MARAC_ASSIGN_OR_RETURN(const std::int64_t r,
                           ReadInt(*ric, path + ".ric_number", 1, kMaxItems));
    item.ric_number = static_cast<int>(r);
  }
  if (const Json* follow = FindMember(value, "follow_up_instrument")) {
    MARAC_ASSIGN_OR_RETURN(
        item.follow_up_instrument,
        ReadString(*follow, path + ".follow_up_instrument", 64));
    if (!IsIdentifier(item.follow_up_instrument, '-')) {
      return InvalidArgument(path + ".follow_up_instrument",
                             "not an instrument id");
    }
  }
  return item;
}

}  // namespace

std::size_t Instrument::Index(int number) {
  assert(number >= 1 && number <= kMaxItems);
  return static_cast<std::size_t>(number - 1);
}

const InstrumentItem& Instrument::item(int number) const {
  assert(number >= 1 && number <= item_count());
  return items_[Index(number)];
}

std::optional<int> Instrument::FindTag(std::string_view tag) const {
  for (std::size_t i = 0; i < tags_.size(); ++i) {
    if (tags_[i] == tag) return static_cast<int>(i);
  }
  return std::nullopt;
}

void Instrument::BuildIndex() {
  tags_.clear();
  tag_masks_.assign(items_.size(), 0);
  tag_items_.clear();
  ric_mapped_items_ = 0;
  follow_up_items_ = 0;
  all_items_ = 0;
  for (const InstrumentItem& item : items_) {
    const std::uint64_t bit = std::uint64_t{1} << Index(item.number);
    all_items_ |= bit;
    if (item.ric_number) ric_mapped_items_ |= bit;
    if (!item.follow_up_instrument.empty()) follow_up_items_ |= bit;
    for (const std::string& tag : item.high_harm_tags) {
      std::optional<int> t = FindTag(tag);
      if (!t) {
        tags_.push_back(tag);
        tag_items_.push_back(0);
        t = static_cast<int>(tags_.size() - 1);
      }
      if (*t >= kMaxItems) continue;  // FromJson refuses this instrument.
      tag_masks_[Index(item.number)] |= std::uint64_t{1} << *t;
      tag_items_[static_cast<std::size_t>(*t)] |= bit;
    }
  }
  const std::size_t bytes = (items_.size() + 7) / 8;
  tag_table_.assign(bytes * 256, 0);
  for (std::size_t b = 0; b < bytes; ++b) {
    for (std::size_t subset = 1; subset < 256; ++subset) {
      std::uint64_t tags = 0;
      for (std::size_t i = 0; i < 8; ++i) {
        const std::size_t index = b * 8 + i;
        if ((subset >> i) & 1u && index < items_.size()) {
          tags |= tag_masks_[index];
        }
      }
      tag_table_[b * 256 + subset] = tags;
    }
  }
}

Result<std::shared_ptr<const Instrument>> Instrument::FromJson(
    std::string_view json_text) {
  MARAC_ASSIGN_OR_RETURN(const Json doc, ParseStrictJson(json_text));
  if (!doc.is_object()) {
    return InvalidArgument("<definition>", "expected a JSON object");
  }
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(doc, "",
                     {"format", "id", "version", "title", "source", "notes",
                      "graded_by", "items"}));
  const Json* format = FindMember(doc, "format");
  if (format == nullptr) return InvalidArgument("format", "required");
  MARAC_ASSIGN_OR_RETURN(const std::string format_name,
                         ReadString(*format, "format", 64));
  if (format_name != "marac-instrument/1") {
    return InvalidArgument("format", "\"" + format_name +
                                         "\" is not supported (expected "
                                         "\"marac-instrument/1\")");
  }
  auto instrument = std::shared_ptr<Instrument>(new Instrument());
  const Json* id = FindMember(doc, "id");
  if (id == nullptr) return InvalidArgument("id", "required");
  MARAC_ASSIGN_OR_RETURN(instrument->id_, ReadString(*id, "id", 64));
  if (!IsIdentifier(instrument->id_, '-')) {
    return InvalidArgument("id", "must be lower-case letters, digits and -");
  }
  const Json* version = FindMember(doc, "version");
  if (version == nullptr) return InvalidArgument("version", "required");
  MARAC_ASSIGN_OR_RETURN(instrument->version_,
                         ReadString(*version, "version", 64));
  if (instrument->version_.empty()) return InvalidArgument("version", "empty");
  if (const Json* title = FindMember(doc, "title")) {
    MARAC_ASSIGN_OR_RETURN(instrument->title_,
                           ReadString(*title, "title", 300));
  }
  for (const char* text_field : {"source", "notes"}) {
    if (const Json* v = FindMember(doc, text_field)) {
      MARAC_RETURN_IF_ERROR(ReadString(*v, text_field, 4096).status());
    }
  }
  if (const Json* graded_by = FindMember(doc, "graded_by")) {
    MARAC_ASSIGN_OR_RETURN(const std::string how,
                           ReadString(*graded_by, "graded_by", 64));
    if (how == "officer_judgement") {
      instrument->judgement_graded_ = true;
    } else if (how != "yes_count") {
      return InvalidArgument("graded_by", "\"" + how +
                                              "\" is not allowed (yes_count | "
                                              "officer_judgement)");
    }
  }
  const Json* items = FindMember(doc, "items");
  if (items == nullptr) return InvalidArgument("items", "required");
  if (instrument->judgement_graded_) {
    // The grade is the officer's; there is nothing to count.
    if (!items->is_array() || !items->empty()) {
      return InvalidArgument("items",
                             "must be [] when graded_by is "
                             "\"officer_judgement\" (nothing is counted)");
    }
  } else if (!items->is_array() || items->empty() ||
             items->size() > static_cast<std::size_t>(kMaxItems)) {
    return InvalidArgument("items", "expected an array of 1 to " +
                                        std::to_string(kMaxItems) + " items");
  }
  std::set<std::string, std::less<>> keys;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    MARAC_ASSIGN_OR_RETURN(
        InstrumentItem item,
        ParseItem((*items)[i], path, static_cast<int>(i) + 1));
    if (!keys.insert(item.key).second) {
      return InvalidArgument(path + ".key",
                             "\"" + item.key + "\" is used by another item");
    }
    instrument->items_.push_back(std::move(item));
  }
  instrument->BuildIndex();
  if (instrument->tags_.size() > static_cast<std::size_t>(kMaxItems)) {
    return InvalidArgument("items", "more than " + std::to_string(kMaxItems) +
                                        " distinct high_harm_tags");
  }
  return std::shared_ptr<const Instrument>(std::move(instrument));
}

Result<std::shared_ptr<const Instrument>> Instrument::WithWording(
    std::string_view json_text) const {
  MARAC_ASSIGN_OR_RETURN(const Json doc, ParseStrictJson(json_text));
  if (!doc.is_object()) {
    return InvalidArgument("<wording>", "expected a JSON object");
  }
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(doc, "", {"instrument", "version", "items"}));
  const Json* for_id = FindMember(doc, "instrument");
  if (for_id == nullptr) return InvalidArgument("instrument", "required");
  MARAC_ASSIGN_OR_RETURN(const std::string id,
                         ReadString(*for_id, "instrument", 64));
  if (id != id_) {
    return InvalidArgument(
        "instrument", "wording is for \"" + id + "\", not \"" + id_ + "\"");
  }
  if (const Json* v = FindMember(doc, "version")) {
    MARAC_RETURN_IF_ERROR(ReadString(*v, "version", 64).status());
  }
  const Json* items = FindMember(doc, "items");
  if (items == nullptr || !items->is_object()) {
    return InvalidArgument("items",
                           "expected an object of question number -> text");
  }
  auto copy = std::shared_ptr<Instrument>(new Instrument(*this));
  for (const auto& [number_text, text] : items->items()) {
    const std::string path = "items." + number_text;
    int number = 0;
    for (const char c : number_text) {
      if (c < '0' || c > '9' || number > kMaxItems) {
        number = -1;
        break;
      }
      number = number * 10 + (c - '0');
    }
    if (number < 1 || number > item_count() ||
        (number_text.size() > 1 && number_text[0] == '0')) {
      return InvalidArgument(
          path, id_ + " has questions 1-" + std::to_string(item_count()));
    }
    MARAC_ASSIGN_OR_RETURN(copy->items_[Index(number)].wording,
                           ReadString(text, path, 2000));
  }
  return std::shared_ptr<const Instrument>(std::move(copy));
}

InstrumentSet InstrumentSet::BuiltIn() {
  static const InstrumentSet* const kBuiltIn = [] {
    auto* set = new InstrumentSet();
    for (const std::string_view text : BuiltInInstrumentDefinitions()) {
      Result<std::shared_ptr<const Instrument>> instrument =
          Instrument::FromJson(text);
      // The shipped definitions are tested; a failure here is a build bug.
      assert(instrument.ok());
      if (instrument.ok()) set->Put(*std::move(instrument));
    }
    return set;
  }();
  return *kBuiltIn;
}

bool Instrument::SameDefinition(const Instrument& other) const {
  return this == &other || (id_ == other.id_ && version_ == other.version_ &&
                            title_ == other.title_ &&
                            judgement_graded_ == other.judgement_graded_ &&
                            items_ == other.items_);
}

void InstrumentSet::Put(std::shared_ptr<const Instrument> instrument) {
  if (instrument == nullptr) return;
  for (auto& existing : instruments_) {
    if (existing->id() == instrument->id()) {
      existing = std::move(instrument);
      return;
    }
  }
  instruments_.push_back(std::move(instrument));
}

Result<std::shared_ptr<const Instrument>> InstrumentSet::Find(
    std::string_view id, std::string_view field) const {
  for (const auto& instrument : instruments_) {
    if (instrument->id() == id) return instrument;
  }
  std::string known;
  for (const auto& instrument : instruments_) {
    if (!known.empty()) known += " | ";
    known += instrument->id();
  }
  const std::string shown = ShownText(id, 64);
  return InvalidArgument(
      field, "\"" + shown + "\" is not a known instrument (" + known + ")");
}

bool IsSupplement(const InstrumentSet& set, std::string_view id) {
  if (id == "h-dash") return true;
  for (const auto& instrument : set.all()) {
    for (const InstrumentItem& item : instrument->items()) {
      if (item.follow_up_instrument == id && instrument->id() != id) {
        return true;
      }
    }
  }
  return false;
}

Status CheckParentAssessment(std::string_view field, const InstrumentSet& set,
                             std::string_view instrument,
                             std::string_view assessment_id,
                             std::string_view parent_id) {
  if (parent_id.empty()) return Status::Ok();
  if (parent_id.size() > 128 ||
      parent_id.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument(field,
                           "not an assessment id (blank or over 128 "
                           "characters)");
  }
  if (!IsSupplement(set, instrument)) {
    return InvalidArgument(
        field, "given, but " + std::string(instrument) +
                   " is a checklist in its own right, not a supplement "
                   "(s-dash, h-dash) to another");
  }
  if (parent_id == assessment_id) {
    return InvalidArgument(field, "names the assessment itself");
  }
  return Status::Ok();
}

}  // namespace marac
