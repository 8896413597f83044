// `marac demo --out DIR` must hold no line a MARAC coordinator would stop
// trusting it at: no man or woman of 60 recorded pregnant, about one victim
// in fifteen a man, some referrals on professional judgement in the
// referrer's words, meetings on working days, DARA graded by the officer,
// five years of One Stop Shop visits, and the SafeLives return with every
// referring agency mapped. Read back from the store and files it writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "marac/calendar/calendar.h"
#include "marac/report/one_stop_shop.h"
#include "marac/store/store.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(DemoPlausibleTest, NothingACoordinatorWouldDoubt) {
  const TempDir dir("marac-demo-plausible");
  // The default seed; few standalone assessments and people, as the
  // borough does not depend on them.
  const CliRun run = RunCli(
      {"demo", "--out", dir.Path("demo"), "--count", "100", "--people", "50"});
  ASSERT_EQ(run.status, 0) << run.err;
  Result<std::unique_ptr<Store>> opened =
      OpenSqliteStore(dir.Path("demo/marac.db"), {.create = false});
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  const Actor auditor{"u-900", "auditor", "IG", "test"};
  const Result<std::vector<PersonRecord>> records = store.Records(auditor);
  const Result<std::vector<StoredAssessment>> assessments =
      store.Assessments(auditor);
  const Result<std::vector<StoredReferral>> referrals =
      store.Referrals(auditor, "", std::nullopt);
  const Result<std::vector<StoredIncident>> incidents =
      store.Incidents(auditor);
  ASSERT_TRUE(records.ok() && assessments.ok() && referrals.ok() &&
              incidents.ok());
  std::map<std::string, const PersonRecord*> record_of;
  for (const PersonRecord& r : *records) record_of[r.record_id] = &r;

  // Pregnancy or a new baby (the "pregnancy" indicator of the RIC and the
  // police form) only for a woman of 16 to 49.
  int pregnant = 0;
  std::map<std::string, const StoredAssessment*> assessment_of;
  for (const StoredAssessment& a : *assessments) {
    assessment_of[a.assessment_id] = &a;
  }
  for (const StoredAssessment& a : *assessments) {
    SCOPED_TRACE(a.assessment_id);
    const PersonRecord& victim = *record_of.at(a.victim_record_id);
    if (Has(a.high_harm_indicators, "pregnancy")) {
      ++pregnant;
      EXPECT_EQ(victim.gender, "f");
      const Result<Date> dob = Date::Parse("dob", victim.dob);
      if (dob.ok()) {
        EXPECT_GE(WholeYears(*dob, a.completed_on), 16);
        EXPECT_LE(WholeYears(*dob, a.completed_on), 49);
      }
    }
    // DARA: the officer's grade and rationale, no count.
    if (a.instrument == "dara") {
      EXPECT_FALSE(a.officer_rationale.empty());
      EXPECT_EQ(a.score, 0);
      EXPECT_NE(a.grade, Grade::kNotGraded);
    } else {
      EXPECT_TRUE(a.officer_rationale.empty());
    }
    // An S-DASH names the checklist it followed, of the same incident.
    if (a.instrument == "s-dash") {
      ASSERT_TRUE(assessment_of.contains(a.parent_assessment_id));
      const StoredAssessment& parent =
          *assessment_of.at(a.parent_assessment_id);
      EXPECT_EQ(parent.incident_id, a.incident_id);
      EXPECT_TRUE(Has(parent.high_harm_indicators, "stalking"));
    }
  }
  EXPECT_GT(pregnant, 5);
  const auto dara = std::count_if(
      assessments->begin(), assessments->end(),
      [](const StoredAssessment& a) { return a.instrument == "dara"; });
  EXPECT_GT(dara, 100);

  // About 93% of referred victims are women; 10-20% of referrals are on
  // professional judgement, each with the referrer's account.
  int women = 0;
  int judged = 0;
  for (const StoredReferral& r : *referrals) {
    SCOPED_TRACE(r.referral_id);
    women += record_of.at(r.victim_record_id)->gender == "f";
    EXPECT_NE(r.agency, "one_stop_shop") << "a venue, not an agency";
    EXPECT_NE(r.details.relationship, Relationship::kNotRecorded);
    if (Has(r.criteria, "professional_judgement")) {
      ++judged;
      EXPECT_GT(r.details.judgement_narrative.size(), 80u);
    }
  }
  const double n = static_cast<double>(referrals->size());
  ASSERT_GT(n, 100);
  EXPECT_GT(women / n, 0.88);
  EXPECT_LT(women / n, 0.97);
  EXPECT_GE(judged / n, 0.10);
  EXPECT_LE(judged / n, 0.20);

  // Police incidents recorded as crime or not, a little over half crimes.
  int police = 0;
  int crimes = 0;
  for (const StoredIncident& i : *incidents) {
    police += i.crime.has_value();
    crimes += i.crime.value_or(false);
  }
  ASSERT_GT(police, 300);
  EXPECT_GT(crimes / double(police), 0.5);
  EXPECT_LT(crimes / double(police), 0.65);

  // Every meeting on a working day.
  const WorkingCalendar* calendar = WorkingCalendar::Shipped();
  ASSERT_NE(calendar, nullptr);
  const Result<std::vector<Meeting>> meetings = store.Meetings(auditor, "");
  ASSERT_TRUE(meetings.ok());
  ASSERT_GE(meetings->size(), 12u);
  for (const Meeting& m : *meetings) {
    EXPECT_TRUE(calendar->IsWorkingDay(m.date)) << m.date;
  }

  // One Stop Shop visits over five whole July-to-June years, on session
  // days, some naming a victim's record.
  const Result<std::vector<OneStopShopVisit>> visits = store.Visits(auditor);
  const Result<std::vector<OneStopShopSession>> sessions =
      store.Sessions(auditor);
  ASSERT_TRUE(visits.ok() && sessions.ok());
  std::set<Date> session_days;
  for (const OneStopShopSession& s : *sessions) {
    EXPECT_TRUE(calendar->IsWorkingDay(s.held_on)) << s.held_on;
    session_days.insert(s.held_on);
  }
  std::set<int> years;
  int linked = 0;
  for (const OneStopShopVisit& v : *visits) {
    years.insert(OneStopShopYearEnding(v.visited_on));
    EXPECT_TRUE(session_days.contains(v.visited_on)) << v.visit_id;
    linked += !v.visitor_record_id.empty();
  }
  EXPECT_EQ(years.size(), 5u);
  EXPECT_EQ(*years.rbegin() - *years.begin(), 4);
  EXPECT_GT(linked, 0);
  EXPECT_LT(linked, static_cast<int>(visits->size()));

  // The returns, written and summarised.
  const std::string csv = Read(dir.Path("demo/safelives-return.csv"));
  EXPECT_THAT(csv, HasSubstr("return,quarter,Quarter,,2026Q3"));
  EXPECT_THAT(csv, Not(HasSubstr("referrals,unmapped,")));
  EXPECT_THAT(Read(dir.Path("demo/one-stop-shops.md")),
              HasSubstr("2021/22 to 2025/26"));
  EXPECT_THAT(Read(dir.Path("demo/one-stop-shops.html")), HasSubstr("<html"));
  EXPECT_THAT(run.out, HasSubstr("SafeLives return 2026Q3"));
  EXPECT_THAT(run.out, HasSubstr("agencies unmapped: 0"));
  EXPECT_THAT(run.out, HasSubstr("One Stop Shops (2 sites)"));
}

}  // namespace
}  // namespace marac
