// The SQLite store. Migrations: from an empty file and from each earlier
// schema, keeping what was stored.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

TEST_F(StoreTest, MigratesFromEmptyAndFromThePreviousSchema) {
  {
    // A file at version 1, with data in it.
    std::unique_ptr<Store> old = Open({.schema_version = 1});
    ASSERT_NE(old, nullptr);
    EXPECT_EQ(old->SchemaVersion(), 1);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    const std::vector<ReviewDecision> decisions = {{"V1", "X1", false, "", ""}};
    EXPECT_EQ(old->PutReviewDecisions(kCoordinator, decisions).code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(store->Records(kCoordinator)->size(), 2u) << "data kept";
  const std::vector<ReviewDecision> decisions = {{"X1", "V1", false, "", ""}};
  ASSERT_TRUE(store->PutReviewDecisions(kCoordinator, decisions).ok());
  const Result<std::vector<ReviewDecision>> back =
      store->ReviewDecisions(kCoordinator);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].record_id_l, "V1") << "pairs stored in order";
  EXPECT_EQ((*back)[0].decided_by, "u-017");
  // And from nothing, a second file.
  Result<std::unique_ptr<Store>> fresh = OpenStore(Location("fresh"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->SchemaVersion(), LatestSchemaVersion());
}

StoredAssessment Assessment(std::string id, std::string instrument_version) {
  StoredAssessment a;
  a.assessment_id = std::move(id);
  a.victim_record_id = "V1";
  a.instrument = "safelives-ric";
  a.instrument_version = std::move(instrument_version);
  a.policy_version = "marac-default-2026.1";
  a.completed_on = *Date::Parse("d", "2026-03-01");
  a.score = 15;
  a.grade = Grade::kHigh;
  a.marac_referral = true;
  a.criteria = {"visible_high_risk"};
  a.result_json = "{}";
  return a;
}

TEST_F(StoreTest, MigratesFromVersionTwoKeepingAssessmentsAndAddingIdva) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  {
    std::unique_ptr<Store> old = Open({.schema_version = 2});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    const std::vector<StoredAssessment> before = {Assessment("A1", "")};
    ASSERT_TRUE(old->PutAssessments(kCoordinator, before).ok());
    const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
    ASSERT_TRUE(old->SubmitReferrals(kCoordinator, referrals).ok());
    const std::vector<IdvaSupport> support = {
        {"R1", "IDVA-North", *Date::Parse("d", "2026-03-03"),
         IdvaEngagement::kEngaged, std::nullopt}};
    EXPECT_EQ(old->PutIdvaSupport(kCoordinator, support).code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  const Result<std::vector<StoredAssessment>> kept =
      store->Assessments(kCoordinator);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].instrument_version, "") << "not known before v3";
  EXPECT_EQ((*kept)[0].score, 15);
  // From version 3 on, the instrument version is required and kept.
  const std::vector<StoredAssessment> unversioned = {Assessment("A2", "")};
  const Status refused = store->PutAssessments(kCoordinator, unversioned);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(),
              HasSubstr("assessments[0].instrument_version"));
  const std::vector<StoredAssessment> versioned = {Assessment("A2", "2025.1")};
  ASSERT_TRUE(store->PutAssessments(kCoordinator, versioned).ok());
  EXPECT_EQ(store->Assessments(kCoordinator)->back().instrument_version,
            "2025.1");
}

TEST_F(StoreTest, MigrationToVersionFourChainsTheEntriesAlreadyThere) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 3});
    ASSERT_NE(old, nullptr);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim)};
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    ASSERT_TRUE(old->Records(kCoordinator).ok());
    const Actor auditor{"u-900", "auditor", "IG", "chain check"};
    EXPECT_EQ(old->VerifyAudit(auditor, {}).status().code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open({.schema_version = 4});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), 4);
  const Actor auditor{"u-900", "auditor", "IG", "chain check"};
  const Result<AuditVerification> v = store->VerifyAudit(auditor, {});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 2) << "both written at version 3";
  // Still append-only after the migration lifted and restored the trigger.
  EXPECT_THAT(Sql("UPDATE audit_log SET \"user\" = 'x'"),
              HasSubstr("append-only"));
}

