#include "lib/synthetic/synthetic_assessments.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace marac {
namespace {

// How often each topic is answered yes in an average case, by indicator key.
// Invented for synthetic data only: shaped so that grades spread much as
// published MARAC figures suggest, not measured from any service.
double BasePrevalence(const std::string& key) {
  struct Entry {
    const char* key;
    double p;
  };
  static constexpr Entry kTable[] = {
      {"current_injury", 0.35},
      {"victim_fear", 0.55},
      {"feared_outcome", 0.45},
      {"isolation", 0.35},
      {"victim_depression", 0.40},
      {"recent_separation", 0.45},
      {"child_contact_conflict", 0.25},
      {"stalking_harassment", 0.35},
      {"pregnancy_new_baby", 0.10},
      {"escalation_frequency", 0.35},
      {"escalation_severity", 0.30},
      {"coercive_control", 0.50},
      {"weapon_use", 0.12},
      {"threat_to_kill", 0.20},
      {"strangulation", 0.15},
      {"sexual_abuse", 0.12},
      {"other_perpetrator", 0.08},
      {"harm_to_others", 0.20},
      {"animal_cruelty", 0.06},
      {"financial_issues", 0.35},
      {"abuser_substance_mental_health", 0.45},
      {"abuser_suicide_threat", 0.15},
      {"breach_of_conditions", 0.15},
      {"criminal_history", 0.40},
      {"dependants_in_household", 0.40},
      {"harm_to_children", 0.06},
      {"threat_to_children", 0.05},
  };
  for (const Entry& e : kTable) {
    if (key == e.key) return e.p;
  }
  return 0.25;  // S-DASH items and anything else.
}

double Logit(double p) { return std::log(p / (1.0 - p)); }
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

constexpr const char* kJudgementReasons[] = {
    "Victim disclosed non-fatal strangulation last week and is very afraid",
    "Perpetrator released from custody soon; victim fears being killed",
    "Language barrier and immigration status prevent disclosure; high concern",
    "Escalating stalking since separation, including at the children's school",
};

// One item's answer: not known now and then, otherwise yes with the item's
// prevalence shifted by the case's risk.
Answer DrawAnswer(const InstrumentItem& item, double risk, SplitMix64& rng) {
  if (rng.Uniform() < 0.04) return Answer::kNotKnown;
  const double p = Sigmoid(Logit(BasePrevalence(item.key)) + 1.3 * risk);
  return rng.Uniform() < p ? Answer::kYes : Answer::kNo;
}

// The answers of one case; `person`, when given, turns items that cannot
// apply to them into no (after the same draws, so that the rest of the
// stream stays as it was).
std::vector<std::pair<int, Answer>> AnswerItems(const Instrument& instrument,
                                                double risk, bool thorough,
                                                const AssessedPerson* person,
                                                SplitMix64& rng) {
  std::vector<std::pair<int, Answer>> answers;
  for (const InstrumentItem& item : instrument.items()) {
    if (!thorough && rng.Uniform() < 0.2) continue;  // Not asked.
    Answer answer = DrawAnswer(item, risk, rng);
    if (person != nullptr && !ItemApplies(item.key, *person)) {
      answer = Answer::kNo;
    }
    answers.emplace_back(item.number, answer);
  }
  return answers;
}

// An invented victim: 93% women (6.5% of MARAC victims are men), ages in
// bands shaped like MARAC caseloads (1.5% aged 16 or 17, most 18 to 44),
// children by age.
AssessedPerson DrawAssessedPerson(SplitMix64& rng) {
  AssessedPerson p;
  p.female = rng.Uniform() < 0.93;
  p.age = SyntheticVictimAge(rng);
  p.children = SyntheticChildren(rng, p.age);
  return p;
}

}  // namespace

int SyntheticVictimAge(SplitMix64& rng) {
  struct Band {
    int from;
    int to;
    double share;
  };
  static constexpr Band kBands[] = {
      {16, 17, 0.015}, {18, 24, 0.20},  {25, 34, 0.33}, {35, 44, 0.24},
      {45, 54, 0.13},  {55, 64, 0.055}, {65, 84, 0.03}};
  double draw = rng.Uniform();
  for (const Band& b : kBands) {
    if (draw < b.share || &b == &kBands[std::size(kBands) - 1]) {
      return b.from + static_cast<int>(rng.Below(
                          static_cast<std::uint64_t>(b.to - b.from + 1)));
    }
    draw -= b.share;
  }
  return 30;  // Not reached: the last band always returns.
}

int SyntheticChildren(SplitMix64& rng, int age) {
  const double with_children = age < 18   ? 0.05
                               : age < 25 ? 0.45
                               : age < 45 ? 0.65
                               : age < 55 ? 0.35
                                          : 0.03;
  if (rng.Uniform() >= with_children) return 0;
  const double c = rng.Uniform();
  if (age < 20) return 1;
  return c < 0.45 ? 1 : (c < 0.8 ? 2 : (c < 0.95 ? 3 : 4));
}

bool ItemApplies(std::string_view key, const AssessedPerson& person) {
  if (key == "pregnancy_new_baby") {
    // 45 rather than 49: a record's date of birth may be a year out.
    return person.female && person.age >= 16 && person.age <= 45;
  }
  if (key == "child_contact_conflict") {
    return person.partner && person.children > 0;
  }
  if (key == "dependants_in_household" || key == "harm_to_children" ||
      key == "threat_to_children") {
    return person.children > 0;
  }
  if (key == "sexual_abuse") return person.partner;
  return true;
}

