// The agenda's renderings: JSON (every fact, the arithmetic too), and the
// Markdown and HTML a chair runs the meeting from or agencies receive.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "lib/agenda/page.h"
#include "lib/common/html.h"
#include "marac/agenda/agenda.h"
#include "marac/agenda/research_list.h"

namespace marac {

std::string_view GradeText(const AgendaCase& c) {
  return c.grade ? GradeName(*c.grade) : std::string_view();
}

InstrumentWords InstrumentWordsOf(std::string_view instrument) {
  static constexpr struct {
    std::string_view id;
    std::string_view name;
    int items;
  } kKnown[] = {
      {"safelives-ric", "SafeLives RIC", 24},
      {"police-dash-2009", "Police DASH (2009)", 27},
      {"s-dash", "S-DASH (stalking)", 11},
      {"dara", "DARA (officer-graded)", 0},
  };
  for (const auto& k : kKnown) {
    if (k.id == instrument) return {std::string(k.name), k.items};
  }
  return {std::string(instrument), 0};
}

namespace {

std::string Points(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", p);
  return text;
}

}  // namespace

// The referral route in words, not criterion ids.
std::string RouteWords(const std::vector<std::string>& criteria,
                       bool officer_graded) {
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"visible_high_risk", "visible high risk (the checklist count)"},
      {"professional_judgement", "professional judgement"},
      {"potential_escalation", "potential escalation (repeated incidents)"},
      {"repeat", "repeat referral within 12 months"},
  };
  std::string out;
  for (const std::string& c : criteria) {
    if (!out.empty()) out += "; ";
    std::string words = c;
    for (const auto& [id, text] : kWords) {
      if (id == c) words = std::string(text);
    }
    if (officer_graded && c == "visible_high_risk") {
      words = "visible high risk (the officer's grade, DARA: no count)";
    }
    out += words;
  }
  return out.empty() ? "none" : out;
}

std::string AssessmentWords(const AgendaCase& c) {
  if (c.instrument.empty()) return "no assessment with the referral";
  const InstrumentWords words = InstrumentWordsOf(c.instrument);
  if (c.officer_graded) {
    return words.name + ", graded " +
           std::string(c.grade ? GradeName(*c.grade) : "") +
           " by the officer's judgement (no count)";
  }
  std::string out = words.name + ", " + std::to_string(c.score);
  if (words.items > 0) out += " of " + std::to_string(words.items);
  return out + " ticked";
}

