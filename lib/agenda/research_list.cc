// The research list: built from the agenda's listed cases and the case
// file, rendered as JSON, Markdown and a printable page.
#include "marac/agenda/research_list.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/agenda/page.h"
#include "lib/common/html.h"

namespace marac {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

// Lower case, surrounding spaces gone: how agency names are compared.
std::string AgencyKey(std::string_view agency) {
  const std::size_t first = agency.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const std::size_t last = agency.find_last_not_of(" \t");
  return Lower(std::string(agency.substr(first, last - first + 1)));
}

std::string FullName(std::string_view given, std::string_view family) {
  std::string out(given);
  if (!out.empty() && !family.empty()) out += " ";
  return out + std::string(family);
}

// Who the records of one person are, by record id.
class People {
 public:
  explicit People(const CaseFile& file) {
    for (const PersonRecord& r : file.records) record_.emplace(r.record_id, &r);
    for (const auto& [record, person] : file.people) {
      person_of_.emplace(record, person);
      records_of_[person].push_back(record);
    }
  }

  const PersonRecord* Record(const std::string& id) const {
    const auto it = record_.find(id);
    return it == record_.end() ? nullptr : it->second;
  }

  // The person a record belongs to, as the research list shows them: the
  // record's own name first, then every other name and date of birth on
  // the records linked to it.
  ResearchPerson Describe(const PersonRecord& r) const {
    ResearchPerson p;
    p.name = FullName(r.given_name, r.family_name);
    p.gender = r.gender;
    std::set<std::string> seen = {Lower(p.name)};
    std::set<std::string> names;
    std::set<std::string> dobs;
    const auto add = [&](const PersonRecord& x) {
      std::vector<std::string> candidates = {
          FullName(x.given_name, x.family_name)};
      if (!x.middle_name.empty()) {
        candidates.push_back(
            FullName(x.given_name + " " + x.middle_name, x.family_name));
      }
      for (const std::string& previous : x.previous_family_names) {
        candidates.push_back(FullName(x.given_name, previous));
      }
      for (std::string& n : candidates) {
        if (n.empty() || !seen.insert(Lower(n)).second) continue;
        names.insert(std::move(n));
      }
      if (!x.dob.empty()) dobs.insert(x.dob);
    };
    add(r);
    const auto person = person_of_.find(r.record_id);
    if (person != person_of_.end()) {
      for (const std::string& id : records_of_.at(person->second)) {
        if (const PersonRecord* x = Record(id)) add(*x);
      }
    }
    p.other_names.assign(names.begin(), names.end());
    p.dates_of_birth.assign(dobs.begin(), dobs.end());
    return p;
  }

 private:
  std::map<std::string, const PersonRecord*, std::less<>> record_;
  std::map<std::string, std::string, std::less<>> person_of_;
  std::map<std::string, std::vector<std::string>, std::less<>> records_of_;
};

std::string Joined(const std::vector<std::string>& items,
                   std::string_view none = "none recorded") {
  std::string out;
  for (const std::string& i : items) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out.empty() ? std::string(none) : out;
}

nlohmann::ordered_json PersonJson(const ResearchPerson& p, bool child) {
  nlohmann::ordered_json j;
  j["name"] = p.name;
  j["other_names"] = p.other_names;
  j["dates_of_birth"] = p.dates_of_birth;
  j["gender"] = p.gender;
  if (child) j["known_to"] = p.known_to;
  return j;
}

std::string Title(const ResearchList& list) {
  return "MARAC research list: " +
         (list.area.empty() ? std::string("all areas") : list.area) + ", " +
         list.meeting_date.ToString();
}

std::string ForWhom(const ResearchList& list) {
  return list.agency.empty()
             ? "Coordinator's full list: every case, with the agencies each "
               "must not reach. Do not circulate; send each agency its own "
               "list."
             : "For the named MARAC representative of " + list.agency +
                   " only. Search your agency's records for each person "
                   "under every name and date of birth shown; bring what "
                   "you find to the meeting. Do not forward.";
}

std::string Banner(const ResearchList& list, const PriorityPolicy& policy) {
  return policy.protective_marking + ": " + ForWhom(list);
}

// A record's gender as a reader says it: "f" is "female".
std::string GenderWords(const std::string& gender) {
  const std::string g = Lower(gender);
  if (g == "f" || g == "female") return "female";
  if (g == "m" || g == "male") return "male";
  return gender;
}

// One person's lines, for Markdown and HTML alike: label, then text.
std::vector<std::pair<std::string, std::string>> PersonLines(
    const std::string& role, const ResearchPerson& p, bool child) {
  std::vector<std::pair<std::string, std::string>> out = {
      {role,
       p.name + (p.gender.empty() ? "" : " (" + GenderWords(p.gender) + ")")},
      {"Other names", Joined(p.other_names, "none found")},
      {"Date of birth", Joined(p.dates_of_birth, "not known")}};
  if (p.dates_of_birth.size() > 1) {
    out.back().second += " (the records disagree: search each)";
  }
  if (child) out.push_back({"Known to", Joined(p.known_to)});
  return out;
}

// Every line of a case, in order, grouped by the person they describe.
struct CaseLines {
  std::string heading;
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<std::vector<std::pair<std::string, std::string>>> people;
};

CaseLines LinesOf(const ResearchCase& c) {
  CaseLines out;
  out.heading = std::to_string(c.position) + ". " + c.case_reference;
  out.facts = {
      {"Referred by", c.referring_agency + ", " + c.referred_on.ToString()},
      {"Route", c.route},
      {"Relationship", c.relationship},
      {"Victim's knowledge of the referral", c.consent}};
  if (!c.language.empty()) out.facts.push_back({"Language", c.language});
  if (!c.excluded_agencies.empty()) {
    out.facts.push_back({"MUST NOT be sent to", Joined(c.excluded_agencies)});
  }
  out.people.push_back(PersonLines("Victim", c.victim, false));
  for (const ResearchPerson& p : c.perpetrators) {
    out.people.push_back(PersonLines("Perpetrator", p, false));
  }
  if (c.perpetrators.empty()) {
    out.people.push_back({{"Perpetrator", "not identified in the referral"}});
  }
  for (const ResearchPerson& p : c.children) {
    out.people.push_back(PersonLines("Child", p, true));
  }
  if (c.children_not_named > 0) {
    out.people.push_back(
        {{"Children", std::to_string(c.children_not_named) +
                          " more in the household, not named in the "
                          "referral"}});
  }
  return out;
}

}  // namespace

