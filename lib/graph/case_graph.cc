#include "marac/graph/case_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>
#include <unordered_map>

namespace marac {
namespace {

enum class Kind : std::uint8_t {
  kPerson,
  kIncident,
  kReferral,
  kHousehold,
  kAssessment,
  kMeeting,
};
enum class EdgeKind : std::uint8_t {
  kVictimOf,       // person -> incident
  kPerpetratorOf,  // person -> incident
  kReferredIn,     // person -> referral
  kMemberOf,       // person -> household (adult)
  kChildMemberOf,  // person -> household (child)
  kAssessedIn,     // person -> assessment
  kAssesses,       // assessment -> incident
  kHeardAt,        // referral -> meeting
};

struct Vertex {
  Kind kind = Kind::kPerson;
  std::uint32_t index = 0;  // Into the kind's table.
};
struct Edge {
  EdgeKind kind = EdgeKind::kVictimOf;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS,
                                    boost::bidirectionalS, Vertex, Edge>;
using VertexId = Graph::vertex_descriptor;

struct Dated {
  std::string id;
  Date on;
  double gravity = 0;
};

struct AssessmentRow {
  std::string id;
  Date on;
  int severity = 0;
  int score = 0;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

struct CaseGraph::Impl {
  GraphPolicy policy;
  Graph graph;
  std::vector<std::string> person_ids;
  std::vector<Dated> incident_rows;
  std::vector<Dated> referral_rows;
  std::vector<AssessmentRow> assessment_rows;
  std::vector<Dated> meeting_rows;
  std::unordered_map<std::string, VertexId> people;
  std::unordered_map<std::string, VertexId> incident_index;
  std::unordered_map<std::string, VertexId> referral_index;
  std::unordered_map<std::string, VertexId> assessment_index;
  std::unordered_map<std::string, VertexId> meeting_index;
  std::unordered_map<VertexId, VertexId> household_of;  // Adult -> household.

  VertexId Person(std::string_view id) {
    const auto it = people.find(std::string(id));
    if (it != people.end()) return it->second;
    const VertexId v = boost::add_vertex(
        Vertex{Kind::kPerson, static_cast<std::uint32_t>(person_ids.size())},
        graph);
    person_ids.emplace_back(id);
    people.emplace(std::string(id), v);
    return v;
  }

  std::optional<VertexId> FindPerson(std::string_view id) const {
    const auto it = people.find(std::string(id));
    if (it == people.end()) return std::nullopt;
    return it->second;
  }

  const std::string& NameOf(VertexId v) const {
    return person_ids[graph[v].index];
  }

