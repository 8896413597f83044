#include "marac/casefile/case_file.h"

#include <set>
#include <string>

namespace marac {

std::string_view ReferralSourceName(ReferralSource source) {
  switch (source) {
    case ReferralSource::kPolice:
      return "police";
    case ReferralSource::kIdva:
      return "idva";
    case ReferralSource::kHealth:
      return "health";
    case ReferralSource::kHousing:
      return "housing";
    case ReferralSource::kChildrensServices:
      return "childrens_services";
    case ReferralSource::kOneStopShop:
      return "one_stop_shop";
    case ReferralSource::kOther:
      break;
  }
  return "other";
}

Result<ReferralSource> ParseReferralSource(std::string_view name) {
  for (const ReferralSource s :
       {ReferralSource::kPolice, ReferralSource::kIdva, ReferralSource::kHealth,
        ReferralSource::kHousing, ReferralSource::kChildrensServices,
        ReferralSource::kOneStopShop, ReferralSource::kOther}) {
    if (ReferralSourceName(s) == name) return s;
  }
  return InvalidArgument(
      "source", "'" + std::string(name) + "' is not a referral source");
}

std::string_view IdvaEngagementName(IdvaEngagement engagement) {
  switch (engagement) {
    case IdvaEngagement::kEngaged:
      return "engaged";
    case IdvaEngagement::kDeclined:
      return "declined";
    case IdvaEngagement::kNotContactable:
      return "not_contactable";
    case IdvaEngagement::kNotKnown:
      break;
  }
  return "not_known";
}

Result<IdvaEngagement> ParseIdvaEngagement(std::string_view field,
                                           std::string_view name) {
  for (const IdvaEngagement e :
       {IdvaEngagement::kNotKnown, IdvaEngagement::kEngaged,
        IdvaEngagement::kDeclined, IdvaEngagement::kNotContactable}) {
    if (IdvaEngagementName(e) == name) return e;
  }
  return InvalidArgument(field, "'" + std::string(name) +
                                    "' is not not_known, engaged, declined "
                                    "or not_contactable");
}

namespace {
constexpr std::string_view kMeetingPrefix = "M-";
constexpr std::size_t kDateChars = 10;  // YYYY-MM-DD
}  // namespace

std::string MeetingId(Date date, std::string_view area) {
  std::string id = std::string(kMeetingPrefix) + date.ToString();
  if (!area.empty()) id += "-" + std::string(area);
  return id;
}

std::string_view MeetingIdArea(std::string_view meeting_id) {
  const std::size_t prefix = kMeetingPrefix.size() + kDateChars + 1;
  if (meeting_id.size() <= prefix || !meeting_id.starts_with(kMeetingPrefix) ||
      meeting_id[prefix - 1] != '-') {
    return {};
  }
  return meeting_id.substr(prefix);
}

void KeepArea(std::string_view area, CaseFile& file) {
  std::erase_if(file.referrals,
                [&](const StoredReferral& r) { return r.area != area; });
  std::erase_if(file.incidents,
                [&](const StoredIncident& i) { return i.area != area; });
  std::erase_if(file.meetings,
                [&](const Meeting& m) { return m.area != area; });
  std::set<std::string> meetings;
  for (const Meeting& m : file.meetings) meetings.insert(m.meeting_id);
  std::erase_if(file.listings, [&](const AgendaListing& a) {
    return !meetings.contains(a.meeting_id);
  });
  std::erase_if(file.meeting_records, [&](const MeetingRecord& r) {
    return !meetings.contains(r.meeting_id);
  });
  std::set<std::string, std::less<>> referrals;
  for (const StoredReferral& r : file.referrals) {
    referrals.insert(r.referral_id);
  }
  std::erase_if(file.idva, [&](const IdvaSupport& s) {
    return !referrals.contains(s.referral_id);
  });
}

}  // namespace marac
