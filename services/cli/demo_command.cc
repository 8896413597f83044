// `marac demo`: the main job end to end on invented data. Generates seeded
// synthetic assessments as `marac score` input lines, scores each through the
// same parser and scorer as `marac score`, and prints what a coordinator
// would want first: counts by grade and criterion, and a few cases explained.
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <string>

#include "lib/synthetic/synthetic_assessments.h"
#include "lib/synthetic/synthetic_borough.h"
#include "lib/synthetic/synthetic_households.h"
#include "lib/synthetic/synthetic_one_stop_shop.h"
#include "lib/synthetic/synthetic_referrals.h"
#include "marac/agenda/agenda.h"
#include "marac/calendar/calendar.h"
#include "marac/identity/evaluation.h"
#include "marac/identity/resolver.h"
#include "marac/report/one_stop_shop.h"
#include "marac/report/safelives_return.h"
#include "marac/store/store.h"
#include "services/casework/casework.h"
#include "services/cli/agenda_command.h"
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

// People found that hold one true person's victim records and another's
// perpetrator records: the worst error linking can make (a victim inside
// their abuser's person). One person recorded in both roles is not a mix.
std::size_t MixedPeople(std::span<const PersonRecord> records,
                        std::span<const std::uint32_t> truth,
                        std::span<const std::string> person_of) {
  std::map<std::string_view,
           std::pair<std::set<std::uint32_t>, std::set<std::uint32_t>>>
      roles;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& [victims, perpetrators] = roles[person_of[i]];
    if (records[i].role == Role::kVictim) victims.insert(truth[i]);
    if (records[i].role == Role::kPerpetrator) perpetrators.insert(truth[i]);
  }
  std::size_t mixed = 0;
  for (const auto& [person, r] : roles) {
    const auto& [victims, perpetrators] = r;
    if (victims.empty() || perpetrators.empty()) continue;
    mixed += victims.size() > 1 || perpetrators.size() > 1 ||
             *victims.begin() != *perpetrators.begin();
  }
  return mixed;
}

std::size_t DualRoleReviews(const Resolution& r) {
  std::size_t n = 0;
  for (const ScoredPair& p : r.review) n += p.reason == ReviewReason::kDualRole;
  return n;
}

// Links a synthetic population of households (couples, twins, a father and
// son of one name, refuges, common names) and reports, against the ground
// truth the generator keeps, how many people and repeat victims were found,
// how many people mix a victim with another's perpetrator, and how many
// pairs of different people of each confusable kind were merged.
int LinkDemo(const DemoCommandOptions& options, std::ostream& out,
             std::ostream& err) {
  const HouseholdPopulation population =
      SyntheticHouseholds(options.people, options.seed);
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
      << " invented people in households (couples, twins, a father and son "
         "of one name, refuges, common names; police, IDVA, refuge, housing, "
         "health and children's services variants)\n"
      << "  people found: " << found.size() << "; pairwise precision "
      << accuracy.precision() << ", recall " << accuracy.recall()
      << "\n  repeat victims found: " << repeat_victims(r->person_of) << " of "
      << repeat_victims(truth) << " (exact name and date matching finds "
      << repeat_victims(exact_keys)
      << ")\n  pairs for a person to review: " << r->review.size() << " ("
      << DualRoleReviews(*r)
      << " victim and perpetrator records held apart: dual_role)\n"
      << "  people mixing a victim with another's perpetrator: "
      << MixedPeople(population.records, population.person, r->person_of)
      << "\n  pairs of different people merged, by kind:";
  {
    // Per kind: merged pairs of different people, of all such pairs.
    std::vector<std::set<std::string>> found_of(population.person_count);
    for (std::size_t i = 0; i < population.records.size(); ++i) {
      found_of[population.person[i]].insert(r->person_of[i]);
    }
    std::array<std::size_t, kConfusableKindCount> pairs{}, merged{};
    for (const ConfusablePair& c : population.confusable) {
      const auto k = static_cast<std::size_t>(c.kind);
      ++pairs[k];
      for (const std::string& f : found_of[c.a]) {
        if (found_of[c.b].contains(f)) {
          ++merged[k];
          break;
        }
      }
    }
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      if (pairs[k] == 0) continue;
      out << " " << ConfusableKindName(static_cast<ConfusableKind>(k)) << " "
          << merged[k] << "/" << pairs[k];
    }
    out << "\n";
  }
  if (options.out_dir) {
    std::ofstream people(std::filesystem::path(*options.out_dir) /
                         "people.csv");
    people << "record_id,source,role,given_name,family_name,dob,postcode,"
              "person_id\n";
    for (std::size_t i = 0; i < population.records.size(); ++i) {
      const PersonRecord& rec = population.records[i];
      people << rec.record_id << ',' << rec.source << ','
             << (rec.role == Role::kVictim
                     ? "victim"
                     : (rec.role == Role::kPerpetrator ? "perpetrator" : ""))
             << ',' << rec.given_name << ',' << rec.family_name << ','
             << rec.dob << ',' << rec.postcode << ',' << r->person_of[i]
             << '\n';
    }
    if (!people) {
      err << "marac demo: could not write people.csv\n";
      return kExitFailure;
    }
    out << "Wrote " << *options.out_dir << "/people.csv\n";
  }
  return kExitOk;
}

