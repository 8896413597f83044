// The case graph: resolved people, incidents, assessments, referrals,
// meetings and households, with victim-of, perpetrator-of, assessed-in,
// assesses (assessment to incident), referred-in, heard-at (referral to
// meeting) and member-of edges (a Boost.Graph adjacency list inside; no
// Boost type in this header). It answers the questions a MARAC chair asks,
// each answer with its reason: is this victim a repeat, has this
// perpetrator harmed others, how pressing is this perpetrator, has this
// case been heard, has the victim's risk fallen, and who else surrounds
// this case. Updates are incremental: adding anything never rebuilds.
//
//   CaseGraph g;
//   g.AddIncident({"INC-1", date, "P000001", {"P000002"}, 2});
//   RepeatAnswer r = g.RepeatVictim("P000001", date);  // r.repeat, r.reason
#ifndef MARAC_GRAPH_CASE_GRAPH_H_
#define MARAC_GRAPH_CASE_GRAPH_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"
#include "marac/common/status.h"

namespace marac {

// The graph's rules: local policy, each documented in docs/graph.md.
struct GraphPolicy {
  // Repeat victim: a new incident no more than this many calendar months
  // after the most recent MARAC referral (domain.md section 7).
  int repeat_window_months = 12;
  // Serial perpetrator (MATAC-style): harm to at least this many distinct
  // victims within this many years.
  int serial_min_victims = 2;
  int serial_window_years = 3;
  // Recency-frequency-gravity: no published formula is authoritative, so
  // these defaults are local policy. score = recency_weight * R +
  // frequency_weight * F + gravity_weight * G, where R = 2^(-days since the
  // last incident / recency_half_life_days), F = incidents in the window /
  // (incidents in the window + frequency_scale), G = the mean gravity of
  // those incidents / max_gravity; each in [0, 1].
  double recency_weight = 1.0;
  double frequency_weight = 1.0;
  double gravity_weight = 1.0;
  int recency_half_life_days = 180;
  double frequency_scale = 3.0;
  double max_gravity = 3.0;
};

struct GraphIncident {
  std::string incident_id;
  Date occurred_on;
  std::string victim;                     // Person id.
  std::vector<std::string> perpetrators;  // Person ids.
  // How grave (0: not known; e.g. 1 standard, 2 medium, 3 high risk, or a
  // count of high-harm indicators; see GraphPolicy::max_gravity).
  double gravity = 0;
};

// A risk assessment of a victim, optionally of one incident in the graph.
// An incident's gravity in Score is the larger of its own and the severity
// of the assessments of it.
struct GraphAssessment {
  std::string assessment_id;
  std::string victim;       // Person id.
  std::string incident_id;  // Empty: not of an incident in the graph.
  Date completed_on;
  int severity = 0;  // 3 high, 2 medium, 1 standard, 0 not graded.
  int score = 0;     // The checklist's yes count.
};

struct GraphMeeting {
  std::string meeting_id;
  std::string area;
  Date date;
};

struct GraphReferral {
  std::string referral_id;
  std::string victim;  // Person id.
  Date referred_on;
};

struct RepeatAnswer {
  bool repeat = false;
  std::optional<Date> last_referral;  // The latest before the incident.
  std::string reason;
};

struct SerialAnswer {
  bool serial = false;
  std::vector<std::string> victims;  // Distinct, within the window, sorted.
  std::string reason;
};

struct PerpetratorScore {
  double score = 0;
  double recency = 0;         // R, before its weight.
  double frequency = 0;       // F
  double gravity = 0;         // G
  std::size_t incidents = 0;  // In the window.
  std::string reason;
};

// A referral heard at a meeting.
struct Hearing {
  std::string referral_id;
  std::string meeting_id;
  Date date;  // The meeting's.
};

// A victim's risk between the first (intake) and the latest assessment up
// to a date: fell when the latest has fewer yes answers than the intake
// (the measure of the statistics returns).
struct RiskTrend {
  std::size_t assessments = 0;  // Up to the date.
  std::string intake_id;
  std::string latest_id;
  int intake_score = 0;
  int latest_score = 0;
  int intake_severity = 0;
  int latest_severity = 0;
  bool reduced = false;
  std::string reason;
};

struct Network {
  // Other victims of this person's perpetrators; other perpetrators of this
  // person's victims... each sorted, the person itself left out.
  std::vector<std::string> perpetrators;  // Who harmed this person.
  std::vector<std::string> victims;       // Whom this person harmed.
  // Other victims of the perpetrators of this person.
  std::vector<std::string> co_victims;
  // Other perpetrators of the victims this person harmed.
  std::vector<std::string> co_perpetrators;
  std::vector<std::string> children;  // In this person's households.
};

class CaseGraph {
 public:
  explicit CaseGraph(GraphPolicy policy = {});
  CaseGraph(CaseGraph&&) noexcept;
  CaseGraph& operator=(CaseGraph&&) noexcept;
  ~CaseGraph();

  // Adds (or finds) a person.
  void AddPerson(std::string_view person_id);
  // Each Add is O(edges added). kInvalidArgument naming the field for an
  // empty or repeated id, or a perpetrator who is also the victim.
  Status AddIncident(const GraphIncident& incident);
  Status AddReferral(const GraphReferral& referral);
  // kInvalidArgument naming the field for an empty or repeated id, a
  // severity outside 0-3, a negative score, or an incident id that is not
  // in the graph (add the incident first).
  Status AddAssessment(const GraphAssessment& assessment);
  // kInvalidArgument for an empty or repeated meeting id.
  Status AddMeeting(const GraphMeeting& meeting);
  // `referral_id` heard at `meeting_id` (both already added); hearing the
  // same pair again adds nothing. kInvalidArgument naming the field for an
  // unknown id.
  Status AddHearing(std::string_view referral_id, std::string_view meeting_id);
  // A child in the household of `adult` (both person ids).
  Status AddChild(std::string_view adult, std::string_view child);

  // Whether an incident of `victim` on `incident_date` is a repeat: after
  // the latest MARAC referral before it and no more than the window after.
  RepeatAnswer RepeatVictim(std::string_view victim, Date incident_date) const;
  // Distinct victims of `perpetrator` in the years up to `as_of`.
  SerialAnswer SerialPerpetrator(std::string_view perpetrator,
                                 Date as_of) const;
  PerpetratorScore Score(std::string_view perpetrator, Date as_of) const;
  Network NetworkAround(std::string_view person) const;
  // Hearings of `person`'s referrals, by meeting date then ids.
  std::vector<Hearing> HearingsOf(std::string_view person) const;
  // The first meeting that heard `referral_id` before `before` (a meeting
  // on that date does not count), if any.
  std::optional<Hearing> HeardBefore(std::string_view referral_id,
                                     Date before) const;
  // Intake against latest assessment of `victim` up to `as_of`.
  RiskTrend RiskTrendOf(std::string_view victim, Date as_of) const;

  // Incidents where `person` is the victim (ids, by date).
  std::vector<std::string> IncidentsOf(std::string_view person) const;

  std::size_t people() const;
  std::size_t incidents() const;
  std::size_t referrals() const;
  std::size_t assessments() const;
  std::size_t meetings() const;
  const GraphPolicy& policy() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marac

#endif  // MARAC_GRAPH_CASE_GRAPH_H_
