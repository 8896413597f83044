// The quarterly MARAC data return a MARAC coordinator files with SafeLives,
// from a case file: meetings held, cases discussed, repeat cases and the
// repeat rate, children in the households, referrals received by SafeLives
// agency category (through a configurable agency mapping) and the equality
// profile of the cases discussed. Quarters are calendar quarters (2026Q3 is
// 1 July to 30 September 2026). A figure the case file does not hold is not
// recorded (std::nullopt, with the reason), never 0.
//
//   MARAC_ASSIGN_OR_RETURN(Quarter q, ParseQuarter("--quarter", "2026Q3"));
//   MARAC_ASSIGN_OR_RETURN(
//       SafeLivesReturn r,
//       ComputeSafeLivesReturn(file, {.quarter = q, .area = "north",
//                                     .mapping = DefaultAgencyMapping(),
//                                     .as_of = today}));
//   std::string csv = SafeLivesReturnCsv(r);
#ifndef MARAC_REPORT_SAFELIVES_RETURN_H_
#define MARAC_REPORT_SAFELIVES_RETURN_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/casefile/case_file.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// A calendar quarter: Q1 is January to March, Q4 October to December.
struct Quarter {
  int year = 0;              // 1..9999
  int number = 0;            // 1..4
  Date FirstDay() const;     // 2026Q3: 2026-07-01
  Date LastDay() const;      // 2026Q3: 2026-09-30
  std::string Name() const;  // "2026Q3"
  friend bool operator==(const Quarter&, const Quarter&) = default;
};

// Parses exactly "YYYYQn" (four digits, a capital Q, n from 1 to 4), the
// one spelling the return uses. kInvalidArgument naming `field` for
// anything else: "2026Q5", "2026-Q3", "2026q3", "0000Q1", " 2026Q3".
Result<Quarter> ParseQuarter(std::string_view field, std::string_view text);

// The agency categories of the SafeLives MARAC data return, in its order.
enum class SafeLivesAgency {
  kPolice,
  kIdva,
  kProbation,
  kHealth,  // Primary care, mental health, acute trusts.
  kChildrensSocialCare,
  kAdultSocialCare,
  kHousing,
  kEducation,
  kSubstanceMisuse,
  kVoluntarySector,  // Voluntary sector or other specialist DA service.
  kOtherStatutory,
  kSelfReferralOther,
};
// Every category, in the return's order.
const std::vector<SafeLivesAgency>& SafeLivesAgencies();
// "police" | "idva" | "probation" | "health" | "childrens_social_care" |
// "adult_social_care" | "housing" | "education" | "substance_misuse" |
// "voluntary_sector" | "other_statutory" | "self_referral_other"
std::string_view SafeLivesAgencyName(SafeLivesAgency agency);
// In words, as on the return: "Children's social care", ...
std::string_view SafeLivesAgencyLabel(SafeLivesAgency agency);
// The inverse of SafeLivesAgencyName; kInvalidArgument naming `field`.
Result<SafeLivesAgency> ParseSafeLivesAgency(std::string_view field,
                                             std::string_view name);

// Which SafeLives category a referral's agency counts under. A referral's
// agency name (StoredReferral::agency, compared ignoring ASCII case,
// surrounding spaces and repeated inner spaces) is looked up in
// `by_agency` first; failing that its ReferralSource in `by_source`.
// kOneStopShop is a venue, not an agency, so it never appears in
// `by_source`: such a referral is mapped by its agency name or not at all.
// A referral mapped by neither is unmapped, and the return lists it so.
struct AgencyMapping {
  std::string version;  // Named on the return.
  std::map<ReferralSource, SafeLivesAgency> by_source;
  // Keyed by the folded name (see AgencyKey).
  std::map<std::string, SafeLivesAgency> by_agency;
};

// An agency name as AgencyMapping compares it: ASCII lower case, no
// surrounding spaces, inner runs of spaces as one.
std::string AgencyKey(std::string_view agency);

// The category `referral` counts under, or std::nullopt when unmapped.
std::optional<SafeLivesAgency> MapAgency(const AgencyMapping& mapping,
                                         const StoredReferral& referral);

