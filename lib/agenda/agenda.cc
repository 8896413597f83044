#include "marac/agenda/agenda.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/common/html.h"
#include "lib/common/strict_json.h"

namespace marac {

namespace {

// Minutes after midnight of "HH:MM"; none for anything else.
std::optional<int> StartMinutes(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

Status CheckPolicy(const PriorityPolicy& p) {
  const std::pair<const char*, double> weights[] = {
      {"policy.per_high_harm_indicator", p.per_high_harm_indicator},
      {"policy.grade_high", p.grade_high},
      {"policy.grade_medium", p.grade_medium},
      {"policy.per_score_point", p.per_score_point},
      {"policy.repeat", p.repeat},
      {"policy.serial_perpetrator", p.serial_perpetrator},
      {"policy.per_child", p.per_child},
      {"policy.per_day_waiting", p.per_day_waiting}};
  for (const auto& [name, value] : weights) {
    if (!std::isfinite(value) || value < 0) {
      return InvalidArgument(name, "must be a finite number, 0 or more");
    }
  }
  if (p.version.empty()) return InvalidArgument("policy.version", "empty");
  if (p.minutes_per_case <= 0) {
    return InvalidArgument("policy.minutes_per_case", "must be above 0");
  }
  if (p.escalate_after_days < 0) {
    return InvalidArgument("policy.escalate_after_days", "negative");
  }
  if (p.officer_high_as_score > 64 || p.officer_medium_as_score > 64) {
    return InvalidArgument(p.officer_high_as_score > 64
                               ? "policy.officer_high_as_score"
                               : "policy.officer_medium_as_score",
                           "must be 0 to 64 (a checklist count)");
  }
  if (p.max_children_counted < 0) {
    return InvalidArgument("policy.max_children_counted", "negative");
  }
  if (!StartMinutes(p.meeting_start)) {
    return InvalidArgument(
        "policy.meeting_start",
        "'" + p.meeting_start + "' is not a time of day as HH:MM (24-hour)");
  }
  if (p.protective_marking.empty()) {
    return InvalidArgument("policy.protective_marking",
                           "empty: every view carries a marking");
  }
  return Status::Ok();
}

// "09:30" and the minutes per case: "09:30-09:45" for the first case.
std::string Slot(int start, int minutes_per_case, std::size_t k) {
  const auto clock = [](int m) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", (m / 60) % 24, m % 60);
    return std::string(text);
  };
  const int from = start + static_cast<int>(k) * minutes_per_case;
  return clock(from) + "-" + clock(from + minutes_per_case);
}

// Listed cases that share a perpetrator or a household are heard one
// after the other: each group follows its highest-ranked member, in rank
// order within it. Ranks then follow the order heard.
void HearLinkedTogether(std::vector<RankedCase>& listed) {
  const auto linked = [](const AgendaCase& a, const AgendaCase& b) {
    if (!a.household.empty() && a.household == b.household) return true;
    for (const std::string& p : a.perpetrator_people) {
      if (std::find(b.perpetrator_people.begin(), b.perpetrator_people.end(),
                    p) != b.perpetrator_people.end()) {
        return true;
      }
    }
    return false;
  };
  // Groups by union of linked pairs (a case linked to two others joins
  // both groups into one).
  std::vector<std::size_t> group(listed.size());
  for (std::size_t i = 0; i < listed.size(); ++i) group[i] = i;
  const auto root = [&](std::size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (std::size_t i = 0; i < listed.size(); ++i) {
    for (std::size_t k = i + 1; k < listed.size(); ++k) {
      if (linked(listed[i].item, listed[k].item)) {
        group[root(k)] = root(i);
      }
    }
  }
  std::vector<RankedCase> ordered;
  std::vector<bool> placed(listed.size(), false);
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (placed[i]) continue;
    std::vector<std::size_t> members;
    for (std::size_t k = i; k < listed.size(); ++k) {
      if (!placed[k] && root(k) == root(i)) members.push_back(k);
    }
    for (const std::size_t k : members) {
      placed[k] = true;
      for (const std::size_t other : members) {
        if (other != k) {
          listed[k].linked_cases.push_back(listed[other].item.referral_id);
        }
      }
      ordered.push_back(std::move(listed[k]));
    }
  }
  listed = std::move(ordered);
}

RankedCase Rank(const AgendaCase& c, const AgendaMeeting& meeting,
                const PriorityPolicy& p) {
  RankedCase r;
  r.item = c;
  r.days_waiting = static_cast<int>(
      std::max<std::int64_t>(0, DaysBetween(c.referred_on, meeting.date)));
  r.escalated = r.days_waiting > p.escalate_after_days;
  if (c.date_of_birth)
    r.under_18 = WholeYears(*c.date_of_birth, meeting.date) < 18;
  const auto add = [&](std::string factor, double points, std::string detail) {
    if (points == 0) return;
    r.contributions.push_back({std::move(factor), points, std::move(detail)});
  };
  std::set<std::string> harms(c.high_harm_indicators.begin(),
                              c.high_harm_indicators.end());
  for (const std::string& h : p.high_harm_indicators) {
    if (harms.contains(h)) {
      add("high_harm:" + h, p.per_high_harm_indicator,
          "high-harm indicator present: " + h);
    }
  }
  if (c.grade == Grade::kHigh) add("grade", p.grade_high, "graded high risk");
  if (c.grade == Grade::kMedium) {
    add("grade", p.grade_medium, "graded medium risk");
  }
  if (c.officer_graded) {
    // No yes-count: the grade stands for the least count it needs.
    const int as = c.grade == Grade::kHigh     ? p.officer_high_as_score
                   : c.grade == Grade::kMedium ? p.officer_medium_as_score
                                               : 0;
    add("score", p.per_score_point * as,
        "graded " + std::string(c.grade ? GradeName(*c.grade) : "") +
            " by the officer (DARA), no yes-count: counted as " +
            std::to_string(as));
  } else {
    add("score", p.per_score_point * c.score,
        std::to_string(c.score) + " yes answers");
  }
  if (c.repeat) add("repeat", p.repeat, c.repeat_reason);
  if (c.serial_perpetrator) {
    add("serial_perpetrator", p.serial_perpetrator, c.serial_reason);
  }
  const int children =
      std::min(std::max(c.children, 0), p.max_children_counted);
  add("children", p.per_child * children,
      std::to_string(c.children) + " children in the household" +
          (c.children > children ? " (" + std::to_string(children) + " counted)"
                                 : ""));
  add("waiting", p.per_day_waiting * r.days_waiting,
      std::to_string(r.days_waiting) + " days since referral");
  // The sum, in the order listed, so the explanation adds up exactly.
  for (const Contribution& k : r.contributions) r.priority += k.points;
  return r;
}

}  // namespace

Result<PriorityPolicy> ParsePriorityPolicy(std::string_view json) {
  MARAC_ASSIGN_OR_RETURN(const Json j,
                         ParseStrictJson(json, {.where = "policy"}));
  if (!j.is_object()) return InvalidArgument("policy", "must be an object");
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(j, "policy",
                                       {"version",
                                        "high_harm_indicators",
                                        "per_high_harm_indicator",
                                        "grade_high",
                                        "grade_medium",
                                        "per_score_point",
                                        "officer_high_as_score",
                                        "officer_medium_as_score",
                                        "repeat",
                                        "serial_perpetrator",
                                        "per_child",
                                        "max_children_counted",
                                        "per_day_waiting",
                                        "escalate_after_days",
                                        "minutes_per_case",
                                        "meeting_start",
                                        "protective_marking",
                                        "chair_sees_names",
                                        "chair_sees_addresses",
                                        "chair_sees_phone_numbers"}));
  PriorityPolicy p;
  const auto number = [&](const char* key, double& into) -> Status {
    const Json* v = FindMember(j, key);
    if (v == nullptr) return Status::Ok();
    if (!v->is_number()) {
      return InvalidArgument(
          JoinPath("policy", key),
          "must be a number, not " + std::string(JsonTypeName(*v)));
    }
    into = v->get<double>();
    return Status::Ok();
  };
  const auto whole = [&](const char* key, int& into) -> Status {
    const Json* v = FindMember(j, key);
    if (v == nullptr) return Status::Ok();
    MARAC_ASSIGN_OR_RETURN(const std::int64_t n,
                           ReadInt(*v, JoinPath("policy", key), 0, 100'000));
    into = static_cast<int>(n);
    return Status::Ok();
  };
  const auto flag = [&](const char* key, bool& into) -> Status {
    const Json* v = FindMember(j, key);
    if (v == nullptr) return Status::Ok();
    MARAC_ASSIGN_OR_RETURN(into, ReadBool(*v, JoinPath("policy", key)));
    return Status::Ok();
  };
  if (const Json* v = FindMember(j, "version")) {
    MARAC_ASSIGN_OR_RETURN(p.version, ReadString(*v, "policy.version", 64));
  }
  if (const Json* v = FindMember(j, "high_harm_indicators")) {
    if (!v->is_array()) {
      return InvalidArgument("policy.high_harm_indicators",
                             "must be an array of indicator ids");
    }
    p.high_harm_indicators.clear();
    for (std::size_t k = 0; k < v->size(); ++k) {
      MARAC_ASSIGN_OR_RETURN(
          std::string id,
          ReadString((*v)[k],
                     "policy.high_harm_indicators." + std::to_string(k), 64));
      p.high_harm_indicators.push_back(std::move(id));
    }
  }
  MARAC_RETURN_IF_ERROR(
      number("per_high_harm_indicator", p.per_high_harm_indicator));
  MARAC_RETURN_IF_ERROR(number("grade_high", p.grade_high));
  MARAC_RETURN_IF_ERROR(number("grade_medium", p.grade_medium));
  MARAC_RETURN_IF_ERROR(number("per_score_point", p.per_score_point));
  MARAC_RETURN_IF_ERROR(
      whole("officer_high_as_score", p.officer_high_as_score));
  MARAC_RETURN_IF_ERROR(
      whole("officer_medium_as_score", p.officer_medium_as_score));
  MARAC_RETURN_IF_ERROR(number("repeat", p.repeat));
  MARAC_RETURN_IF_ERROR(number("serial_perpetrator", p.serial_perpetrator));
  MARAC_RETURN_IF_ERROR(number("per_child", p.per_child));
  MARAC_RETURN_IF_ERROR(whole("max_children_counted", p.max_children_counted));
  MARAC_RETURN_IF_ERROR(number("per_day_waiting", p.per_day_waiting));
  MARAC_RETURN_IF_ERROR(whole("escalate_after_days", p.escalate_after_days));
  MARAC_RETURN_IF_ERROR(whole("minutes_per_case", p.minutes_per_case));
  if (const Json* v = FindMember(j, "meeting_start")) {
    MARAC_ASSIGN_OR_RETURN(p.meeting_start,
                           ReadString(*v, "policy.meeting_start", 5));
  }
  if (const Json* v = FindMember(j, "protective_marking")) {
    MARAC_ASSIGN_OR_RETURN(p.protective_marking,
                           ReadString(*v, "policy.protective_marking", 64));
  }
  MARAC_RETURN_IF_ERROR(flag("chair_sees_names", p.chair_sees_names));
  MARAC_RETURN_IF_ERROR(flag("chair_sees_addresses", p.chair_sees_addresses));
  MARAC_RETURN_IF_ERROR(
      flag("chair_sees_phone_numbers", p.chair_sees_phone_numbers));
  MARAC_RETURN_IF_ERROR(CheckPolicy(p));
  return p;
}

std::string PriorityPolicyJson(const PriorityPolicy& p) {
  nlohmann::ordered_json j;
  j["version"] = p.version;
  j["high_harm_indicators"] = p.high_harm_indicators;
  j["per_high_harm_indicator"] = p.per_high_harm_indicator;
  j["grade_high"] = p.grade_high;
  j["grade_medium"] = p.grade_medium;
  j["per_score_point"] = p.per_score_point;
  j["officer_high_as_score"] = p.officer_high_as_score;
  j["officer_medium_as_score"] = p.officer_medium_as_score;
  j["repeat"] = p.repeat;
  j["serial_perpetrator"] = p.serial_perpetrator;
  j["per_child"] = p.per_child;
  j["max_children_counted"] = p.max_children_counted;
  j["per_day_waiting"] = p.per_day_waiting;
  j["escalate_after_days"] = p.escalate_after_days;
  j["minutes_per_case"] = p.minutes_per_case;
  j["meeting_start"] = p.meeting_start;
  j["protective_marking"] = p.protective_marking;
  j["chair_sees_names"] = p.chair_sees_names;
  j["chair_sees_addresses"] = p.chair_sees_addresses;
  j["chair_sees_phone_numbers"] = p.chair_sees_phone_numbers;
  return j.dump(2) + "\n";
}

std::string Initials(std::string_view given, std::string_view family) {
  std::string out;
  for (const std::string_view name : {given, family}) {
    for (const char c : name) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        out += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
        out += '.';
        break;
      }
    }
  }
  return out.empty() ? "-" : out;
}

