// The service at force scale: every list-shaped answer stays within the
// message limit however much the store holds, a write whose answer is lost
// after its commit is answered again by its retry and never written twice,
// and what each read returned is on the audit log. Every person here is
// invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::Each;

// A message limit small enough to pass with a few hundred items, and a
// list limit that no longer bounds a page: only the byte budget does.
ServerLimits ScaleLimits() {
  ServerLimits limits = TestLimits();
  limits.max_message_bytes = 64 * 1024;
  limits.max_list_items = 1000;
  limits.max_string_bytes = 8192;
  return limits;
}

Actor Seeder(std::string purpose = "seed the store") {
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  actor.purpose = std::move(purpose);
  return actor;
}

// A referral of `victim` in "north" by police-north on `on`, for visible
// high risk.
StoredReferral NorthReferral(const std::string& id, Date on,
                             const std::string& victim) {
  StoredReferral r;
  r.referral_id = id;
  r.submission_id = "seed-" + id;
  r.area = "north";
  r.agency = "police-north";
  r.source = ReferralSource::kPolice;
  r.referred_on = on;
  r.victim_record_id = victim;
  r.criteria = {"visible_high_risk"};
  return r;
}

// Writes `r` to the store at `path` beside the running server, as another
// server or an import would.
void AddBeside(const std::string& path, const StoredReferral& r) {
  Result<std::unique_ptr<Store>> other = OpenSqliteStore(path);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->SubmitReferrals(Seeder(), {&r, 1}).ok());
}

// `n` victims V0..V(n-1), each referred once in "north" by police-north in
// February 2026, with five long perpetrator ids so that a referral is a few
// hundred bytes on the wire.
std::function<void(Store&)> SeedReferrals(int n) {
  return [n](Store& store) {
    SeedCase(store);
    std::vector<PersonRecord> records;
    std::vector<std::string> perpetrators;
    for (int k = 0; k < 5; ++k) {
      perpetrators.push_back("P-" +
                             std::string(100, static_cast<char>('a' + k)));
      records.push_back(InventedRecord(perpetrators.back(), "Dafydd", "Madeup",
                                       "1980-01-01", Role::kPerpetrator));
    }
    for (int i = 0; i < n; ++i) {
      records.push_back(InventedRecord("V" + std::to_string(i), "Efa",
                                       "Imaginary" + std::to_string(i),
                                       "1991-05-06", Role::kVictim));
    }
    ASSERT_TRUE(store.PutRecords(Seeder(), records).ok());
    std::vector<StoredReferral> referrals;
    for (int i = 0; i < n; ++i) {
      StoredReferral r =
          NorthReferral("R-" + std::to_string(100000 + i),
                        Date{2026, 2, 1 + i % 27}, "V" + std::to_string(i));
      r.perpetrator_record_ids = perpetrators;
      referrals.push_back(std::move(r));
    }
    ASSERT_TRUE(store.SubmitReferrals(Seeder(), referrals).ok());
  };
}