Meeting NorthMeeting(const char* id, const char* date) {
  const Date d = *Date::Parse("d", date);
  return {id, "North", d, d.AddDays(-7), 10, 0};
}

TEST_F(StoreTest, MigrationToVersionFiveListsWhatEachSavedAgendaListed) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 4});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(PutVictimAndPerpetrator(*old).ok());
    const std::vector<StoredReferral> referrals = {Referral("R1", "s-1"),
                                                   Referral("R2", "s-2")};
    ASSERT_TRUE(old->SubmitReferrals(kCoordinator, referrals).ok());
    // Saved before agendas' listings were rows: only the document says.
    ASSERT_TRUE(
        old->SaveMeetingAgenda(kCoordinator, NorthMeeting("M1", "2026-03-12"),
                               {"M1", "M1", "v",
                                R"({"cases":[{"referral_id":"R2"},)"
                                R"({"referral_id":"R1"}],"deferred":[]})"})
            .ok());
    ASSERT_TRUE(old->SaveMeetingAgenda(kCoordinator,
                                       NorthMeeting("M2", "2026-04-09"),
                                       {"M2", "M2", "v", R"({"cases":[]})"})
                    .ok());
    // Nothing the back-fill can read: no rows, and the file still opens.
    ASSERT_TRUE(old->SaveMeetingAgenda(kCoordinator,
                                       NorthMeeting("M3", "2026-05-07"),
                                       {"M3", "M3", "v", "not json"})
                    .ok());
    EXPECT_EQ(old->AgendaListings(kCoordinator).status().code(),
              StatusCode::kFailedPrecondition);
    StoredAgenda listed{"M4", "M4", "v", R"({"cases":[]})", {"R1"}};
    EXPECT_EQ(old->SaveMeetingAgenda(kCoordinator,
                                     NorthMeeting("M4", "2026-06-04"), listed)
                  .code(),
              StatusCode::kFailedPrecondition)
        << "listings cannot be kept before version 5";
  }
  std::unique_ptr<Store> store = Open({.schema_version = 5});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), 5);
  const Result<std::vector<AgendaListing>> listings =
      store->AgendaListings(kCoordinator);
  ASSERT_TRUE(listings.ok()) << listings.status();
  ASSERT_EQ(listings->size(), 3u) << "M4 was never saved";
  EXPECT_EQ((*listings)[0].agenda_id, "M1");
  EXPECT_EQ((*listings)[0].referral_ids, (std::vector<std::string>{"R2", "R1"}))
      << "back-filled in rank order";
  EXPECT_TRUE((*listings)[1].referral_ids.empty());
  EXPECT_TRUE((*listings)[2].referral_ids.empty());
  const Result<StoredAgenda> m1 = store->GetAgenda(kCoordinator, "M1");
  ASSERT_TRUE(m1.ok()) << m1.status();
  EXPECT_EQ(m1->listed_referral_ids, (std::vector<std::string>{"R2", "R1"}));
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, MigrationToVersionEightKeepsAssessmentsAndIncidents) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  const StoredIncident incident{
      "I1", *Date::Parse("d", "2026-02-27"), "north", "V1", {"X1"}, "police"};
  {
    std::unique_ptr<Store> old = Open({.schema_version = 7});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    const std::vector<StoredAssessment> before = {Assessment("A1", "2026.1")};
    ASSERT_TRUE(old->PutAssessments(kCoordinator, before).ok());
    const std::vector<StoredIncident> plain = {incident};
    ASSERT_TRUE(old->PutIncidents(kCoordinator, plain).ok());
    // What version 7 cannot hold is refused, never dropped.
    StoredAssessment supplement = Assessment("S1", "2026.1");
    supplement.instrument = "s-dash";
    supplement.parent_assessment_id = "A1";
    const std::vector<StoredAssessment> newer = {supplement};
    const Status refused = old->PutAssessments(kCoordinator, newer);
    EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.message(), HasSubstr("schema version 8"));
    StoredIncident crime = incident;
    crime.incident_id = "I2";
    crime.crime = true;
    const std::vector<StoredIncident> crimes = {crime};
    EXPECT_EQ(old->PutIncidents(kCoordinator, crimes).code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open({.schema_version = 8});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), 8);
  Result<std::vector<StoredAssessment>> kept = store->Assessments(kCoordinator);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].parent_assessment_id, "");
  EXPECT_TRUE((*kept)[0].safeguarding.empty());
  EXPECT_EQ((*kept)[0].officer_rationale, "");
  const Result<std::vector<StoredIncident>> incidents =
      store->Incidents(kCoordinator);
  ASSERT_TRUE(incidents.ok());
  ASSERT_EQ(incidents->size(), 1u);
  EXPECT_EQ((*incidents)[0].crime, std::nullopt) << "not recorded before v8";

  // Version 8 keeps a supplement's parent, the prompts and a DARA rationale.
  StoredAssessment stalking = Assessment("S1", "2026.1");
  stalking.instrument = "s-dash";
  stalking.parent_assessment_id = "A1";
  stalking.safeguarding = {"stalking_service", "suicide_risk"};
  StoredAssessment dara = Assessment("D1", "2022.1");
  dara.instrument = "dara";
  dara.score = 0;
  dara.officer_rationale = "Threats to kill after separation";
  const std::vector<StoredAssessment> newer = {stalking, dara};
  ASSERT_TRUE(store->PutAssessments(kCoordinator, newer).ok());
  kept = store->Assessments(kCoordinator);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 3u);
  for (const StoredAssessment& a : *kept) {
    if (a.assessment_id == "S1") {
      EXPECT_EQ(a.parent_assessment_id, "A1");
      EXPECT_EQ(a.safeguarding,
                (std::vector<std::string>{"stalking_service", "suicide_risk"}));
    }
    if (a.assessment_id == "D1") {
      EXPECT_EQ(a.officer_rationale, "Threats to kill after separation");
    }
  }
  StoredIncident non_crime = incident;
  non_crime.incident_id = "I3";
  non_crime.crime = false;
  StoredIncident crime = incident;
  crime.incident_id = "I4";
  crime.crime = true;
  const std::vector<StoredIncident> both = {non_crime, crime};
  ASSERT_TRUE(store->PutIncidents(kCoordinator, both).ok());
  const Result<std::vector<StoredIncident>> all =
      store->Incidents(kCoordinator);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  for (const StoredIncident& x : *all) {
    if (x.incident_id == "I3") {
      EXPECT_EQ(x.crime, false);
    } else if (x.incident_id == "I4") {
      EXPECT_EQ(x.crime, true);
    }
  }
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, ASupplementsParentMustBeStoredAndPromptsMustBeIds) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim)};
  ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  StoredAssessment orphan = Assessment("S1", "2026.1");
  orphan.instrument = "s-dash";
  orphan.parent_assessment_id = "A-missing";
  std::vector<StoredAssessment> batch = {orphan};
  Status s = store->PutAssessments(kCoordinator, batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("assessments[0].parent_assessment_id"));
  EXPECT_TRUE(store->Assessments(kCoordinator)->empty()) << "nothing written";
  // The parent in the same batch, after its supplement, is found.
  batch = {orphan, Assessment("A-missing", "2026.1")};
  EXPECT_TRUE(store->PutAssessments(kCoordinator, batch).ok());
  StoredAssessment bad = Assessment("A2", "2026.1");
  bad.safeguarding = {"Suicide Risk"};
  batch = {bad};
  s = store->PutAssessments(kCoordinator, batch);
  EXPECT_THAT(s.message(), HasSubstr("assessments[0].safeguarding[0]"));
  StoredAssessment self = Assessment("S9", "2026.1");
  self.parent_assessment_id = "S9";
  batch = {self};
  s = store->PutAssessments(kCoordinator, batch);
  EXPECT_THAT(s.message(), HasSubstr("names the assessment itself"));
}