Result<ResearchList> BuildResearchList(const Agenda& agenda,
                                       const CaseFile& file,
                                       std::string_view agency) {
  ResearchList list;
  list.meeting_id = agenda.meeting.meeting_id;
  list.area = agenda.meeting.area;
  list.meeting_date = agenda.meeting.date;
  list.agency = std::string(agency);
  const std::string receiver = AgencyKey(agency);
  std::map<std::string_view, const StoredReferral*> referral;
  for (const StoredReferral& r : file.referrals) {
    referral.emplace(r.referral_id, &r);
  }
  const People people(file);
  for (std::size_t k = 0; k < agenda.listed.size(); ++k) {
    const RankedCase& ranked = agenda.listed[k];
    const auto found = referral.find(ranked.item.referral_id);
    if (found == referral.end()) {
      return FailedPrecondition("research list: referral '" +
                                ranked.item.referral_id +
                                "' is listed but not in the case file");
    }
    const StoredReferral& r = *found->second;
    const ReferralDetails& d = r.details;
    const bool excluded =
        !receiver.empty() &&
        std::any_of(
            d.excluded_agencies.begin(), d.excluded_agencies.end(),
            [&](const std::string& a) { return AgencyKey(a) == receiver; });
    if (excluded) {
      list.withheld_referral_ids.push_back(r.referral_id);
      continue;
    }
    const PersonRecord* victim = people.Record(r.victim_record_id);
    if (victim == nullptr) {
      return FailedPrecondition("research list: referral '" + r.referral_id +
                                "': its victim record '" + r.victim_record_id +
                                "' is not in the case file");
    }
    ResearchCase c;
    c.position = static_cast<int>(k + 1);
    c.referral_id = r.referral_id;
    c.case_reference = ranked.item.case_reference;
    c.referring_agency = r.agency;
    c.referred_on = r.referred_on;
    c.route = RouteWords(r.criteria, ranked.item.officer_graded);
    c.relationship = std::string(RelationshipWords(d.relationship));
    c.consent = std::string(VictimConsentWords(d.consent));
    c.language = LanguageWords(d);
    c.victim = people.Describe(*victim);
    for (const std::string& id : r.perpetrator_record_ids) {
      if (const PersonRecord* p = people.Record(id)) {
        c.perpetrators.push_back(people.Describe(*p));
      }
    }
    for (const ChildInHousehold& child : d.children) {
      ResearchPerson p;
      p.name = FullName(child.given_name, child.family_name);
      if (child.date_of_birth) {
        p.dates_of_birth = {child.date_of_birth->ToString()};
      }
      p.known_to = child.known_to;
      c.children.push_back(std::move(p));
    }
    c.children_not_named = std::max(
        0, r.children_in_household - static_cast<int>(d.children.size()));
    if (receiver.empty()) c.excluded_agencies = d.excluded_agencies;
    list.cases.push_back(std::move(c));
  }
  return list;
}

