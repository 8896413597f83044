// The case file: the value types of a MARAC case as agencies record it and
// as the store keeps it (incidents, assessments as scored, referrals,
// meetings, IDVA support, which referrals each saved agenda listed), the
// meeting id, and CaseFile, everything the agenda and the returns are
// computed from. Plain values with no storage or wire in them: the store
// reads and writes them, the agenda and the report read them.
//
//   CaseFile file;  // Filled by LoadCaseFile (services/casework) or a test.
//   file.meetings.push_back({MeetingId(date, "north"), "north", date,
//                            cutoff, 12, 0});
#ifndef MARAC_CASEFILE_CASE_FILE_H_
#define MARAC_CASEFILE_CASE_FILE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marac/casefile/grade.h"
#include "marac/casefile/meeting_record.h"
#include "marac/casefile/referral_details.h"
#include "marac/common/date.h"
#include "marac/common/result.h"
#include "marac/identity/person_record.h"

namespace marac {

struct StoredIncident {
  std::string incident_id;
  Date occurred_on;
  std::string area;
  std::string victim_record_id;
  std::vector<std::string> perpetrator_record_ids;
  std::string reported_by;  // The agency that heard of it.
  // Whether the police recorded it as a crime (true) or a non-crime
  // incident (false); absent: not recorded (schema version 8).
  std::optional<bool> crime = {};
};

struct StoredAssessment {
  std::string assessment_id;
  std::string victim_record_id;
  std::string incident_id;  // May be empty.
  std::string instrument;   // e.g. "safelives-ric"
  // The instrument definition's version (Instrument::version()), so a
  // result can be read against the questions it was scored on. Empty only
  // for assessments stored before schema version 3.
  std::string instrument_version;
  std::string policy_version;
  Date completed_on;
  int score = 0;
  Grade grade = Grade::kNotGraded;
  bool marac_referral = false;
  std::vector<std::string> criteria;              // Criterion ids met.
  std::vector<std::string> high_harm_indicators;  // e.g. "strangulation"
  std::string result_json;  // The full explained result, as scored.
  // Schema version 8; empty for an assessment stored before. For a
  // supplement (S-DASH, H-DASH): the assessment it followed.
  std::string parent_assessment_id;
  // The safeguarding prompts it raised (ids, e.g. "safeguarding_children").
  std::vector<std::string> safeguarding;
  // For a judgement-graded instrument (DARA): the officer's rationale for
  // the grade (required there; score is then 0 and means nothing).
  std::string officer_rationale;
};

// Where a referral came from, for the statistics returns.
enum class ReferralSource {
  kPolice,
  kIdva,
  kHealth,
  kHousing,
  kChildrensServices,
  kOneStopShop,
  kOther,
};
std::string_view ReferralSourceName(ReferralSource source);
Result<ReferralSource> ParseReferralSource(std::string_view name);

struct StoredReferral {
  std::string referral_id;
  // The submitter's idempotency key: a second submission with the same key
  // is the same referral (the store reports it and writes nothing).
  std::string submission_id;
  std::string area;
  std::string agency;
  ReferralSource source = ReferralSource::kOther;
  Date referred_on;
  std::string victim_record_id;
  std::vector<std::string> perpetrator_record_ids;
  std::string incident_id;    // May be empty.
  std::string assessment_id;  // May be empty.
  std::vector<std::string> criteria;
  int children_in_household = 0;
  // Referrer, consent, relationship, children, language, safe contact,
  // exclusions and equality monitoring (schema version 7); empty for a
  // referral stored before.
  ReferralDetails details = {};
};

// How a victim has engaged with the IDVA allocated to the case.
enum class IdvaEngagement {
  kNotKnown,        // Allocated; contact not yet made or not recorded.
  kEngaged,         // Accepted support.
  kDeclined,        // Contacted and declined support.
  kNotContactable,  // Safe contact could not be made.
};
std::string_view IdvaEngagementName(IdvaEngagement engagement);
// "not_known" | "engaged" | "declined" | "not_contactable"; kInvalidArgument
// naming `field` otherwise.
Result<IdvaEngagement> ParseIdvaEngagement(std::string_view field,
                                           std::string_view name);

// An IDVA allocated to a MARAC case (one per referral; a later one for the
// same referral replaces it, as engagement changes).
struct IdvaSupport {
  std::string referral_id;
  std::string idva_service;  // The IDVA service (agency) allocated.
  Date allocated_on;
  IdvaEngagement engagement = IdvaEngagement::kNotKnown;
  std::optional<Date> closed_on;  // When support ended; absent: open.
};

// A meeting's id: "M-<date>", or "M-<date>-<area>" for an area's meeting.
// A meeting's saved agenda has the same id.
std::string MeetingId(Date date, std::string_view area);
// The area named by an id MeetingId made; empty for any other id and for
// a meeting of every area.
std::string_view MeetingIdArea(std::string_view meeting_id);

struct Meeting {
  std::string meeting_id;
  std::string area;
  Date date;
  Date referral_cutoff;  // Referrals on or before it are eligible.
  int capacity_cases = 0;
  int capacity_minutes = 0;  // 0: capacity in cases only.
};

// A saved agenda: the document as generated and, as facts, the referrals
// it listed to be heard.
struct StoredAgenda {
  std::string agenda_id;  // The meeting's id.
  std::string meeting_id;
  std::string policy_version;
  std::string json;  // The agenda as generated (the coordinator's view).
  // The referrals listed to be heard, in rank order (not the deferred or
  // the not eligible).
  std::vector<std::string> listed_referral_ids = {};
};

// Which referrals a saved agenda listed: what "heard at a meeting" means.
struct AgendaListing {
  std::string agenda_id;
  std::string meeting_id;
  std::vector<std::string> referral_ids;  // In rank order.
};

// Everything about the cases of a store an actor may read, as of now.
struct CaseFile {
  std::vector<PersonRecord> records;
  std::vector<std::pair<std::string, std::string>> people;  // record, person
  std::vector<StoredIncident> incidents;
  std::vector<StoredAssessment> assessments;
  std::vector<StoredReferral> referrals;
  std::vector<Meeting> meetings;
  std::vector<AgendaListing> listings;  // One per saved agenda.
  std::vector<IdvaSupport> idva;        // IDVA allocations, by referral.
  // What each recorded meeting did with its cases, and the actions agreed
  // as they stand now.
  std::vector<MeetingRecord> meeting_records;
};

// Keeps only what belongs to `area`: its referrals and incidents, its
// meetings with their listings and records, and the IDVA allocations of
// its referrals.
// People and records stay (a person is not of one area).
void KeepArea(std::string_view area, CaseFile& file);

}  // namespace marac

#endif  // MARAC_CASEFILE_CASE_FILE_H_
