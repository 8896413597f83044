// Loading from a store: the case file of an area (every read audited under
// the caller), an agenda ranked from it with what earlier meetings heard,
// and the stored people ready to resolve again. People here are invented.
#include "services/casework/casework.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "services/casework/people.h"

namespace marac {
namespace {

Date D(const char* text) { return *Date::Parse("date", text); }

const Actor kCoordinator{"u-017", "coordinator", "MARAC-North", "agenda"};

PersonRecord Person(const char* id, const char* given, Role role) {
  PersonRecord r;
  r.record_id = id;
  r.source = "police";
  r.given_name = given;
  r.family_name = "Marlowe";
  r.dob = "1990-07-03";
  r.role = role;
  return r;
}

StoredReferral Referral(const char* id, const char* area) {
  StoredReferral r;
  r.referral_id = id;
  r.submission_id = std::string("s-") + id;
  r.area = area;
  r.agency = "police";
  r.source = ReferralSource::kPolice;
  r.referred_on = D("2026-03-02");
  r.victim_record_id = "V1";
  r.perpetrator_record_ids = {"X1"};
  r.criteria = {"visible_high_risk"};
  return r;
}

class CaseworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-casework-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<Store>> store =
        OpenSqliteStore((dir_ / "marac.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", Role::kVictim),
        Person("V1b", "Elspeth", Role::kVictim),
        Person("X1", "Corin", Role::kPerpetrator)};
    ASSERT_TRUE(store_->PutRecords(kCoordinator, records).ok());
    const std::vector<StoredReferral> referrals = {Referral("R1", "north"),
                                                   Referral("R2", "south"),
                                                   Referral("R3", "north")};
    ASSERT_TRUE(store_->SubmitReferrals(kCoordinator, referrals).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(CaseworkTest, ACaseFileHoldsTheAreasReferralsAndEverythingElse) {
  const Result<CaseFile> north = LoadCaseFile(*store_, kCoordinator, "north");
  ASSERT_TRUE(north.ok()) << north.status();
  ASSERT_EQ(north->referrals.size(), 2u);
  EXPECT_EQ(north->referrals[0].referral_id, "R1");
  EXPECT_EQ(north->referrals[1].referral_id, "R3");
  EXPECT_EQ(north->records.size(), 3u);
  const Result<CaseFile> all = LoadCaseFile(*store_, kCoordinator, "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->referrals.size(), 3u);

  // Every read is on the log under the caller, with its purpose.
  const Result<std::vector<AuditEntry>> log =
      store_->Audit({"u-900", "auditor", "IG", "check"}, 0, 1000);
  ASSERT_TRUE(log.ok()) << log.status();
  int consulted = 0;
  for (const AuditEntry& e : *log) {
    if (e.action == "consult" && e.user == "u-017") {
      ++consulted;
      EXPECT_EQ(e.purpose, "agenda");
    }
  }
  EXPECT_EQ(consulted, 18) << "nine reads a case file, two case files";
}

TEST_F(CaseworkTest, AReferralHeardAtASavedMeetingIsNotOnTheNext) {
  const AgendaMeeting march{MeetingId(D("2026-03-12"), "north"),
                            "north",
                            D("2026-03-12"),
                            D("2026-03-05"),
                            1,
                            0};
  const Result<Agenda> first = AgendaFromStore(*store_, kCoordinator, march);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->listed.size(), 1u);
  ASSERT_EQ(first->deferred.size(), 1u);
  const std::string heard = first->listed[0].item.referral_id;
  ASSERT_TRUE(store_
                  ->SaveMeetingAgenda(kCoordinator,
                                      {march.meeting_id, "north", march.date,
                                       march.referral_cutoff, 1, 0},
                                      AgendaToStore(*first, {}))
                  .ok());

  const AgendaMeeting april{MeetingId(D("2026-04-09"), "north"),
                            "north",
                            D("2026-04-09"),
                            D("2026-04-02"),
                            5,
                            0};
  const Result<Agenda> next = AgendaFromStore(*store_, kCoordinator, april);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->listed.size(), 1u);
  EXPECT_NE(next->listed[0].item.referral_id, heard);
  EXPECT_EQ(next->listed[0].item.referral_id,
            first->deferred[0].ranked.item.referral_id)
      << "the deferred case comes back";
}

TEST_F(CaseworkTest, StoredPeopleCarryEarlierPersonsAndKnownDecisions) {
  const std::vector<std::pair<std::string, std::string>> people = {
      {"V1", "P-1"}, {"V1b", "P-1"}, {"X1", "P-2"}};
  ASSERT_TRUE(store_->SavePeople(kCoordinator, people, {}).ok());
  const std::vector<ReviewDecision> decisions = {{"V1", "X1", false, "", ""}};
  ASSERT_TRUE(store_->PutReviewDecisions(kCoordinator, decisions).ok());

  Result<StoredPeople> stored = LoadPeople(*store_, kCoordinator);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->records.size(), 3u);
  EXPECT_EQ(stored->options.earlier_person_of.at("V1b"), "P-1");
  ASSERT_EQ(stored->decisions.size(), 1u);
  EXPECT_TRUE(stored->options.decisions.empty()) << "added once final";

  // A decision naming a record not among those resolved is left out.
  std::vector<PersonRecord> some = {stored->records[0], stored->records[2]};
  AddDecisions(stored->decisions, some, stored->options);
  ASSERT_EQ(stored->options.decisions.size(), 1u);
  std::vector<PersonRecord> without_x = {stored->records[0],
                                         stored->records[1]};
  ResolveOptions none;
  AddDecisions(stored->decisions, without_x, none);
  EXPECT_TRUE(none.decisions.empty());

  Resolution resolution;
  resolution.person_of = {"P-7", "P-8"};
  const auto pairs = RecordPerson(some, resolution);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"V1", "P-7"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"X1", "P-8"}));
}

}  // namespace
}  // namespace marac
