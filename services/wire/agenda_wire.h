// The agenda area (marac/v1/agenda.proto): meetings and agendas to the
// wire, the circulated view only (no names, dates of birth, addresses or
// phones).
//
//   AgendaToWire(CountedOnly(agenda), response->mutable_agenda());
#ifndef MARAC_SERVICES_WIRE_AGENDA_WIRE_H_
#define MARAC_SERVICES_WIRE_AGENDA_WIRE_H_

#include "marac/agenda/agenda.h"
#include "marac/casefile/case_file.h"
#include "marac/v1/agenda.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

void MeetingToWire(const Meeting& meeting, v1::Meeting* out);
// The circulated view: no names, dates of birth, addresses or phones.
void AgendaToWire(const Agenda& agenda, v1::Agenda* out);
void DeferredCaseToWire(const DeferredCase& d, const AgendaMeeting& meeting,
                        v1::DeferredCase* out);
void NotEligibleToWire(const LeftOut& l, v1::NotEligible* out);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_AGENDA_WIRE_H_
