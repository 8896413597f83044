// `marac demo`: the main job end to end on invented data. Generates seeded
// synthetic assessments as `marac score` input lines, scores each through the
// same parser and scorer as `marac score`, and prints what a coordinator
// would want first: counts by grade and criterion, and a few cases explained.
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <string>

#include "lib/synthetic/synthetic_assessments.h"
#include "lib/synthetic/synthetic_people.h"
#include "marac/identity/evaluation.h"
#include "marac/identity/resolver.h"
#include "services/cli/commands.h"

namespace marac {
namespace {

struct Example {
  std::string title;
  std::string assessment_id;
  RiskScore score;
};

void PrintExample(const Example& e, std::ostream& out) {
  const RiskScore& s = e.score;
  out << "\n  " << e.title << ": " << e.assessment_id << " ("
      << s.instrument().id() << ")\n"
      << "    score " << s.score << ", answered " << s.answered << " of "
      << s.instrument().item_count() << ", grade " << GradeName(s.grade)
      << ", MARAC referral: " << (s.marac_referral ? "yes" : "no") << "\n";
  for (const Finding& f : DescribeCriteria(s)) {
    out << "    criterion " << f.id << ": " << f.reason << "\n";
  }
  for (const Finding& f : DescribeHighHarmIndicators(s)) {
    out << "    indicator " << f.id << ": " << f.reason << "\n";
  }
  for (const Finding& f : DescribePrompts(s)) {
    out << "    prompt " << f.id << ": " << f.reason << "\n";
  }
}

// Links a synthetic population's records and reports, against the ground
// truth the generator keeps, how many people and repeat victims were found.
int LinkDemo(const DemoCommandOptions& options, std::ostream& out,
             std::ostream& err) {
  const SyntheticPopulation population =
      SyntheticPeople(options.people, options.seed);
  const Result<Resolution> r = Resolve(population.records, {});
  if (!r.ok()) {
    err << "marac demo: linking: " << r.status() << "\n";
    return kExitFailure;
  }
  // Agreement with the truth, and repeat victims under three labellings:
  // the people found, the true people, and exact name-and-date keys.
  std::vector<std::string> truth;
  std::vector<std::string> exact_keys;
  for (std::size_t i = 0; i < population.records.size(); ++i) {
    const PersonRecord& rec = population.records[i];
    truth.push_back(std::to_string(population.person[i]));
    exact_keys.push_back(rec.given_name + "|" + rec.family_name + "|" +
                         rec.dob);
  }
  const PairwiseAccuracy accuracy = EvaluatePairs(r->person_of, truth);
  const auto repeat_victims = [&](const std::vector<std::string>& labels) {
    std::map<std::string_view, std::size_t> victim_records;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (population.records[i].role == Role::kVictim) {
        ++victim_records[labels[i]];
      }
    }
    std::size_t repeats = 0;
    for (const auto& [label, k] : victim_records) repeats += k >= 2;
    return repeats;
  };
  const std::set<std::string> found(r->person_of.begin(), r->person_of.end());
  out << "\nIdentity linkage: " << population.records.size()
      << " synthetic records of " << population.person_count
      << " invented people (police, IDVA, refuge and housing variants)\n"
      << "  people found: " << found.size() << "; pairwise precision "
      << accuracy.precision() << ", recall " << accuracy.recall()
      << "\n  repeat victims found: " << repeat_victims(r->person_of) << " of "
      << repeat_victims(truth) << " (exact name and date matching finds "
      << repeat_victims(exact_keys)
      << ")\n  pairs for a person to review: " << r->review.size() << "\n";
  if (options.out_dir) {
    std::ofstream people(std::filesystem::path(*options.out_dir) /
                         "people.csv");
    people << "record_id,source,role,given_name,family_name,dob,postcode,"
              "person_id\n";
    for (std::size_t i = 0; i < population.records.size(); ++i) {
      const PersonRecord& rec = population.records[i];
      people << rec.record_id << ',' << rec.source << ','
             << (rec.role == Role::kVictim ? "victim" : "perpetrator") << ','
             << rec.given_name << ',' << rec.family_name << ',' << rec.dob
             << ',' << rec.postcode << ',' << r->person_of[i] << '\n';
    }
    if (!people) {
      err << "marac demo: could not write people.csv\n";
      return kExitFailure;
    }
    out << "Wrote " << *options.out_dir << "/people.csv\n";
  }
  return kExitOk;
}

}  // namespace