namespace {

std::string PerpetratorText(const AgendaCase& c) {
  std::string out;
  for (const std::string& i : c.perpetrator_initials) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out.empty() ? "not known" : out;
}

std::string ReferredText(const AgendaCase& c) {
  return c.agency + ", " + c.referred_on.ToString();
}

// Earlier meetings: the last hearing, an adjournment, open actions.
std::string HistoryText(const AgendaCase& c, Date meeting) {
  std::vector<std::string> parts;
  if (!c.adjourned_reason.empty()) {
    parts.push_back("back from adjournment: " + c.adjourned_reason);
  }
  if (c.last_hearing) {
    const LastHearing& h = *c.last_hearing;
    parts.push_back(h.outcome == HearingOutcome::kHeard
                        ? "last heard " + h.date.ToString()
                        : "last listed " + h.date.ToString() + ", " +
                              std::string(HearingOutcomeName(h.outcome)) +
                              (h.reason.empty() ? "" : ": " + h.reason));
  }
  for (const CaseAction& a : c.open_actions) {
    std::string text =
        a.agency + ": " + a.text + ", due " + a.due_on.ToString();
    if (IsOverdue(a, meeting)) {
      text += " OVERDUE (" + std::to_string(DaysBetween(a.due_on, meeting)) +
              " days)";
    }
    parts.push_back(text);
  }
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out.empty() ? "-" : out;
}

// A safeguarding prompt's id as the chair reads it.
std::string SafeguardingWords(std::string_view id) {
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"safeguarding_children", "children's social care"},
      {"stalking_service", "specialist stalking service"},
      {"suicide_risk", "suicide risk"},
      {"honour_based_abuse", "honour-based abuse (H-DASH)"},
      {"adult_safeguarding", "adult safeguarding (Care Act s.42)"},
  };
  for (const auto& [key, words] : kWords) {
    if (key == id) return std::string(words);
  }
  std::string out(id);  // A local rule: its id, spaced.
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string Flags(const RankedCase& r) {
  std::vector<std::string> flags;
  if (r.escalated) {
    flags.push_back("OVERDUE (" + std::to_string(r.days_waiting) +
                    " days since referral)");
  }
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
  if (r.item.consent == VictimConsent::kNotAware) {
    flags.push_back("victim NOT AWARE of the referral");
  } else if (r.item.consent == VictimConsent::kAwareNotConsented) {
    flags.push_back("victim aware, not consented");
  }
  if (!r.item.language.empty()) {
    flags.push_back("language: " + r.item.language);
  }
  if (!r.item.safeguarding.empty()) {
    std::string text = "SAFEGUARDING: ";
    for (std::size_t k = 0; k < r.item.safeguarding.size(); ++k) {
      if (k > 0) text += ", ";
      text += SafeguardingWords(r.item.safeguarding[k]);
    }
    flags.push_back(std::move(text));
  }
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
  for (const std::string& h : r.item.high_harm_indicators) {
    std::string words = h;
    std::replace(words.begin(), words.end(), '_', ' ');
    flags.push_back(words);
  }
  if (!r.linked_cases.empty()) {
    std::string with;
    for (const std::string& id : r.linked_cases) {
      with += (with.empty() ? "" : ", ") + id;
    }
    flags.push_back("heard with " + with + " (same perpetrator or household)");
  }
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
  bool narrative;  // The referrer's judgement, in their words.
};
Shown ShownIn(AgendaView view, const PriorityPolicy& p) {
  if (view == AgendaView::kCirculated) return {false, false, false, false};
  return {p.chair_sees_names, p.chair_sees_addresses,
          p.chair_sees_phone_numbers, true};
}

