// A completed checklist: one answer per item of an instrument.
//
//   Checklist c(*InstrumentSet::BuiltIn().Find("safelives-ric"));
//   MARAC_RETURN_IF_ERROR(c.Record(15, Answer::kYes));
//
// Items never recorded were not asked.
#ifndef MARAC_ASSESS_CHECKLIST_H_
#define MARAC_ASSESS_CHECKLIST_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "marac/assess/instrument.h"
#include "marac/common/result.h"

namespace marac {

// One answer. Not a bool: "not known" differs from "no", and both differ from
// a question never asked.
enum class Answer : std::uint8_t {
  kNotAsked = 0,
  kYes = 1,
  kNo = 2,
  kNotKnown = 3,
};

// "yes", "no", "not_known"; kNotAsked is "not_asked".
std::string_view AnswerName(Answer answer);
// Parses "yes" | "no" | "not_known". Errors name `field`.
Result<Answer> ParseAnswer(std::string_view field, std::string_view text);

class Checklist {
 public:
  // `instrument` must not be null.
  explicit Checklist(std::shared_ptr<const Instrument> instrument);

  // Records (or replaces) the answer to item `number`. kInvalidArgument
  // "answers.25: safelives-ric has questions 1-24" when out of range.
  Status Record(int number, Answer answer);
  // kNotAsked when `number` was never recorded or is out of range.
  Answer answer(int number) const;

  const Instrument& instrument() const { return *instrument_; }
  const std::shared_ptr<const Instrument>& shared_instrument() const {
    return instrument_;
  }
  // Answers for items 1..item_count(), at index number-1.
  std::span<const Answer> answers() const {
    return std::span<const Answer>(
        answers_.data(), static_cast<std::size_t>(instrument_->item_count()));
  }

 private:
  std::shared_ptr<const Instrument> instrument_;
  alignas(8) std::array<Answer, kMaxItems> answers_{};
};

}  // namespace marac

#endif  // MARAC_ASSESS_CHECKLIST_H_
