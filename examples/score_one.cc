// Embeds the marac library to score one assessment: what a case system does
// when an officer or IDVA saves a completed DASH risk checklist. Uses only
// the public headers in include/marac.
//
//   build/bin/score_one
#include <iostream>

#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/score.h"

namespace {

marac::Result<marac::RiskScore> ScoreExample() {
  const marac::InstrumentSet instruments = marac::InstrumentSet::BuiltIn();
  MARAC_ASSIGN_OR_RETURN(std::shared_ptr<const marac::Instrument> ric,
                         instruments.Find("safelives-ric"));
  marac::Checklist checklist(ric);
  // Every question asked: yes to fear (2), separation (6), stalking (8) and
  // strangulation (15); the rest no.
  for (int number = 1; number <= ric->item_count(); ++number) {
    const bool yes = number == 2 || number == 6 || number == 8 || number == 15;
    MARAC_RETURN_IF_ERROR(checklist.Record(
        number, yes ? marac::Answer::kYes : marac::Answer::kNo));
  }
  marac::CaseHistory history;
  history.incidents_last_12_months = 3;  // The current one included.
  MARAC_ASSIGN_OR_RETURN(
      const marac::Scorer scorer,
      marac::Scorer::Create(marac::ScoringPolicy::Default(), instruments));
  return scorer.Score(checklist, history, marac::Date{2026, 3, 2});
}

}  // namespace

int main() {
  const marac::Result<marac::RiskScore> score = ScoreExample();
  if (!score.ok()) {
    std::cerr << "score_one: " << score.status() << "\n";
    return 1;
  }
  std::cout << "score " << score->score << ", grade "
            << marac::GradeName(score->grade) << ", MARAC referral "
            << (score->marac_referral ? "yes" : "no") << "\n";
  for (const marac::Finding& f : marac::DescribeCriteria(*score)) {
    std::cout << "criterion " << f.id << ": " << f.reason << "\n";
  }
  for (const marac::Finding& f : marac::DescribeHighHarmIndicators(*score)) {
    std::cout << "indicator " << f.id << ": " << f.reason << "\n";
  }
  for (const marac::Finding& f : marac::DescribePrompts(*score)) {
    std::cout << "prompt " << f.id << ": " << f.reason << "\n";
  }
  return 0;
}