// The route in words; for the chair, with the referrer's judgement.
std::string RouteText(const AgendaCase& c, Shown shown) {
  std::string route = RouteWords(c.criteria, c.officer_graded);
  if (shown.narrative && !c.judgement_narrative.empty()) {
    route += "; the referrer's judgement: " + c.judgement_narrative;
  }
  return route;
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
  j["perpetrator_initials"] = PerpetratorText(r.item);
  j["grade"] = GradeText(r.item);
  j["score"] = r.item.score;
  if (r.item.instrument.empty()) {
    j["instrument"] = nullptr;
  } else {
    const InstrumentWords words = InstrumentWordsOf(r.item.instrument);
    j["instrument"] = {{"id", r.item.instrument},
                       {"name", words.name},
                       {"items", words.items},
                       {"text", AssessmentWords(r.item)}};
  }
  j["route"] = RouteText(r.item, shown);
  j["consent"] = VictimConsentName(r.item.consent);
  j["language"] = r.item.language;
  j["safeguarding"] = r.item.safeguarding;
  j["officer_graded"] = r.item.officer_graded;
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
  if (!r.time_slot.empty()) j["time_slot"] = r.time_slot;
  j["linked_cases"] = r.linked_cases;
  if (r.item.last_hearing) {
    const LastHearing& h = *r.item.last_hearing;
    j["last_hearing"] = {{"meeting_id", h.meeting_id},
                         {"date", h.date.ToString()},
                         {"referral_id", h.referral_id},
                         {"outcome", HearingOutcomeName(h.outcome)},
                         {"reason", h.reason}};
  } else {
    j["last_hearing"] = nullptr;
  }
  if (!r.item.adjourned_reason.empty()) {
    j["adjourned_reason"] = r.item.adjourned_reason;
  }
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  for (const CaseAction& x : r.item.open_actions) {
    actions.push_back({{"action_id", x.action_id},
                       {"agency", x.agency},
                       {"owner", x.owner},
                       {"text", x.text},
                       {"due_on", x.due_on.ToString()},
                       {"status", ActionStatusName(x.status)},
                       {"overdue", IsOverdue(x, a.meeting.date)}});
  }
  j["open_actions"] = std::move(actions);
  j["priority"] = r.priority;
  nlohmann::ordered_json parts = nlohmann::ordered_json::array();
  for (const Contribution& k : r.contributions) {
    parts.push_back(
        {{"factor", k.factor}, {"points", k.points}, {"detail", k.detail}});
  }
  j["contributions"] = std::move(parts);
  return j;
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
  if (a.extra_meeting) {
    j["extra_meeting"] = {{"date", a.extra_meeting->date.ToString()},
                          {"reason", a.extra_meeting->reason}};
  } else {
    j["extra_meeting"] = nullptr;
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

namespace {

// The columns of a case row, in order, as text: the same for Markdown and
// HTML, so that both views say the same.
std::vector<std::string> Columns(AgendaView view) {
  std::vector<std::string> c = {
      "Time",        "Rank",       "Case",  "Victim (age)", "Perpetrator",
      "Referred by", "Assessment", "Route", "Flags",        "Earlier meetings"};
  if (view == AgendaView::kChair) c.push_back("Priority (explained)");
  return c;
}

std::vector<std::string> Row(const RankedCase& r, const Agenda& a,
                             AgendaView view, Shown shown) {
  std::vector<std::string> c = {
      r.time_slot.empty() ? "-" : r.time_slot,
      std::to_string(r.rank),
      r.item.case_reference,
      VictimText(r, shown) + " (" + AgeText(r, a.meeting.date) + ")",
      PerpetratorText(r.item),
      ReferredText(r.item),
      AssessmentWords(r.item),
      RouteText(r.item, shown),
      Flags(r),
      HistoryText(r.item, a.meeting.date)};
  if (view == AgendaView::kChair) c.push_back(Explanation(r));
  return c;
}

std::string Banner(AgendaView view, const PriorityPolicy& policy) {
  return policy.protective_marking + ": MARAC " + ViewName(view) + " view. " +
         (view == AgendaView::kCirculated
              ? "Case references, initials and ages only. For the named "
                "representatives of the agencies at this MARAC; do not "
                "forward."
              : "For the chair only; names as the priority policy allows.");
}

std::string MeetingLine(const Agenda& a, const PriorityPolicy& policy) {
  return "Referral cut-off " + a.meeting.referral_cutoff.ToString() +
         "; capacity " + std::to_string(a.capacity) + " cases at " +
         std::to_string(policy.minutes_per_case) + " minutes, from " +
         policy.meeting_start + "; priority policy " + a.policy_version + ".";
}

}  // namespace

std::string AgendaMarkdown(const Agenda& a, AgendaView view,
                           const PriorityPolicy& policy) {
  const Shown shown = ShownIn(view, policy);
  std::string md = "**" + Banner(view, policy) + "**\n\n";
  md += "# MARAC agenda: " +
        (a.meeting.area.empty() ? std::string("all areas") : a.meeting.area) +
        ", " + a.meeting.date.ToString() + "\n\n";
  md += MeetingLine(a, policy) + "\n\n";
  md += std::to_string(a.listed.size()) + " cases listed, " +
        std::to_string(DeferredCount(a)) + " deferred beyond capacity, " +
        std::to_string(NotEligibleCount(a)) + " referrals not eligible.\n\n";
  if (a.extra_meeting) {
    md += "**Extra meeting proposed: " + a.extra_meeting->date.ToString() +
          ".** " + a.extra_meeting->reason + ".\n\n";
  }
  const auto table = [&](const std::vector<const RankedCase*>& rows,
                         const std::vector<std::string>& notes) {
    std::vector<std::string> head = Columns(view);
    if (!notes.empty()) head.push_back("Deferred");
    std::string out = "|";
    std::string rule = "|";
    for (const std::string& h : head) {
      out += " " + h + " |";
      rule += "---|";
    }
    out += "\n" + rule + "\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
      std::vector<std::string> cells = Row(*rows[k], a, view, shown);
      if (!notes.empty()) cells.push_back(notes[k]);
      out += "|";
      for (const std::string& c : cells) out += " " + MarkdownCell(c) + " |";
      out += "\n";
    }
    return out;
  };
  std::vector<const RankedCase*> listed;
  for (const RankedCase& r : a.listed) listed.push_back(&r);
  md += "## Cases, in the order heard\n\n" +
        (listed.empty() ? "None.\n" : table(listed, {}));
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
      md += "- " + MarkdownCell(l.referral_id) + ": " + MarkdownCell(l.reason) +
            "\n";
    }
  }
  md += "\n**" + policy.protective_marking + "**\n";
  return md;
}

