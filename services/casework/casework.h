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
// ranked for `meeting` (AgendaFromCaseFile over LoadCaseFile).
Result<Agenda> AgendaFromStore(Store& store, const Actor& actor,
                               const AgendaMeeting& meeting,
                               const PriorityPolicy& policy = {});

}  // namespace marac

#endif  // MARAC_SERVICES_CASEWORK_CASEWORK_H_
