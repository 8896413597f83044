// From a case file to a meeting's agenda, and back to what the store
// keeps of it. Pure: the case graph is built from the case file (people,
// incidents, assessments, referrals, meetings and what each heard), each
// open referral of the meeting's area becomes an AgendaCase with its
// repeat, serial-perpetrator and history facts, and BuildAgenda ranks
// them. Loading the case file from a store is services/casework's.
//
//   MARAC_ASSIGN_OR_RETURN(Agenda a, AgendaFromCaseFile(file, meeting));
//   MARAC_RETURN_IF_ERROR(store.SaveAgenda(actor, AgendaToStore(a, {})));
#ifndef MARAC_AGENDA_CASE_FILE_AGENDA_H_
#define MARAC_AGENDA_CASE_FILE_AGENDA_H_

#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/calendar/calendar.h"
#include "marac/casefile/case_file.h"
#include "marac/common/result.h"

namespace marac {

// The referrals of `file` in the meeting's area (every area when it has
// none) not heard at a meeting before its date, as the agenda sees them,
// in referral order. A record without a resolved person stands for
// itself. Errors: the case graph's (kInvalidArgument naming the incident,
// assessment or referral it refused).
Result<std::vector<AgendaCase>> AgendaCasesFromCaseFile(
    const CaseFile& file, const AgendaMeeting& meeting);

// Those cases ranked by BuildAgenda; and, when this meeting and the area's
// meeting before it each defer a case that has waited past the limit, an
// extra meeting proposed on the first working day (England and Wales bank
// holidays: `calendar`, or the built-in table when null) at least a week
// after this one (Agenda::extra_meeting).
Result<Agenda> AgendaFromCaseFile(const CaseFile& file,
                                  const AgendaMeeting& meeting,
                                  const PriorityPolicy& policy = {},
                                  const WorkingCalendar* calendar = nullptr);

// What the store keeps of a generated agenda: under the meeting's id, the
// circulated view's JSON and the referrals it listed to be heard.
StoredAgenda AgendaToStore(const Agenda& agenda, const PriorityPolicy& policy);

}  // namespace marac

#endif  // MARAC_AGENDA_CASE_FILE_AGENDA_H_