std::string AgendaHtml(const Agenda& a, AgendaView view,
                       const PriorityPolicy& policy) {
  const Shown shown = ShownIn(view, policy);
  std::string h = PageStart("MARAC agenda " + a.meeting.date.ToString());
  const std::string banner =
      "<p class=\"marking\">" + HtmlEscape(Banner(view, policy)) + "</p>\n";
  h += banner;
  h += "<h1>MARAC agenda: " +
       HtmlEscape(a.meeting.area.empty() ? std::string("all areas")
                                         : a.meeting.area) +
       ", " + a.meeting.date.ToString() + "</h1>\n";
  h += "<p>" + HtmlEscape(MeetingLine(a, policy)) + " " +
       std::to_string(a.listed.size()) + " listed, " +
       std::to_string(DeferredCount(a)) + " deferred, " +
       std::to_string(NotEligibleCount(a)) + " not eligible.</p>\n";
  if (a.extra_meeting) {
    h += "<p class=\"flag\">Extra meeting proposed: " +
         a.extra_meeting->date.ToString() + ". " +
         HtmlEscape(a.extra_meeting->reason) + ".</p>\n";
  }
  const std::size_t flags_column = 8;
  const auto row = [&](const RankedCase& r, const std::string& note) {
    std::vector<std::string> cells = Row(r, a, view, shown);
    if (!note.empty()) cells.push_back(note);
    std::string out = "<tr>";
    for (std::size_t k = 0; k < cells.size(); ++k) {
      out += k == flags_column ? "<td class=\"flag\">" : "<td>";
      out += HtmlEscape(cells[k]) + "</td>";
    }
    return out + "</tr>\n";
  };
  const auto head = [&](bool deferred) {
    std::string out = "<tr>";
    for (const std::string& c : Columns(view)) {
      out += "<th>" + HtmlEscape(c) + "</th>";
    }
    if (deferred) out += "<th>Deferred</th>";
    return out + "</tr>\n";
  };
  h += "<h2>Cases, in the order heard</h2>\n<table>\n" + head(false);
  for (const RankedCase& r : a.listed) h += row(r, "");
  h += "</table>\n";
  if (a.counted) {
    const CountedText note = CountedNote(a);
    h += "<h2>Deferred: beyond capacity</h2>\n<p>" + HtmlEscape(note.deferred) +
         "</p>\n<h2>Not eligible for this meeting</h2>\n<p>" +
         HtmlEscape(note.not_eligible) + "</p>\n<p>" + HtmlEscape(note.lists) +
         "</p>\n";
  }
  if (!a.deferred.empty()) {
    h += "<h2>Deferred: beyond capacity</h2>\n<table>\n" + head(true);
    for (const DeferredCase& d : a.deferred) {
      h += row(d.ranked, d.reason + (d.interim_safety_plan
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
  h += banner + "</body>\n</html>\n";
  return h;
}

}  // namespace marac
