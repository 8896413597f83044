#include "lib/synthetic/synthetic_one_stop_shop.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

namespace marac {
namespace {

struct Agency {
  const char* name;
  double attends;  // When committed.
};

struct Site {
  std::string name;
  int weekday;         // 0 Sunday .. 6 Saturday.
  int every_weeks;     // 1 weekly, 2 fortnightly.
  double visit_share;  // Of the year's visits.
  std::vector<Agency> committed;
};

// 1970-01-01 was a Thursday.
int Weekday(Date d) { return static_cast<int>(((d.ToDays() % 7) + 7 + 4) % 7); }

// Visits by month of the July-to-June year: quieter in August and around
// Christmas, busier after the new year.
constexpr double kSeason[12] = {0.95, 0.75, 1.0,  1.05, 1.05, 0.75,
                                1.25, 1.05, 1.05, 0.95, 1.05, 1.0};
// Each year's visits against the last: growth with a dip.
constexpr double kYearScale[] = {0.80, 0.86, 0.94, 0.89, 1.0};

}  // namespace

SyntheticOneStopShops SyntheticOneStopShopYears(
    const SyntheticBorough& borough, const WorkingCalendar& calendar,
    std::uint64_t seed, const SyntheticOneStopShopOptions& options) {
  SplitMix64 rng(seed);
  std::string hub;
  for (const char c : borough.area) {
    hub += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::vector<Site> sites = {
      {hub + "-hub",
       3,
       1,
       0.68,
       {{"IDVA service", 0.98},
        {"Police", 0.85},
        {"Housing options", 0.9},
        {"Family law solicitor", 0.88},
        {"Welfare rights adviser", 0.92},
        {"Children's centre", 0.8}}},
      {"fenwold-library",
       4,
       2,
       0.32,
       {{"IDVA service", 0.96},
        {"Police", 0.8},
        {"Housing options", 0.85},
        {"Family law solicitor", 0.9}}},
  };
  static constexpr const char* kExtraHelp[] = {"Substance misuse service",
                                               "Probation", "Health visitor"};
  // The borough's victims, each with their records and household.
  struct Victim {
    std::vector<std::size_t> records;
    int children = 0;
  };
  std::map<std::uint32_t, Victim> by_person;
  for (const BoroughIncident& i : borough.incidents) {
    Victim& v = by_person[borough.person[i.victim_record]];
    v.records.push_back(i.victim_record);
    v.children = i.children;
  }
  std::vector<const Victim*> victims;
  for (const auto& [person, v] : by_person) victims.push_back(&v);

  SyntheticOneStopShops out;
  const int first_year = options.last_year_ending - options.years + 1;
  int visit_number = 0;
  int session_number = 0;
  for (int y = first_year; y <= options.last_year_ending; ++y) {
    const Date from{y - 1, 7, 1};
    const Date to{y, 6, 30};
    const std::size_t index = static_cast<std::size_t>(
        std::max(0, static_cast<int>(std::size(kYearScale)) -
                        (options.last_year_ending - y) - 1));
    const double year_visits = options.last_year_visits * kYearScale[index];
    // Sessions: each site on its weekday, every one or two weeks; a bank
    // holiday moves the session to the next working day.
    struct Planned {
      Date on;
      std::size_t site;
    };
    std::vector<Planned> planned;
    for (std::size_t s = 0; s < sites.size(); ++s) {
      Date d = from;
      while (Weekday(d) != sites[s].weekday) d = d.AddDays(1);
      for (; !(to < d); d = d.AddDays(7 * sites[s].every_weeks)) {
        const Date held = calendar.NextWorkingDay(d);
        if (!(to < held)) planned.push_back({held, s});
      }
    }
    std::sort(planned.begin(), planned.end(),
              [](const Planned& a, const Planned& b) {
                return a.on != b.on ? a.on < b.on : a.site < b.site;
              });
    std::vector<int> sessions_of(sites.size(), 0);
    for (const Planned& p : planned) ++sessions_of[p.site];
    for (const Planned& p : planned) {
      const Site& site = sites[p.site];
      OneStopShopSession session;
      char id[32];
      std::snprintf(id, sizeof id, "OSS-S-%05d", ++session_number);
      session.session_id = id;
      session.held_on = p.on;
      session.site = site.name;
      for (const Agency& a : site.committed) {
        session.committed_agencies.push_back(a.name);
        if (rng.Uniform() < a.attends) {
          session.attended_agencies.push_back(a.name);
        }
      }
      if (rng.Uniform() < 0.05) {
        session.attended_agencies.push_back(
            kExtraHelp[rng.Below(std::size(kExtraHelp))]);
      }
      out.sessions.push_back(std::move(session));
      // The visits of this session.
      const int month = (p.on.month + 5) % 12;  // July is 0.
      const double mean =
          year_visits * site.visit_share / sessions_of[p.site] * kSeason[month];
      const int count = std::max(
          0,
          static_cast<int>(std::lround(mean + std::sqrt(mean) * rng.Normal())));
      for (int k = 0; k < count; ++k) {
        OneStopShopVisit v;
        std::snprintf(id, sizeof id, "OSS-V-%06d", ++visit_number);
        v.visit_id = id;
        v.visited_on = p.on;
        v.site = site.name;
        std::optional<int> children;
        // Some visitors are the borough's victims; more in later years, as
        // the shop and the MARAC come to share their records.
        const double linked = 0.30 + 0.04 * static_cast<double>(index);
        if (!victims.empty() && rng.Uniform() < linked) {
          const Victim& victim = *victims[rng.Below(victims.size())];
          const PersonRecord& r =
              borough.records[victim.records[rng.Below(victim.records.size())]];
          v.visitor_record_id = r.record_id;
          v.gender = r.gender == "f"   ? VisitorGender::kFemale
                     : r.gender == "m" ? VisitorGender::kMale
                                       : VisitorGender::kNotRecorded;
          children = victim.children;
          v.lives_in_borough = rng.Uniform() < 0.95;
        } else {
          static constexpr std::pair<const char*, double> kGender[] = {
              {"female", 0.91},
              {"male", 0.07},
              {"other", 0.01},
              {"not_recorded", 0.01}};
          v.gender = *ParseVisitorGender("gender", Weighted(rng, kGender));
          const double c = rng.Uniform();
          children = c < 0.38   ? 0
                     : c < 0.6  ? 1
                     : c < 0.77 ? 2
                     : c < 0.84 ? 3
                     : c < 0.87 ? 4
                                : std::optional<int>();
          const double b = rng.Uniform();
          if (b < 0.95) v.lives_in_borough = b < 0.86;
        }
        v.children = children;
        static constexpr std::pair<const char*, double> kReferredBy[] = {
            {"police", 0.21},
            {"idva", 0.13},
            {"gp", 0.10},
            {"friend_or_family", 0.14},
            {"self", 0.10},
            {"housing", 0.07},
            {"childrens_services", 0.06},
            {"health_visitor", 0.04},
            {"school", 0.03},
            {"leaflet_or_website", 0.05},
            {"", 0.07}};
        v.referred_by = Weighted(rng, kReferredBy);
        static constexpr std::pair<const char*, double> kEthnicity[] = {
            {"white_british", 0.68},
            {"white_other", 0.08},
            {"asian", 0.09},
            {"black", 0.05},
            {"mixed", 0.03},
            {"other", 0.02},
            {"", 0.05}};
        v.ethnicity = Weighted(rng, kEthnicity);
        if (rng.Uniform() < 0.6) {
          v.feedback = rng.Uniform() < 0.92 ? VisitFeedback::kHelpful
                                            : VisitFeedback::kNotHelpful;
        }
        out.visits.push_back(std::move(v));
      }
    }
  }
  return out;
}

}  // namespace marac
