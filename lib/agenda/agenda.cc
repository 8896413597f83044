#include "marac/agenda/agenda.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/common/html.h"
#include "lib/common/strict_json.h"

namespace marac {
std::string_view GradeText(const AgendaCase& c) {
  return c.grade ? GradeName(*c.grade) : std::string_view();
}

namespace {

std::string Points(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", p);
  return text;
}

// Whole years from `dob` to `on`.

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
  if (p.max_children_counted < 0) {
    return InvalidArgument("policy.max_children_counted", "negative");
  }
  return Status::Ok();
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
  add("score", p.per_score_point * c.score,
      std::to_string(c.score) + " yes answers");
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

std::string CriteriaText(const std::vector<std::string>& criteria) {
  std::string out;
  for (const std::string& c : criteria) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out.empty() ? "none" : out;
}

std::string Flags(const RankedCase& r) {
  std::vector<std::string> flags;
  if (r.escalated) flags.push_back("ESCALATED (waited past limit)");
  if (r.item.repeat) flags.push_back("repeat");
  if (r.item.last_referral_on) {
    flags.push_back("last referral " + r.item.last_referral_on->ToString());
  }
  if (r.item.prior_incidents > 0) {
    flags.push_back(std::to_string(r.item.prior_incidents) + " prior incident" +
                    (r.item.prior_incidents == 1 ? "" : "s"));
  }
  if (r.item.serial_perpetrator) {
    flags.push_back(r.item.perpetrator_victims > 0
                        ? "serial perpetrator (" +
                              std::to_string(r.item.perpetrator_victims) +
                              " victims)"
                        : std::string("serial perpetrator"));
  }
  if (r.under_18) flags.push_back("UNDER 18: safeguarding");
  if (r.item.children > 0) {
    flags.push_back(std::to_string(r.item.children) +
                    (r.item.children == 1 ? " child" : " children"));
  }
  if (r.item.idva_allocated) {
    flags.push_back(r.item.idva_engagement.empty() ||
                            r.item.idva_engagement == "not_known"
                        ? std::string("IDVA allocated")
                        : "IDVA allocated (" + r.item.idva_engagement + ")");
  }
  for (const std::string& h : r.item.high_harm_indicators) flags.push_back(h);
  std::string out;
  for (const std::string& f : flags) {
    if (!out.empty()) out += "; ";
    out += f;
  }
  return out.empty() ? "-" : out;
}

std::string AgeText(const RankedCase& r, Date on) {
  return r.item.date_of_birth
             ? std::to_string(WholeYears(*r.item.date_of_birth, on))
             : "not known";
}

// What the view may show of the victim beyond initials and age.
struct Shown {
  bool names;
  bool addresses;
  bool phones;
};
Shown ShownIn(AgendaView view, const PriorityPolicy& p) {
  if (view == AgendaView::kCirculated) return {false, false, false};
  return {p.chair_sees_names, p.chair_sees_addresses,
          p.chair_sees_phone_numbers};
}

// The victim as a view may show them: initials always, then what it allows.
std::string VictimText(const RankedCase& r, Shown shown) {
  std::string victim = Initials(r.item.given_name, r.item.family_name);
  if (shown.names) {
    victim += " " + r.item.given_name + " " + r.item.family_name;
  }
  if (shown.addresses) {
    victim += ", " + r.item.address + " " + r.item.postcode;
  }
  if (shown.phones) victim += ", tel. " + r.item.phone;
  return victim;
}

nlohmann::ordered_json CaseJson(const RankedCase& r, const Agenda& a,
                                Shown shown) {
  nlohmann::ordered_json j;
  j["rank"] = r.rank;
  j["case_reference"] = r.item.case_reference;
  j["referral_id"] = r.item.referral_id;
  j["area"] = r.item.area;
  j["referring_agency"] = r.item.agency;
  j["referred_on"] = r.item.referred_on.ToString();
  j["initials"] = Initials(r.item.given_name, r.item.family_name);
  if (r.item.date_of_birth) {
    j["age"] = WholeYears(*r.item.date_of_birth, a.meeting.date);
  } else {
    j["age"] = nullptr;
  }
  if (shown.names) {
    j["name"] = r.item.given_name + " " + r.item.family_name;
  }
  if (shown.addresses) {
    j["address"] = r.item.address;
    j["postcode"] = r.item.postcode;
  }
  if (shown.phones) j["phone"] = r.item.phone;
  j["grade"] = GradeText(r.item);
  j["score"] = r.item.score;
  j["criteria"] = r.item.criteria;
  j["high_harm_indicators"] = r.item.high_harm_indicators;
  j["repeat"] = r.item.repeat;
  if (r.item.repeat) j["repeat_reason"] = r.item.repeat_reason;
  j["serial_perpetrator"] = r.item.serial_perpetrator;
  if (r.item.serial_perpetrator) j["serial_reason"] = r.item.serial_reason;
  j["children"] = r.item.children;
  j["under_18"] = r.under_18;
  if (r.item.last_referral_on) {
    j["last_referral_on"] = r.item.last_referral_on->ToString();
  } else {
    j["last_referral_on"] = nullptr;
  }
  j["prior_incidents"] = r.item.prior_incidents;
  j["perpetrator_victims"] = r.item.perpetrator_victims;
  j["idva_allocated"] = r.item.idva_allocated;
  if (r.item.idva_allocated) j["idva_engagement"] = r.item.idva_engagement;
  j["days_waiting"] = r.days_waiting;
  j["escalated"] = r.escalated;
  j["priority"] = r.priority;
  nlohmann::ordered_json parts = nlohmann::ordered_json::array();
  for (const Contribution& k : r.contributions) {
    parts.push_back(
        {{"factor", k.factor}, {"points", k.points}, {"detail", k.detail}});
  }
  j["contributions"] = std::move(parts);
  return j;
}

// Markdown table cells: no pipes or newlines from the data.
std::string Cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Explanation(const RankedCase& r) {
  std::string out;
  for (const Contribution& k : r.contributions) {
    if (!out.empty()) out += " + ";
    out += k.factor + " " + Points(k.points);
  }
  return (out.empty() ? "0" : out) + " = " + Points(r.priority);
}

std::string ViewName(AgendaView view) {
  return view == AgendaView::kChair ? "chair" : "circulated";
}

}  // namespace

Result<PriorityPolicy> ParsePriorityPolicy(std::string_view json) {
  MARAC_ASSIGN_OR_RETURN(const Json j,
                         ParseStrictJson(json, {.where = "policy"}));
  if (!j.is_object()) return InvalidArgument("policy", "must be an object");
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(
      j, "policy",
      {"version", "high_harm_indicators", "per_high_harm_indicator",
       "grade_high", "grade_medium", "per_score_point", "repeat",
       "serial_perpetrator", "per_child", "max_children_counted",
       "per_day_waiting", "escalate_after_days", "minutes_per_case",
       "chair_sees_names", "chair_sees_addresses",
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
  MARAC_RETURN_IF_ERROR(number("repeat", p.repeat));
  MARAC_RETURN_IF_ERROR(number("serial_perpetrator", p.serial_perpetrator));
  MARAC_RETURN_IF_ERROR(number("per_child", p.per_child));
  MARAC_RETURN_IF_ERROR(whole("max_children_counted", p.max_children_counted));
  MARAC_RETURN_IF_ERROR(number("per_day_waiting", p.per_day_waiting));
  MARAC_RETURN_IF_ERROR(whole("escalate_after_days", p.escalate_after_days));
  MARAC_RETURN_IF_ERROR(whole("minutes_per_case", p.minutes_per_case));
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
  j["repeat"] = p.repeat;
  j["serial_perpetrator"] = p.serial_perpetrator;
  j["per_child"] = p.per_child;
  j["max_children_counted"] = p.max_children_counted;
  j["per_day_waiting"] = p.per_day_waiting;
  j["escalate_after_days"] = p.escalate_after_days;
  j["minutes_per_case"] = p.minutes_per_case;
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
  return agenda;
}

namespace {

std::size_t DeferredCount(const Agenda& a) {
  return a.counted ? a.counted->deferred : a.deferred.size();
}
std::size_t NotEligibleCount(const Agenda& a) {
  return a.counted ? a.counted->not_eligible : a.not_eligible.size();
}

// What a counted agenda says in place of its deferred and not-eligible
// lists: a heading and a sentence for each, then who holds the lists.
struct CountedText {
  std::string deferred;
  std::string not_eligible;
  std::string lists;
};
CountedText CountedNote(const Agenda& a) {
  const Agenda::Counted& c = *a.counted;
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return {count(c.deferred, "eligible case", "eligible cases") +
              " could not be listed within the capacity of " +
              count(static_cast<std::size_t>(a.capacity), "case", "cases") +
              "; " + count(c.interim_safety_plans, "needs", "need") +
              " an interim safety plan until heard.",
          count(c.not_eligible, "referral", "referrals") +
              " (referred after the cut-off, for the next meeting, or "
              "meeting no referral criterion).",
          "The MARAC coordinator can list both, case by case."};
}

}  // namespace

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

std::string AgendaJson(const Agenda& a, AgendaView view,
                       const PriorityPolicy& policy) {
  const Shown shown = ShownIn(view, policy);
  nlohmann::ordered_json j;
  j["meeting_id"] = a.meeting.meeting_id;
  j["area"] = a.meeting.area;
  j["date"] = a.meeting.date.ToString();
  j["referral_cutoff"] = a.meeting.referral_cutoff.ToString();
  j["view"] = ViewName(view);
  j["policy_version"] = a.policy_version;
  j["capacity"] = a.capacity;
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const RankedCase& r : a.listed) listed.push_back(CaseJson(r, a, shown));
  j["cases"] = std::move(listed);
  if (!a.counted) {
    nlohmann::ordered_json deferred = nlohmann::ordered_json::array();
    for (const DeferredCase& d : a.deferred) {
      nlohmann::ordered_json c = CaseJson(d.ranked, a, shown);
      c["deferred_reason"] = d.reason;
      c["interim_safety_plan"] = d.interim_safety_plan;
      deferred.push_back(std::move(c));
    }
    j["deferred"] = std::move(deferred);
    nlohmann::ordered_json left = nlohmann::ordered_json::array();
    for (const LeftOut& l : a.not_eligible) {
      left.push_back({{"referral_id", l.referral_id}, {"reason", l.reason}});
    }
    j["not_eligible"] = std::move(left);
  }
  j["summary"] = {{"listed", a.listed.size()},
                  {"deferred", DeferredCount(a)},
                  {"not_eligible", NotEligibleCount(a)}};
  if (a.counted) {
    // The lists are not in this document: say so, and what they hold.
    j["summary"]["interim_safety_plans"] = a.counted->interim_safety_plans;
    j["summary"]["deferred_and_not_eligible_listed_separately"] = true;
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string AgendaMarkdown(const Agenda& a, AgendaView view,
                           const PriorityPolicy& policy) {
  const Shown shown = ShownIn(view, policy);
  std::string md;
  md += "# MARAC agenda: " +
        (a.meeting.area.empty() ? std::string("all areas") : a.meeting.area) +
        ", " + a.meeting.date.ToString() + "\n\n";
  md += "View: " + ViewName(view) +
        (view == AgendaView::kCirculated
             ? " (references, initials and ages only; restricted: do not "
               "forward)"
             : " (chair only; restricted)") +
        ". Referral cut-off " + a.meeting.referral_cutoff.ToString() +
        "; capacity " + std::to_string(a.capacity) +
        " cases; priority policy " + a.policy_version + ".\n\n";
  md += std::to_string(a.listed.size()) + " cases listed, " +
        std::to_string(DeferredCount(a)) + " deferred beyond capacity, " +
        std::to_string(NotEligibleCount(a)) + " referrals not eligible.\n\n";
  const auto table = [&](const std::vector<const RankedCase*>& rows,
                         const std::vector<std::string>& notes) {
    std::string out =
        "| Rank | Case | Victim | Age | Grade (score) | "
        "Criteria | Flags | Priority (explained) |";
    out += (notes.empty() ? "" : " Deferred |");
    out += "\n|---|---|---|---|---|---|---|---|";
    out += (notes.empty() ? "" : "---|");
    out += "\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const RankedCase& r = *rows[k];
      const std::string victim = VictimText(r, shown);
      out += "| " + std::to_string(r.rank) + " | " +
             Cell(r.item.case_reference) + " | " + Cell(victim) + " | " +
             AgeText(r, a.meeting.date) + " | " + Cell(GradeText(r.item)) +
             " (" + std::to_string(r.item.score) + ") | " +
             Cell(CriteriaText(r.item.criteria)) + " | " + Cell(Flags(r)) +
             " | " + Cell(Explanation(r)) + " |";
      if (!notes.empty()) out += " " + Cell(notes[k]) + " |";
      out += "\n";
    }
    return out;
  };
  std::vector<const RankedCase*> listed;
  for (const RankedCase& r : a.listed) listed.push_back(&r);
  md += "## Cases\n\n" + (listed.empty() ? "None.\n" : table(listed, {}));
  if (a.counted) {
    const CountedText note = CountedNote(a);
    md += "\n## Deferred: beyond capacity\n\n" + note.deferred +
          "\n\n## Not eligible for this meeting\n\n" + note.not_eligible +
          "\n\n" + note.lists + "\n";
  }
  if (!a.deferred.empty()) {
    std::vector<const RankedCase*> rows;
    std::vector<std::string> notes;
    for (const DeferredCase& d : a.deferred) {
      rows.push_back(&d.ranked);
      notes.push_back(d.reason + (d.interim_safety_plan
                                      ? " INTERIM SAFETY PLAN REQUIRED."
                                      : ""));
    }
    md += "\n## Deferred: beyond capacity\n\n" + table(rows, notes);
  }
  if (!a.not_eligible.empty()) {
    md += "\n## Not eligible for this meeting\n\n";
    for (const LeftOut& l : a.not_eligible) {
      md += "- " + Cell(l.referral_id) + ": " + Cell(l.reason) + "\n";
    }
  }
  return md;
}

std::string AgendaHtml(const Agenda& a, AgendaView view,
                       const PriorityPolicy& policy) {
  const Shown shown = ShownIn(view, policy);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>MARAC agenda " +
      HtmlEscape(a.meeting.date.ToString()) +
      "</title>\n<style>\nbody{font-family:serif;margin:1.5cm;color:#000}"
      "table{border-collapse:collapse;width:100%;font-size:10pt}"
      "th,td{border:1px solid #000;padding:3pt;vertical-align:top;text-align:"
      "left}th{background:#eee}h1{font-size:16pt}h2{font-size:13pt}"
      ".restricted{font-weight:bold;border:2px solid #000;padding:4pt}"
      ".flag{font-weight:bold}tr{page-break-inside:avoid}"
      "@media print{body{margin:0}}\n</style>\n</head>\n<body>\n";
  h += "<p class=\"restricted\">RESTRICTED: MARAC " + ViewName(view) +
       " view. " +
       (view == AgendaView::kCirculated
            ? "References, initials and ages only. Do not forward."
            : "For the chair only.") +
       "</p>\n";
  h += "<h1>MARAC agenda: " +
       HtmlEscape(a.meeting.area.empty() ? std::string("all areas")
                                         : a.meeting.area) +
       ", " + a.meeting.date.ToString() + "</h1>\n";
  h += "<p>Referral cut-off " + a.meeting.referral_cutoff.ToString() +
       "; capacity " + std::to_string(a.capacity) + " cases; priority policy " +
       HtmlEscape(a.policy_version) + ". " + std::to_string(a.listed.size()) +
       " listed, " + std::to_string(DeferredCount(a)) + " deferred, " +
       std::to_string(NotEligibleCount(a)) + " not eligible.</p>\n";
  const auto rows = [&](const RankedCase& r, const std::string& note) {
    const std::string victim = VictimText(r, shown);
    std::string out =
        "<tr><td>" + std::to_string(r.rank) + "</td><td>" +
        HtmlEscape(r.item.case_reference) + "</td><td>" + HtmlEscape(victim) +
        "</td><td>" + AgeText(r, a.meeting.date) + "</td><td>" +
        HtmlEscape(GradeText(r.item)) + " (" + std::to_string(r.item.score) +
        ")</td><td>" + HtmlEscape(CriteriaText(r.item.criteria)) +
        "</td><td class=\"flag\">" + HtmlEscape(Flags(r)) + "</td><td>" +
        HtmlEscape(Explanation(r)) + "</td>";
    if (!note.empty()) out += "<td>" + HtmlEscape(note) + "</td>";
    return out + "</tr>\n";
  };
  const std::string head =
      "<tr><th>Rank</th><th>Case</th><th>Victim</th><th>Age</th><th>Grade "
      "(score)</th><th>Criteria</th><th>Flags</th><th>Priority "
      "(explained)</th>";
  h += "<h2>Cases</h2>\n<table>\n" + head + "</tr>\n";
  for (const RankedCase& r : a.listed) h += rows(r, "");
  h += "</table>\n";
  if (a.counted) {
    const CountedText note = CountedNote(a);
    h += "<h2>Deferred: beyond capacity</h2>\n<p>" + HtmlEscape(note.deferred) +
         "</p>\n<h2>Not eligible for this meeting</h2>\n<p>" +
         HtmlEscape(note.not_eligible) + "</p>\n<p>" + HtmlEscape(note.lists) +
         "</p>\n";
  }
  if (!a.deferred.empty()) {
    h += "<h2>Deferred: beyond capacity</h2>\n<table>\n" + head +
         "<th>Deferred</th></tr>\n";
    for (const DeferredCase& d : a.deferred) {
      h += rows(d.ranked, d.reason + (d.interim_safety_plan
                                          ? " INTERIM SAFETY PLAN REQUIRED."
                                          : ""));
    }
    h += "</table>\n";
  }
  if (!a.not_eligible.empty()) {
    h += "<h2>Not eligible for this meeting</h2>\n<ul>\n";
    for (const LeftOut& l : a.not_eligible) {
      h += "<li>" + HtmlEscape(l.referral_id) + ": " + HtmlEscape(l.reason) +
           "</li>\n";
    }
    h += "</ul>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace marac
