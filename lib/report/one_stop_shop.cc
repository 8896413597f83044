#include "marac/report/one_stop_shop.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <unordered_map>

#include "lib/common/html.h"

namespace marac {
namespace {

constexpr int kMaxYears = 50;

// A visit with its visitor: the resolved person, or empty when anonymous.
struct Visit {
  const OneStopShopVisit* visit;
  std::string person;
};

// What one period's visits say of one visitor: the latest recorded values.
struct Visitor {
  int visits = 0;
  VisitorGender gender = VisitorGender::kNotRecorded;
  std::optional<bool> in_borough;
  std::optional<int> children;
};

bool Within(Date d, Date from, Date to) { return !(d < from) && !(to < d); }

Date YearStart(int year_ending) { return Date{year_ending - 1, 7, 1}; }
Date YearEnd(int year_ending) { return Date{year_ending, 6, 30}; }

std::optional<double> Share(int part, int whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> Change(int now, int then) {
  if (then == 0) return std::nullopt;
  return static_cast<double>(now - then) / static_cast<double>(then);
}

std::string MonthKey(int year, int month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

int MonthIndex(Date from, Date d) {
  return (d.year - from.year) * 12 + d.month - from.month;
}

// Visits and sessions from `from` to `to` (both within one year starting on
// a 1st) at `site` (every site when empty). Months count as busiest or
// quietest once over by `as_of`. `visits` are in date order, so the last
// recorded value of a visitor is their latest.
OneStopShopFigures Count(const std::vector<Visit>& visits,
                         const std::vector<const OneStopShopSession*>& sessions,
                         std::string_view site, Date from, Date to,
                         Date as_of) {
  OneStopShopFigures f;
  std::vector<Date> month_starts;
  for (Date m = from; !(to < m); m = m.AddMonths(1)) month_starts.push_back(m);
  std::vector<int> month_visits(month_starts.size(), 0);
  std::vector<bool> open(month_starts.size(), false);
  const auto slot = [&](Date d) {
    return static_cast<std::size_t>(MonthIndex(from, d));
  };

  std::map<std::string, Visitor> people;
  std::vector<Visitor> anonymous;
  int helpful = 0;
  for (const Visit& x : visits) {
    const OneStopShopVisit& v = *x.visit;
    if (!site.empty() && v.site != site) continue;
    if (!Within(v.visited_on, from, to)) continue;
    ++f.visits;
    ++month_visits[slot(v.visited_on)];
    open[slot(v.visited_on)] = true;
    Visitor& who =
        x.person.empty() ? anonymous.emplace_back() : people[x.person];
    ++who.visits;
    if (v.gender != VisitorGender::kNotRecorded) who.gender = v.gender;
    if (v.lives_in_borough) who.in_borough = v.lives_in_borough;
    if (v.children) {
      who.children = v.children;
      ++f.visits_with_children_recorded;
    }
    if (v.referred_by.empty()) {
      ++f.referred_by_not_recorded;
    } else {
      ++f.referred_by[v.referred_by];
    }
    if (v.feedback != VisitFeedback::kNotGiven) {
      ++f.feedback_given;
      helpful += v.feedback == VisitFeedback::kHelpful;
    }
  }
  for (const OneStopShopSession* s : sessions) {
    if (!site.empty() && s->site != site) continue;
    if (!Within(s->held_on, from, to)) continue;
    ++f.sessions;
    open[slot(s->held_on)] = true;
  }

  f.identified_visitors = static_cast<int>(people.size());
  f.anonymous_visits = static_cast<int>(anonymous.size());
  f.visitors = f.identified_visitors + f.anonymous_visits;
  if (f.identified_visitors > 0) {
    int repeats = 0;
    for (const auto& [person, who] : people) repeats += who.visits > 1;
    f.repeat_visitors = repeats;
    f.repeat_share = Share(repeats, f.identified_visitors);
  }
  int male = 0;
  int in_borough = 0;
  int children = 0;
  const auto tally = [&](const Visitor& who) {
    if (who.gender == VisitorGender::kNotRecorded) {
      ++f.gender_not_recorded;
    } else {
      ++f.gender_recorded;
      male += who.gender == VisitorGender::kMale;
    }
    if (who.in_borough) {
      ++f.borough_recorded;
      in_borough += *who.in_borough;
    } else {
      ++f.borough_not_recorded;
    }
    if (who.children) {
      ++f.visitors_with_children_recorded;
      children += *who.children;
    }
  };
  for (const auto& [person, who] : people) tally(who);
  for (const Visitor& who : anonymous) tally(who);
  if (f.gender_recorded > 0) {
    f.male_visitors = male;
    f.male_share = Share(male, f.gender_recorded);
  }
  if (f.borough_recorded > 0) {
    f.in_borough_visitors = in_borough;
    f.in_borough_share = Share(in_borough, f.borough_recorded);
  }
  if (f.visitors_with_children_recorded > 0) f.children = children;
  if (f.feedback_given > 0) {
    f.feedback_helpful = helpful;
    f.helpful_share = Share(helpful, f.feedback_given);
  }
  // No feedback at all says feedback was not collected, not that nobody
  // answered: the rate is then not recorded either.
  if (f.feedback_given > 0) {
    f.response_rate = Share(f.feedback_given, f.visits);
  }

  std::optional<int> most;
  std::optional<int> fewest;
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < month_starts.size(); ++i) {
    const Date start = month_starts[i];
    f.months.push_back({MonthKey(start.year, start.month), month_visits[i]});
    const Date last{start.year, start.month,
                    DaysInMonth(start.year, start.month)};
    if (!open[i] || as_of < last) continue;
    candidates.push_back(i);
    most = std::max(most.value_or(month_visits[i]), month_visits[i]);
    fewest = std::min(fewest.value_or(month_visits[i]), month_visits[i]);
  }
  for (const std::size_t i : candidates) {
    if (month_visits[i] == most) f.busiest_months.push_back(f.months[i]);
    if (month_visits[i] == fewest) f.quietest_months.push_back(f.months[i]);
  }
  return f;
}

// --- Rendering -------------------------------------------------------------

std::string Thousands(int n) {
  std::string digits = std::to_string(n < 0 ? -static_cast<long long>(n) : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// "1 visitor", "2 visitors".
std::string Counted(int n, std::string_view noun) {
  return Thousands(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

// "18.3%", "50%".
std::string Percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", share * 100.0);
  std::string s = text;
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s + "%";
}

constexpr std::string_view kNotRecorded = "not recorded";

// "up 18.3% on 891", "down 5% on 100", "no change on 100".
std::string ChangeWords(const std::optional<double>& change, int previous) {
  if (!change) return std::string(kNotRecorded) + " (none the year before)";
  const std::string on = " on " + Thousands(previous);
  if (*change > 0) return "up " + Percent(*change) + on;
  if (*change < 0) return "down " + Percent(-*change) + on;
  return "no change" + on;
}

constexpr const char* kMonthNames[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// "October 2025" from "2025-10".
std::string MonthWords(const std::string& key) {
  const int month = std::stoi(key.substr(5, 2));
  return std::string(kMonthNames[month - 1]) + " " + key.substr(0, 4);
}

// "October 2025 (31 visits)"; "October 2025 and January 2026 (31 visits
// each)".
std::string MonthsWords(const std::vector<MonthVisits>& months) {
  if (months.empty()) return std::string(kNotRecorded);
  std::string out;
  for (std::size_t i = 0; i < months.size(); ++i) {
    if (i > 0) out += i + 1 == months.size() ? " and " : ", ";
    out += MonthWords(months[i].month);
  }
  const int n = months.front().visits;
  return out + " (" + Counted(n, "visit") +
         (months.size() > 1 ? " each)" : ")");
}

// "3 of 40 recorded (7.5%); 5 not recorded".
std::string OfRecorded(const std::optional<int>& count,
                       const std::optional<double>& share, int recorded,
                       int not_recorded) {
  if (!count || !share) return std::string(kNotRecorded);
  return Thousands(*count) + " of " + Thousands(recorded) + " recorded (" +
         Percent(*share) + "); " + Thousands(not_recorded) + " not recorded";
}

std::string YearHeading(const OneStopShopYear& y) {
  return y.partial ? y.name + " (partial, to " + y.counted_to.ToString() + ")"
                   : y.name;
}

// One row of a year's table: a label, and the figure in words.
struct Row {
  const char* label;
  std::string (*show)(const OneStopShopFigures&);
};

const Row kRows[] = {
    {"Visits", [](const OneStopShopFigures& f) { return Thousands(f.visits); }},
    {"Change in visits",
     [](const OneStopShopFigures& f) {
       return ChangeWords(f.visits_change, f.previous_visits);
     }},
    {"Visitors",
     [](const OneStopShopFigures& f) { return Thousands(f.visitors); }},
    {"Change in visitors",
     [](const OneStopShopFigures& f) {
       return ChangeWords(f.visitors_change, f.previous_visitors);
     }},
    {"Anonymous visits",
     [](const OneStopShopFigures& f) { return Thousands(f.anonymous_visits); }},
    {"Repeat visitors",
     [](const OneStopShopFigures& f) {
       if (!f.repeat_visitors || !f.repeat_share) {
         return std::string(kNotRecorded);
       }
       return Thousands(*f.repeat_visitors) + " (" + Percent(*f.repeat_share) +
              " of " + Counted(f.identified_visitors, "identified visitor") +
              ")";
     }},
    {"Male visitors",
     [](const OneStopShopFigures& f) {
       return OfRecorded(f.male_visitors, f.male_share, f.gender_recorded,
                         f.gender_not_recorded);
     }},
    {"Living in the borough",
     [](const OneStopShopFigures& f) {
       return OfRecorded(f.in_borough_visitors, f.in_borough_share,
                         f.borough_recorded, f.borough_not_recorded);
     }},
    {"Children in visitors' households",
     [](const OneStopShopFigures& f) {
       if (!f.children) return std::string(kNotRecorded);
       return Thousands(*f.children) + " (recorded by " +
              Counted(f.visitors_with_children_recorded, "visitor") + ", on " +
              Counted(f.visits_with_children_recorded, "visit") + ")";
     }},
    {"Found the visit helpful",
     [](const OneStopShopFigures& f) {
       if (!f.helpful_share || !f.feedback_helpful) {
         return std::string(kNotRecorded);
       }
       return Percent(*f.helpful_share) + " (" +
              Thousands(*f.feedback_helpful) + " of " +
              Thousands(f.feedback_given) + " giving feedback)";
     }},
    {"Feedback response rate",
     [](const OneStopShopFigures& f) {
       if (!f.response_rate) return std::string(kNotRecorded);
       return Percent(*f.response_rate) + " (" + Thousands(f.feedback_given) +
              " of " + Counted(f.visits, "visit") + ")";
     }},
    {"Busiest month",
     [](const OneStopShopFigures& f) { return MonthsWords(f.busiest_months); }},
    {"Quietest month",
     [](const OneStopShopFigures& f) {
       return MonthsWords(f.quietest_months);
     }},
    {"Sessions held",
     [](const OneStopShopFigures& f) { return Thousands(f.sessions); }},
};

// The report as headings, paragraphs, tables and lists, rendered alike to
// Markdown and HTML. All text is raw; the renderers escape it.
struct Block {
  enum class Kind { kHeading, kParagraph, kTable, kList };
  Kind kind;
  int level = 0;  // Headings: 1 or 2 or 3.
  std::string text = {};
  std::vector<std::string> head = {};               // Tables.
  std::vector<std::vector<std::string>> rows = {};  // Tables.
  std::vector<std::string> items = {};              // Lists.
};

Block Heading(int level, std::string text) {
  return {
      .kind = Block::Kind::kHeading, .level = level, .text = std::move(text)};
}
Block Paragraph(std::string text) {
  return {.kind = Block::Kind::kParagraph, .text = std::move(text)};
}

std::string Title(const OneStopShopReport& r) {
  if (r.years.empty()) return "One Stop Shops";
  return "One Stop Shops, " + r.years.front().name + " to " +
         r.years.back().name;
}

// A grid of one count: a row for all sites, then one per site; a column
// per year.
Block Grid(const OneStopShopReport& r, int OneStopShopFigures::*count) {
  Block b{.kind = Block::Kind::kTable};
  b.head.push_back("Site");
  for (const OneStopShopYear& y : r.years) b.head.push_back(YearHeading(y));
  std::vector<std::string> all{"All sites"};
  for (const OneStopShopYear& y : r.years) {
    all.push_back(Thousands(y.all_sites.*count));
  }
  b.rows.push_back(std::move(all));
  for (const std::string& site : r.sites) {
    std::vector<std::string> row{site};
    for (const OneStopShopYear& y : r.years) {
      const auto it = y.by_site.find(site);
      row.push_back(it == y.by_site.end() ? "0" : Thousands(it->second.*count));
    }
    b.rows.push_back(std::move(row));
  }
  return b;
}

std::vector<Block> Document(const OneStopShopReport& r) {
  std::vector<Block> doc;
  doc.push_back(Heading(1, Title(r)));
  std::string intro = "As of " + r.as_of.ToString() + ".";
  if (!r.years.empty()) {
    const OneStopShopYear& y = r.years.back();
    const OneStopShopFigures& f = y.all_sites;
    intro += " All sites: " + Counted(f.visitors, "visitor") + " in " +
             YearHeading(y) + ", " +
             ChangeWords(f.visitors_change, f.previous_visitors) +
             (y.partial ? " in the same period the year before." : ".");
  }
  doc.push_back(Paragraph(std::move(intro)));
  doc.push_back(Heading(2, "Visitors by year and site"));
  doc.push_back(Grid(r, &OneStopShopFigures::visitors));
  doc.push_back(Heading(2, "Visits by year and site"));
  doc.push_back(Grid(r, &OneStopShopFigures::visits));

  for (auto y = r.years.rbegin(); y != r.years.rend(); ++y) {
    doc.push_back(Heading(2, YearHeading(*y)));
    Block table{.kind = Block::Kind::kTable};
    table.head = {"Figure", "All sites"};
    for (const auto& [site, f] : y->by_site) table.head.push_back(site);
    for (const Row& row : kRows) {
      std::vector<std::string> cells{row.label, row.show(y->all_sites)};
      for (const auto& [site, f] : y->by_site) cells.push_back(row.show(f));
      table.rows.push_back(std::move(cells));
    }
    doc.push_back(std::move(table));
    doc.push_back(Heading(3, "How visitors heard of the shop (by visit)"));
    Block heard{.kind = Block::Kind::kList};
    for (const auto& [how, n] : y->all_sites.referred_by) {
      heard.items.push_back(how + ": " + Thousands(n));
    }
    heard.items.push_back(std::string(kNotRecorded) + ": " +
                          Thousands(y->all_sites.referred_by_not_recorded));
    doc.push_back(std::move(heard));
  }

  if (!r.years.empty()) {
    doc.push_back(Heading(
        2, "Staffing against commitment, " + YearHeading(r.years.back())));
    std::string said = Counted(r.staffing_sessions, "session") + " held";
    if (r.sessions_after_as_of > 0) {
      said += "; " + Thousands(r.sessions_after_as_of) + " planned after " +
              r.as_of.ToString() + " not counted";
    }
    doc.push_back(Paragraph(said + "."));
    if (!r.staffing.empty()) {
      Block table{.kind = Block::Kind::kTable};
      table.head = {"Agency", "Sessions committed", "Attended when committed",
                    "Shortfall", "Attended without commitment"};
      for (const AgencyStaffing& a : r.staffing) {
        std::string shortfall = Thousands(a.shortfall);
        if (a.shortfall_share) {
          shortfall += " (" + Percent(*a.shortfall_share) + ")";
        }
        table.rows.push_back({a.agency, Thousands(a.sessions_committed),
                              Thousands(a.attended_when_committed), shortfall,
                              Thousands(a.attended_without_commitment)});
      }
      doc.push_back(std::move(table));
    }
  }
  doc.push_back(Heading(2, "How the figures are counted"));
  Block notes{.kind = Block::Kind::kList};
  notes.items = r.notes;
  doc.push_back(std::move(notes));
  return doc;
}

nlohmann::ordered_json Optional(const std::optional<int>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
nlohmann::ordered_json Optional(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json Months(const std::vector<MonthVisits>& months) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const MonthVisits& m : months) {
    out.push_back({{"month", m.month}, {"visits", m.visits}});
  }
  return out;
}

nlohmann::ordered_json FiguresJson(const OneStopShopFigures& f) {
  nlohmann::ordered_json j;
  j["visits"] = f.visits;
  j["sessions"] = f.sessions;
  j["visitors"] = f.visitors;
  j["identified_visitors"] = f.identified_visitors;
  j["anonymous_visits"] = f.anonymous_visits;
  j["repeat_visitors"] = Optional(f.repeat_visitors);
  j["repeat_share"] = Optional(f.repeat_share);
  j["male_visitors"] = Optional(f.male_visitors);
  j["gender_recorded"] = f.gender_recorded;
  j["gender_not_recorded"] = f.gender_not_recorded;
  j["male_share"] = Optional(f.male_share);
  j["in_borough_visitors"] = Optional(f.in_borough_visitors);
  j["borough_recorded"] = f.borough_recorded;
  j["borough_not_recorded"] = f.borough_not_recorded;
  j["in_borough_share"] = Optional(f.in_borough_share);
  j["children"] = Optional(f.children);
  j["visitors_with_children_recorded"] = f.visitors_with_children_recorded;
  j["visits_with_children_recorded"] = f.visits_with_children_recorded;
  j["referred_by"] = f.referred_by;
  j["referred_by_not_recorded"] = f.referred_by_not_recorded;
  j["feedback_given"] = f.feedback_given;
  j["feedback_helpful"] = Optional(f.feedback_helpful);
  j["helpful_share"] = Optional(f.helpful_share);
  j["response_rate"] = Optional(f.response_rate);
  j["months"] = Months(f.months);
  j["busiest_months"] = Months(f.busiest_months);
  j["quietest_months"] = Months(f.quietest_months);
  j["previous_visits"] = f.previous_visits;
  j["previous_visitors"] = f.previous_visitors;
  j["visits_change"] = Optional(f.visits_change);
  j["visitors_change"] = Optional(f.visitors_change);
  return j;
}

}  // namespace

std::string OneStopShopYearName(int year_ending) {
  char text[32];
  std::snprintf(text, sizeof text, "%d/%02d", year_ending - 1,
                ((year_ending % 100) + 100) % 100);
  return text;
}

int OneStopShopYearEnding(Date date) {
  return date.month >= 7 ? date.year + 1 : date.year;
}

Result<OneStopShopReport> ComputeOneStopShopReport(
    std::span<const OneStopShopVisit> visits,
    std::span<const OneStopShopSession> sessions,
    const std::vector<std::pair<std::string, std::string>>& people,
    const OneStopShopOptions& options) {
  const int last = options.last_year_ending;
  if (options.years < 1 || options.years > kMaxYears) {
    return InvalidArgument("years",
                           std::to_string(options.years) + " is not 1 to 50");
  }
  // The year before the first is counted too, for its change, and begins
  // in year 1 at the earliest.
  if (last > 9999 || last - options.years < 2) {
    return InvalidArgument("last_year_ending",
                           std::to_string(last) + " is not a year from " +
                               std::to_string(options.years + 2) +
                               " to 9999 (the year ending "
                               "in June; 2026 for 2025/26)");
  }
  const Date as_of = options.as_of;
  if (!as_of.IsValid()) return InvalidArgument("as_of", "not a real date");
  if (as_of < YearStart(last)) {
    return InvalidArgument("last_year_ending",
                           OneStopShopYearName(last) + " begins on " +
                               YearStart(last).ToString() + ", after as_of " +
                               as_of.ToString());
  }

  std::unordered_map<std::string_view, std::size_t> visit_at;
  for (std::size_t i = 0; i < visits.size(); ++i) {
    const OneStopShopVisit& v = visits[i];
    const std::string where = "visits[" + std::to_string(i) + "]";
    MARAC_RETURN_IF_ERROR(CheckOneStopShopVisit(where, v));
    if (as_of < v.visited_on) {
      return InvalidArgument(
          where + ".visited_on",
          v.visited_on.ToString() + " is after as_of " + as_of.ToString());
    }
    const auto [it, inserted] = visit_at.emplace(v.visit_id, i);
    if (!inserted) {
      return InvalidArgument(where + ".visit_id",
                             "'" + v.visit_id + "' repeated (visits[" +
                                 std::to_string(it->second) + "])");
    }
  }
  std::unordered_map<std::string_view, std::size_t> session_at;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const OneStopShopSession& s = sessions[i];
    const std::string where = "sessions[" + std::to_string(i) + "]";
    MARAC_RETURN_IF_ERROR(CheckOneStopShopSession(where, s));
    const auto [it, inserted] = session_at.emplace(s.session_id, i);
    if (!inserted) {
      return InvalidArgument(where + ".session_id",
                             "'" + s.session_id + "' repeated (sessions[" +
                                 std::to_string(it->second) + "])");
    }
  }

  const int first = last - options.years + 1;
  const Date counted_from = YearStart(first - 1);  // For the first's change.
  const Date report_from = YearStart(first);
  const Date counted_to = std::min(as_of, YearEnd(last));

  std::unordered_map<std::string, std::string> person_of;
  for (const auto& [record, person] : people) person_of[record] = person;
  std::vector<Visit> resolved;
  std::set<std::string> sites;
  for (const OneStopShopVisit& v : visits) {
    if (!Within(v.visited_on, counted_from, counted_to)) continue;
    std::string person;
    if (!v.visitor_record_id.empty()) {
      const auto it = person_of.find(v.visitor_record_id);
      person = it == person_of.end() || it->second.empty()
                   ? "record:" + v.visitor_record_id
                   : it->second;
    }
    resolved.push_back({&v, std::move(person)});
    if (!(v.visited_on < report_from)) sites.insert(v.site);
  }
  std::sort(resolved.begin(), resolved.end(),
            [](const Visit& a, const Visit& b) {
              return a.visit->visited_on != b.visit->visited_on
                         ? a.visit->visited_on < b.visit->visited_on
                         : a.visit->visit_id < b.visit->visit_id;
            });
  OneStopShopReport report;
  report.as_of = as_of;
  std::vector<const OneStopShopSession*> held;
  for (const OneStopShopSession& s : sessions) {
    if (as_of < s.held_on) {
      report.sessions_after_as_of +=
          Within(s.held_on, YearStart(last), YearEnd(last));
      continue;
    }
    if (s.held_on < counted_from) continue;
    held.push_back(&s);
    if (!(s.held_on < report_from)) sites.insert(s.site);
  }
  report.sites.assign(sites.begin(), sites.end());

  for (int year = first; year <= last; ++year) {
    OneStopShopYear y;
    y.year_ending = year;
    y.name = OneStopShopYearName(year);
    y.from = YearStart(year);
    y.to = YearEnd(year);
    y.partial = as_of < y.to;
    y.counted_to = y.partial ? as_of : y.to;
    const Date before_from = y.from.AddMonths(-12);
    const Date before_to = y.counted_to.AddMonths(-12);
    const auto figures = [&](std::string_view site) {
      OneStopShopFigures f =
          Count(resolved, held, site, y.from, y.counted_to, as_of);
      const OneStopShopFigures before =
          Count(resolved, held, site, before_from, before_to, as_of);
      f.previous_visits = before.visits;
      f.previous_visitors = before.visitors;
      f.visits_change = Change(f.visits, before.visits);
      f.visitors_change = Change(f.visitors, before.visitors);
      return f;
    };
    y.all_sites = figures("");
    for (const std::string& site : report.sites) {
      y.by_site[site] = figures(site);
    }
    report.years.push_back(std::move(y));
  }

  // Staffing over the last year's sessions held.
  const OneStopShopYear& final_year = report.years.back();
  std::map<std::string, AgencyStaffing> by_agency;
  const auto agency = [&](const std::string& name) -> AgencyStaffing& {
    AgencyStaffing& a = by_agency[name];
    a.agency = name;
    return a;
  };
  for (const OneStopShopSession* s : held) {
    if (!Within(s->held_on, final_year.from, final_year.counted_to)) continue;
    ++report.staffing_sessions;
    const std::set<std::string> committed(s->committed_agencies.begin(),
                                          s->committed_agencies.end());
    const std::set<std::string> attended(s->attended_agencies.begin(),
                                         s->attended_agencies.end());
    for (const std::string& name : committed) {
      AgencyStaffing& a = agency(name);
      ++a.sessions_committed;
      a.attended_when_committed += attended.contains(name);
    }
    for (const std::string& name : attended) {
      if (!committed.contains(name)) ++agency(name).attended_without_commitment;
    }
  }
  for (auto& [name, a] : by_agency) {
    a.shortfall = a.sessions_committed - a.attended_when_committed;
    a.shortfall_share = Share(a.shortfall, a.sessions_committed);
    report.staffing.push_back(std::move(a));
  }

  report.notes = {
      "Years run from 1 July to 30 June.",
      "A visitor is a person after identity resolution. Each anonymous visit "
      "counts as one visit and one visitor, and never as a repeat visitor.",
      "A repeat visitor is an identified person who visited more than once in "
      "the year; for all sites together, visits to different sites count "
      "together, and a person who visited two sites is one visitor of all "
      "sites and one of each.",
      "Gender, living in the borough and children in the household are each "
      "visitor's latest recorded value in the year; shares are of the "
      "visitors who recorded it, and a figure no visitor recorded is not "
      "recorded, not 0.",
      "How visitors heard of the shop is counted by visit.",
      "The helpful share is of the visits that gave feedback; the response "
      "rate is feedback given / visits. Both are not recorded when no visit "
      "gave feedback.",
      "Busiest and quietest months are among the months over by " +
          as_of.ToString() +
          " in which the shop was open (a session held or a visit made); "
          "tied months are all listed.",
      "The change is on the same period of the year before; the change is "
      "not recorded when that period had none.",
      "Staffing counts the sessions held in " + final_year.name + " up to " +
          final_year.counted_to.ToString() +
          "; an agency that came without a commitment is extra help, not a "
          "shortfall.",
  };
  if (final_year.partial) {
    report.notes.push_back(final_year.name + " is partial: counted from " +
                           final_year.from.ToString() + " to " +
                           as_of.ToString() + ", and compared with " +
                           final_year.from.AddMonths(-12).ToString() + " to " +
                           as_of.AddMonths(-12).ToString() + ".");
  }
  return report;
}

std::string OneStopShopJson(const OneStopShopReport& r) {
  nlohmann::ordered_json j;
  j["as_of"] = r.as_of.ToString();
  j["sites"] = r.sites;
  nlohmann::ordered_json years = nlohmann::ordered_json::array();
  for (const OneStopShopYear& y : r.years) {
    nlohmann::ordered_json x;
    x["year_ending"] = y.year_ending;
    x["name"] = y.name;
    x["from"] = y.from.ToString();
    x["to"] = y.to.ToString();
    x["partial"] = y.partial;
    x["counted_to"] = y.counted_to.ToString();
    x["all_sites"] = FiguresJson(y.all_sites);
    nlohmann::ordered_json by_site = nlohmann::ordered_json::object();
    for (const auto& [site, f] : y.by_site) by_site[site] = FiguresJson(f);
    x["by_site"] = std::move(by_site);
    years.push_back(std::move(x));
  }
  j["years"] = std::move(years);
  nlohmann::ordered_json staffing;
  staffing["year"] = r.years.empty() ? "" : r.years.back().name;
  staffing["sessions"] = r.staffing_sessions;
  staffing["sessions_after_as_of"] = r.sessions_after_as_of;
  nlohmann::ordered_json agencies = nlohmann::ordered_json::array();
  for (const AgencyStaffing& a : r.staffing) {
    nlohmann::ordered_json x;
    x["agency"] = a.agency;
    x["sessions_committed"] = a.sessions_committed;
    x["attended_when_committed"] = a.attended_when_committed;
    x["shortfall"] = a.shortfall;
    x["shortfall_share"] = Optional(a.shortfall_share);
    x["attended_without_commitment"] = a.attended_without_commitment;
    agencies.push_back(std::move(x));
  }
  staffing["agencies"] = std::move(agencies);
  j["staffing"] = std::move(staffing);
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

std::string OneStopShopMarkdown(const OneStopShopReport& r) {
  std::string md;
  for (const Block& b : Document(r)) {
    if (!md.empty()) md += "\n";
    switch (b.kind) {
      case Block::Kind::kHeading:
        md += std::string(static_cast<std::size_t>(b.level), '#') + " " +
              MarkdownCell(b.text) + "\n";
        break;
      case Block::Kind::kParagraph:
        md += MarkdownCell(b.text) + "\n";
        break;
      case Block::Kind::kTable: {
        std::string line = "|";
        std::string rule = "|";
        for (const std::string& h : b.head) {
          line += " " + MarkdownCell(h) + " |";
          rule += "---|";
        }
        md += line + "\n" + rule + "\n";
        for (const std::vector<std::string>& row : b.rows) {
          md += "|";
          for (const std::string& cell : row) {
            md += " " + MarkdownCell(cell) + " |";
          }
          md += "\n";
        }
        break;
      }
      case Block::Kind::kList:
        for (const std::string& item : b.items) {
          md += "- " + MarkdownCell(item) + "\n";
        }
        break;
    }
  }
  return md;
}

std::string OneStopShopHtml(const OneStopShopReport& r) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>" +
      HtmlEscape(Title(r)) +
      "</title>\n<style>\nbody{font-family:serif;margin:1.5cm;color:#000}"
      "table{border-collapse:collapse;width:100%;font-size:9pt}"
      "th,td{border:1px solid #000;padding:3pt;vertical-align:top;"
      "text-align:left}th{background:#eee}h1{font-size:16pt}"
      "h2{font-size:13pt}h3{font-size:11pt;margin-bottom:2pt}"
      "tr{page-break-inside:avoid}@media print{body{margin:0}}\n"
      "</style>\n</head>\n<body>\n";
  for (const Block& b : Document(r)) {
    switch (b.kind) {
      case Block::Kind::kHeading: {
        const std::string tag = "h" + std::to_string(b.level);
        h += "<" + tag + ">" + HtmlEscape(b.text) + "</" + tag + ">\n";
        break;
      }
      case Block::Kind::kParagraph:
        h += "<p>" + HtmlEscape(b.text) + "</p>\n";
        break;
      case Block::Kind::kTable:
        h += "<table>\n<tr>";
        for (const std::string& head : b.head) {
          h += "<th>" + HtmlEscape(head) + "</th>";
        }
        h += "</tr>\n";
        for (const std::vector<std::string>& row : b.rows) {
          h += "<tr>";
          for (const std::string& cell : row) {
            h += "<td>" + HtmlEscape(cell) + "</td>";
          }
          h += "</tr>\n";
        }
        h += "</table>\n";
        break;
      case Block::Kind::kList:
        h += "<ul>\n";
        for (const std::string& item : b.items) {
          h += "<li>" + HtmlEscape(item) + "</li>\n";
        }
        h += "</ul>\n";
        break;
    }
  }
  return h + "</body>\n</html>\n";
}

}  // namespace marac