std::vector<std::pair<int, Answer>> SyntheticAnswers(
    const Instrument& instrument, double risk, const AssessedPerson& person,
    SplitMix64& rng) {
  const bool thorough = rng.Uniform() < 0.85;  // Asked every question.
  return AnswerItems(instrument, risk, thorough, &person, rng);
}

std::uint64_t SplitMix64::Next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double SplitMix64::Uniform() {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

std::uint64_t SplitMix64::Below(std::uint64_t n) {
  return n == 0 ? 0 : Next() % n;
}

double SplitMix64::Normal() {
  const double u1 = 1.0 - Uniform();  // (0, 1]
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

std::vector<SyntheticAssessment> SyntheticAssessments(
    std::size_t count, std::uint64_t seed, const SyntheticOptions& options) {
  const InstrumentSet set = InstrumentSet::BuiltIn();
  const auto ric = *set.Find("safelives-ric");
  const auto police = *set.Find("police-dash-2009");
  const auto sdash = *set.Find("s-dash");
  SplitMix64 rng(seed);
  const auto days =
      static_cast<std::uint64_t>(options.days < 1 ? 1 : options.days);
  std::vector<SyntheticAssessment> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    SyntheticAssessment a;
    char id[32];
    std::snprintf(id, sizeof id, "SYN-%06llu-%04llu",
                  static_cast<unsigned long long>(seed % 1000000),
                  static_cast<unsigned long long>(i));
    a.assessment_id = id;
    const double pick = rng.Uniform();
    const Instrument& instrument =
        pick < options.ric_share
            ? *ric
            : (pick < options.ric_share + options.police_share ? *police
                                                               : *sdash);
    a.instrument = instrument.id();
    a.completed_on =
        options.first_day.AddDays(static_cast<std::int64_t>(rng.Below(days)));
    std::optional<AssessedPerson> person;
    if (options.with_person) {
      person = DrawAssessedPerson(rng);
      a.history.victim_age = person->age;
      a.history.children_in_household = person->children;
    }
    const double risk = rng.Normal();            // Latent risk of this case.
    const bool thorough = rng.Uniform() < 0.85;  // Asked every question.
    a.answers = AnswerItems(instrument, risk, thorough,
                            person ? &*person : nullptr, rng);
    if (rng.Uniform() < 0.08) {
      a.history.professional_judgement = ProfessionalJudgement::kRefer;
      std::size_t k = rng.Below(std::size(kJudgementReasons));
      // The children's school only where there are children.
      if (person && person->children == 0 && k == 3) k = 0;
      a.history.professional_judgement_reason = kJudgementReasons[k];
    }
    if (rng.Uniform() < 0.6) {
      // Incidents in the last year, the current one included.
      int incidents = 1;
      while (incidents < 12 && rng.Uniform() < 0.35 + 0.1 * (risk > 0)) {
        ++incidents;
      }
      a.history.incidents_last_12_months = incidents;
    }
    if (rng.Uniform() < 0.3) {
      // An earlier MARAC referral 1 to 720 days before completion.
      a.history.last_marac_referral_on = a.completed_on.AddDays(
          -1 - static_cast<std::int64_t>(rng.Below(720)));
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string ToJsonLine(const SyntheticAssessment& a) {
  nlohmann::ordered_json j;
  j["assessment_id"] = a.assessment_id;
  j["instrument"] = a.instrument;
  j["completed_on"] = a.completed_on.ToString();
  nlohmann::ordered_json answers = nlohmann::ordered_json::object();
  for (const auto& [number, answer] : a.answers) {
    answers[std::to_string(number)] = std::string(AnswerName(answer));
  }
  j["answers"] = std::move(answers);
  if (a.history.professional_judgement == ProfessionalJudgement::kRefer) {
    j["professional_judgement"] = "refer";
    j["professional_judgement_reason"] =
        a.history.professional_judgement_reason;
  }
  if (a.history.incidents_last_12_months) {
    j["incidents_last_12_months"] = *a.history.incidents_last_12_months;
  }
  if (a.history.last_marac_referral_on) {
    j["last_marac_referral_on"] = a.history.last_marac_referral_on->ToString();
  }
  if (a.history.victim_age) j["victim_age"] = *a.history.victim_age;
  if (a.history.children_in_household) {
    j["children_in_household"] = *a.history.children_in_household;
  }
  if (a.history.victim_disability) j["victim_disability"] = true;
  if (a.history.hbv_concern) j["hbv_concern"] = true;
  if (a.history.officer_grade) {
    j["officer_grade"] = std::string(GradeName(*a.history.officer_grade));
    j["officer_rationale"] = a.history.officer_rationale;
  }
  return j.dump();
}

Result<Checklist> ToChecklist(const SyntheticAssessment& a) {
  MARAC_ASSIGN_OR_RETURN(std::shared_ptr<const Instrument> instrument,
                         InstrumentSet::BuiltIn().Find(a.instrument));
  Checklist checklist(std::move(instrument));
  for (const auto& [number, answer] : a.answers) {
    MARAC_RETURN_IF_ERROR(checklist.Record(number, answer));
  }
  return checklist;
}

}  // namespace marac