TEST_F(StoreTest, OneStopShopVisitsNeedVersionNineAndReplaceByTheirId) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim)};
  OneStopShopVisit visit{"W1", *Date::Parse("d", "2026-01-20"), "north-hub"};
  visit.visitor_record_id = "V1";
  visit.children = 2;
  visit.lives_in_borough = true;
  visit.gender = VisitorGender::kFemale;
  OneStopShopVisit anonymous{"W2", *Date::Parse("d", "2026-01-21"),
                             "north-hub"};
  const OneStopShopSession session{"S1",
                                   *Date::Parse("d", "2026-01-20"),
                                   "north-hub",
                                   {"police", "housing"},
                                   {"police"}};
  {
    std::unique_ptr<Store> old = Open({.schema_version = 8});
    ASSERT_NE(old, nullptr);
    const std::vector<OneStopShopVisit> one = {visit};
    EXPECT_EQ(old->PutVisits(kCoordinator, one).code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(old->Sessions(kCoordinator).status().code(),
              StatusCode::kFailedPrecondition);
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<OneStopShopVisit> visits = {visit, anonymous};
  ASSERT_TRUE(store->PutVisits(kCoordinator, visits).ok());
  const std::vector<OneStopShopSession> sessions = {session};
  ASSERT_TRUE(store->PutSessions(kCoordinator, sessions).ok());
  // A corrected export replaces the visit; nothing is added.
  visit.feedback = VisitFeedback::kHelpful;
  visits = {visit};
  ASSERT_TRUE(store->PutVisits(kCoordinator, visits).ok());
  const Result<std::vector<OneStopShopVisit>> back =
      store->Visits(kCoordinator);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0], visit);
  EXPECT_EQ((*back)[1], anonymous);
  EXPECT_EQ((*back)[1].children, std::nullopt) << "not recorded stays so";
  const Result<std::vector<OneStopShopSession>> held =
      store->Sessions(kCoordinator);
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0], session);
  // Refused, naming the field, writing nothing.
  OneStopShopVisit stranger = anonymous;
  stranger.visit_id = "W3";
  stranger.visitor_record_id = "V404";
  visits = {stranger};
  Status s = store->PutVisits(kCoordinator, visits);
  EXPECT_THAT(s.message(), HasSubstr("visits[0].visitor_record_id"));
  OneStopShopVisit twice = anonymous;
  visits = {twice, twice};
  s = store->PutVisits(kCoordinator, visits);
  EXPECT_THAT(s.message(), HasSubstr("visits[1].visit_id"));
  EXPECT_EQ(store->Visits(kCoordinator)->size(), 2u);
  ExpectAuditIntact(*store);
}

