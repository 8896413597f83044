// Case work over a store: the case file an actor may read, loaded from the
// store (every read audited under the caller's Actor), and the agenda of a
// meeting ranked from it. Shared by `marac` and marac-server; what is done
// with a case file once loaded is the library's (lib/agenda, lib/report).
//
//   MARAC_ASSIGN_OR_RETURN(CaseFile f, LoadCaseFile(store, actor, "north"));
//   MARAC_ASSIGN_OR_RETURN(Agenda a, AgendaFromStore(store, actor, meeting));
#ifndef MARAC_SERVICES_CASEWORK_CASEWORK_H_
#define MARAC_SERVICES_CASEWORK_CASEWORK_H_

#include <string_view>

#include "marac/agenda/case_file_agenda.h"
#include "marac/agenda/research_list.h"
#include "marac/casefile/case_file.h"
#include "marac/common/result.h"
#include "marac/store/store.h"

namespace marac {

// The store's case file: every record, person, incident, assessment,
// meeting, agenda listing, IDVA allocation and meeting record (with its
// actions as they stand), and the referrals of `area`
// (every area when empty). The store's errors.
Result<CaseFile> LoadCaseFile(Store& store, const Actor& actor,
                              std::string_view area);

// Open referrals (not heard at an earlier meeting) of the meeting's area
// ranked for `meeting` (AgendaFromCaseFile over LoadCaseFile), with the
// bank holidays of `calendar` (null: the built-in table).
Result<Agenda> AgendaFromStore(Store& store, const Actor& actor,
                               const AgendaMeeting& meeting,
                               const PriorityPolicy& policy = {},
                               const WorkingCalendar* calendar = nullptr);

// OK when a meeting may be held on `date`: a working day in England and
// Wales (`calendar`, or the built-in table when null). Otherwise
// kInvalidArgument naming `field`, with the reason and the next working day
// ("2026-12-28 is a bank holiday (Boxing Day (substitute day)); the next
// working day is 2026-12-29").
Status CheckMeetingDay(const WorkingCalendar* calendar, Date date,
                       std::string_view field);

// The research list for `meeting`, for `agency` (empty: the coordinator's
// full list): the cases its saved agenda listed, in that order, or, before
// an agenda is saved, those the agenda would list now. Only a coordinator
// or a chair may produce one: anyone else gets kPermissionDenied, audited
// in the circulation log's name, before anything is read.
// kFailedPrecondition when the saved agenda lists a referral that is no
// longer open.
Result<ResearchList> ResearchListFromStore(
    Store& store, const Actor& actor, const AgendaMeeting& meeting,
    const PriorityPolicy& policy, std::string_view agency,
    const WorkingCalendar* calendar = nullptr);

// Logs `list` as sent in `format` (json | md | html): the store's
// circulation log, audited as a disclosure of the cases on it.
Result<Circulation> LogResearchList(Store& store, const Actor& actor,
                                    const ResearchList& list,
                                    std::string_view format);

}  // namespace marac

#endif  // MARAC_SERVICES_CASEWORK_CASEWORK_H_