std::string ResearchListJson(const ResearchList& list,
                             const PriorityPolicy& policy) {
  nlohmann::ordered_json j;
  j["meeting_id"] = list.meeting_id;
  j["area"] = list.area;
  j["meeting_date"] = list.meeting_date.ToString();
  j["agency"] = list.agency;
  j["marking"] = policy.protective_marking;
  j["cases"] = nlohmann::ordered_json::array();
  for (const ResearchCase& c : list.cases) {
    nlohmann::ordered_json x;
    x["position"] = c.position;
    x["referral_id"] = c.referral_id;
    x["case_reference"] = c.case_reference;
    x["referring_agency"] = c.referring_agency;
    x["referred_on"] = c.referred_on.ToString();
    x["route"] = c.route;
    x["relationship"] = c.relationship;
    x["consent"] = c.consent;
    x["language"] = c.language;
    x["victim"] = PersonJson(c.victim, false);
    x["perpetrators"] = nlohmann::ordered_json::array();
    for (const ResearchPerson& p : c.perpetrators) {
      x["perpetrators"].push_back(PersonJson(p, false));
    }
    x["children"] = nlohmann::ordered_json::array();
    for (const ResearchPerson& p : c.children) {
      x["children"].push_back(PersonJson(p, true));
    }
    x["children_not_named"] = c.children_not_named;
    if (list.agency.empty()) x["excluded_agencies"] = c.excluded_agencies;
    j["cases"].push_back(std::move(x));
  }
  return j.dump(2) + "\n";
}

std::string ResearchListMarkdown(const ResearchList& list,
                                 const PriorityPolicy& policy) {
  std::string md = "**" + Banner(list, policy) + "**\n\n# " + Title(list) +
                   "\n\n" + std::to_string(list.cases.size()) +
                   " cases, in the order they will be heard. No addresses "
                   "or contact details are given.\n";
  for (const ResearchCase& c : list.cases) {
    const CaseLines lines = LinesOf(c);
    md += "\n## " + MarkdownCell(lines.heading) + "\n\n";
    for (const auto& [label, text] : lines.facts) {
      md += "- " + label + ": " + MarkdownCell(text) + "\n";
    }
    md +=
        "\n| Who | Other names | Date of birth | Known to |\n|---|---|---|---|"
        "\n";
    for (const auto& person : lines.people) {
      std::string cells[4] = {"", "", "", ""};
      for (std::size_t k = 0; k < person.size() && k < 4; ++k) {
        cells[k] = k == 0 ? person[k].first + ": " + person[k].second
                          : person[k].second;
      }
      md += "|";
      for (const std::string& cell : cells) {
        md += " " + MarkdownCell(cell.empty() ? "-" : cell) + " |";
      }
      md += "\n";
    }
  }
  if (list.cases.empty()) md += "\nNo cases.\n";
  md += "\n**" + policy.protective_marking + "**\n";
  return md;
}

std::string ResearchListHtml(const ResearchList& list,
                             const PriorityPolicy& policy) {
  std::string h = PageStart(Title(list));
  const std::string banner =
      "<p class=\"marking\">" + HtmlEscape(Banner(list, policy)) + "</p>\n";
  h += banner + "<h1>" + HtmlEscape(Title(list)) + "</h1>\n<p>" +
       std::to_string(list.cases.size()) +
       " cases, in the order they will be heard. No addresses or contact "
       "details are given.</p>\n";
  for (const ResearchCase& c : list.cases) {
    const CaseLines lines = LinesOf(c);
    h += "<section>\n<h2>" + HtmlEscape(lines.heading) + "</h2>\n<p>";
    for (std::size_t k = 0; k < lines.facts.size(); ++k) {
      const bool warn = lines.facts[k].first == "MUST NOT be sent to";
      h += std::string(k > 0 ? "<br>" : "") +
           (warn ? "<span class=\"flag\">" : "") +
           HtmlEscape(lines.facts[k].first) + ": " +
           HtmlEscape(lines.facts[k].second) + (warn ? "</span>" : "");
    }
    h += "</p>\n<table>\n<tr><th>Who</th><th>Other names</th><th>Date of "
         "birth</th><th>Known to</th></tr>\n";
    for (const auto& person : lines.people) {
      h += "<tr>";
      for (std::size_t k = 0; k < 4; ++k) {
        const std::string cell = k >= person.size() ? "-"
                                 : k == 0
                                     ? person[k].first + ": " + person[k].second
                                     : person[k].second;
        h += "<td>" + HtmlEscape(cell) + "</td>";
      }
      h += "</tr>\n";
    }
    h += "</table>\n</section>\n";
  }
  if (list.cases.empty()) h += "<p>No cases.</p>\n";
  h += banner + "</body>\n</html>\n";
  return h;
}

}  // namespace marac
