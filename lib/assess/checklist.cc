#include "marac/assess/checklist.h"

#include <cassert>
#include <string>

#include "lib/common/strict_json.h"

namespace marac {

std::string_view AnswerName(Answer answer) {
  switch (answer) {
    case Answer::kYes:
      return "yes";
    case Answer::kNo:
      return "no";
    case Answer::kNotKnown:
      return "not_known";
    case Answer::kNotAsked:
      return "not_asked";
  }
  return "not_asked";
}

Result<Answer> ParseAnswer(std::string_view field, std::string_view text) {
  if (text == "yes") return Answer::kYes;
  if (text == "no") return Answer::kNo;
  if (text == "not_known") return Answer::kNotKnown;
  const std::string shown = ShownText(text, 40);
  return InvalidArgument(field, "\"" + shown +
                                    "\" is not an answer (yes | no | "
                                    "not_known; leave a question out if it "
                                    "was not asked)");
}

Checklist::Checklist(std::shared_ptr<const Instrument> instrument)
    : instrument_(std::move(instrument)) {
  assert(instrument_ != nullptr);
}

Status Checklist::Record(int number, Answer answer) {
  if (number < 1 || number > instrument_->item_count()) {
    return InvalidArgument("answers." + std::to_string(number),
                           instrument_->id() + " has questions 1-" +
                               std::to_string(instrument_->item_count()));
  }
  answers_[static_cast<std::size_t>(number - 1)] = answer;
  return Status::Ok();
}

Answer Checklist::answer(int number) const {
  if (number < 1 || number > instrument_->item_count())
    return Answer::kNotAsked;
  return answers_[static_cast<std::size_t>(number - 1)];
}

}  // namespace marac