  // The vertices at the far end of `v`'s out-edges of `kind`.
  template <typename Fn>
  void Out(VertexId v, EdgeKind kind, const Fn& fn) const {
    for (auto [e, end] = boost::out_edges(v, graph); e != end; ++e) {
      if (graph[*e].kind == kind) fn(boost::target(*e, graph));
    }
  }
  // The vertices at the near end of `v`'s in-edges of `kind`.
  template <typename Fn>
  void In(VertexId v, EdgeKind kind, const Fn& fn) const {
    for (auto [e, end] = boost::in_edges(v, graph); e != end; ++e) {
      if (graph[*e].kind == kind) fn(boost::source(*e, graph));
    }
  }
  const Dated& IncidentRow(VertexId v) const {
    return incident_rows[graph[v].index];
  }
  // The incident's gravity, raised by the severity of its assessments.
  double Gravity(VertexId incident) const {
    double gravity = IncidentRow(incident).gravity;
    In(incident, EdgeKind::kAssesses, [&](VertexId a) {
      gravity = std::max(
          gravity,
          static_cast<double>(assessment_rows[graph[a].index].severity));
    });
    return gravity;
  }
  static std::optional<VertexId> Find(
      const std::unordered_map<std::string, VertexId>& index,
      std::string_view id) {
    const auto it = index.find(std::string(id));
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
};

CaseGraph::CaseGraph(GraphPolicy policy) : impl_(std::make_unique<Impl>()) {
  impl_->policy = policy;
}
CaseGraph::CaseGraph(CaseGraph&&) noexcept = default;
CaseGraph& CaseGraph::operator=(CaseGraph&&) noexcept = default;
CaseGraph::~CaseGraph() = default;

void CaseGraph::AddPerson(std::string_view person_id) {
  if (!person_id.empty()) impl_->Person(person_id);
}

Status CaseGraph::AddIncident(const GraphIncident& incident) {
  Impl& g = *impl_;
  if (incident.incident_id.empty()) {
    return InvalidArgument("incident.incident_id", "empty");
  }
  if (g.incident_index.contains(incident.incident_id)) {
    return InvalidArgument("incident.incident_id",
                           "'" + incident.incident_id + "' already added");
  }
  if (incident.victim.empty()) {
    return InvalidArgument("incident.victim", "empty");
  }
  if (!(incident.gravity >= 0)) {
    return InvalidArgument("incident.gravity", "must be 0 or more");
  }
  for (std::size_t k = 0; k < incident.perpetrators.size(); ++k) {
    const std::string& p = incident.perpetrators[k];
    const std::string field =
        "incident.perpetrators[" + std::to_string(k) + "]";
    if (p.empty()) return InvalidArgument(field, "empty");
    if (p == incident.victim) {
      return InvalidArgument(field, "the victim cannot be the perpetrator");
    }
  }
  const VertexId v = boost::add_vertex(
      Vertex{Kind::kIncident,
             static_cast<std::uint32_t>(g.incident_rows.size())},
      g.graph);
  g.incident_rows.push_back(
      {incident.incident_id, incident.occurred_on, incident.gravity});
  g.incident_index.emplace(incident.incident_id, v);
  boost::add_edge(g.Person(incident.victim), v, Edge{EdgeKind::kVictimOf},
                  g.graph);
  std::set<std::string_view> seen;
  for (const std::string& p : incident.perpetrators) {
    if (!seen.insert(p).second) continue;
    boost::add_edge(g.Person(p), v, Edge{EdgeKind::kPerpetratorOf}, g.graph);
  }
  return Status::Ok();
}

Status CaseGraph::AddReferral(const GraphReferral& referral) {
  Impl& g = *impl_;
  if (referral.referral_id.empty()) {
    return InvalidArgument("referral.referral_id", "empty");
  }
  if (g.referral_index.contains(referral.referral_id)) {
    return InvalidArgument("referral.referral_id",
                           "'" + referral.referral_id + "' already added");
  }
  if (referral.victim.empty()) {
    return InvalidArgument("referral.victim", "empty");
  }
  const VertexId v = boost::add_vertex(
      Vertex{Kind::kReferral,
             static_cast<std::uint32_t>(g.referral_rows.size())},
      g.graph);
  g.referral_rows.push_back({referral.referral_id, referral.referred_on, 0});
  g.referral_index.emplace(referral.referral_id, v);
  boost::add_edge(g.Person(referral.victim), v, Edge{EdgeKind::kReferredIn},
                  g.graph);
  return Status::Ok();
}

Status CaseGraph::AddAssessment(const GraphAssessment& assessment) {
  Impl& g = *impl_;
  if (assessment.assessment_id.empty()) {
    return InvalidArgument("assessment.assessment_id", "empty");
  }
  if (g.assessment_index.contains(assessment.assessment_id)) {
    return InvalidArgument("assessment.assessment_id",
                           "'" + assessment.assessment_id + "' already added");
  }
  if (assessment.victim.empty()) {
    return InvalidArgument("assessment.victim", "empty");
  }
  if (assessment.severity < 0 || assessment.severity > 3) {
    return InvalidArgument("assessment.severity", "must be 0 to 3");
  }
  if (assessment.score < 0) {
    return InvalidArgument("assessment.score", "negative");
  }
  std::optional<VertexId> incident;
  if (!assessment.incident_id.empty()) {
    incident = Impl::Find(g.incident_index, assessment.incident_id);
    if (!incident) {
      return InvalidArgument("assessment.incident_id",
                             "'" + assessment.incident_id +
                                 "' is not in the graph (add it first)");
    }
  }
  const VertexId v = boost::add_vertex(
      Vertex{Kind::kAssessment,
             static_cast<std::uint32_t>(g.assessment_rows.size())},
      g.graph);
  g.assessment_rows.push_back({assessment.assessment_id,
                               assessment.completed_on, assessment.severity,
                               assessment.score});
  g.assessment_index.emplace(assessment.assessment_id, v);
  boost::add_edge(g.Person(assessment.victim), v, Edge{EdgeKind::kAssessedIn},
                  g.graph);
  if (incident) {
    boost::add_edge(v, *incident, Edge{EdgeKind::kAssesses}, g.graph);
  }
  return Status::Ok();
}

Status CaseGraph::AddMeeting(const GraphMeeting& meeting) {
  Impl& g = *impl_;
  if (meeting.meeting_id.empty()) {
    return InvalidArgument("meeting.meeting_id", "empty");
  }
  if (g.meeting_index.contains(meeting.meeting_id)) {
    return InvalidArgument("meeting.meeting_id",
                           "'" + meeting.meeting_id + "' already added");
  }
  const VertexId v = boost::add_vertex(
      Vertex{Kind::kMeeting, static_cast<std::uint32_t>(g.meeting_rows.size())},
      g.graph);
  g.meeting_rows.push_back({meeting.meeting_id, meeting.date, 0});
  g.meeting_index.emplace(meeting.meeting_id, v);
  return Status::Ok();
}

Status CaseGraph::AddHearing(std::string_view referral_id,
                             std::string_view meeting_id) {
  Impl& g = *impl_;
  const std::optional<VertexId> r = Impl::Find(g.referral_index, referral_id);
  if (!r) {
    return InvalidArgument(
        "hearing.referral_id",
        "'" + std::string(referral_id) + "' is not in the graph");
  }
  const std::optional<VertexId> m = Impl::Find(g.meeting_index, meeting_id);
  if (!m) {
    return InvalidArgument("hearing.meeting_id", "'" + std::string(meeting_id) +
                                                     "' is not in the graph");
  }
  bool known = false;
  g.Out(*r, EdgeKind::kHeardAt, [&](VertexId x) { known = known || x == *m; });
  if (!known) boost::add_edge(*r, *m, Edge{EdgeKind::kHeardAt}, g.graph);
  return Status::Ok();
}

Status CaseGraph::AddChild(std::string_view adult, std::string_view child) {
  Impl& g = *impl_;
  if (adult.empty()) return InvalidArgument("adult", "empty");
  if (child.empty()) return InvalidArgument("child", "empty");
  if (adult == child) return InvalidArgument("child", "the adult itself");
  const VertexId a = g.Person(adult);
  auto it = g.household_of.find(a);
  if (it == g.household_of.end()) {
    const VertexId h = boost::add_vertex(Vertex{Kind::kHousehold, 0}, g.graph);
    boost::add_edge(a, h, Edge{EdgeKind::kMemberOf}, g.graph);
    it = g.household_of.emplace(a, h).first;
  }
  const VertexId c = g.Person(child);
  bool known = false;
  g.In(it->second, EdgeKind::kChildMemberOf,
       [&](VertexId x) { known = known || x == c; });
  if (!known) {
    boost::add_edge(c, it->second, Edge{EdgeKind::kChildMemberOf}, g.graph);
  }
  return Status::Ok();
}

RepeatAnswer CaseGraph::RepeatVictim(std::string_view victim,
                                     Date incident_date) const {
  const Impl& g = *impl_;
  RepeatAnswer out;
  const std::string months = std::to_string(g.policy.repeat_window_months);
  const std::optional<VertexId> v = g.FindPerson(victim);
  if (v) {
    g.Out(*v, EdgeKind::kReferredIn, [&](VertexId r) {
      const Date on = g.referral_rows[g.graph[r].index].on;
      if (on < incident_date &&
          (!out.last_referral || on > *out.last_referral)) {
        out.last_referral = on;
      }
    });
  }
  if (!out.last_referral) {
    out.reason = "No MARAC referral of " + std::string(victim) +
                 " before the incident on " + incident_date.ToString() +
                 ": not a repeat";
    return out;
  }
  const Date end = out.last_referral->AddMonths(g.policy.repeat_window_months);
  out.repeat = incident_date <= end;
  out.reason = "The incident on " + incident_date.ToString() +
               (out.repeat ? " is within " : " is more than ") + months +
               " months of the last MARAC referral on " +
               out.last_referral->ToString() + " (window ends " +
               end.ToString() + ")" +
               (out.repeat ? ": a repeat" : ": a new referral, not a repeat");
  return out;
}

SerialAnswer CaseGraph::SerialPerpetrator(std::string_view perpetrator,
                                          Date as_of) const {
  const Impl& g = *impl_;
  SerialAnswer out;
  const Date from = as_of.AddMonths(-12 * g.policy.serial_window_years);
  std::set<std::string> victims;
  const std::optional<VertexId> p = g.FindPerson(perpetrator);
  if (p) {
    g.Out(*p, EdgeKind::kPerpetratorOf, [&](VertexId i) {
      const Date on = g.IncidentRow(i).on;
      if (on < from || on > as_of) return;
      g.In(i, EdgeKind::kVictimOf,
           [&](VertexId v) { victims.insert(g.NameOf(v)); });
    });
  }
  out.victims.assign(victims.begin(), victims.end());
  out.serial =
      static_cast<int>(out.victims.size()) >= g.policy.serial_min_victims;
  out.reason = std::string(perpetrator) + " harmed " +
               std::to_string(out.victims.size()) + " distinct victim" +
               (out.victims.size() == 1 ? "" : "s") + " between " +
               from.ToString() + " and " + as_of.ToString() +
               (out.victims.empty() ? "" : " (" + Join(out.victims) + ")") +
               (out.serial ? ": a serial perpetrator (" : ": not serial (") +
               std::to_string(g.policy.serial_min_victims) + " or more in " +
               std::to_string(g.policy.serial_window_years) + " years)";
  return out;
}

PerpetratorScore CaseGraph::Score(std::string_view perpetrator,
                                  Date as_of) const {
  const Impl& g = *impl_;
  const GraphPolicy& policy = g.policy;
  PerpetratorScore out;
  const Date from = as_of.AddMonths(-12 * policy.serial_window_years);
  std::optional<Date> last;
  double gravity_sum = 0;
  const std::optional<VertexId> p = g.FindPerson(perpetrator);
  if (p) {
    g.Out(*p, EdgeKind::kPerpetratorOf, [&](VertexId i) {
      const Dated& row = g.IncidentRow(i);
      if (row.on < from || row.on > as_of) return;
      ++out.incidents;
      gravity_sum += g.Gravity(i);
      if (!last || row.on > *last) last = row.on;
    });
  }
  if (out.incidents > 0) {
    const double days = static_cast<double>(DaysBetween(*last, as_of));
    out.recency = std::exp2(-days / std::max(1, policy.recency_half_life_days));
    const double n = static_cast<double>(out.incidents);
    out.frequency = n / (n + policy.frequency_scale);
    out.gravity = policy.max_gravity > 0
                      ? std::min(1.0, gravity_sum / n / policy.max_gravity)
                      : 0;
  }
  out.score = policy.recency_weight * out.recency +
              policy.frequency_weight * out.frequency +
              policy.gravity_weight * out.gravity;
  std::ostringstream reason;
  reason.precision(3);
  reason << out.incidents << " incident" << (out.incidents == 1 ? "" : "s")
         << " as perpetrator between " << from.ToString() << " and "
         << as_of.ToString();
  if (last) reason << ", the last on " << last->ToString();
  reason << ": recency " << out.recency << " x " << policy.recency_weight
         << " + frequency " << out.frequency << " x " << policy.frequency_weight
         << " + gravity " << out.gravity << " x " << policy.gravity_weight
         << " = " << out.score << " (weights are local policy)";
  out.reason = reason.str();
  return out;
}

Network CaseGraph::NetworkAround(std::string_view person) const {
  const Impl& g = *impl_;
  Network out;
  const std::optional<VertexId> v = g.FindPerson(person);
  if (!v) return out;
  std::set<std::string> perpetrators, victims, co_victims, co_perpetrators,
      children;
  std::set<VertexId> perpetrator_vertices, victim_vertices;
  g.Out(*v, EdgeKind::kVictimOf, [&](VertexId i) {
    g.In(i, EdgeKind::kPerpetratorOf, [&](VertexId p) {
      perpetrator_vertices.insert(p);
      perpetrators.insert(g.NameOf(p));
    });
  });
  g.Out(*v, EdgeKind::kPerpetratorOf, [&](VertexId i) {
    g.In(i, EdgeKind::kVictimOf, [&](VertexId x) {
      victim_vertices.insert(x);
      victims.insert(g.NameOf(x));
    });
  });
  for (const VertexId p : perpetrator_vertices) {
    g.Out(p, EdgeKind::kPerpetratorOf, [&](VertexId i) {
      g.In(i, EdgeKind::kVictimOf, [&](VertexId x) {
        if (x != *v) co_victims.insert(g.NameOf(x));
      });
    });
  }
  for (const VertexId x : victim_vertices) {
    g.Out(x, EdgeKind::kVictimOf, [&](VertexId i) {
      g.In(i, EdgeKind::kPerpetratorOf, [&](VertexId p) {
        if (p != *v) co_perpetrators.insert(g.NameOf(p));
      });
    });
  }
  g.Out(*v, EdgeKind::kMemberOf, [&](VertexId h) {
    g.In(h, EdgeKind::kChildMemberOf,
         [&](VertexId c) { children.insert(g.NameOf(c)); });
  });
  out.perpetrators.assign(perpetrators.begin(), perpetrators.end());
  out.victims.assign(victims.begin(), victims.end());
  out.co_victims.assign(co_victims.begin(), co_victims.end());
  out.co_perpetrators.assign(co_perpetrators.begin(), co_perpetrators.end());
  out.children.assign(children.begin(), children.end());
  return out;
}

std::vector<std::string> CaseGraph::IncidentsOf(std::string_view person) const {
  const Impl& g = *impl_;
  std::vector<const Dated*> rows;
  const std::optional<VertexId> v = g.FindPerson(person);
  if (v) {
    g.Out(*v, EdgeKind::kVictimOf,
          [&](VertexId i) { rows.push_back(&g.IncidentRow(i)); });
  }
  std::sort(rows.begin(), rows.end(), [](const Dated* a, const Dated* b) {
    return a->on != b->on ? a->on < b->on : a->id < b->id;
  });
  std::vector<std::string> out;
  for (const Dated* r : rows) out.push_back(r->id);
  return out;
}

std::vector<Hearing> CaseGraph::HearingsOf(std::string_view person) const {
  const Impl& g = *impl_;
  std::vector<Hearing> out;
  const std::optional<VertexId> v = g.FindPerson(person);
  if (!v) return out;
  g.Out(*v, EdgeKind::kReferredIn, [&](VertexId r) {
    g.Out(r, EdgeKind::kHeardAt, [&](VertexId m) {
      const Dated& meeting = g.meeting_rows[g.graph[m].index];
      out.push_back(
          {g.referral_rows[g.graph[r].index].id, meeting.id, meeting.on});
    });
  });
  std::sort(out.begin(), out.end(), [](const Hearing& a, const Hearing& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.meeting_id != b.meeting_id) return a.meeting_id < b.meeting_id;
    return a.referral_id < b.referral_id;
  });
  return out;
}

std::optional<Hearing> CaseGraph::HeardBefore(std::string_view referral_id,
                                              Date before) const {
  const Impl& g = *impl_;
  const std::optional<VertexId> r = Impl::Find(g.referral_index, referral_id);
  std::optional<Hearing> first;
  if (!r) return first;
  g.Out(*r, EdgeKind::kHeardAt, [&](VertexId m) {
    const Dated& meeting = g.meeting_rows[g.graph[m].index];
    if (!(meeting.on < before)) return;
    if (!first || meeting.on < first->date ||
        (meeting.on == first->date && meeting.id < first->meeting_id)) {
      first = Hearing{std::string(referral_id), meeting.id, meeting.on};
    }
  });
  return first;
}

RiskTrend CaseGraph::RiskTrendOf(std::string_view victim, Date as_of) const {
  const Impl& g = *impl_;
  RiskTrend out;
  const AssessmentRow* intake = nullptr;
  const AssessmentRow* latest = nullptr;
  const auto before = [](const AssessmentRow* a, const AssessmentRow* b) {
    return a->on != b->on ? a->on < b->on : a->id < b->id;
  };
  const std::optional<VertexId> v = g.FindPerson(victim);
  if (v) {
    g.Out(*v, EdgeKind::kAssessedIn, [&](VertexId a) {
      const AssessmentRow& row = g.assessment_rows[g.graph[a].index];
      if (as_of < row.on) return;
      ++out.assessments;
      if (intake == nullptr || before(&row, intake)) intake = &row;
      if (latest == nullptr || before(latest, &row)) latest = &row;
    });
  }
  if (out.assessments < 2) {
    out.reason = std::string(victim) + " has " +
                 std::to_string(out.assessments) + " assessment" +
                 (out.assessments == 1 ? "" : "s") + " up to " +
                 as_of.ToString() + ": no reassessment to compare";
    if (intake != nullptr) {
      out.intake_id = out.latest_id = intake->id;
      out.intake_score = out.latest_score = intake->score;
      out.intake_severity = out.latest_severity = intake->severity;
    }
    return out;
  }
  out.intake_id = intake->id;
  out.latest_id = latest->id;
  out.intake_score = intake->score;
  out.latest_score = latest->score;
  out.intake_severity = intake->severity;
  out.latest_severity = latest->severity;
  out.reduced = latest->score < intake->score;
  out.reason = "Intake " + intake->id + " on " + intake->on.ToString() +
               " scored " + std::to_string(intake->score) + ", latest " +
               latest->id + " on " + latest->on.ToString() + " scored " +
               std::to_string(latest->score) +
               (out.reduced ? ": risk fell" : ": risk did not fall");
  return out;
}

std::size_t CaseGraph::people() const { return impl_->person_ids.size(); }
std::size_t CaseGraph::incidents() const { return impl_->incident_rows.size(); }
std::size_t CaseGraph::referrals() const { return impl_->referral_rows.size(); }
std::size_t CaseGraph::assessments() const {
  return impl_->assessment_rows.size();
}
std::size_t CaseGraph::meetings() const { return impl_->meeting_rows.size(); }
const GraphPolicy& CaseGraph::policy() const { return impl_->policy; }

}  // namespace marac
