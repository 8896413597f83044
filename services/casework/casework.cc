// A case file read from a store, for the command line and the server.
#include "services/casework/casework.h"

namespace marac {

Result<CaseFile> LoadCaseFile(Store& store, const Actor& actor,
                              std::string_view area) {
  CaseFile file;
  const auto load = [&](auto result, auto& into) -> Status {
    if (!result.ok()) return result.status();
    into = *std::move(result);
    return Status::Ok();
  };
  for (const Status& loaded :
       {load(store.Records(actor), file.records),
        load(store.People(actor), file.people),
        load(store.Incidents(actor), file.incidents),
        load(store.Assessments(actor), file.assessments),
        load(store.Referrals(actor, area, std::nullopt), file.referrals),
        load(store.Meetings(actor, ""), file.meetings),
        load(store.AgendaListings(actor), file.listings),
        load(store.IdvaSupports(actor), file.idva),
        load(store.MeetingRecords(actor), file.meeting_records)}) {
    MARAC_RETURN_IF_ERROR(loaded);
  }
  return file;
}

Result<Agenda> AgendaFromStore(Store& store, const Actor& actor,
                               const AgendaMeeting& meeting,
                               const PriorityPolicy& policy) {
  MARAC_ASSIGN_OR_RETURN(const CaseFile file,
                         LoadCaseFile(store, actor, meeting.area));
  return AgendaFromCaseFile(file, meeting, policy);
}

}  // namespace marac
