// The research list: what agencies check their own records for before a
// MARAC. Sent about a week before the meeting to each agency's named
// representative, it names, for each case to be heard, the victim, the
// perpetrator(s) and the children, with the other names and dates of birth
// identity resolution found for them, and never an address, a phone
// number, the safe-contact note or equality monitoring. An agency's own
// list leaves out the cases the victim asked to keep from it; the
// coordinator's full list shows every case and who must not receive it.
//
//   MARAC_ASSIGN_OR_RETURN(Agenda agenda, AgendaFromCaseFile(file, meeting));
//   MARAC_ASSIGN_OR_RETURN(ResearchList list,
//                          BuildResearchList(agenda, file, "Health"));
//   std::string html = ResearchListHtml(list, policy);
#ifndef MARAC_AGENDA_RESEARCH_LIST_H_
#define MARAC_AGENDA_RESEARCH_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/casefile/case_file.h"
#include "marac/common/result.h"

namespace marac {

struct ResearchPerson {
  std::string name;  // As the referral names them: "Given Family".
  // Other names on the records linked to the same person (a maiden name,
  // a nickname, a typo an agency may have filed them under), sorted.
  std::vector<std::string> other_names;
  // Every date of birth the linked records give, sorted (more than one:
  // the records disagree, and agencies should search for each).
  std::vector<std::string> dates_of_birth;
  std::string gender;                 // As recorded; may be empty.
  std::vector<std::string> known_to;  // A child's: agencies that know them.
};

struct ResearchCase {
  int position = 0;  // The order heard at the meeting.
  std::string referral_id;
  std::string case_reference;
  std::string referring_agency;
  Date referred_on;
  std::string route;         // In words.
  std::string relationship;  // The victim's to the perpetrator, in words.
  std::string consent;       // What the victim knows of the referral.
  std::string language;      // "Polish (interpreter needed)"; empty: none.
  ResearchPerson victim;
  std::vector<ResearchPerson> perpetrators;
  std::vector<ResearchPerson> children;
  // Children the referral counts but does not name.
  int children_not_named = 0;
  // The full list only: agencies that must not receive the case.
  std::vector<std::string> excluded_agencies;
};

struct ResearchList {
  std::string meeting_id;
  std::string area;
  Date meeting_date;
  // The receiving agency; empty for the coordinator's full list.
  std::string agency;
  std::vector<ResearchCase> cases;
  // The cases left out as excluded from `agency` (never rendered in its
  // list: the circulation log keeps them).
  std::vector<std::string> withheld_referral_ids;
};

// The research list of the cases `agenda` lists, from the referrals,
// records and people of `file`; for `agency` (compared without regard to
// case or surrounding spaces) without the cases excluded from it, or the
// full list when `agency` is empty. kFailedPrecondition naming the
// referral when a listed case's referral or victim record is not in
// `file`.
Result<ResearchList> BuildResearchList(const Agenda& agenda,
                                       const CaseFile& file,
                                       std::string_view agency);

// Renderings, each with the policy's protective marking. JSON fields:
// meeting_id, area, meeting_date, agency, marking, cases[] (position,
// referral_id, case_reference, referring_agency, referred_on, route,
// relationship, consent, language, victim, perpetrators[], children[]
// (each name, other_names[], dates_of_birth[], gender, known_to[]),
// children_not_named, and in the full list excluded_agencies[]).
std::string ResearchListJson(const ResearchList& list,
                             const PriorityPolicy& policy = {});
std::string ResearchListMarkdown(const ResearchList& list,
                                 const PriorityPolicy& policy = {});
// A self-contained page that prints on paper.
std::string ResearchListHtml(const ResearchList& list,
                             const PriorityPolicy& policy = {});

// The referral route in words ("visible high risk (the checklist count);
// repeat referral within 12 months"), "none" for no criteria. With
// `officer_graded`, visible high risk is the officer's grade (DARA).
std::string RouteWords(const std::vector<std::string>& criteria,
                       bool officer_graded = false);

}  // namespace marac

#endif  // MARAC_AGENDA_RESEARCH_LIST_H_
