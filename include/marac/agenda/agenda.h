// The MARAC agenda: eligible cases in priority order within the meeting's
// capacity, every rank explained by the contribution of each factor,
// nothing silently dropped (cases beyond capacity are deferred with the
// reason and an interim-safety flag; cases that waited too long go to the
// top), and two views: the one circulated to agencies (references,
// initials, ages, criteria and flags only) and the chair's.
//
//   Result<Agenda> a = BuildAgenda(meeting, cases, PriorityPolicy{});
//   std::string md = AgendaMarkdown(*a, AgendaView::kCirculated);
#ifndef MARAC_AGENDA_AGENDA_H_
#define MARAC_AGENDA_AGENDA_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/casefile/grade.h"
#include "marac/casefile/meeting_record.h"
#include "marac/casefile/referral_details.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// How cases are ranked: versioned, configurable data. The default is local
// policy, documented in docs/agenda.md; no national formula exists.
struct PriorityPolicy {
  std::string version = "marac-priority-2026.2";
  // Points for each high-harm indicator present that is in this list.
  std::vector<std::string> high_harm_indicators = {
      "strangulation", "threat_to_kill", "weapon", "pregnancy", "separation"};
  double per_high_harm_indicator = 10;
  double grade_high = 20;
  double grade_medium = 5;
  double per_score_point = 1;  // Per yes answer (the checklist score).
  // An officer-graded case (DARA) has no yes-count: it is counted as the
  // least count its grade needs on the RIC, so it ranks beside DASH cases.
  int officer_high_as_score = 14;
  int officer_medium_as_score = 10;
  double repeat = 15;
  double serial_perpetrator = 15;
  double per_child = 3;
  int max_children_counted = 4;
  double per_day_waiting = 0.5;
  // A case waiting longer than this (days since referral) goes to the top:
  // six weeks, more than a monthly cycle and its cut-off.
  int escalate_after_days = 42;
  // Capacity in minutes becomes cases at this rate (domain.md section 9).
  int minutes_per_case = 15;
  // When the meeting starts ("HH:MM", 24-hour): the time slots follow.
  std::string meeting_start = "09:30";
  // The protective marking printed on every view (Government Security
  // Classifications 2014; RESTRICTED was retired then).
  std::string protective_marking = "OFFICIAL-SENSITIVE";
  // What the chair's view may show; the circulated view never shows them.
  bool chair_sees_names = true;
  bool chair_sees_addresses = false;
  bool chair_sees_phone_numbers = false;
};

// A priority policy from JSON: an object with any of PriorityPolicy's
// fields by name (the rest keep their defaults). kInvalidArgument naming
// the field for an unknown field, a wrong type or a value BuildAgenda
// would refuse.
Result<PriorityPolicy> ParsePriorityPolicy(std::string_view json);
// The policy as that JSON (every field).
std::string PriorityPolicyJson(const PriorityPolicy& policy);

// The last meeting that dealt with a victim's case, and what it decided.
struct LastHearing {
  std::string meeting_id;
  Date date;
  HearingOutcome outcome = HearingOutcome::kHeard;
  std::string reason;  // For an outcome other than heard.
  std::string referral_id;
};

// One referral as the agenda sees it (facts from the store, the assessment
// and the case graph).
struct AgendaCase {
  std::string referral_id;
  std::string case_reference;  // Shown to agencies.
  std::string area;
  std::string agency;
  Date referred_on;
  // The victim: initials and age for every view; the rest for the chair.
  std::string given_name;
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::string address;
  std::string postcode;
  std::string phone;
  // The perpetrator(s): initials for every view, and who they are (person
  // ids, to hear linked cases together; never shown).
  std::vector<std::string> perpetrator_initials;
  std::vector<std::string> perpetrator_people;
  std::string household;  // A key shared by cases of one household; may be
                          // empty (never shown).
  // The assessment.
  std::string instrument;      // e.g. "safelives-ric"; empty: not assessed.
  std::optional<Grade> grade;  // Absent when not assessed.
  int score = 0;
  // The grade is the officer's structured judgement (DARA): nothing was
  // counted, and score means nothing.
  bool officer_graded = false;
  // Safeguarding prompts raised by the assessment and its supplements
  // (S-DASH, H-DASH), by id, e.g. "safeguarding_children".
  std::vector<std::string> safeguarding;
  std::vector<std::string> criteria;  // Referral criteria met.
  std::vector<std::string> high_harm_indicators;
  // From the graph.
  bool repeat = false;
  std::string repeat_reason;
  bool serial_perpetrator = false;
  std::string serial_reason;
  int children = 0;
  // Linked history (domain.md section 8's agenda line).
  std::optional<Date> last_referral_on;  // The victim's previous referral.
  int prior_incidents = 0;      // The victim's incidents before this one.
  int perpetrator_victims = 0;  // Most distinct victims of a perpetrator.
  bool idva_allocated = false;
  // not_known | engaged | declined | not_contactable; empty when no IDVA
  // is allocated.
  std::string idva_engagement;
  // From earlier meetings: the last that dealt with the victim's case, the
  // reason this referral was adjourned (empty: it was not), and the
  // actions still open from the victim's earlier cases and this one.
  std::optional<LastHearing> last_hearing;
  std::string adjourned_reason;
  std::vector<CaseAction> open_actions;
  // From the referral record: what the victim knows of the referral, the
  // language need in words (LanguageWords; empty: none), and, for the
  // chair only, why the referrer judged the case to need a MARAC.
  VictimConsent consent = VictimConsent::kNotRecorded;
  std::string language;
  std::string judgement_narrative;
};

