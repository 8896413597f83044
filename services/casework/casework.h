// Case work over a store: the open referrals of a meeting ranked into an
// agenda (repeats, serial perpetrators, hearings and assessments from the
// case graph built from the stored people), and the input of the
// statistics returns. Shared by `marac` and marac-server; every read is
// audited under the caller's Actor.
//
//   MARAC_ASSIGN_OR_RETURN(Agenda a, AgendaFromStore(store, actor, meeting));
#ifndef MARAC_SERVICES_CASEWORK_CASEWORK_H_
#define MARAC_SERVICES_CASEWORK_CASEWORK_H_

#include "marac/agenda/agenda.h"
#include "marac/common/result.h"
#include "marac/report/statistics.h"
#include "marac/store/store.h"

namespace marac {

// Open referrals (not heard at an earlier meeting) ranked for `meeting`.
// kDataLoss when a stored agenda is not an agenda's JSON; the store's
// errors otherwise.
Result<Agenda> AgendaFromStore(Store& store, const Actor& actor,
                               const AgendaMeeting& meeting,
                               const PriorityPolicy& policy = {});

// Everything the statistics returns are computed from, read from the store.
Result<StatisticsInput> StatisticsInputFromStore(Store& store,
                                                 const Actor& actor);

}  // namespace marac

#endif  // MARAC_SERVICES_CASEWORK_CASEWORK_H_
