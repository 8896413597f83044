#include "marac/report/statistics.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "lib/common/html.h"
#include "lib/report/equality.h"

namespace marac {
namespace {

// National figures (domain.md section 9; SafeLives MARAC data, 2022-23).
constexpr double kNationalRepeatRate = 0.32;
constexpr double kNationalCasesPer10k = 45;
constexpr double kNationalChildrenPerCase = 138'340.0 / 108'775.0;
constexpr double kNationalNonPoliceShare = 0.36;
// The victim profile of MARAC cases (domain.md section 9).
constexpr double kNationalMinoritisedEthnic = 0.161;
constexpr double kNationalLgbt = 0.016;
constexpr double kNationalDisabled = 0.100;
constexpr double kNationalMale = 0.065;
constexpr double kNationalAged16To17 = 0.013;

bool Within(Date d, Date from, Date to) { return !(d < from) && !(to < d); }

std::string Number(double v) {
  char text[32];
  if (v == static_cast<double>(static_cast<long long>(v))) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(text, sizeof text, "%.3g", v);
  }
  return text;
}

std::string Shown(const std::optional<double>& v, bool share) {
  if (!v) return "not recorded";
  if (share) return Number(*v * 100.0) + "%";
  return Number(*v);
}

// "2026-Q1"
std::string QuarterKey(Date d) {
  return std::to_string(d.year) + "-Q" + std::to_string((d.month - 1) / 3 + 1);
}

// An incident the police recorded ("police", "Police North", ...).
bool ByPolice(const StoredIncident& i) {
  std::string who = i.reported_by;
  std::transform(who.begin(), who.end(), who.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return who.starts_with("police");
}

constexpr const char* kIdvaMadeTitle =
    "MARAC referrals made by IDVAs, by quarter";
constexpr const char* kIdvaIntoTitle =
    "Referrals into the IDVA service (MARAC cases allocated an IDVA), by "
    "quarter";

// A quarter's key, marked when the period covers it only in part; any
// other key as it is.
std::string QuarterShown(const Statistics& s, const std::string& key) {
  const bool partial =
      std::find(s.partial_quarters.begin(), s.partial_quarters.end(), key) !=
      s.partial_quarters.end();
  return partial ? key + " (partial: the period covers part of it)" : key;
}

// Whether risk fell from `first` to `last`: by the yes-count when both are
// counted on one instrument, else by the grade (an officer's DARA grade
// has no count to compare, and two instruments' counts differ in scale).
bool RiskFell(const StoredAssessment& first, const StoredAssessment& last) {
  const bool counted =
      first.officer_rationale.empty() && last.officer_rationale.empty();
  if (counted && first.instrument == last.instrument) {
    return last.score < first.score;
  }
  return GradeSeverity(last.grade) < GradeSeverity(first.grade);
}

bool IsShare(const Figure& f) {
  return f.id.find("rate") != std::string::npos ||
         f.id.find("share") != std::string::npos;
}

}  // namespace

Result<Statistics> ComputeStatistics(const StatisticsInput& in, Date from,
                                     Date to,
                                     const StatisticsOptions& options) {
  if (to < from) return InvalidArgument("to", "before from");
  if (options.adult_women < 0) {
    return InvalidArgument("adult_women", "negative");
  }
  if (options.compare_previous) {
    // The period of the same length just before, each figure beside: as
    // many whole months when the period is whole months (a quarter
    // against the quarter before), else as many days.
    const Date previous_to = from.AddDays(-1);
    Date previous_from =
        from.AddDays(-(static_cast<int>(DaysBetween(from, to)) + 1));
    if (from.day == 1 && to.AddDays(1).day == 1) {
      const int months =
          (to.year - from.year) * 12 + (to.month - from.month) + 1;
      previous_from = from.AddMonths(-months);
    }
    StatisticsOptions plain = options;
    plain.compare_previous = false;
    MARAC_ASSIGN_OR_RETURN(Statistics now,
                           ComputeStatistics(in, from, to, plain));
    MARAC_ASSIGN_OR_RETURN(
        const Statistics before,
        ComputeStatistics(in, previous_from, previous_to, plain));
    for (Figure& f : now.figures) {
      for (const Figure& b : before.figures) {
        if (b.id == f.id) f.previous = b.value;
      }
    }
    now.previous_from = previous_from;
    now.previous_to = previous_to;
    return now;
  }
  Statistics s;
  s.from = from;
  s.to = to;
  std::unordered_map<std::string, std::string> person_of;
  for (const auto& [record, person] : in.people) person_of[record] = person;
  const auto person = [&](const std::string& record) {
    const auto it = person_of.find(record);
    return it == person_of.end() ? "record:" + record : it->second;
  };
  std::unordered_map<std::string, const PersonRecord*> record_of;
  for (const PersonRecord& r : in.records) record_of[r.record_id] = &r;

  // Incidents and their victims.
  std::set<std::string> victims;
  std::set<std::string> young_victims;  // Aged 12-18 at an incident.
  int incidents = 0;
  int crimes = 0;
  int non_crimes = 0;
  // Police repeat victimisation: a victim of a police-recorded incident in
  // the period with another police-recorded incident in the 12 months
  // before it (the annual report's "repeat victims").
  std::map<std::string, std::vector<Date>> police_incidents;
  for (const StoredIncident& i : in.incidents) {
    if (ByPolice(i) && !(to < i.occurred_on)) {
      police_incidents[person(i.victim_record_id)].push_back(i.occurred_on);
    }
  }
  std::set<std::string> police_victims;
  std::set<std::string> police_repeat_victims;
  for (auto& [v, dates] : police_incidents) {
    std::sort(dates.begin(), dates.end());
    for (std::size_t k = 0; k < dates.size(); ++k) {
      if (!Within(dates[k], from, to)) continue;
      police_victims.insert(v);
      if (k > 0 && !(dates[k - 1] < dates[k].AddMonths(-12))) {
        police_repeat_victims.insert(v);
      }
    }
  }
  // Incidents by grade: the highest grade of an assessment of each.
  std::unordered_map<std::string, int> incident_grade;
  for (const StoredAssessment& a : in.assessments) {
    if (a.incident_id.empty()) continue;
    int& g = incident_grade[a.incident_id];
    g = std::max(g, GradeSeverity(a.grade));
  }
  int incidents_medium = 0;
  int incidents_high = 0;
  int incidents_assessed = 0;
  for (const StoredIncident& i : in.incidents) {
    if (!Within(i.occurred_on, from, to)) continue;
    ++incidents;
    if (i.crime) (*i.crime ? crimes : non_crimes) += 1;
    const auto graded = incident_grade.find(i.incident_id);
    if (graded != incident_grade.end()) {
      ++incidents_assessed;
      incidents_medium += graded->second == 2;
      incidents_high += graded->second == 3;
    }
    const std::string v = person(i.victim_record_id);
    victims.insert(v);
    const auto rec = record_of.find(i.victim_record_id);
    if (rec == record_of.end()) continue;
    const Result<Date> dob = Date::Parse("dob", rec->second->dob);
    if (!dob.ok()) continue;
    const int age = WholeYears(*dob, i.occurred_on);
    if (age >= 12 && age <= 18) young_victims.insert(v);
  }
  // Victims by their highest grade in the period; risk at intake and at
  // the latest assessment up to the end of the period.
  std::map<std::string, int> best_grade;
  std::map<std::string, std::vector<const StoredAssessment*>> assessed;
  for (const StoredAssessment& a : in.assessments) {
    const std::string v = person(a.victim_record_id);
    // A supplement (S-DASH after RIC 8) is not a reassessment of the risk.
    if (!(to < a.completed_on) && a.parent_assessment_id.empty()) {
      assessed[v].push_back(&a);
    }
    if (!Within(a.completed_on, from, to)) continue;
    int& g = best_grade[v];
    g = std::max(g, GradeSeverity(a.grade));
  }
  int medium = 0;
  int high = 0;
  for (const auto& [v, g] : best_grade) {
    medium += g == 2;
    high += g == 3;
  }
  int reassessed = 0;
  int reduced = 0;
  for (auto& [v, list] : assessed) {
    if (list.size() < 2 || !victims.contains(v)) continue;
    std::sort(list.begin(), list.end(),
              [](const StoredAssessment* a, const StoredAssessment* b) {
                return a->completed_on != b->completed_on
                           ? a->completed_on < b->completed_on
                           : a->assessment_id < b->assessment_id;
              });
    ++reassessed;
    reduced += RiskFell(*list.front(), *list.back());
  }
  // Referrals: repeats against the victim's previous referral.
  std::vector<const StoredReferral*> referrals;
  for (const StoredReferral& r : in.referrals) referrals.push_back(&r);
  std::sort(referrals.begin(), referrals.end(),
            [](const StoredReferral* a, const StoredReferral* b) {
              return a->referred_on != b->referred_on
                         ? a->referred_on < b->referred_on
                         : a->referral_id < b->referral_id;
            });
  std::map<std::string, Date> last_referral;
  int cases = 0;
  int repeats = 0;
  int children = 0;
  int non_police = 0;
  std::set<std::string> repeat_victims;
  std::unordered_map<std::string, const IdvaSupport*> idva_of;
  for (const IdvaSupport& x : in.idva) idva_of.emplace(x.referral_id, &x);
  int idva_supported = 0;
  int idva_engaged = 0;
  // Equality monitoring, counted here and nowhere shown per case.
  EqualityTally male, minoritised, lgbt, disabled, aged_16_17;
  for (const StoredReferral* r : referrals) {
    const std::string v = person(r->victim_record_id);
    const auto last = last_referral.find(v);
    const bool repeat = last != last_referral.end() &&
                        !(last->second.AddMonths(options.repeat_window_months) <
                          r->referred_on);
    last_referral[v] = r->referred_on;
    if (!Within(r->referred_on, from, to)) continue;
    ++cases;
    if (repeat) {
      ++repeats;
      repeat_victims.insert(v);
    }
    children += r->children_in_household;
    const EqualityMonitoring& e = r->details.equality;
    male.Add(e.gender_identity, {"man"});
    minoritised.Add(e.ethnicity, {"mixed", "asian", "black", "arab", "other"});
    lgbt.Add(e.sexual_orientation, {"gay_or_lesbian", "bisexual"});
    disabled.Add(e.disability, {"yes"});
    aged_16_17.Add(e.age_band, {"16-17"});
    const auto support = idva_of.find(r->referral_id);
    if (support != idva_of.end() && !(to < support->second->allocated_on)) {
      ++idva_supported;
      idva_engaged += support->second->engagement == IdvaEngagement::kEngaged;
    }
    const std::string source(ReferralSourceName(r->source));
    non_police += source != "police";
    ++s.referrals_by_agency[r->agency];
    ++s.referrals_by_source[source];
    if (r->source == ReferralSource::kIdva) {
      ++s.idva_referrals_by_quarter[QuarterKey(r->referred_on)];
    }
  }
  for (const IdvaSupport& x : in.idva) {
    if (Within(x.allocated_on, from, to)) {
      ++s.idva_allocations_by_quarter[QuarterKey(x.allocated_on)];
    }
  }
  // Quarters the period covers in part.
  for (Date q{from.year, (from.month - 1) / 3 * 3 + 1, 1}; !(to < q);
       q = q.AddMonths(3)) {
    const Date last = q.AddMonths(3).AddDays(-1);
    if (q < from || to < last) s.partial_quarters.push_back(QuarterKey(q));
  }
  // Cases heard: listed on the agenda of a meeting in the period.
  std::map<std::string, Date> meeting_date;
  for (const Meeting& m : in.meetings) meeting_date[m.meeting_id] = m.date;
  std::set<std::string> heard;
  for (const AgendaListing& a : in.listings) {
    const auto when = meeting_date.find(a.meeting_id);
    if (when == meeting_date.end() || !Within(when->second, from, to)) continue;
    heard.insert(a.referral_ids.begin(), a.referral_ids.end());
  }

  const double days = static_cast<double>(DaysBetween(from, to) + 1);
  const auto share = [](int part, int whole) -> std::optional<double> {
    if (whole == 0) return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
  };
  s.figures = {
      {"incidents", "Domestic abuse incidents", incidents, std::nullopt,
       "incidents dated in the period"},
      {"victims", "Victims (resolved people)",
       static_cast<double>(victims.size()), std::nullopt,
       "distinct people after identity resolution"},
      {"incidents_crime", "Incidents recorded as crimes",
       crimes + non_crimes > 0 ? std::optional<double>(crimes) : std::nullopt,
       std::nullopt,
       crimes + non_crimes > 0
           ? std::to_string(incidents - crimes - non_crimes) +
                 " incidents without a crime / non-crime record"
           : "no incident in the period recorded crime or non-crime"},
      {"incidents_non_crime", "Non-crime incidents",
       crimes + non_crimes > 0 ? std::optional<double>(non_crimes)
                               : std::nullopt,
       std::nullopt, "recorded by the police as an incident, not a crime"},
      {"victims_medium", "Victims at medium risk (per victim)", medium,
       std::nullopt,
       "each victim once, at the highest grade of their assessments in the "
       "period"},
      {"victims_high", "Victims at high risk (per victim)", high, std::nullopt,
       "each victim once, at the highest grade of their assessments in the "
       "period"},
      {"incidents_medium", "Incidents assessed medium risk (per incident)",
       incidents_medium, std::nullopt,
       "each incident once, at the highest grade assessed; " +
           std::to_string(incidents_assessed) + " of " +
           std::to_string(incidents) + " incidents assessed"},
      {"incidents_high", "Incidents assessed high risk (per incident)",
       incidents_high, std::nullopt,
       "each incident once, at the highest grade assessed; a victim with "
       "two high incidents counts twice here, once above"},
      {"police_repeat_victims",
       "Repeat victims of police-recorded domestic abuse",
       police_incidents.empty()
           ? std::nullopt
           : std::optional<double>(police_repeat_victims.size()),
       std::nullopt,
       police_incidents.empty()
           ? std::string("no incident reported by the police in the store")
           : "victims of a police-recorded incident in the period with "
             "another in the 12 months before it (the annual report's "
             "repeat victims; not the MARAC repeat below)"},
      {"police_repeat_victim_rate",
       "Share of police-recorded victims who were repeat victims",
       share(static_cast<int>(police_repeat_victims.size()),
             static_cast<int>(police_victims.size())),
       std::nullopt,
       std::to_string(police_repeat_victims.size()) + " of " +
           std::to_string(police_victims.size()) +
           " victims of police-recorded incidents in the period"},
      {"victims_aged_12_18", "Victims aged 12 to 18",
       static_cast<double>(young_victims.size()), std::nullopt,
       "age at an incident; under-18s also need a safeguarding referral"},
      {"marac_cases", "MARAC cases (referrals, repeats included)", cases,
       std::nullopt, "referred in the period"},
      {"cases_heard", "Cases heard", static_cast<double>(heard.size()),
       std::nullopt, "listed on the agenda of a meeting in the period"},
      {"repeat_victims", "MARAC repeat victims",
       static_cast<double>(repeat_victims.size()), std::nullopt,
       "victims referred to MARAC again within 12 months of their previous "
       "MARAC referral (SafeLives' definition; not police repeat "
       "victimisation above)"},
      {"repeat_rate", "MARAC repeat rate", share(repeats, cases),
       kNationalRepeatRate, "repeat MARAC cases / all MARAC cases"},
      {"non_police_share", "Referrals from agencies other than the police",
       share(non_police, cases), kNationalNonPoliceShare, "by source"},
      {"children_per_case", "Children in the households, per case",
       cases > 0 ? std::optional<double>(static_cast<double>(children) / cases)
                 : std::nullopt,
       kNationalChildrenPerCase,
       "children in the household as referred (" + std::to_string(children) +
           " in all)"},
      {"risk_reduced_share",
       "Victims whose risk fell between intake and latest assessment",
       share(reduced, reassessed), std::nullopt,
       std::to_string(reassessed) + " victims assessed more than once"},
      {"idva_supported_share", "MARAC cases supported by an IDVA",
       in.idva.empty() ? std::nullopt : share(idva_supported, cases),
       std::nullopt,
       in.idva.empty() ? "no IDVA allocations recorded in the store"
                       : std::to_string(idva_supported) +
                             " cases referred in the period with an IDVA "
                             "allocated by its end"},
      {"idva_engaged_share", "Of those, engaged with the IDVA",
       in.idva.empty() ? std::nullopt : share(idva_engaged, idva_supported),
       std::nullopt,
       in.idva.empty() ? "no IDVA allocations recorded in the store"
                       : std::to_string(idva_engaged) + " engaged of " +
                             std::to_string(idva_supported) + " supported"},
  };
  Figure per_10k{"cases_per_10k_women",
                 "MARAC cases per 10,000 adult women, a year", std::nullopt,
                 kNationalCasesPer10k, "population not given (--adult-women)"};
  if (options.adult_women > 0) {
    per_10k.value = static_cast<double>(cases) * 10'000.0 /
                    static_cast<double>(options.adult_women) * 365.0 / days;
    per_10k.note = "of " + std::to_string(options.adult_women) +
                   " women aged 16 and over, scaled to a year";
  }
  s.figures.push_back(per_10k);
  // The victim profile, from the referrals' equality monitoring: shares of
  // the cases that recorded the field, beside the national profile.
  const struct {
    const char* id;
    const char* label;
    const EqualityTally& tally;
    double national;
    const char* field;
  } kProfile[] = {
      {"male_victim_share", "Male victims", male, kNationalMale,
       "gender identity"},
      {"minoritised_ethnic_share", "Victims from minoritised ethnic groups",
       minoritised, kNationalMinoritisedEthnic,
       "ethnicity (mixed, Asian, Black, Arab or other)"},
      {"lgbt_share", "Lesbian, gay or bisexual victims", lgbt, kNationalLgbt,
       "sexual orientation"},
      {"disabled_share", "Disabled victims", disabled, kNationalDisabled,
       "disability"},
      {"aged_16_17_share", "Victims aged 16 or 17", aged_16_17,
       kNationalAged16To17, "age band"},
  };
  for (const auto& p : kProfile) {
    s.figures.push_back(
        {p.id, p.label, share(p.tally.counted, p.tally.recorded), p.national,
         p.tally.recorded == 0
             ? std::string("no referral in the period recorded its ") + p.field
             : std::to_string(p.tally.counted) + " of " +
                   std::to_string(p.tally.recorded) +
                   " cases that recorded their " + p.field});
  }
  return s;
}

std::string StatisticsJson(const Statistics& s) {
  nlohmann::ordered_json j;
  j["from"] = s.from.ToString();
  j["to"] = s.to.ToString();
  if (s.previous_from && s.previous_to) {
    j["previous_from"] = s.previous_from->ToString();
    j["previous_to"] = s.previous_to->ToString();
  }
  nlohmann::ordered_json figures = nlohmann::ordered_json::array();
  for (const Figure& f : s.figures) {
    nlohmann::ordered_json x;
    x["id"] = f.id;
    x["label"] = f.label;
    x["value"] = f.value ? nlohmann::ordered_json(*f.value) : nullptr;
    x["national"] = f.national ? nlohmann::ordered_json(*f.national) : nullptr;
    x["note"] = f.note;
    if (s.previous_from) {
      x["previous"] =
          f.previous ? nlohmann::ordered_json(*f.previous) : nullptr;
    }
    figures.push_back(std::move(x));
  }
  j["figures"] = std::move(figures);
  j["referrals_by_agency"] = s.referrals_by_agency;
  j["referrals_by_source"] = s.referrals_by_source;
  j["idva_referrals_by_quarter"] = s.idva_referrals_by_quarter;
  j["idva_allocations_by_quarter"] = s.idva_allocations_by_quarter;
  j["partial_quarters"] = s.partial_quarters;
  return j.dump(2) + "\n";
}

std::string StatisticsMarkdown(const Statistics& s) {
  const bool compared = s.previous_from && s.previous_to;
  std::string md = "# MARAC statistics, " + s.from.ToString() + " to " +
                   s.to.ToString() + "\n\n";
  if (compared) {
    md += "Previous period: " + s.previous_from->ToString() + " to " +
          s.previous_to->ToString() + ".\n\n";
  }
  md += compared ? "| Figure | Value | Previous | National | How counted "
                   "|\n|---|---|---|---|---|\n"
                 : "| Figure | Value | National | How counted "
                   "|\n|---|---|---|---|\n";
  for (const Figure& f : s.figures) {
    const bool pct = IsShare(f);
    md += "| " + f.label + " | " + Shown(f.value, pct) + " | ";
    if (compared) md += Shown(f.previous, pct) + " | ";
    md += (f.national ? Shown(f.national, pct) : "-") + " | " + f.note + " |\n";
  }
  const auto table = [&](const char* title,
                         const std::map<std::string, int>& counts) {
    md += std::string("\n## ") + title + "\n\n";
    if (counts.empty()) md += "None.\n";
    for (const auto& [k, v] : counts) {
      md += "- " + QuarterShown(s, k) + ": " + std::to_string(v) + "\n";
    }
  };
  table("Referrals by agency", s.referrals_by_agency);
  table("Referrals by source", s.referrals_by_source);
  table(kIdvaMadeTitle, s.idva_referrals_by_quarter);
  table(kIdvaIntoTitle, s.idva_allocations_by_quarter);
  return md;
}

std::string StatisticsHtml(const Statistics& s) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>MARAC statistics</title>\n<style>body{"
      "font-family:serif;margin:1.5cm}table{border-collapse:collapse}th,td{"
      "border:1px solid #000;padding:3pt;text-align:left}</style>\n</head>\n"
      "<body>\n<h1>MARAC statistics, " +
      s.from.ToString() + " to " + s.to.ToString() + "</h1>\n";
  const bool compared = s.previous_from && s.previous_to;
  if (compared) {
    h += "<p>Previous period: " + s.previous_from->ToString() + " to " +
         s.previous_to->ToString() + ".</p>\n";
  }
  h += std::string("<table>\n<tr><th>Figure</th><th>Value</th>") +
       (compared ? "<th>Previous</th>" : "") +
       "<th>National</th><th>How counted</th></tr>\n";
  for (const Figure& f : s.figures) {
    const bool pct = IsShare(f);
    h += "<tr><td>" + HtmlEscape(f.label) + "</td><td>" + Shown(f.value, pct) +
         "</td><td>";
    if (compared) h += Shown(f.previous, pct) + "</td><td>";
    h += (f.national ? Shown(f.national, pct) : "-") + "</td><td>" +
         HtmlEscape(f.note) + "</td></tr>\n";
  }
  h += "</table>\n";
  const auto list = [&](const char* title,
                        const std::map<std::string, int>& counts) {
    h += std::string("<h2>") + title + "</h2>\n<ul>\n";
    if (counts.empty()) h += "<li>None.</li>\n";
    for (const auto& [k, v] : counts) {
      h += "<li>" + HtmlEscape(QuarterShown(s, k)) + ": " + std::to_string(v) +
           "</li>\n";
    }
    h += "</ul>\n";
  };
  list("Referrals by agency", s.referrals_by_agency);
  list("Referrals by source", s.referrals_by_source);
  list(kIdvaMadeTitle, s.idva_referrals_by_quarter);
  list(kIdvaIntoTitle, s.idva_allocations_by_quarter);
  return h + "</body>\n</html>\n";
}

}  // namespace marac