Result<Agenda> BuildAgenda(const AgendaMeeting& meeting,
                           std::span<const AgendaCase> cases,
                           const PriorityPolicy& policy) {
  MARAC_RETURN_IF_ERROR(CheckPolicy(policy));
  if (meeting.capacity_cases < 0 || meeting.capacity_minutes < 0) {
    return InvalidArgument("meeting.capacity_cases", "negative");
  }
  if (meeting.capacity_cases == 0 && meeting.capacity_minutes == 0) {
    return InvalidArgument("meeting.capacity_cases",
                           "a meeting needs a capacity in cases or minutes");
  }
  if (meeting.referral_cutoff > meeting.date) {
    return InvalidArgument("meeting.referral_cutoff", "after the meeting");
  }
  Agenda agenda;
  agenda.meeting = meeting;
  agenda.policy_version = policy.version;
  int capacity = meeting.capacity_cases > 0 ? meeting.capacity_cases
                                            : std::numeric_limits<int>::max();
  if (meeting.capacity_minutes > 0) {
    capacity =
        std::min(capacity, meeting.capacity_minutes / policy.minutes_per_case);
  }
  agenda.capacity = capacity;

  std::set<std::string_view> ids;
  std::vector<RankedCase> eligible;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const AgendaCase& c = cases[i];
    const std::string field = "cases[" + std::to_string(i) + "]";
    if (c.referral_id.empty()) {
      return InvalidArgument(field + ".referral_id", "empty");
    }
    if (!ids.insert(c.referral_id).second) {
      return InvalidArgument(field + ".referral_id",
                             "'" + c.referral_id + "' repeated");
    }
    if (c.score < 0) return InvalidArgument(field + ".score", "negative");
    if (!meeting.area.empty() && c.area != meeting.area) {
      agenda.not_eligible.push_back(
          {c.referral_id, "another area (" + c.area + ")"});
      continue;
    }
    if (c.referred_on > meeting.referral_cutoff) {
      agenda.not_eligible.push_back(
          {c.referral_id,
           "referred on " + c.referred_on.ToString() + ", after the cut-off " +
               meeting.referral_cutoff.ToString() + ": for the next meeting"});
      continue;
    }
    if (c.criteria.empty() && !c.repeat) {
      agenda.not_eligible.push_back(
          {c.referral_id, "meets no referral criterion and is not a repeat"});
      continue;
    }
    eligible.push_back(Rank(c, meeting, policy));
  }
  // Escalated first (longest waiting first), then by priority; ties by
  // referral date and id, so the order never depends on the input's.
  std::sort(eligible.begin(), eligible.end(),
            [](const RankedCase& x, const RankedCase& y) {
              if (x.escalated != y.escalated) return x.escalated;
              if (x.escalated && x.days_waiting != y.days_waiting) {
                return x.days_waiting > y.days_waiting;
              }
              if (x.priority != y.priority) return x.priority > y.priority;
              if (x.item.referred_on != y.item.referred_on) {
                return x.item.referred_on < y.item.referred_on;
              }
              return x.item.referral_id < y.item.referral_id;
            });
  for (std::size_t k = 0; k < eligible.size(); ++k) {
    eligible[k].rank = static_cast<int>(k + 1);
    if (static_cast<int>(k) < capacity) {
      agenda.listed.push_back(std::move(eligible[k]));
    } else {
      DeferredCase d;
      d.reason = "beyond this meeting's capacity of " +
                 std::to_string(capacity) + " cases (rank " +
                 std::to_string(k + 1) +
                 "): list at the next meeting or an extra one; safety "
                 "planning continues meanwhile";
      d.ranked = std::move(eligible[k]);
      agenda.deferred.push_back(std::move(d));
    }
  }
  HearLinkedTogether(agenda.listed);
  const int start = *StartMinutes(policy.meeting_start);
  for (std::size_t k = 0; k < agenda.listed.size(); ++k) {
    agenda.listed[k].rank = static_cast<int>(k + 1);
    agenda.listed[k].time_slot = Slot(start, policy.minutes_per_case, k);
  }
  return agenda;
}

Agenda CountedOnly(Agenda agenda) {
  if (agenda.counted) return agenda;
  Agenda::Counted c;
  c.deferred = agenda.deferred.size();
  c.not_eligible = agenda.not_eligible.size();
  for (const DeferredCase& d : agenda.deferred) {
    c.interim_safety_plans += d.interim_safety_plan;
  }
  agenda.deferred.clear();
  agenda.not_eligible.clear();
  agenda.counted = c;
  return agenda;
}

}  // namespace marac
