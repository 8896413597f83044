// The SQLite store: the referral record's details (schema version 7) and
// the log of research lists sent. People here are invented.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

Date D(const char* text) { return *Date::Parse("d", text); }

ReferralDetails Details() {
  ReferralDetails d;
  d.referrer = {"Wren Alderton", "IDVA", "wren.alderton@idva.example"};
  d.judgement_narrative = "Frightened to go home.\nControls the money.";
  d.consent = VictimConsent::kAwareNotConsented;
  d.relationship = Relationship::kExPartner;
  d.children = {{"Ivo", "Marlowe", D("2019-03-02"), {"school", "health"}},
                {"Nell", "Ashby", std::nullopt, {}}};
  d.language = "Polish";
  d.interpreter_needed = true;
  d.safe_contact = "Mobile after 6pm; no voicemail.";
  d.excluded_agencies = {"Housing", "Probation"};
  d.equality = {"woman", "white_other", "no", "", "25-34"};
  return d;
}

TEST_F(StoreTest, AReferralsDetailsRoundTripAndAnOldStyleOneReadsEmpty) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  StoredReferral full = Referral("R1", "s-1");
  full.details = Details();
  StoredReferral plain = Referral("R2", "s-2");
  plain.referred_on = D("2026-03-03");
  const std::vector<StoredReferral> both = {full, plain};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, both).ok());

  const Result<StoredReferral> one = store->GetReferral(kCoordinator, "R1");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->details, full.details) << "every field, children in order";
  const Result<std::vector<StoredReferral>> all =
      store->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].details, full.details);
  EXPECT_EQ((*all)[1].details, ReferralDetails{});
  EXPECT_EQ(Count("referral_children"), 2);
  EXPECT_EQ(Count("referral_details"), 1) << "none stored for R2";
  // Only referrals the condition selects carry details: R2 alone.
  const Result<std::vector<StoredReferral>> until =
      store->Referrals(kCoordinator, "", D("2026-03-02"));
  ASSERT_TRUE(until.ok());
  ASSERT_EQ(until->size(), 1u);
  EXPECT_EQ((*until)[0].details.children.size(), 2u);
}

TEST_F(StoreTest, ABadDetailIsRefusedNamingItsFieldAndWritesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> good = {Referral("R0", "s-0")};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, good).ok());
  StoredReferral r = Referral("R1", "s-1");
  r.details = Details();
  r.details.excluded_agencies.push_back("Police");  // The referrer's own.
  const std::vector<StoredReferral> bad = {r};
  const Result<std::vector<SubmitOutcome>> refused =
      store->SubmitReferrals(kCoordinator, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("referrals[0].details.excluded_agencies[2]"));
  r.details = Details();
  r.children_in_household = 1;  // Two children listed.
  const std::vector<StoredReferral> miscount = {r};
  EXPECT_THAT(store->SubmitReferrals(kCoordinator, miscount).status().message(),
              HasSubstr("referrals[0].details.children"));
  EXPECT_EQ(Count("referrals"), 1) << "R0 kept, nothing added";
  EXPECT_EQ(Count("referral_details"), 0);
  // Through the writer's path too: one refused, its neighbour stored.
  StoredReferral fine = Referral("R3", "s-3");
  fine.details = Details();
  const Store::Submission each[] = {{kCoordinator, r}, {kCoordinator, fine}};
  const Result<std::vector<Result<SubmitOutcome>>> outcomes =
      store->SubmitEach(each);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  EXPECT_EQ((*outcomes)[0].status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE((*outcomes)[1].ok());
  EXPECT_EQ(store->GetReferral(kCoordinator, "R3")->details, fine.details);
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, MigrationToVersionSevenKeepsReferralsAndAddsTheirDetails) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 6});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(PutVictimAndPerpetrator(*old).ok());
    const std::vector<StoredReferral> plain = {Referral("R1", "s-1")};
    ASSERT_TRUE(old->SubmitReferrals(kCoordinator, plain).ok());
    StoredReferral r = Referral("R2", "s-2");
    r.details = Details();
    const std::vector<StoredReferral> detailed = {r};
    EXPECT_EQ(old->SubmitReferrals(kCoordinator, detailed).status().code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(old->Circulations(kCoordinator, "").status().code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open({.schema_version = 7});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), 7);
  const Result<StoredReferral> kept = store->GetReferral(kCoordinator, "R1");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->details, ReferralDetails{});
  StoredReferral r = Referral("R2", "s-2");
  r.details = Details();
  const std::vector<StoredReferral> detailed = {r};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, detailed).ok());
  EXPECT_EQ(store->GetReferral(kCoordinator, "R2")->details, r.details);
}

TEST_F(StoreTest, OnlyACoordinatorOrChairLogsAResearchListAndEachIsAudited) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  Circulation c;
  c.meeting_id = "M-2026-03-10-North";
  c.agency = "Health";
  c.referral_ids = {"R1", "R2"};
  c.withheld_referral_ids = {"R3"};
  c.format = "html";
  const Actor referrer{"u-3", "referrer", "Health", "research"};
  const Result<Circulation> denied = store->RecordCirculation(referrer, c);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("circulations"), 0);
  c.format = "pdf";
  EXPECT_EQ(store->RecordCirculation(kCoordinator, c).status().code(),
            StatusCode::kInvalidArgument);
  c.format = "html";
  const Result<Circulation> sent = store->RecordCirculation(kCoordinator, c);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->sent_by, "u-017");
  EXPECT_EQ(sent->role, "coordinator");
  EXPECT_FALSE(sent->sent_at.empty());
  const Actor chair{"u-9", "chair", "MARAC-North", "research"};
  c.agency = "";
  c.referral_ids = {"R1", "R2", "R3"};
  c.withheld_referral_ids = {};
  ASSERT_TRUE(store->RecordCirculation(chair, c).ok());
  c.meeting_id = "M-2026-04-07-North";
  ASSERT_TRUE(store->RecordCirculation(chair, c).ok());

  const Result<std::vector<Circulation>> log =
      store->Circulations(kCoordinator, "M-2026-03-10-North");
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].agency, "Health");
  EXPECT_EQ((*log)[0].withheld_referral_ids, std::vector<std::string>{"R3"});
  EXPECT_LT((*log)[0].sequence, (*log)[1].sequence);
  EXPECT_EQ((*log)[1].sent_by, "u-9");
  EXPECT_EQ(store->Circulations(kCoordinator, "")->size(), 3u);

  // Each production, and the refusal, is in the log as a disclosure of the
  // referrals on the list.
  const Result<std::vector<AuditEntry>> audit =
      store->AuditMentioning(kCoordinator, "R1", 0, 100);
  ASSERT_TRUE(audit.ok()) << audit.status();
  std::vector<std::string> outcomes;
  for (const AuditEntry& e : *audit) {
    if (e.object_type == "research_list") {
      EXPECT_EQ(e.action, "disclose");
      outcomes.push_back(e.outcome);
    }
  }
  EXPECT_EQ(outcomes,
            (std::vector<std::string>{"PERMISSION_DENIED", "ok", "ok", "ok"}));
  ExpectAuditIntact(*store);
}

}  // namespace
}  // namespace marac::store_test