// The case's grade by name ("high"); empty when it was not assessed.
std::string_view GradeText(const AgendaCase& c);

struct Contribution {
  std::string factor;  // "grade", "high_harm:strangulation", ...
  double points = 0;
  std::string detail;
};

struct RankedCase {
  AgendaCase item;
  int rank = 0;         // 1-based, over listed then deferred.
  double priority = 0;  // The sum of the contributions.
  std::vector<Contribution> contributions;
  int days_waiting = 0;
  bool escalated = false;  // Waited past the limit: moved to the top.
  bool under_18 = false;   // A safeguarding prompt on the case.
  // Listed cases only: when it is heard ("09:30-09:45"), and the listed
  // cases heard next to it because they share a perpetrator or a
  // household (by referral id).
  std::string time_slot;
  std::vector<std::string> linked_cases;
};

struct DeferredCase {
  RankedCase ranked;
  std::string reason;
  bool interim_safety_plan = true;  // Needs safety planning until heard.
};

struct LeftOut {
  std::string referral_id;
  std::string reason;
};

struct AgendaMeeting {
  std::string meeting_id;
  std::string area;  // Empty: every area.
  Date date;
  Date referral_cutoff;
  int capacity_cases = 0;
  int capacity_minutes = 0;
};

struct Agenda {
  AgendaMeeting meeting;
  std::string policy_version;
  int capacity = 0;  // In cases, after minutes were converted.
  std::vector<RankedCase> listed;
  std::vector<DeferredCase> deferred;
  std::vector<LeftOut> not_eligible;  // With the reason each.
  // Set by CountedOnly: the deferred and not-eligible lists are held
  // elsewhere (a service answers them a page at a time), and the
  // renderings count them instead of listing them.
  struct Counted {
    std::size_t deferred = 0;
    std::size_t not_eligible = 0;
    std::size_t interim_safety_plans = 0;  // Deferred cases needing one.
  };
  std::optional<Counted> counted;
  // An extra meeting, when the deferred list has had cases waiting past
  // the limit at this meeting and the one before (AgendaFromCaseFile; local
  // policy, docs/calendar.md): its date and why.
  struct ExtraMeeting {
    Date date;
    std::string reason;
  };
  std::optional<ExtraMeeting> extra_meeting;
};

// The agenda with its deferred and not-eligible lists counted, not listed:
// what a service answers and saves, so that its size follows the meeting's
// capacity and never the area's backlog.
Agenda CountedOnly(Agenda agenda);

// Ranks `cases` for `meeting`. Eligible: in the meeting's area (any when it
// has none), referred on or before the cut-off, and meeting a referral
// criterion or a repeat. Within the capacity, cases that share a
// perpetrator or a household are heard one after the other, from the
// highest ranked of them (their ranks follow the order heard); each listed
// case gets its time slot from policy.meeting_start. kInvalidArgument naming
// the field for a meeting without capacity, a cut-off after its date, a
// repeated referral id or a policy that cannot rank.
Result<Agenda> BuildAgenda(const AgendaMeeting& meeting,
                           std::span<const AgendaCase> cases,
                           const PriorityPolicy& policy = {});

enum class AgendaView { kCirculated, kChair };

// Renderings. The circulated view carries references, initials, ages,
// criteria, flags and rank explanations: never names, dates of birth,
// addresses or phone numbers. The chair's adds what the policy allows.
std::string AgendaJson(const Agenda& agenda, AgendaView view,
                       const PriorityPolicy& policy = {});
std::string AgendaMarkdown(const Agenda& agenda, AgendaView view,
                           const PriorityPolicy& policy = {});
// A self-contained page (no scripts, styles inline, no external assets)
// that prints on paper.
std::string AgendaHtml(const Agenda& agenda, AgendaView view,
                       const PriorityPolicy& policy = {});

// An instrument's name and item count in words: "SafeLives RIC",
// "Police DASH (2009)", "S-DASH"; the id itself, and 0 items, for one
// this build does not know.
struct InstrumentWords {
  std::string name;
  int items = 0;
};
InstrumentWords InstrumentWordsOf(std::string_view instrument);
// The form and its count in words, "SafeLives RIC, 5 of 24 ticked": what
// the views print instead of a bare grade (a MARAC case is not "standard"
// to the agencies that receive it).
std::string AssessmentWords(const AgendaCase& c);

// "E.M." from the names (letters only).
std::string Initials(std::string_view given, std::string_view family);

}  // namespace marac

#endif  // MARAC_AGENDA_AGENDA_H_
