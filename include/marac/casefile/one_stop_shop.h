// One Stop Shops: drop-in venues (sites, such as "ashford-gateway") where a
// victim of domestic abuse can see several agencies (police, IDVA, housing,
// solicitors, ...) in one session. A site is a venue, not an agency: the
// agencies are the ones that staff its sessions.
//
// Two records: a visit (one person coming in on one day, possibly
// anonymously) and a session (one opening of a site, with the agencies that
// committed to staff it and those that came). Every field but the ids, the
// date and the site is optional and reads as "not recorded" when empty.
//
//   OneStopShopVisit v{.visit_id = "V-0001", .visited_on = day,
//                      .site = "ashford-gateway"};
//   MARAC_ASSIGN_OR_RETURN(v.gender, ParseVisitorGender("gender", text));
//   MARAC_RETURN_IF_ERROR(CheckOneStopShopVisit("visits[0]", v));
#ifndef MARAC_CASEFILE_ONE_STOP_SHOP_H_
#define MARAC_CASEFILE_ONE_STOP_SHOP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// The visitor's gender as they gave it, if they did.
enum class VisitorGender {
  kNotRecorded,
  kFemale,
  kMale,
  kOther,
};
// "not_recorded" | "female" | "male" | "other"
std::string_view VisitorGenderName(VisitorGender gender);
// kInvalidArgument naming `field` for any other text.
Result<VisitorGender> ParseVisitorGender(std::string_view field,
                                         std::string_view name);

// Whether the visitor found the session helpful, if they said.
enum class VisitFeedback {
  kNotGiven,
  kHelpful,
  kNotHelpful,
};
// "not_given" | "helpful" | "not_helpful"
std::string_view VisitFeedbackName(VisitFeedback feedback);
// kInvalidArgument naming `field` for any other text.
Result<VisitFeedback> ParseVisitFeedback(std::string_view field,
                                         std::string_view name);

// One person coming to a One Stop Shop on one day.
struct OneStopShopVisit {
  std::string visit_id;  // Unique within the service's records.
  Date visited_on;
  std::string site;  // The venue: lower-case letters, digits, '-' and '_'.
  // The visitor's person record (as in CaseFile::records); empty when the
  // visitor stayed anonymous.
  std::string visitor_record_id = {};
  std::optional<bool> lives_in_borough = {};  // Absent: not recorded.
  // How they heard of the shop or who sent them ("gp", "police", "friend");
  // empty: not recorded.
  std::string referred_by = {};
  std::optional<int> children = {};  // Under-18s in the visitor's household.
  VisitorGender gender = VisitorGender::kNotRecorded;
  std::string ethnicity = {};  // A free code; empty: not recorded.
  VisitFeedback feedback = VisitFeedback::kNotGiven;
  friend bool operator==(const OneStopShopVisit&,
                         const OneStopShopVisit&) = default;
};

// One opening of a site: the agencies that committed to staff it and those
// that came. An agency may come without a commitment (extra help); it then
// counts as attended, not as a shortfall.
struct OneStopShopSession {
  std::string session_id;  // Unique within the service's records.
  Date held_on;
  std::string site;  // As in OneStopShopVisit::site.
  std::vector<std::string> committed_agencies = {};
  std::vector<std::string> attended_agencies = {};
  friend bool operator==(const OneStopShopSession&,
                         const OneStopShopSession&) = default;
};

// Checks one visit; each refusal is kInvalidArgument naming the field under
// `where` ("visits[3].children"; the bare field name when `where` is
// empty). Ids (visit_id, and visitor_record_id when not empty) are 1 to 64
// bytes of ASCII letters, digits and "-_.:/"; the site is 1 to 64 bytes of
// lower-case ASCII letters, digits, '-' and '_', so one venue is never
// counted under two spellings; the date is real; children, when recorded,
// are 0 to 50; referred_by and ethnicity, when not empty, are not blank,
// have no surrounding spaces and no control characters, and stay within
// 128 bytes; gender and feedback are one of their enumerators.
Status CheckOneStopShopVisit(std::string_view where,
                             const OneStopShopVisit& visit);

// Checks one session as CheckOneStopShopVisit checks a visit
// ("sessions[0].attended_agencies[2]"): session_id and site as there, a
// real date, and each agency name not blank, without surrounding spaces or
// control characters, within 128 bytes and not repeated in its list. Either
// list may be empty (no commitment taken; nobody came), and an attended
// agency need not have committed.
Status CheckOneStopShopSession(std::string_view where,
                               const OneStopShopSession& session);

}  // namespace marac

#endif  // MARAC_CASEFILE_ONE_STOP_SHOP_H_