// The main job on a synthetic borough: a year of incidents, each
// assessment scored with the history the linked records give it, every
// person resolved, everything stored, fortnightly meetings held, and the
// next meeting's agenda written.
// The demo's minutes of one meeting: the agencies a MARAC expects round the
// table, each listed case heard (one in twenty adjourned) with one to three
// actions, and what becomes of each action later (most done near their due
// date, a few cancelled, some left open to be chased). Invented, seeded.
struct DemoMinutes {
  MeetingRecord record;
  std::vector<Store::ActionUpdate> later;  // Applied when their day comes.
};

// "children-s-services" for "Children's Services": a file name.
std::string Slug(std::string_view name) {
  std::string out;
  for (const char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (keep) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// The agencies round the demo's MARAC table: each attends, is given
// actions and receives a research list.
const std::vector<std::string> kDemoAgencies = {
    "Police",      "IDVA service", "Housing", "Children's Services",
    "Health (GP)", "Probation"};
// The agencies a victim may ask to keep her case from (one where the
// perpetrator works, say).
const std::vector<std::string> kDemoExclusions = {"Housing", "Health (GP)",
                                                  "Probation"};

// The referring agency as a coordinator writes it, from the generator's
// route id ("childrens_services" -> "Children's services").
std::string AgencyName(const std::string& route) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"police", "Police"},      {"idva", "IDVA service"},
      {"health", "Health (GP)"}, {"childrens_services", "Children's services"},
      {"housing", "Housing"},
  };
  for (const auto& [id, name] : kNames) {
    if (id == route) return std::string(name);
  }
  return route;
}

DemoMinutes MinutesOf(const Agenda& agenda, std::mt19937_64& random) {
  static constexpr struct {
    const char* agency;
    const char* owner;
    const char* text;
    int due_days;
  } kActions[] = {
      {"Police", "DV coordinator", "Flag the address for an urgent response",
       2},
      {"Police", "Offender manager",
       "Review bail conditions and check for breaches", 14},
      {"IDVA service", "Allocated IDVA",
       "Agree a safety plan with the victim by a safe contact route", 7},
      {"Housing", "Tenancy officer",
       "Fit additional locks and a door alarm (target hardening)", 21},
      {"Children's Services", "Team manager",
       "Check the children's welfare and share any concerns", 10},
      {"Health (GP)", "Practice safeguarding lead",
       "Flag the record and offer an appointment without the partner", 14},
      {"Probation", "Probation officer",
       "Share the perpetrator's licence conditions with police", 7},
  };
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  DemoMinutes m;
  m.record.meeting_id = agenda.meeting.meeting_id;
  m.record.attendance = kDemoAgencies;
  for (const RankedCase& c : agenda.listed) {
    CaseHearing h;
    h.referral_id = c.item.referral_id;
    if (unit(random) < 0.05) {
      h.outcome = HearingOutcome::kAdjourned;
      h.reason = "the IDVA's report on the victim's wishes was not ready";
      m.record.cases.push_back(std::move(h));
      continue;
    }
    const int count = 1 + static_cast<int>(unit(random) * 3.0);
    std::set<std::size_t> chosen;
    while (static_cast<int>(chosen.size()) < count) {
      chosen.insert(
          static_cast<std::size_t>(unit(random) * std::size(kActions)) %
          std::size(kActions));
    }
    for (const std::size_t k : chosen) {
      CaseAction a;
      a.agency = kActions[k].agency;
      a.owner = kActions[k].owner;
      a.text = kActions[k].text;
      a.due_on = agenda.meeting.date.AddDays(kActions[k].due_days);
      h.actions.push_back(std::move(a));
    }
    m.record.cases.push_back(std::move(h));
  }
  NumberActions(m.record);
  for (const CaseHearing& h : m.record.cases) {
    for (const CaseAction& a : h.actions) {
      const double fate = unit(random);
      if (fate < 0.7) {
        const Date on =
            a.due_on.AddDays(-static_cast<std::int64_t>(unit(random) * 3.0));
        m.later.push_back({a.action_id, ActionStatus::kDone,
                           std::max(on, agenda.meeting.date), "done"});
      } else if (fate < 0.75) {
        m.later.push_back({a.action_id, ActionStatus::kCancelled, a.due_on,
                           "no longer needed: the victim moved"});
      }  // Else left open, to be chased.
    }
  }
  return m;
}