// Servers started together on a new store: one creates the tables, the
// others wait for its lock and find them made; none fails.
TEST_F(StoreTest, StoresOpenedAtOnceMigrateOnce) {
  const std::string location = Location();
  constexpr int kOpeners = 4;
  std::vector<Status> opened(kOpeners);
  std::vector<std::unique_ptr<Store>> stores(kOpeners);
  std::vector<std::thread> threads;
  for (int k = 0; k < kOpeners; ++k) {
    threads.emplace_back([&, k] {
      Result<std::unique_ptr<Store>> s = OpenStore(location);
      opened[static_cast<std::size_t>(k)] = s.status();
      if (s.ok()) stores[static_cast<std::size_t>(k)] = *std::move(s);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int k = 0; k < kOpeners; ++k) {
    const auto i = static_cast<std::size_t>(k);
    ASSERT_TRUE(opened[i].ok()) << k << ": " << opened[i];
    EXPECT_EQ(stores[i]->SchemaVersion(), LatestSchemaVersion());
  }
  ASSERT_TRUE(PutVictimAndPerpetrator(*stores[0]).ok());
  EXPECT_EQ(stores[kOpeners - 1]->Records(kCoordinator)->size(), 2u)
      << "one store, seen from each";
  ExpectAuditIntact(*stores[1]);
}

}  // namespace
}  // namespace marac::store_test
