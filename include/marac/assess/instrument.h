// Risk-assessment instruments as data: each is a versioned definition of its
// items (number, stable indicator key, paraphrased label, high-harm tags and,
// for the police form, the equivalent SafeLives RIC number). The built-in
// definitions (safelives-ric, police-dash-2009, s-dash, and dara, which has
// no items: the officer grades by judgement) ship inside
// the library; a service may load its own definition, or attach licensed
// question wording, from text it read at run time. The published question
// text is copyrighted and is never shipped.
//
//   InstrumentSet set = InstrumentSet::BuiltIn();
//   Result<std::shared_ptr<const Instrument>> ric = set.Find("safelives-ric");
//   // (*ric)->item(15).key == "strangulation"
//
// Instruments are immutable and safe to share between threads.
#ifndef MARAC_ASSESS_INSTRUMENT_H_
#define MARAC_ASSESS_INSTRUMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/result.h"

namespace marac {

// Items are numbered 1..kMaxItems; an instrument has at most this many, and at
// most this many distinct high-harm tags.
inline constexpr int kMaxItems = 64;

struct InstrumentItem {
  int number = 0;       // As on the form, from 1.
  std::string key;      // Stable indicator key, e.g. "strangulation".
  std::string label;    // The project's paraphrase.
  std::string wording;  // Licensed question text; empty if none loaded.
  std::vector<std::string> high_harm_tags;  // Raised when this item is "yes".
  std::optional<int> ric_number;  // The SafeLives RIC item it maps to.
  // Another instrument to complete when this item is "yes" (RIC 8 -> s-dash).
  std::string follow_up_instrument;

  friend bool operator==(const InstrumentItem&,
                         const InstrumentItem&) = default;
};

class Instrument {
 public:
  // Parses a definition in the "marac-instrument/1" JSON format (see
  // docs/instruments.md). Every problem is an kInvalidArgument naming the
  // field path, e.g. "items[3].number: expected 4, items are numbered 1..n".
  static Result<std::shared_ptr<const Instrument>> FromJson(
      std::string_view json_text);

  const std::string& id() const { return id_; }
  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  int item_count() const { return static_cast<int>(items_.size()); }
  // True for an instrument graded by the officer's structured judgement
  // (DARA): it has no items, and its grade is given, not counted.
  bool judgement_graded() const { return judgement_graded_; }
  // `number` in 1..item_count(); outside that is a bug (asserts).
  const InstrumentItem& item(int number) const;
  std::span<const InstrumentItem> items() const { return items_; }

  // Distinct high-harm tags, in order of the lowest item carrying each.
  const std::vector<std::string>& tags() const { return tags_; }
  // Bit t set when item `number` carries tags()[t]; `number` in
  // 1..item_count().
  std::uint64_t tag_mask(int number) const {
    return tag_masks_[static_cast<std::size_t>(number - 1)];
  }
  // Bit n-1 set for every item n carrying tags()[t].
  std::uint64_t tag_items(int t) const {
    return tag_items_[static_cast<std::size_t>(t)];
  }
  // Tags raised by the "yes" items in `yes_items` (bit n-1 for item n): the
  // OR of tag_mask over them, by table lookup one byte of items at a time.
  std::uint64_t TagsOf(std::uint64_t yes_items) const {
    std::uint64_t tags = 0;
    for (std::size_t b = 0; b < tag_table_.size() / 256; ++b) {
      tags |= tag_table_[b * 256 + ((yes_items >> (8 * b)) & 0xff)];
    }
    return tags;
  }
  // Bit n-1 set when item n names a follow-up instrument.
  std::uint64_t follow_up_items() const { return follow_up_items_; }
  // Bit n-1 set when item n has a RIC equivalent.
  std::uint64_t ric_mapped_items() const { return ric_mapped_items_; }
  // Bit n-1 set for every item n of the instrument.
  std::uint64_t all_items() const { return all_items_; }
  // Index of `tag` in tags(), or nullopt.
  std::optional<int> FindTag(std::string_view tag) const;

  // Whether `other` is the same definition: id, version, title and every
  // item (wording included).
  bool SameDefinition(const Instrument& other) const;

  // A copy with licensed question wording attached, from a JSON object
  // {"instrument": id, "version": v, "items": {"1": "text", ...}}. Wording is
  // held in memory only. Errors name the field ("items.25: ...").
  Result<std::shared_ptr<const Instrument>> WithWording(
      std::string_view json_text) const;

 private:
  Instrument() = default;
  static std::size_t Index(int number);
  void BuildIndex();

  std::string id_;
  std::string version_;
  std::string title_;
  std::vector<InstrumentItem> items_;
  std::vector<std::string> tags_;
  std::vector<std::uint64_t> tag_masks_;
  std::vector<std::uint64_t> tag_items_;
  // For item byte b (items 8b+1..8b+8) and each subset of it, the tags.
  std::vector<std::uint64_t> tag_table_;
  std::uint64_t follow_up_items_ = 0;
  std::uint64_t ric_mapped_items_ = 0;
  std::uint64_t all_items_ = 0;
  bool judgement_graded_ = false;
};

// The instruments a scorer knows, by id. Copyable; shares the definitions.
class InstrumentSet {
 public:
  // safelives-ric, police-dash-2009, s-dash and dara as shipped.
  static InstrumentSet BuiltIn();

  // Adds `instrument`, replacing any with the same id. A null pointer is
  // ignored.
  void Put(std::shared_ptr<const Instrument> instrument);
  // kInvalidArgument naming `field` and listing the known ids if absent.
  Result<std::shared_ptr<const Instrument>> Find(
      std::string_view id, std::string_view field = "instrument") const;
  std::span<const std::shared_ptr<const Instrument>> all() const {
    return instruments_;
  }

 private:
  std::vector<std::shared_ptr<const Instrument>> instruments_;
};

// Whether instrument `id` is a supplement to another checklist: named as a
// follow-up by an item of an instrument in `set` (s-dash, after the stalking
// question), or "h-dash" (the honour-based abuse questions the
// honour_based_abuse prompt asks for; a service loads its definition).
bool IsSupplement(const InstrumentSet& set, std::string_view id);

// A supplement may name the assessment that led to it. kInvalidArgument
// naming `field` when `parent_id` is given for an instrument that is not a
// supplement, names the assessment itself, or is not an id (blank or over
// 128 characters).
Status CheckParentAssessment(std::string_view field, const InstrumentSet& set,
                             std::string_view instrument,
                             std::string_view assessment_id,
                             std::string_view parent_id);

}  // namespace marac

#endif  // MARAC_ASSESS_INSTRUMENT_H_