// The last calendar quarter over on or before `day`.
Quarter LastQuarterEnded(Date day) {
  Quarter q{day.year, (day.month - 1) / 3 + 1};
  if (q.LastDay() == day) return q;
  return q.number == 1 ? Quarter{q.year - 1, 4} : Quarter{q.year, q.number - 1};
}

// "93.1%" of `whole`; "-" when whole is 0.
std::string Percent(int part, std::size_t whole) {
  if (whole == 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%",
                100.0 * part / static_cast<double>(whole));
  return text;
}

int BoroughDemo(const DemoCommandOptions& options, const Scorer& scorer,
                std::ostream& out, std::ostream& err) {
  const std::filesystem::path dir(*options.out_dir);
  const std::filesystem::path db = dir / "marac.db";
  const std::string store_location = options.store.value_or(db.string());
  if (options.store && !IsPostgresUri(*options.store)) {
    err << "marac demo: --store " << *options.store
        << ": not a postgresql:// URI (the SQLite store is marac.db in "
           "--out)\n";
    return kExitBadInput;
  }
  const std::filesystem::path marker = dir / ".marac-demo";
  std::error_code ec;
  if (!options.store && std::filesystem::exists(db, ec)) {
    // Never overwrite a store the demo did not make.
    if (!std::filesystem::exists(marker, ec)) {
      err << "marac demo: " << db.string()
          << " exists and was not made by the demo; choose another --out\n";
      return kExitBadInput;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db.string() + suffix, ec);
    }
  }
  std::ofstream(marker) << "made by marac demo: synthetic data only\n";

  const SyntheticBorough borough = SyntheticBoroughYear(options.seed);
  const Result<Resolution> linked = Resolve(borough.records, {});
  if (!linked.ok()) {
    err << "marac demo: linking: " << linked.status() << "\n";
    return kExitFailure;
  }
  const std::vector<std::string>& person_of = linked->person_of;

  // Score each incident's assessment with what the linked records say:
  // the victim's incidents in the last 12 months and last MARAC referral.
  std::map<std::string, std::vector<Date>> incidents_of;  // Person -> dates.
  std::map<std::string, Date> last_referral_of;
  std::vector<StoredIncident> incidents;
  std::vector<StoredAssessment> assessments;
  std::vector<StoredReferral> referrals;
  std::array<int, 4> by_grade{};
  int crimes = 0;            // Police incidents recorded as crimes,
  int police_incidents = 0;  // of these.
  int dara = 0;              // Assessments on DARA.
  int supplements = 0;       // S-DASH after a stalking "yes".
  int by_judgement = 0;      // Referrals on professional judgement.
  int female_victims = 0;    // Referrals of a woman.
  SplitMix64 details_random(options.seed ^ 0xDE7A115u);
  for (const BoroughIncident& i : borough.incidents) {
    const PersonRecord& victim = borough.records[i.victim_record];
    const PersonRecord& perpetrator = borough.records[i.perpetrator_record];
    const std::string& vp = person_of[i.victim_record];
    std::vector<Date>& dates = incidents_of[vp];
    dates.push_back(i.occurred_on);
    // What the generator knows of the victim and the referrer's judgement,
    // with the incidents the linked records give.
    CaseHistory history = i.assessment.history;
    for (const Date d : dates) {
      if (i.occurred_on.AddMonths(-12) < d) history.incident_dates.push_back(d);
    }
    const auto last = last_referral_of.find(vp);
    if (last != last_referral_of.end()) {
      history.last_marac_referral_on = last->second;
    }
    const Result<Checklist> checklist = ToChecklist(i.assessment);
    if (!checklist.ok()) {
      err << "marac demo: " << checklist.status() << "\n";
      return kExitFailure;
    }
    const Result<RiskScore> score =
        scorer.Score(*checklist, history, i.occurred_on);
    if (!score.ok()) {
      err << "marac demo: " << i.incident_id << ": " << score.status() << "\n";
      return kExitFailure;
    }
    ++by_grade[static_cast<std::size_t>(score->grade)];
    incidents.push_back({i.incident_id,
                         i.occurred_on,
                         borough.area,
                         victim.record_id,
                         {perpetrator.record_id},
                         i.agency,
                         i.crime});
    crimes += i.crime.value_or(false);
    police_incidents += i.crime.has_value();
    StoredAssessment a;
    a.assessment_id = i.assessment.assessment_id;
    a.victim_record_id = victim.record_id;
    a.incident_id = i.incident_id;
    a.instrument = i.assessment.instrument;
    a.instrument_version = score->instrument().version();
    a.policy_version = scorer.policy().version;
    a.completed_on = i.occurred_on;
    a.score = score->score;
    a.grade = score->grade;
    a.marac_referral = score->marac_referral;
    nlohmann::ordered_json result;
    result["criteria"] = nlohmann::ordered_json::array();
    for (const Finding& f : DescribeCriteria(*score)) {
      a.criteria.push_back(f.id);
      result["criteria"].push_back({{"criterion", f.id}, {"reason", f.reason}});
    }
    for (const Finding& f : DescribeHighHarmIndicators(*score)) {
      a.high_harm_indicators.push_back(f.id);
    }
    a.safeguarding = SafeguardingRaised(*score);
    a.officer_rationale = score->officer_rationale;
    result["score"] = a.score;
    result["grade"] = GradeName(a.grade);
    if (score->judgement_graded()) {
      result["officer_rationale"] = a.officer_rationale;
      ++dara;
    }
    a.result_json = result.dump();
    assessments.push_back(a);
    if (i.supplement) {
      // The S-DASH after a stalking "yes": its own score, naming the
      // checklist it followed.
      CaseHistory about;
      about.victim_age = history.victim_age;
      about.children_in_household = history.children_in_household;
      const Result<Checklist> sdash = ToChecklist(*i.supplement);
      const Result<RiskScore> s =
          sdash.ok() ? scorer.Score(*sdash, about, i.occurred_on)
                     : Result<RiskScore>(sdash.status());
      if (!s.ok()) {
        err << "marac demo: " << i.supplement->assessment_id << ": "
            << s.status() << "\n";
        return kExitFailure;
      }
      StoredAssessment x;
      x.assessment_id = i.supplement->assessment_id;
      x.victim_record_id = victim.record_id;
      x.incident_id = i.incident_id;
      x.instrument = i.supplement->instrument;
      x.instrument_version = s->instrument().version();
      x.policy_version = scorer.policy().version;
      x.completed_on = i.occurred_on;
      x.score = s->score;
      x.grade = s->grade;
      x.parent_assessment_id = a.assessment_id;
      for (const Finding& f : DescribeHighHarmIndicators(*s)) {
        x.high_harm_indicators.push_back(f.id);
      }
      x.safeguarding = SafeguardingRaised(*s);
      x.result_json = nlohmann::ordered_json{{"score", x.score},
                                             {"grade", GradeName(x.grade)}}
                          .dump();
      assessments.push_back(std::move(x));
      ++supplements;
    }
    if (score->marac_referral) {
      StoredReferral r;
      r.referral_id = "REF-" + i.incident_id.substr(4);
      r.submission_id = "demo-" + r.referral_id;
      r.area = borough.area;
      // The IDVA at the One Stop Shop refers as the IDVA service: the shop
      // is where they met, not who referred.
      const Result<ReferralSource> source = ParseReferralSource(i.agency);
      r.source = source.ok()                  ? *source
                 : i.agency == "IDVA service" ? ReferralSource::kIdva
                                              : ReferralSource::kOther;
      // The agency as a coordinator writes it; the source is the route.
      r.agency = AgencyName(i.agency);
      r.referred_on = i.occurred_on.AddDays(1);
      r.victim_record_id = victim.record_id;
      r.perpetrator_record_ids = {perpetrator.record_id};
      r.incident_id = i.incident_id;
      r.assessment_id = a.assessment_id;
      r.criteria = a.criteria;
      r.children_in_household = i.children;
      const bool judged = score->Meets(Criterion::kProfessionalJudgement);
      r.details = SyntheticReferralDetails(
          details_random, victim, perpetrator, r, kDemoExclusions,
          {.relationship = i.relationship,
           .victim_disability = history.victim_disability,
           .judgement_narrative = judged ? i.judgement_narrative : ""});
      by_judgement += judged;
      female_victims += victim.gender == "f";
      referrals.push_back(r);
      last_referral_of[vp] = r.referred_on;
    }
  }

  Result<std::unique_ptr<Store>> opened = OpenStore(store_location);
  if (!opened.ok()) {
    err << "marac demo: " << opened.status().message() << "\n";
    return kExitFailure;
  }
  Store& store = **opened;
  const Actor system{"marac-demo", "coordinator", "MARAC " + borough.area,
                     "demo: load the year"};
  if (options.store) {
    // A database is never the demo's to overwrite: only an empty one.
    const Result<std::vector<PersonRecord>> held = store.Records(system);
    if (!held.ok() || !held->empty()) {
      err << "marac demo: --store: "
          << (held.ok() ? "the database already holds records; the demo "
                          "loads only into an empty one"
                        : held.status().message())
          << "\n";
      return kExitBadInput;
    }
  }
  std::vector<std::pair<std::string, std::string>> people;
  for (std::size_t k = 0; k < borough.records.size(); ++k) {
    people.emplace_back(borough.records[k].record_id, person_of[k]);
  }
  const auto check = [&](const Status& s, const char* what) {
    if (!s.ok()) err << "marac demo: " << what << ": " << s.message() << "\n";
    return s.ok();
  };
  if (!check(store.PutRecords(system, borough.records), "records") ||
      !check(store.SavePeople(system, people, {}), "people") ||
      !check(store.PutIncidents(system, incidents), "incidents") ||
      !check(store.PutAssessments(system, assessments), "assessments") ||
      !check(store.SubmitReferrals(system, referrals).status(), "referrals")) {
    return kExitFailure;
  }
  // IDVA support as the local example reports it (domain.md section 9):
  // about 82% of MARAC cases get an IDVA within a few days of referral,
  // and about 88% of those engage; support closes after three to six
  // months when the year has room for it.
  std::vector<IdvaSupport> idva;
  std::mt19937_64 idva_random(options.seed ^ 0x1D7A5u);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const StoredReferral& r : referrals) {
    if (unit(idva_random) >= 0.82) continue;
    IdvaSupport x;
    x.referral_id = r.referral_id;
    x.idva_service = "IDVA service " + borough.area;
    x.allocated_on = r.referred_on.AddDays(
        static_cast<std::int64_t>(unit(idva_random) * 5.0));
    const double engagement = unit(idva_random);
    x.engagement = engagement < 0.88   ? IdvaEngagement::kEngaged
                   : engagement < 0.95 ? IdvaEngagement::kDeclined
                                       : IdvaEngagement::kNotContactable;
    const Date closed = x.allocated_on.AddDays(
        90 + static_cast<std::int64_t>(unit(idva_random) * 90.0));
    if (closed < borough.first_day.AddDays(364)) x.closed_on = closed;
    idva.push_back(std::move(x));
  }
  if (!check(store.PutIdvaSupport(system, idva), "IDVA support")) {
    return kExitFailure;
  }
  // The One Stop Shops' five July-to-June years up to the last that ended
  // in the borough's year; some visitors are the borough's victims.
  const Date last_day = borough.first_day.AddDays(364);
  const int last_year_ending = OneStopShopYearEnding(last_day) - 1;
  const SyntheticOneStopShops shops = SyntheticOneStopShopYears(
      borough, *WorkingCalendar::Shipped(), options.seed ^ 0x0557u,
      {.last_year_ending = last_year_ending});
  if (!check(store.PutVisits(system, shops.visits), "One Stop Shop visits") ||
      !check(store.PutSessions(system, shops.sessions),
             "One Stop Shop sessions")) {
    return kExitFailure;
  }

  // Meetings every four weeks through the year, five hours each (20 cases
  // at 15 minutes: the borough refers about 190 cases a year, 15 a
  // meeting, and a meeting sized to the average would carry a backlog);
  // the last one, after the year's final cut-off, is the demo's output.
  // Each planned date moves to the next working day (no MARAC on a bank
  // holiday); the cycle keeps its rhythm from the planned dates.
  const Result<WorkingCalendar> calendar = WorkingCalendar::BuiltIn();
  if (!calendar.ok()) {
    err << "marac demo: " << calendar.status().message() << "\n";
    return kExitFailure;
  }
  Date planned = borough.first_day.AddDays(27);
  Result<Agenda> agenda = Internal("no meeting");
  AgendaMeeting next_meeting;
  int meetings_held = 0;
  std::mt19937_64 minutes_random(options.seed ^ 0x3A11u);
  std::vector<Store::ActionUpdate> pending;
  std::size_t actions_agreed = 0;
  std::size_t adjourned = 0;
  for (;; planned = planned.AddDays(28)) {
    const Date meeting = calendar->NextWorkingDay(planned);
    const bool next = last_day < planned.AddDays(28 - 7);
    Actor coordinator = system;
    coordinator.purpose = "the MARAC cycle for " + meeting.ToString();
    // What agencies did since the last meeting, as they reported it.
    std::vector<Store::ActionUpdate> still;
    for (const Store::ActionUpdate& u : pending) {
      if (u.on < meeting) {
        if (!check(store.UpdateAction(coordinator, u).status(), "action")) {
          return kExitFailure;
        }
      } else {
        still.push_back(u);
      }
    }
    pending = std::move(still);
    const AgendaMeeting m{MeetingId(meeting, ""),
                          borough.area,
                          meeting,
                          meeting.AddDays(-7),
                          0,
                          300};
    agenda = AgendaFromStore(store, coordinator, m);
    if (!agenda.ok()) {
      err << "marac demo: agenda " << meeting << ": "
          << agenda.status().message() << "\n";
      return kExitFailure;
    }
    if (!check(
            store.PutMeeting(coordinator,
                             {m.meeting_id, m.area, m.date, m.referral_cutoff,
                              m.capacity_cases, m.capacity_minutes}),
            "meeting") ||
        !check(store.SaveAgenda(coordinator, AgendaToStore(*agenda, {})),
               "agenda")) {
      return kExitFailure;
    }
    next_meeting = m;
    if (next) break;
    DemoMinutes minutes = MinutesOf(*agenda, minutes_random);
    for (const CaseHearing& h : minutes.record.cases) {
      actions_agreed += h.actions.size();
      adjourned += h.outcome == HearingOutcome::kAdjourned;
    }
    if (!check(store.RecordMeeting(coordinator, minutes.record).status(),
               "minutes")) {
      return kExitFailure;
    }
    pending.insert(pending.end(), minutes.later.begin(), minutes.later.end());
    ++meetings_held;
  }
  const std::pair<const char*, std::string> files[] = {
      {"agenda.json", AgendaJson(*agenda, AgendaView::kCirculated)},
      {"agenda.md", AgendaMarkdown(*agenda, AgendaView::kCirculated)},
      {"agenda.html", AgendaHtml(*agenda, AgendaView::kCirculated)},
      {"agenda-chair.html", AgendaHtml(*agenda, AgendaView::kChair)}};
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream file(dir / name, std::ios::binary);
    file << text;
    if (!file) {
      err << "marac demo: could not write " << (dir / name).string() << "\n";
    }
    return static_cast<bool>(file);
  };
  for (const auto& [name, text] : files) {
    if (!write(name, text)) return kExitFailure;
  }
  // The research lists a week before the meeting: the coordinator's full
  // list and one for each agency at the table, each logged as sent.
  std::size_t withheld = 0;
  {
    Actor coordinator = system;
    coordinator.purpose = "research lists for " + next_meeting.date.ToString();
    std::vector<std::string> receivers = {""};
    receivers.insert(receivers.end(), kDemoAgencies.begin(),
                     kDemoAgencies.end());
    for (const std::string& agency : receivers) {
      const Result<ResearchList> list =
          ResearchListFromStore(store, coordinator, next_meeting, {}, agency);
      if (!check(list.status(), "research list")) return kExitFailure;
      if (!check(LogResearchList(store, coordinator, *list, "html").status(),
                 "circulation log") ||
          !write(
              "research-" + (agency.empty() ? "full" : Slug(agency)) + ".html",
              ResearchListHtml(*list))) {
        return kExitFailure;
      }
      withheld += list->withheld_referral_ids.size();
    }
  }

  // The SafeLives return for the last quarter over by the year's end, and
  // the One Stop Shops' yearly return.
  const Quarter quarter = LastQuarterEnded(last_day);
  std::vector<std::pair<std::string, std::string>> figures;
  {
    Actor coordinator = system;
    coordinator.purpose = "SafeLives return " + quarter.Name();
    const Result<CaseFile> file = LoadCaseFile(store, coordinator, "");
    if (!check(file.status(), "case file")) return kExitFailure;
    const Result<SafeLivesReturn> r = ComputeSafeLivesReturn(
        *file, {.quarter = quarter, .area = borough.area, .as_of = last_day});
    if (!check(r.status(), "SafeLives return") ||
        !write("safelives-return.csv", SafeLivesReturnCsv(*r))) {
      return kExitFailure;
    }
    int unmapped = 0;
    for (const ReturnFigure& f : r->figures) {
      if (f.id == "unmapped") ++unmapped;
      if (!f.value) continue;
      std::ostringstream v;
      if (f.share) {
        v << std::lround(*f.value * 100) << "%";
      } else {
        v << *f.value;
      }
      figures.emplace_back(f.id, v.str());
    }
    figures.emplace_back("unmapped", std::to_string(unmapped));
  }
  const Result<OneStopShopReport> shop_report = ComputeOneStopShopReport(
      shops.visits, shops.sessions, people,
      {.last_year_ending = last_year_ending, .years = 5, .as_of = last_day});
  if (!check(shop_report.status(), "One Stop Shop return") ||
      !write("one-stop-shops.md", OneStopShopMarkdown(*shop_report)) ||
      !write("one-stop-shops.html", OneStopShopHtml(*shop_report))) {
    return kExitFailure;
  }

  std::size_t actions_done = 0;
  std::size_t actions_open = 0;
  std::size_t actions_overdue = 0;
  {
    Actor coordinator = system;
    coordinator.purpose = "chase the MARAC actions";
    const Result<std::vector<CaseAction>> actions = store.Actions(coordinator);
    if (!check(actions.status(), "actions")) return kExitFailure;
    for (const CaseAction& a : *actions) {
      actions_done += a.status == ActionStatus::kDone;
      actions_open += a.status == ActionStatus::kOpen;
      actions_overdue += IsOverdue(a, agenda->meeting.date);
    }
  }
  std::size_t repeats = 0;
  std::size_t serial = 0;
  for (const RankedCase& c : agenda->listed) {
    repeats += c.item.repeat;
    serial += c.item.serial_perpetrator;
  }
  const std::set<std::string> victims_found = [&] {
    std::set<std::string> v;
    for (const BoroughIncident& i : borough.incidents) {
      v.insert(person_of[i.victim_record]);
    }
    return v;
  }();
  out << "\nBorough " << borough.area
      << " (synthetic): " << borough.incidents.size() << " incidents from "
      << borough.first_day << " to " << last_day << ", " << victims_found.size()
      << " victims after linking\n"
      << "  people mixing a victim with another's perpetrator: "
      << MixedPeople(borough.records, borough.person, person_of) << " ("
      << DualRoleReviews(*linked)
      << " victim and perpetrator record pairs held apart for review)\n"
      << "  assessments by grade: standard " << by_grade[0] << ", medium "
      << by_grade[1] << ", high " << by_grade[2] << ", not graded "
      << by_grade[3] << "\n"
      << "  police incidents: " << police_incidents << " (" << crimes
      << " recorded as crimes); assessed on DARA after the force's switch on "
      << BoroughOptions{}.dara_from << ": " << dara
      << "; S-DASH after a stalking \"yes\": " << supplements << "\n"
      << "  MARAC referrals: " << referrals.size() << " (" << idva.size()
      << " with an IDVA allocated; "
      << Percent(female_victims, referrals.size()) << " of women; "
      << by_judgement << " on professional judgement, "
      << Percent(by_judgement, referrals.size()) << ")"
      << "; meetings held: " << meetings_held
      << " (every four weeks on a working day, 300 minutes: 20 cases)\n"
      << "  minutes recorded: " << actions_agreed << " actions agreed ("
      << actions_done << " done, " << actions_open << " still open, "
      << actions_overdue << " of them overdue by the next meeting); "
      << adjourned << " cases adjourned\n"
      << "\nNext meeting: " << agenda->meeting.date << " (referral cut-off "
      << agenda->meeting.referral_cutoff << ")\n"
      << "  listed " << agenda->listed.size() << " of capacity "
      << agenda->capacity << "; deferred " << agenda->deferred.size()
      << "; repeats listed " << repeats << "; serial perpetrators listed "
      << serial << "\n";
  for (std::size_t k = 0; k < agenda->listed.size() && k < 5; ++k) {
    const RankedCase& c = agenda->listed[k];
    out << "  " << c.rank << ". " << c.item.case_reference << " "
        << Initials(c.item.given_name, c.item.family_name) << ", "
        << AssessmentWords(c.item) << (c.item.repeat ? ", repeat" : "")
        << (c.item.serial_perpetrator ? ", serial perpetrator" : "")
        << (c.escalated ? ", OVERDUE (" + std::to_string(c.days_waiting) +
                              " days since referral)"
                        : "")
        << ", priority " << c.priority << "\n";
  }
  if (!agenda->deferred.empty()) {
    out << "  deferred beyond capacity (interim safety plan required): ";
    for (std::size_t k = 0; k < agenda->deferred.size(); ++k) {
      out << (k > 0 ? ", " : "")
          << agenda->deferred[k].ranked.item.case_reference;
    }
    out << "\n";
  }
  out << "  research lists: the full list and one for each of "
      << kDemoAgencies.size() << " agencies (" << withheld
      << (withheld == 1 ? " case" : " cases")
      << " withheld from an agency the victim excluded)\n";
  const auto figure = [&](std::string_view id) {
    for (const auto& [k, v] : figures) {
      if (k == id) return v;
    }
    return std::string("not recorded");
  };
  out << "\nSafeLives return " << quarter.Name() << ": meetings held "
      << figure("meetings_held") << ", cases discussed "
      << figure("cases_discussed") << ", repeat rate " << figure("repeat_rate")
      << ", referrals received " << figure("referrals_received")
      << " (agencies unmapped: " << figure("unmapped") << ")\n"
      << "One Stop Shops (" << shop_report->sites.size()
      << " sites), visitors a year:";
  for (const OneStopShopYear& y : shop_report->years) {
    out << " " << y.name << " " << y.all_sites.visitors;
  }
  out << "\nWrote " << (options.store ? "the PostgreSQL store" : db.string())
      << ", " << (dir / "agenda.md").string()
      << ", agenda.html, agenda.json (circulated view), agenda-chair.html, "
         "research-*.html, safelives-return.csv and one-stop-shops.md/.html\n";
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
      SyntheticAssessments(options.count, options.seed, {.with_person = true});
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
  const int linked = LinkDemo(options, out, err);
  if (linked != kExitOk || !options.out_dir) return linked;
  return BoroughDemo(options, *scorer, out, err);
}

}  // namespace marac