// Every referral id, read back a page at a time; each page within the
// limit. Fails the test on an error.
std::vector<std::string> ListAllReferrals(
    const std::shared_ptr<grpc::Channel>& channel, int* pages) {
  auto stub = v1::ReferralService::NewStub(channel);
  std::vector<std::string> ids;
  std::string token;
  *pages = 0;
  do {
    grpc::ClientContext context;
    AsCaller(context);
    v1::ListReferralsRequest request;
    request.set_purpose("casework review");
    request.set_page_token(token);
    v1::ListReferralsResponse response;
    const grpc::Status status =
        stub->ListReferrals(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    EXPECT_LE(response.ByteSizeLong(), 64u * 1024);
    EXPECT_GT(response.referrals_size(), 0);
    for (const v1::Referral& r : response.referrals()) {
      ids.push_back(r.referral_id());
    }
    token = response.next_page_token();
    ++*pages;
  } while (!token.empty() && *pages < 1000);
  return ids;
}

TEST(BoundedTest, ListReferralsPagesByBytesPastTheMessageLimit) {
  // 400 referrals of about 600 bytes: about 240 KB, four times the limit.
  TestServer t(SeedReferrals(400), ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  int pages = 0;
  const std::vector<std::string> ids = ListAllReferrals(t.channel(), &pages);
  EXPECT_EQ(ids.size(), 400u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 400u);
  EXPECT_GE(pages, 4);  // The count limit (1000) never cut a page.
}

TEST(BoundedTest, ListMeetingsPagesByBytesPastTheMessageLimit) {
  // 1,000 meetings of about 55 bytes on the wire, under a 32 KiB limit: a
  // page of the list limit (1,000) would be 55 KB.
  ServerLimits limits = ScaleLimits();
  limits.max_message_bytes = 32 * 1024;
  TestServer t(
      [](Store& store) {
        for (int i = 0; i < 1000; ++i) {
          const Date date = Date{2023, 1, 2}.AddDays(i);
          const Meeting m{"M-" + date.ToString() + "-north",
                          "north",
                          date,
                          date.AddDays(-7),
                          20,
                          0};
          ASSERT_TRUE(store.PutMeeting(Seeder(), m).ok());
        }
      },
      limits);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AgendaService::NewStub(t.channel());
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");
    v1::ListMeetingsRequest request;
    request.set_area("north");
    request.set_purpose("meeting history");
    request.set_page_token(token);
    v1::ListMeetingsResponse response;
    const grpc::Status status =
        stub->ListMeetings(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(response.ByteSizeLong(), 32u * 1024);
    for (const v1::Meeting& m : response.meetings()) {
      EXPECT_TRUE(seen.insert(m.meeting_id()).second) << m.meeting_id();
    }
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 100);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_GE(pages, 2);
}

// The auditor's view of the log: every entry from the first, a page at a
// time, each page within the limit.
std::vector<v1::AuditEntry> ListAllAudit(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& object_id = "") {
  auto stub = v1::AuditService::NewStub(channel);
  std::vector<v1::AuditEntry> entries;
  std::int64_t after = 0;
  for (int page = 0; page < 10000; ++page) {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "auditor");
    v1::ListAuditEntriesRequest request;
    request.set_purpose("audit of disclosures");
    request.set_after_sequence(after);
    request.set_object_id(object_id);
    v1::ListAuditEntriesResponse response;
    const grpc::Status status =
        stub->ListAuditEntries(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    EXPECT_LE(response.ByteSizeLong(), 64u * 1024);
    for (const v1::AuditEntry& e : response.entries()) entries.push_back(e);
    after = response.next_after_sequence();
    if (after == 0) break;
  }
  return entries;
}

TEST(BoundedTest, AuditPagesStayWithinTheLimitWithLongPurposes) {
  // 120 reads each stating a 4,000-byte purpose: about 480 KB of log.
  TestServer t(
      [](Store& store) {
        SeedCase(store);
        for (int i = 0; i < 120; ++i) {
          ASSERT_TRUE(
              store.Records(Seeder(std::string(4000, 'p') + std::to_string(i)))
                  .ok());
        }
      },
      ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  const std::vector<v1::AuditEntry> entries = ListAllAudit(t.channel());
  ASSERT_GE(entries.size(), 120u);
  // Gapless, in order: nothing skipped between pages.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].sequence(), static_cast<std::int64_t>(i + 1));
  }
}

TEST(BoundedTest, ABulkImportIsAuditedAsBoundedEntriesKeepingEveryId) {
  constexpr int kRecords = 3000;
  TestServer t(
      [](Store& store) {
        std::vector<PersonRecord> records;
        for (int i = 0; i < kRecords; ++i) {
          records.push_back(InventedRecord("IMPORTED-" + std::to_string(i),
                                           "Ffion", "Madeup", "1970-01-01",
                                           Role::kVictim));
        }
        ASSERT_TRUE(store.PutRecords(Seeder(), records).ok());
      },
      ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  const std::vector<v1::AuditEntry> entries = ListAllAudit(t.channel());
  std::set<std::string> named;
  for (const v1::AuditEntry& e : entries) {
    if (e.object_type() != "record" || e.action() != "collect") continue;
    EXPECT_LE(e.object_ids_size(), static_cast<int>(kMaxAuditIdsPerEntry));
    named.insert(e.object_ids().begin(), e.object_ids().end());
  }
  EXPECT_EQ(named.size(), static_cast<std::size_t>(kRecords));
  EXPECT_TRUE(named.contains("IMPORTED-0"));
  EXPECT_TRUE(named.contains("IMPORTED-" + std::to_string(kRecords - 1)));
}

// As a chair's tool asks for it: rendered for the page.
v1::GenerateAgendaRequest Generate(bool save, int capacity = 5) {
  v1::GenerateAgendaRequest r = AgendaRequest(save, capacity);
  r.set_format(v1::OUTPUT_FORMAT_HTML);
  return r;
}

TEST(BoundedTest, AnAgendaCountsItsBacklogAndListsItAPageAtATime) {
  TestServer t(SeedReferrals(400), ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  v1::GenerateAgendaResponse generated;
  const grpc::Status status =
      CallGenerate(t.channel(), Generate(true), &generated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::Agenda& agenda = generated.agenda();
  EXPECT_EQ(agenda.listed_size(), 5);
  EXPECT_EQ(agenda.deferred_size(), 0);
  EXPECT_EQ(agenda.not_eligible_size(), 0);
  EXPECT_EQ(agenda.deferred_count() + agenda.not_eligible_count(), 395);
  EXPECT_GT(agenda.deferred_count(), 300);
  EXPECT_EQ(agenda.interim_safety_plans(), agenda.deferred_count());
  EXPECT_THAT(generated.circulated_json(),
              ::testing::HasSubstr("\"deferred\": " +
                                   std::to_string(agenda.deferred_count())));

  // The deferred list, read back whole, a page at a time, in rank order
  // after the listed cases.
  auto stub = v1::AgendaService::NewStub(t.channel());
  std::vector<std::string> deferred;
  std::vector<int> ranks;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::ListAgendaCasesRequest request;
    request.set_area("north");
    SetDate(request.mutable_meeting_date(), 2026, 3, 20);
    request.set_capacity_cases(5);
    request.set_purpose("interim safety planning");
    request.set_which(v1::AGENDA_CASE_LIST_DEFERRED);
    request.set_page_token(token);
    v1::ListAgendaCasesResponse response;
    const grpc::Status listed =
        stub->ListAgendaCases(&context, request, &response);
    ASSERT_TRUE(listed.ok()) << listed.error_message();
    EXPECT_LE(response.ByteSizeLong(), 64u * 1024);
    for (const v1::DeferredCase& d : response.deferred()) {
      deferred.push_back(d.agenda_case().referral_id());
      ranks.push_back(d.agenda_case().rank());
      EXPECT_TRUE(d.interim_safety_plan());
    }
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 100);
  EXPECT_EQ(static_cast<int>(deferred.size()), agenda.deferred_count());
  EXPECT_EQ(std::set<std::string>(deferred.begin(), deferred.end()).size(),
            deferred.size());
  EXPECT_GT(pages, 1);
  ASSERT_FALSE(ranks.empty());
  EXPECT_EQ(ranks.front(), 6);
  EXPECT_TRUE(std::is_sorted(ranks.begin(), ranks.end()));
}

TEST(BoundedTest, AListThatChangesBetweenPagesIsRefusedNotSkipped) {
  TestServer t(SeedReferrals(40), ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AgendaService::NewStub(t.channel());
  v1::ListAgendaCasesRequest request;
  request.set_area("north");
  SetDate(request.mutable_meeting_date(), 2026, 3, 20);
  request.set_capacity_cases(5);
  request.set_purpose("interim safety planning");
  request.set_which(v1::AGENDA_CASE_LIST_DEFERRED);
  request.set_page_size(10);
  v1::ListAgendaCasesResponse first;
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");  // Chairs may list them too.
    ASSERT_TRUE(stub->ListAgendaCases(&context, request, &first).ok());
  }
  ASSERT_EQ(first.deferred_size(), 10);
  ASSERT_FALSE(first.next_page_token().empty());
  // A new eligible referral ranks into the list.
  AddBeside(t.store_path(), NorthReferral("R-NEW", Date{2026, 2, 1}, "V0"));
  request.set_page_token(first.next_page_token());
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "chair");
  v1::ListAgendaCasesResponse second;
  const grpc::Status status = stub->ListAgendaCases(&context, request, &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("start again"));
  // A token for the other list is refused alike.
  request.set_which(v1::AGENDA_CASE_LIST_NOT_ELIGIBLE);
  grpc::ClientContext again;
  AsCaller(again, "marac-north", "coordinator");
  EXPECT_EQ(stub->ListAgendaCases(&again, request, &second).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(BoundedTest, AnAgendaTooLargeToSendIsRefusedBeforeItIsSaved) {
  // 400 cases listed whole, rendered in HTML too: far past 64 KiB.
  TestServer t(SeedReferrals(400), ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  v1::GenerateAgendaResponse generated;
  const grpc::Status status =
      CallGenerate(t.channel(), Generate(true, 400), &generated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              ::testing::HasSubstr("nothing was saved"));
  // Nothing saved: the meeting has no agenda, and a smaller one saves.
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(t.store_path());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)
                ->GetAgenda(Seeder("check"), "M-2026-03-20-north")
                .status()
                .code(),
            StatusCode::kNotFound);
  v1::GenerateAgendaResponse smaller;
  EXPECT_TRUE(CallGenerate(t.channel(), Generate(true, 5), &smaller).ok());
}

// Loses the answer of the first committed write of `method`, once.
std::function<bool(std::string_view)> LoseFirst(std::string method) {
  auto lost = std::make_shared<bool>(false);
  return [method = std::move(method), lost](std::string_view m) {
    if (m != method || *lost) return false;
    *lost = true;
    return true;
  };
}

TEST(BoundedTest, ASavedAgendaWhoseAnswerWasLostIsAnsweredByItsRetry) {
  TestServer t(SeedReferrals(12), ScaleLimits(), DefaultPrincipals(), {},
               LoseFirst("AgendaService.GenerateAgenda"));
  ASSERT_TRUE(t.ok()) << t.start_error();
  v1::GenerateAgendaResponse lost;
  const grpc::Status first = CallGenerate(t.channel(), Generate(true), &lost);
  ASSERT_EQ(first.error_code(), grpc::StatusCode::UNAVAILABLE);
  // Meanwhile a referral arrives for a later meeting: the agenda's counts
  // move, its cases do not, and the retry is still the same save.
  // Referred after the cut-off.
  AddBeside(t.store_path(), NorthReferral("R-LATE", Date{2026, 3, 18}, "V0"));
  // It was committed all the same; the retry answers it.
  v1::GenerateAgendaResponse retried;
  const grpc::Status second =
      CallGenerate(t.channel(), Generate(true), &retried);
  ASSERT_TRUE(second.ok()) << second.error_message();
  EXPECT_EQ(retried.agenda_id(), "M-2026-03-20-north");
  EXPECT_EQ(retried.agenda().listed_size(), 5);
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(t.store_path());
  ASSERT_TRUE(store.ok());
  const Result<StoredAgenda> saved =
      (*store)->GetAgenda(Seeder("check"), "M-2026-03-20-north");
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->json, retried.circulated_json());
  // Written once: one meeting, one agenda, one save on the log.
  EXPECT_EQ((*store)->Meetings(Seeder("check"), "north")->size(), 1u);
  EXPECT_EQ((*store)->Agendas(Seeder("check"))->size(), 1u);
  EXPECT_THAT(retried.circulated_json(),
              ::testing::HasSubstr("\"not_eligible\": 0"));  // As saved.
  int saves = 0;
  const Result<std::vector<AuditEntry>> log =
      (*store)->Audit(Seeder("check"), 0, 100000);
  ASSERT_TRUE(log.ok());
  for (const AuditEntry& e : *log) {
    saves +=
        e.object_type == "agenda" && e.action == "alter" && e.outcome == "ok";
  }
  EXPECT_EQ(saves, 1);
}

TEST(BoundedTest, ASubmissionWhoseAnswerWasLostIsAnsweredByItsRetry) {
  TestServer t(SeedCase, ScaleLimits(), DefaultPrincipals(), {},
               LoseFirst("ReferralService.SubmitReferral"));
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralRequest request;
  request.set_request_id("lost-answer-1");
  v1::Referral* r = request.mutable_referral();
  r->set_area("north");
  r->set_source(v1::REFERRAL_SOURCE_POLICE);
  SetDate(r->mutable_referred_on(), 2026, 2, 3);
  r->set_victim_record_id("V1");
  r->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  grpc::StatusCode codes[2];
  v1::SubmitReferralResponse responses[2];
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    AsCaller(context);
    codes[i] =
        stub->SubmitReferral(&context, request, &responses[i]).error_code();
  }
  EXPECT_EQ(codes[0], grpc::StatusCode::UNAVAILABLE);
  ASSERT_EQ(codes[1], grpc::StatusCode::OK);
  EXPECT_TRUE(responses[1].replayed());
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(t.store_path());
  ASSERT_TRUE(store.ok());
  const auto referrals = (*store)->Referrals(Seeder("check"), "", {});
  ASSERT_TRUE(referrals.ok());
  ASSERT_EQ(referrals->size(), 1u);
  EXPECT_EQ((*referrals)[0].referral_id, responses[1].referral().referral_id());
}

TEST(BoundedTest, ListReadsAuditTheIdsTheyDisclosedAndTheAuditorFindsThem) {
  TestServer t(SeedReferrals(12), ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  int pages = 0;
  const std::vector<std::string> ids = ListAllReferrals(t.channel(), &pages);
  ASSERT_EQ(ids.size(), 12u);
  // A coordinator's agenda discloses its listed cases too.
  v1::GenerateAgendaResponse generated;
  ASSERT_TRUE(CallGenerate(t.channel(), Generate(false), &generated).ok());
  const std::string& heard = generated.agenda().listed(0).referral_id();

  // Who has seen `heard`: the referrer that listed it, the coordinator
  // whose agenda showed it; and nobody has seen a referral not listed.
  const std::vector<v1::AuditEntry> mentions = ListAllAudit(t.channel(), heard);
  std::set<std::string> saw;
  for (const v1::AuditEntry& e : mentions) {
    EXPECT_THAT(e.object_ids(), Contains(heard));
    if (e.action() == "disclose" && e.outcome() == "ok") saw.insert(e.user());
  }
  EXPECT_EQ(saw, (std::set<std::string>{"u-referrer-police-north",
                                        "u-coordinator-marac-north"}));
  // Every listed id was disclosed, on the referrer's page entries.
  std::set<std::string> disclosed;
  for (const v1::AuditEntry& e : ListAllAudit(t.channel())) {
    if (e.action() == "disclose" && e.user() == "u-referrer-police-north") {
      disclosed.insert(e.object_ids().begin(), e.object_ids().end());
    }
  }
  EXPECT_EQ(disclosed, std::set<std::string>(ids.begin(), ids.end()));
}

TEST(BoundedTest, APurposeLongerThanTheStoreTakesIsRefusedNamingIt) {
  TestServer t(SeedCase, ScaleLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  grpc::ClientContext context;
  AsCaller(context);
  v1::ListReferralsRequest request;
  request.set_purpose(std::string(kMaxPurposeBytes + 1, 'p'));
  v1::ListReferralsResponse response;
  const grpc::Status status = stub->ListReferrals(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), Contains("purpose"));
  EXPECT_THAT(ViolatedFields(status), Each(std::string("purpose")));
}

}  // namespace
}  // namespace marac