// A mapping from JSON, which replaces the default whole:
//   {"version": "north-2026.1",
//    "by_source": {"police": "police", "idva": "idva"},
//    "by_agency": {"Probation Service": "probation"}}
// Every key is optional ("version" defaults to "custom"). kInvalidArgument
// naming the field path under "agency_map" for: not an object, an unknown
// key, a wrong type, a source that is not a ReferralSource name, the
// one_stop_shop source (a venue), a category that is not a
// SafeLivesAgencyName, a blank agency name, or two names that fold to the
// same key ("agency_map.by_agency.PROBATION: the same agency as
// 'Probation'").
Result<AgencyMapping> ParseAgencyMapping(std::string_view json);
// The mapping as that JSON (agency keys folded).
std::string AgencyMappingJson(const AgencyMapping& mapping);
// The built-in mapping: the police, idva, health, housing and
// childrens_services sources, and common agency names of England and
// Wales (docs/cli.md lists them). The "other" source is left unmapped so
// no agency is folded into a category by default.
AgencyMapping DefaultAgencyMapping();

struct SafeLivesReturnOptions {
  Quarter quarter;
  std::string area = {};  // Empty: every area.
  AgencyMapping mapping = DefaultAgencyMapping();
  // Today. Figures count up to the earlier of the quarter's end and as_of:
  // a meeting after as_of is scheduled, not held.
  Date as_of;
  int repeat_window_months = 12;  // As StatisticsOptions (1 to 120).
};

// One line of the return. `value` absent: not recorded, and `note` says
// why; otherwise `note` says how it was counted.
struct ReturnFigure {
  std::string section;  // "meetings" | "cases" | "referrals" | "equality"
  std::string id;       // e.g. "cases_discussed"; "unmapped" per agency
  std::string label;    // Plain English.
  std::string agency;   // "unmapped" lines only: the agency as written.
  std::optional<double> value;
  // "equality" lines: the cases discussed that recorded the field.
  std::optional<int> recorded_of;
  bool share = false;  // A proportion from 0 to 1 (the repeat rate).
  std::string note;
};

struct SafeLivesReturn {
  Quarter quarter;
  std::string area;  // Empty: every area.
  Date from;         // The quarter's first day.
  Date to;           // Its last day.
  Date as_of;
  Date counted_to;       // The earlier of `to` and as_of.
  bool partial = false;  // as_of before the quarter's end.
  std::string mapping_version;
  // In order: meetings, cases, referrals (the total, each category, then
  // one "unmapped" line per unmapped agency, by name), equality.
  std::vector<ReturnFigure> figures;
  std::vector<std::string> notes;  // How things were counted, in words.
};

// Computes the return for `options.quarter` (and `options.area`: other
// areas' referrals and meetings are left out, as KeepArea does).
//
// - Meetings held: meetings dated from the quarter's start to counted_to
//   with a saved agenda (a listing) or a meeting record. Not recorded when
//   the case file holds no meeting of the area dated on or before
//   counted_to (the store was not keeping its meetings then).
// - Cases discussed: referrals listed on the saved agenda of a meeting
//   held, unless its record says adjourned, or recorded there with any
//   outcome but adjourned (the agenda's rule for "heard"), each once.
//   Not recorded when meetings held is not.
// - Repeat cases: cases discussed whose victim (the resolved person,
//   CaseFile::people) had an earlier MARAC referral (of any area)
//   no more than `repeat_window_months` before this one, as
//   ComputeStatistics counts them. The repeat rate is absent when no case
//   was discussed.
// - Children: children_in_household summed over the cases discussed.
// - Referrals received from the quarter's start to counted_to, by
//   category. Not recorded when the case file holds no referral of the
//   area dated on or before counted_to.
// - Equality: among the cases discussed, male victims, minoritised ethnic
//   groups, lesbian, gay or bisexual, disabled and aged 16-17 (the value
//   sets of ComputeStatistics' victim profile), each with the number of
//   cases that recorded the field; absent when none did.
//
// kInvalidArgument naming the field for a quarter out of range, an as_of
// before the quarter begins, or a repeat window out of range. Pure and
// thread-safe.
Result<SafeLivesReturn> ComputeSafeLivesReturn(
    const CaseFile& file, const SafeLivesReturnOptions& options);

// CSV, one line per figure under the header
//   section,figure,label,agency,value,recorded_of,note
// after "return" lines naming the quarter, area, dates and mapping. A
// value not recorded is the text "not recorded"; a proportion has up to
// four decimals. Fields are quoted as RFC 4180 needs; an agency name
// starting with =, +, -, @ or a control character gets a leading ' so a
// spreadsheet shows it as text.
std::string SafeLivesReturnCsv(const SafeLivesReturn& r);
// JSON: {"return", "quarter", "area", "from", "to", "as_of", "counted_to",
// "partial", "mapping", "figures": [{"section", "id", "label", "agency",
// "value", "recorded_of", "note"}], "notes"}; not recorded is null.
std::string SafeLivesReturnJson(const SafeLivesReturn& r);

}  // namespace marac

#endif  // MARAC_REPORT_SAFELIVES_RETURN_H_