int RunDemo(const DemoCommandOptions& options, std::ostream& out,
            std::ostream& err) {
  const InstrumentSet instruments = InstrumentSet::BuiltIn();
  const Result<Scorer> scorer =
      Scorer::Create(ScoringPolicy::Default(), instruments);
  if (!scorer.ok()) {
    err << "marac demo: " << scorer.status() << "\n";
    return kExitFailure;
  }
  std::ofstream inputs_file;
  std::ofstream results_file;
  if (options.out_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*options.out_dir, ec);
    if (ec) {
      err << "marac demo: --out " << *options.out_dir << ": " << ec.message()
          << "\n";
      return kExitFailure;
    }
    const std::filesystem::path dir(*options.out_dir);
    inputs_file.open(dir / "assessments.jsonl");
    results_file.open(dir / "results.jsonl");
    if (!inputs_file || !results_file) {
      err << "marac demo: --out " << *options.out_dir
          << ": cannot create files there\n";
      return kExitFailure;
    }
  }

  const std::vector<SyntheticAssessment> cases =
      SyntheticAssessments(options.count, options.seed);
  std::map<std::string, std::array<int, 4>> grades;  // instrument -> by grade
  std::array<int, kCriterionCount> by_criterion{};
  std::array<int, kPromptCount> by_prompt{};
  std::map<std::string, int> by_indicator;
  int referred = 0;
  int referred_only_by_history = 0;
  std::vector<Example> examples;
  std::array<bool, 4> shown{};
  std::string line;
  for (const SyntheticAssessment& c : cases) {
    const std::string input = ToJsonLine(c);
    const Result<ParsedAssessment> parsed =
        ParseAssessment(input, instruments, ParseLimits{});
    if (!parsed.ok()) {
      err << "marac demo: generated input rejected: " << parsed.status()
          << "\n";
      return kExitFailure;
    }
    const Result<RiskScore> s =
        scorer->Score(parsed->checklist, parsed->history, parsed->completed_on);
    if (!s.ok()) {
      err << "marac demo: " << c.assessment_id << ": " << s.status() << "\n";
      return kExitFailure;
    }
    ++grades[c.instrument][static_cast<std::size_t>(s->grade)];
    for (int i = 0; i < kCriterionCount; ++i) {
      by_criterion[static_cast<std::size_t>(i)] +=
          s->Meets(static_cast<Criterion>(i));
    }
    for (int i = 0; i < kPromptCount; ++i) {
      by_prompt[static_cast<std::size_t>(i)] +=
          s->Raised(static_cast<Prompt>(i));
    }
    for (const Finding& f : DescribeHighHarmIndicators(*s))
      ++by_indicator[f.id];
    referred += s->marac_referral;
    const bool by_count = s->Meets(Criterion::kVisibleHighRisk) ||
                          s->Meets(Criterion::kProfessionalJudgement);
    referred_only_by_history += s->marac_referral && !by_count;
    // A few explained examples, one of each kind.
    const std::array<std::pair<bool, const char*>, 4> kinds = {{
        {s->Meets(Criterion::kVisibleHighRisk), "Visible high risk"},
        {s->Meets(Criterion::kRepeat) && !by_count,
         "Repeat referred below the threshold"},
        {s->Raised(Prompt::kConsiderProfessionalJudgement),
         "Below the threshold, judgement prompted"},
        {s->Raised(Prompt::kCouldBeHigh), "Could be high: unknowns hide risk"},
    }};
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k].first && !shown[k]) {
        shown[k] = true;
        examples.push_back({kinds[k].second, c.assessment_id, *s});
      }
    }
    if (options.out_dir) {
      line.clear();
      AppendResultJson(*parsed, *s, line);
      inputs_file << input << '\n';
      results_file << line << '\n';
    }
  }

  out << "marac demo: " << cases.size() << " synthetic assessments (seed "
      << options.seed << "), policy " << ScoringPolicy::Default().version
      << "\n\n";
  out << "Grades by instrument      standard  medium    high  not_graded\n";
  for (const auto& [id, g] : grades) {
    char row[128];
    std::snprintf(row, sizeof row, "  %-22s %9d %7d %7d %11d\n", id.c_str(),
                  g[0], g[1], g[2], g[3]);
    out << row;
  }
  out << "\nMARAC referral criteria met (a case may meet several)\n";
  for (int i = 0; i < kCriterionCount; ++i) {
    out << "  " << CriterionName(static_cast<Criterion>(i)) << ": "
        << by_criterion[static_cast<std::size_t>(i)] << "\n";
  }
  out << "  cases referred: " << referred << " of " << cases.size() << " ("
      << referred_only_by_history
      << " by escalation or repeat alone, below the score threshold)\n";
  out << "\nPrompts to the practitioner\n";
  for (int i = 0; i < kPromptCount; ++i) {
    out << "  " << PromptName(static_cast<Prompt>(i)) << ": "
        << by_prompt[static_cast<std::size_t>(i)] << "\n";
  }
  out << "\nHigh-harm indicators present\n";
  for (const auto& [id, n] : by_indicator)
    out << "  " << id << ": " << n << "\n";
  out << "\nExplained examples";
  for (const Example& e : examples) PrintExample(e, out);
  if (options.out_dir) {
    inputs_file.close();
    results_file.close();
    if (!inputs_file || !results_file) {
      err << "marac demo: could not write to " << *options.out_dir << "\n";
      return kExitFailure;
    }
    out << "\nWrote " << *options.out_dir << "/assessments.jsonl and "
        << *options.out_dir << "/results.jsonl\n";
  }
  return LinkDemo(options, out, err);
}

}  // namespace marac
