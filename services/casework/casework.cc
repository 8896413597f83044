// A case file read from a store, for the command line and the server.
#include "services/casework/casework.h"

#include <algorithm>

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
                               const PriorityPolicy& policy,
                               const WorkingCalendar* calendar) {
  MARAC_ASSIGN_OR_RETURN(const CaseFile file,
                         LoadCaseFile(store, actor, meeting.area));
  return AgendaFromCaseFile(file, meeting, policy, calendar);
}

Status CheckMeetingDay(const WorkingCalendar* calendar, Date date,
                       std::string_view field) {
  if (calendar == nullptr) calendar = WorkingCalendar::Shipped();
  if (calendar == nullptr) {
    return Internal("the shipped bank-holiday table does not parse");
  }
  const MeetingCheck check = CheckMeetingDate(*calendar, date);
  if (check.ok) return Status::Ok();
  std::string problem = check.reason;
  if (check.suggested) {
    problem += "; the next working day is " + check.suggested->ToString();
  }
  return InvalidArgument(field, problem);
}

Result<ResearchList> ResearchListFromStore(Store& store, const Actor& actor,
                                           const AgendaMeeting& meeting,
                                           const PriorityPolicy& policy,
                                           std::string_view agency,
                                           const WorkingCalendar* calendar) {
  if (actor.role != "coordinator" && actor.role != "chair") {
    // The store refuses it and audits the refusal; nothing is read.
    Circulation refused;
    refused.meeting_id = meeting.meeting_id;
    refused.agency = std::string(agency);
    refused.format = "json";
    return store.RecordCirculation(actor, refused).status();
  }
  MARAC_ASSIGN_OR_RETURN(const CaseFile file,
                         LoadCaseFile(store, actor, meeting.area));
  MARAC_ASSIGN_OR_RETURN(Agenda agenda,
                         AgendaFromCaseFile(file, meeting, policy, calendar));
  const auto saved = std::find_if(file.listings.begin(), file.listings.end(),
                                  [&](const AgendaListing& l) {
                                    return l.meeting_id == meeting.meeting_id;
                                  });
  if (saved != file.listings.end()) {
    // The saved agenda decides which cases are heard, and in what order.
    std::vector<RankedCase> listed;
    for (const std::string& id : saved->referral_ids) {
      const RankedCase* found = nullptr;
      for (const RankedCase& r : agenda.listed) {
        if (r.item.referral_id == id) found = &r;
      }
      for (const DeferredCase& d : agenda.deferred) {
        if (d.ranked.item.referral_id == id) found = &d.ranked;
      }
      if (found == nullptr) {
        return FailedPrecondition("research list: the saved agenda of " +
                                  meeting.meeting_id + " lists referral '" +
                                  id + "', which is no longer open");
      }
      listed.push_back(*found);
    }
    agenda.listed = std::move(listed);
  }
  return BuildResearchList(agenda, file, agency);
}

Result<Circulation> LogResearchList(Store& store, const Actor& actor,
                                    const ResearchList& list,
                                    std::string_view format) {
  Circulation c;
  c.meeting_id = list.meeting_id;
  c.agency = list.agency;
  c.format = std::string(format);
  for (const ResearchCase& x : list.cases)
    c.referral_ids.push_back(x.referral_id);
  c.withheld_referral_ids = list.withheld_referral_ids;
  return store.RecordCirculation(actor, c);
}

}  // namespace marac
