#include "marac/report/safelives_return.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <utility>

#include "lib/common/strict_json.h"
#include "lib/report/equality.h"

namespace marac {
namespace {

constexpr std::size_t kMaxAgencyName = 200;

// The built-in agency mapping. Names only where the category is plain
// whatever the referral's source: a voluntary service that may employ the
// IDVA (a women's aid group, a refuge charity) is left to local mappings.
constexpr const char* kDefaultMapping = R"({
  "version": "marac-default-2026.1",
  "by_source": {
    "police": "police",
    "idva": "idva",
    "health": "health",
    "housing": "housing",
    "childrens_services": "childrens_social_care"
  },
  "by_agency": {
    "police": "police",
    "idva": "idva",
    "idva service": "idva",
    "probation": "probation",
    "probation service": "probation",
    "national probation service": "probation",
    "health": "health",
    "gp": "health",
    "gp surgery": "health",
    "primary care": "health",
    "health visitor": "health",
    "midwifery": "health",
    "mental health": "health",
    "mental health trust": "health",
    "acute trust": "health",
    "hospital": "health",
    "ambulance service": "health",
    "children's social care": "childrens_social_care",
    "childrens social care": "childrens_social_care",
    "children's services": "childrens_social_care",
    "childrens services": "childrens_social_care",
    "adult social care": "adult_social_care",
    "adult social services": "adult_social_care",
    "housing": "housing",
    "housing association": "housing",
    "housing options": "housing",
    "education": "education",
    "school": "education",
    "college": "education",
    "substance misuse service": "substance_misuse",
    "drug and alcohol service": "substance_misuse",
    "specialist domestic abuse service": "voluntary_sector",
    "voluntary sector": "voluntary_sector",
    "youth offending team": "other_statutory",
    "youth justice service": "other_statutory",
    "fire and rescue service": "other_statutory",
    "prison service": "other_statutory",
    "jobcentre plus": "other_statutory",
    "self-referral": "self_referral_other",
    "self referral": "self_referral_other"
  }
})";

struct Category {
  SafeLivesAgency agency;
  std::string_view name;
  std::string_view label;
};
constexpr Category kCategories[] = {
    {SafeLivesAgency::kPolice, "police", "Police"},
    {SafeLivesAgency::kIdva, "idva", "IDVA"},
    {SafeLivesAgency::kProbation, "probation", "Probation"},
    {SafeLivesAgency::kHealth, "health",
     "Health (primary care, mental health, acute trust)"},
    {SafeLivesAgency::kChildrensSocialCare, "childrens_social_care",
     "Children's social care"},
    {SafeLivesAgency::kAdultSocialCare, "adult_social_care",
     "Adult social care"},
    {SafeLivesAgency::kHousing, "housing", "Housing"},
    {SafeLivesAgency::kEducation, "education", "Education"},
    {SafeLivesAgency::kSubstanceMisuse, "substance_misuse", "Substance misuse"},
    {SafeLivesAgency::kVoluntarySector, "voluntary_sector",
     "Voluntary sector / other specialist DA service"},
    {SafeLivesAgency::kOtherStatutory, "other_statutory", "Other statutory"},
    {SafeLivesAgency::kSelfReferralOther, "self_referral_other",
     "Self-referral / other"},
};

const Category& CategoryOf(SafeLivesAgency agency) {
  for (const Category& c : kCategories) {
    if (c.agency == agency) return c;
  }
  // Every enumerator has a row above.
  assert(false);
  return kCategories[0];
}

std::string CategoryList() {
  std::string list;
  for (const Category& c : kCategories) {
    if (!list.empty()) list += ", ";
    list += c.name;
  }
  return list;
}

bool Within(Date d, Date from, Date to) { return !(d < from) && !(to < d); }

std::string Plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Dates(const std::vector<Date>& dates) {
  std::string text;
  for (const Date& d : dates) {
    if (!text.empty()) text += ", ";
    text += d.ToString();
  }
  return text;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos &&
      (text.empty() || (text.front() != ' ' && text.back() != ' '))) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// An agency name as text a spreadsheet will not run as a formula.
std::string SpreadsheetText(std::string_view text) {
  if (!text.empty() && (text.front() == '=' || text.front() == '+' ||
                        text.front() == '-' || text.front() == '@' ||
                        static_cast<unsigned char>(text.front()) < 0x20)) {
    return "'" + std::string(text);
  }
  return std::string(text);
}

// One line of the return; `value` absent: not recorded, as `note` says.
ReturnFigure Line(std::string_view section, std::string_view id,
                  std::string_view label, std::optional<double> value,
                  std::string note) {
  ReturnFigure f;
  f.section = section;
  f.id = id;
  f.label = label;
  f.value = value;
  f.note = std::move(note);
  return f;
}

std::string Number(double v, bool share) {
  char text[32];
  if (!share) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(v));
    return text;
  }
  std::snprintf(text, sizeof text, "%.4f", v);
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

Date Quarter::FirstDay() const { return Date{year, 3 * number - 2, 1}; }

Date Quarter::LastDay() const {
  return Date{year, 3 * number, DaysInMonth(year, 3 * number)};
}

std::string Quarter::Name() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04dQ%d", year, number);
  return text;
}

Result<Quarter> ParseQuarter(std::string_view field, std::string_view text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool shape = text.size() == 6 && digit(text[0]) && digit(text[1]) &&
                     digit(text[2]) && digit(text[3]) && text[4] == 'Q' &&
                     text[5] >= '1' && text[5] <= '4';
  const auto refuse = [&] {
    return InvalidArgument(field, "'" + ShownText(text, 20) +
                                      "' is not a quarter: YYYYQn with n "
                                      "from 1 to 4, e.g. 2026Q3");
  };
  if (!shape) return refuse();
  Quarter q;
  q.year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
           (text[2] - '0') * 10 + (text[3] - '0');
  q.number = text[5] - '0';
  if (q.year < 1) return refuse();
  return q;
}

const std::vector<SafeLivesAgency>& SafeLivesAgencies() {
  static const std::vector<SafeLivesAgency> all = [] {
    std::vector<SafeLivesAgency> v;
    for (const Category& c : kCategories) v.push_back(c.agency);
    return v;
  }();
  return all;
}

std::string_view SafeLivesAgencyName(SafeLivesAgency agency) {
  return CategoryOf(agency).name;
}

std::string_view SafeLivesAgencyLabel(SafeLivesAgency agency) {
  return CategoryOf(agency).label;
}

Result<SafeLivesAgency> ParseSafeLivesAgency(std::string_view field,
                                             std::string_view name) {
  for (const Category& c : kCategories) {
    if (c.name == name) return c.agency;
  }
  return InvalidArgument(field, "'" + ShownText(name, 40) +
                                    "' is not a SafeLives agency category (" +
                                    CategoryList() + ")");
}

std::string AgencyKey(std::string_view agency) {
  std::string key;
  bool space = false;
  for (const char c : agency) {
    if (c == ' ' || c == '\t') {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return key;
}

std::optional<SafeLivesAgency> MapAgency(const AgencyMapping& mapping,
                                         const StoredReferral& referral) {
  const auto named = mapping.by_agency.find(AgencyKey(referral.agency));
  if (named != mapping.by_agency.end()) return named->second;
  // A One Stop Shop is where the referral was made, not who made it.
  if (referral.source == ReferralSource::kOneStopShop) return std::nullopt;
  const auto source = mapping.by_source.find(referral.source);
  if (source != mapping.by_source.end()) return source->second;
  return std::nullopt;
}

Result<AgencyMapping> ParseAgencyMapping(std::string_view json) {
  MARAC_ASSIGN_OR_RETURN(const Json j,
                         ParseStrictJson(json, {.where = "agency_map"}));
  if (!j.is_object()) return InvalidArgument("agency_map", "must be an object");
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(j, "agency_map", {"version", "by_source", "by_agency"}));
  AgencyMapping m;
  m.version = "custom";
  if (const Json* v = FindMember(j, "version")) {
    MARAC_ASSIGN_OR_RETURN(m.version, ReadString(*v, "agency_map.version", 64));
    if (AgencyKey(m.version).empty()) {
      return InvalidArgument("agency_map.version", "blank");
    }
  }
  const auto category = [](const Json& value,
                           const std::string& path) -> Result<SafeLivesAgency> {
    MARAC_ASSIGN_OR_RETURN(const std::string name, ReadString(value, path, 64));
    return ParseSafeLivesAgency(path, name);
  };
  if (const Json* v = FindMember(j, "by_source")) {
    if (!v->is_object()) {
      return InvalidArgument(
          "agency_map.by_source",
          "must be an object, not " + std::string(JsonTypeName(*v)));
    }
    for (const auto& [key, value] : v->items()) {
      const std::string path =
          JoinPath("agency_map.by_source", ShownText(key, 40));
      const Result<ReferralSource> source = ParseReferralSource(key);
      if (!source.ok()) {
        return InvalidArgument(
            path,
            "not a referral source (police, idva, health, housing, "
            "childrens_services, other)");
      }
      if (*source == ReferralSource::kOneStopShop) {
        return InvalidArgument(
            path,
            "a One Stop Shop is a venue, not an agency: map the agencies "
            "that refer there by name under by_agency");
      }
      MARAC_ASSIGN_OR_RETURN(m.by_source[*source], category(value, path));
    }
  }
  if (const Json* v = FindMember(j, "by_agency")) {
    if (!v->is_object()) {
      return InvalidArgument(
          "agency_map.by_agency",
          "must be an object, not " + std::string(JsonTypeName(*v)));
    }
    std::map<std::string, std::string> written;  // Key -> name as written.
    for (const auto& [name, value] : v->items()) {
      const std::string path =
          JoinPath("agency_map.by_agency", ShownText(name, 80));
      const std::string key = AgencyKey(name);
      if (key.empty()) return InvalidArgument(path, "a blank agency name");
      if (name.size() > kMaxAgencyName) {
        return InvalidArgument(path, "longer than 200 bytes");
      }
      const auto [earlier, added] = written.emplace(key, name);
      if (!added) {
        return InvalidArgument(path, "the same agency as '" +
                                         ShownText(earlier->second, 80) +
                                         "' (names are compared ignoring "
                                         "case and spaces)");
      }
      MARAC_ASSIGN_OR_RETURN(m.by_agency[key], category(value, path));
    }
  }
  return m;
}

std::string AgencyMappingJson(const AgencyMapping& mapping) {
  nlohmann::ordered_json j;
  j["version"] = mapping.version;
  nlohmann::ordered_json by_source = nlohmann::ordered_json::object();
  for (const auto& [source, agency] : mapping.by_source) {
    by_source[std::string(ReferralSourceName(source))] =
        std::string(SafeLivesAgencyName(agency));
  }
  j["by_source"] = std::move(by_source);
  nlohmann::ordered_json by_agency = nlohmann::ordered_json::object();
  for (const auto& [name, agency] : mapping.by_agency) {
    by_agency[name] = std::string(SafeLivesAgencyName(agency));
  }
  j["by_agency"] = std::move(by_agency);
  return j.dump(2, ' ', false,
                nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

AgencyMapping DefaultAgencyMapping() {
  static const AgencyMapping mapping = [] {
    Result<AgencyMapping> m = ParseAgencyMapping(kDefaultMapping);
    // The built-in text is fixed; the tests parse it.
    assert(m.ok());
    return m.ok() ? *std::move(m) : AgencyMapping{};
  }();
  return mapping;
}

Result<SafeLivesReturn> ComputeSafeLivesReturn(
    const CaseFile& file, const SafeLivesReturnOptions& options) {
  const Quarter& q = options.quarter;
  if (q.year < 1 || q.year > 9999 || q.number < 1 || q.number > 4) {
    return InvalidArgument("quarter", "'" + q.Name() + "' is not a quarter");
  }
  if (options.as_of < q.FirstDay()) {
    return InvalidArgument("as_of", options.as_of.ToString() + " is before " +
                                        q.Name() + " begins on " +
                                        q.FirstDay().ToString());
  }
  if (options.repeat_window_months < 1 || options.repeat_window_months > 120) {
    return InvalidArgument("repeat_window_months", "not from 1 to 120");
  }
  SafeLivesReturn r;
  r.quarter = q;
  r.area = options.area;
  r.from = q.FirstDay();
  r.to = q.LastDay();
  r.as_of = options.as_of;
  r.counted_to = std::min(r.to, options.as_of);
  r.partial = options.as_of < r.to;
  r.mapping_version = options.mapping.version;
  const Date from = r.from;
  const Date until = r.counted_to;
  const std::string whose =
      options.area.empty() ? "any area" : "area " + options.area;

  // Repeats, over every referral of every area: the victim's previous
  // referral, as ComputeStatistics finds it.
  std::unordered_map<std::string, std::string> person_of;
  for (const auto& [record, person] : file.people) person_of[record] = person;
  const auto person = [&](const std::string& record) {
    const auto it = person_of.find(record);
    return it == person_of.end() ? "record:" + record : it->second;
  };
  std::vector<const StoredReferral*> history;
  for (const StoredReferral& x : file.referrals) history.push_back(&x);
  std::sort(history.begin(), history.end(),
            [](const StoredReferral* a, const StoredReferral* b) {
              return a->referred_on != b->referred_on
                         ? a->referred_on < b->referred_on
                         : a->referral_id < b->referral_id;
            });
  std::unordered_map<std::string, bool> repeat_of;
  {
    std::map<std::string, Date> last_referral;
    for (const StoredReferral* x : history) {
      const std::string v = person(x->victim_record_id);
      const auto last = last_referral.find(v);
      repeat_of[x->referral_id] =
          last != last_referral.end() &&
          !(last->second.AddMonths(options.repeat_window_months) <
            x->referred_on);
      last_referral[v] = x->referred_on;
    }
  }

  // The rest counts only the area's referrals and meetings.
  const CaseFile* scope = &file;
  CaseFile kept;
  if (!options.area.empty()) {
    kept = file;
    KeepArea(options.area, kept);
    scope = &kept;
  }
  std::unordered_map<std::string, const StoredReferral*> referral_of;
  for (const StoredReferral& x : scope->referrals) {
    referral_of.emplace(x.referral_id, &x);
  }

  // Meetings held: dated in the counted period, with a saved agenda or a
  // record. The store keeps the area's meetings if it holds one dated by
  // the end of the counted period.
  std::unordered_map<std::string, std::vector<const AgendaListing*>> listed;
  for (const AgendaListing& a : scope->listings) {
    listed[a.meeting_id].push_back(&a);
  }
  std::unordered_map<std::string, const MeetingRecord*> record_of;
  for (const MeetingRecord& m : scope->meeting_records) {
    record_of.emplace(m.meeting_id, &m);
  }
  std::vector<const Meeting*> meetings;
  for (const Meeting& m : scope->meetings) meetings.push_back(&m);
  std::sort(meetings.begin(), meetings.end(),
            [](const Meeting* a, const Meeting* b) {
              return a->date != b->date ? a->date < b->date
                                        : a->meeting_id < b->meeting_id;
            });
  bool meetings_kept = false;
  std::vector<const Meeting*> held;
  std::vector<Date> held_on;
  std::vector<Date> not_held_on;
  std::vector<Date> scheduled_later;
  for (const Meeting* m : meetings) {
    if (!(until < m->date)) meetings_kept = true;
    if (Within(m->date, from, until)) {
      if (listed.contains(m->meeting_id) || record_of.contains(m->meeting_id)) {
        held.push_back(m);
        held_on.push_back(m->date);
      } else {
        not_held_on.push_back(m->date);
      }
    } else if (Within(m->date, from, r.to)) {
      scheduled_later.push_back(m->date);
    }
  }

  // Cases discussed at the meetings held (the agenda's rule for heard).
  std::set<std::string> discussed;
  std::set<std::string> adjourned;
  std::set<std::string> left_otherwise;  // Transferred out or withdrawn.
  for (const Meeting* m : held) {
    const auto rec = record_of.find(m->meeting_id);
    const auto outcome = [&](const std::string& id) -> const CaseHearing* {
      if (rec == record_of.end()) return nullptr;
      for (const CaseHearing& c : rec->second->cases) {
        if (c.referral_id == id) return &c;
      }
      return nullptr;
    };
    const auto count = [&](const std::string& id, const CaseHearing* c) {
      if (!referral_of.contains(id)) return;  // Another area's referral.
      if (c != nullptr && c->outcome == HearingOutcome::kAdjourned) {
        adjourned.insert(id);
        return;
      }
      discussed.insert(id);
      if (c != nullptr && (c->outcome == HearingOutcome::kTransferredOut ||
                           c->outcome == HearingOutcome::kWithdrawn)) {
        left_otherwise.insert(id);
      }
    };
    const auto listings = listed.find(m->meeting_id);
    if (listings != listed.end()) {
      for (const AgendaListing* a : listings->second) {
        for (const std::string& id : a->referral_ids) count(id, outcome(id));
      }
    }
    if (rec != record_of.end()) {
      for (const CaseHearing& c : rec->second->cases) {
        count(c.referral_id, &c);
      }
    }
  }
  int repeats = 0;
  int children = 0;
  EqualityTally male, minoritised, lgbt, disabled, aged_16_17;
  for (const std::string& id : discussed) {
    const StoredReferral& x = *referral_of.at(id);
    repeats += repeat_of[id];
    children += x.children_in_household;
    // The value sets of ComputeStatistics' victim profile.
    const EqualityMonitoring& e = x.details.equality;
    male.Add(e.gender_identity, {"man"});
    minoritised.Add(e.ethnicity, {"mixed", "asian", "black", "arab", "other"});
    lgbt.Add(e.sexual_orientation, {"gay_or_lesbian", "bisexual"});
    disabled.Add(e.disability, {"yes"});
    aged_16_17.Add(e.age_band, {"16-17"});
  }
  std::size_t adjourned_only = 0;
  for (const std::string& id : adjourned) {
    adjourned_only += !discussed.contains(id);
  }

  const int cases = static_cast<int>(discussed.size());
  const std::string period = from.ToString() + " to " + until.ToString();
  const std::string no_meetings = "the store holds no meeting of " + whose +
                                  " dated on or before " + until.ToString() +
                                  ", so it did not keep them then";
  // Meetings.
  {
    ReturnFigure f =
        Line("meetings", "meetings_held", "Meetings held", std::nullopt, "");
    if (meetings_kept) {
      f.value = static_cast<double>(held.size());
      f.note = "meetings dated " + period +
               " with a saved agenda or a meeting record";
      if (!held_on.empty()) f.note += " (" + Dates(held_on) + ")";
      if (!not_held_on.empty()) {
        f.note += "; not counted, with neither: " + Dates(not_held_on);
      }
      if (!scheduled_later.empty()) {
        f.note += "; scheduled after " + until.ToString() + ": " +
                  Dates(scheduled_later);
      }
    } else {
      f.note = no_meetings;
    }
    r.figures.push_back(std::move(f));
  }
  // Cases.
  {
    const auto figure = [&](const char* id, const char* label,
                            std::optional<double> value, bool share,
                            std::string note) {
      ReturnFigure f = Line("cases", id, label, value, std::move(note));
      f.share = share;
      r.figures.push_back(std::move(f));
    };
    if (meetings_kept) {
      std::string note =
          "referrals of " + whose +
          " listed on the saved agenda of a meeting held, or recorded there, "
          "and not adjourned; each once";
      if (adjourned_only > 0) {
        note += "; " + Plural(adjourned_only, "case", "cases") +
                " adjourned and not discussed at another meeting held, not "
                "counted";
      }
      if (!left_otherwise.empty()) {
        note += "; " + Plural(left_otherwise.size(), "case", "cases") +
                " recorded as transferred out or withdrawn, counted";
      }
      figure("cases_discussed", "Cases discussed", cases, false, note);
      figure("repeat_cases", "Repeat cases", repeats, false,
             "cases discussed whose victim had a MARAC referral (any area) "
             "no more than " +
                 std::to_string(options.repeat_window_months) +
                 " months before this one");
      figure("repeat_rate", "Repeat rate",
             cases > 0
                 ? std::optional<double>(static_cast<double>(repeats) / cases)
                 : std::nullopt,
             true,
             cases > 0 ? "repeat cases / cases discussed"
                       : "no cases discussed in the quarter");
      figure("children", "Children in the households of cases discussed",
             children, false,
             "children in the household as referred, over " +
                 Plural(discussed.size(), "case", "cases"));
    } else {
      const std::string why = "meetings held not recorded: " + no_meetings;
      figure("cases_discussed", "Cases discussed", std::nullopt, false, why);
      figure("repeat_cases", "Repeat cases", std::nullopt, false, why);
      figure("repeat_rate", "Repeat rate", std::nullopt, true, why);
      figure("children", "Children in the households of cases discussed",
             std::nullopt, false, why);
    }
  }
  // Referrals received, by category.
  {
    bool referrals_kept = false;
    int received = 0;
    std::map<SafeLivesAgency, int> by_category;
    struct Unmapped {
      std::string name;  // The first spelling, in sorted order.
      int referrals = 0;
      std::set<std::string> sources;
    };
    std::map<std::string, Unmapped> unmapped;  // By AgencyKey.
    for (const StoredReferral& x : scope->referrals) {
      if (!(until < x.referred_on)) referrals_kept = true;
      if (!Within(x.referred_on, from, until)) continue;
      ++received;
      const std::optional<SafeLivesAgency> c = MapAgency(options.mapping, x);
      if (c) {
        ++by_category[*c];
        continue;
      }
      const std::string key = AgencyKey(x.agency);
      Unmapped& u = unmapped[key];
      std::string name = key.empty() ? "(no agency recorded)" : x.agency;
      if (u.name.empty() || name < u.name) u.name = std::move(name);
      ++u.referrals;
      u.sources.insert(std::string(ReferralSourceName(x.source)));
    }
    const std::string no_referrals = "the store holds no referral of " + whose +
                                     " dated on or before " + until.ToString() +
                                     ", so it did not keep them then";
    const auto value = [&](int n) {
      return referrals_kept ? std::optional<double>(n) : std::nullopt;
    };
    r.figures.push_back(Line("referrals", "referrals_received",
                             "Referrals received", value(received),
                             referrals_kept
                                 ? "referred " + period +
                                       ", by category through the agency "
                                       "mapping '" +
                                       options.mapping.version + "'"
                                 : no_referrals));
    for (const Category& c : kCategories) {
      r.figures.push_back(Line("referrals", "referrals_" + std::string(c.name),
                               c.label, value(by_category[c.agency]),
                               referrals_kept ? "" : no_referrals));
    }
    int unmapped_total = 0;
    for (const auto& [key, u] : unmapped) unmapped_total += u.referrals;
    r.figures.push_back(
        Line("referrals", "referrals_unmapped",
             "Referrals from agencies the mapping does not cover",
             value(unmapped_total),
             referrals_kept ? "each such agency is listed below, by name"
                            : no_referrals));
    for (const auto& [key, u] : unmapped) {
      std::string sources;
      for (const std::string& source : u.sources) {
        if (!sources.empty()) sources += ", ";
        sources += source;
      }
      std::string note = "not in the agency mapping (source " + sources + ")";
      if (u.sources.contains("one_stop_shop")) {
        note +=
            "; a One Stop Shop is a venue, not an agency: map the referring "
            "agency by name";
      }
      ReturnFigure f = Line("referrals", "unmapped", "Unmapped agency",
                            u.referrals, std::move(note));
      f.agency = u.name;
      r.figures.push_back(std::move(f));
    }
  }
  // Equality, over the cases discussed.
  {
    const struct {
      const char* id;
      const char* label;
      const EqualityTally& tally;
      const char* field;
    } kProfile[] = {
        {"male_victims", "Male victims", male, "gender identity"},
        {"minoritised_ethnic_victims",
         "Victims from minoritised ethnic groups (mixed, Asian, Black, Arab "
         "or other)",
         minoritised, "ethnicity"},
        {"lgbt_victims", "Lesbian, gay or bisexual victims", lgbt,
         "sexual orientation"},
        {"disabled_victims", "Disabled victims", disabled, "disability"},
        {"victims_aged_16_17", "Victims aged 16 or 17", aged_16_17, "age band"},
    };
    for (const auto& p : kProfile) {
      ReturnFigure f = Line("equality", p.id, p.label, std::nullopt, "");
      if (!meetings_kept) {
        f.note = "cases discussed not recorded: " + no_meetings;
      } else {
        f.recorded_of = p.tally.recorded;
        if (cases == 0) {
          f.note = "no cases discussed in the quarter";
        } else if (p.tally.recorded == 0) {
          f.note = "none of the " + Plural(discussed.size(), "case", "cases") +
                   " discussed recorded the victim's " + p.field;
        } else {
          f.value = p.tally.counted;
          f.note = std::to_string(p.tally.counted) + " of the " +
                   Plural(static_cast<std::size_t>(p.tally.recorded), "case",
                          "cases") +
                   " that recorded the victim's " + p.field + ", of " +
                   std::to_string(cases) + " discussed";
        }
      }
      r.figures.push_back(std::move(f));
    }
  }

  r.notes.push_back(q.Name() + ": " + r.from.ToString() + " to " +
                    r.to.ToString() + ".");
  if (r.partial) {
    r.notes.push_back("The quarter is not over on " + r.as_of.ToString() +
                      ": figures count to then, and a meeting after it is "
                      "scheduled, not held.");
  } else {
    r.notes.push_back("Counted to the quarter's end, " + r.to.ToString() + ".");
  }
  r.notes.push_back(
      options.area.empty()
          ? "Every area."
          : "Area " + options.area +
                " only: other areas' referrals and meetings are left out; "
                "repeats look at earlier referrals of any area.");
  r.notes.push_back(
      "Referrals go to a SafeLives category by agency name first, then by "
      "source, through the mapping '" +
      options.mapping.version +
      "'; a One Stop Shop is a venue, so its referrals go by agency name "
      "only; an agency the mapping does not cover is listed as unmapped.");
  r.notes.push_back(
      "Equality monitoring is counted over the cases discussed; "
      "'not_stated' is not a record.");
  return r;
}

std::string SafeLivesReturnCsv(const SafeLivesReturn& r) {
  std::string csv = "section,figure,label,agency,value,recorded_of,note\n";
  const auto line = [&](std::string_view section, std::string_view id,
                        std::string_view label, std::string_view agency,
                        std::string_view value, std::string_view recorded_of,
                        std::string_view note) {
    csv += CsvField(section) + "," + CsvField(id) + "," + CsvField(label) +
           "," + CsvField(SpreadsheetText(agency)) + "," + CsvField(value) +
           "," + CsvField(recorded_of) + "," + CsvField(note) + "\n";
  };
  line("return", "quarter", "Quarter", "", r.quarter.Name(), "",
       r.from.ToString() + " to " + r.to.ToString());
  line("return", "area", "Area", "", r.area.empty() ? "all" : r.area, "",
       r.area.empty() ? "every area" : "");
  line("return", "as_of", "As of", "", r.as_of.ToString(), "", "");
  line("return", "counted_to", "Counted to", "", r.counted_to.ToString(), "",
       r.partial ? "the quarter is not over: counted to as_of"
                 : "the quarter's end");
  line("return", "mapping", "Agency mapping", "", r.mapping_version, "", "");
  for (const ReturnFigure& f : r.figures) {
    line(f.section, f.id, f.label, f.agency,
         f.value ? Number(*f.value, f.share) : "not recorded",
         f.recorded_of ? std::to_string(*f.recorded_of) : "", f.note);
  }
  return csv;
}

std::string SafeLivesReturnJson(const SafeLivesReturn& r) {
  using Out = nlohmann::ordered_json;
  Out j;
  j["return"] = "safelives_marac_quarterly";
  j["quarter"] = r.quarter.Name();
  j["area"] = r.area.empty() ? Out(nullptr) : Out(r.area);
  j["from"] = r.from.ToString();
  j["to"] = r.to.ToString();
  j["as_of"] = r.as_of.ToString();
  j["counted_to"] = r.counted_to.ToString();
  j["partial"] = r.partial;
  j["mapping"] = r.mapping_version;
  Out figures = Out::array();
  for (const ReturnFigure& f : r.figures) {
    Out x;
    x["section"] = f.section;
    x["id"] = f.id;
    x["label"] = f.label;
    x["agency"] = f.agency.empty() ? Out(nullptr) : Out(f.agency);
    if (!f.value) {
      x["value"] = nullptr;
    } else if (f.share) {
      x["value"] = *f.value;
    } else {
      x["value"] = static_cast<long long>(*f.value);
    }
    x["recorded_of"] = f.recorded_of ? Out(*f.recorded_of) : Out(nullptr);
    x["note"] = f.note;
    figures.push_back(std::move(x));
  }
  j["figures"] = std::move(figures);
  j["notes"] = r.notes;
  return j.dump(2, ' ', false, Out::error_handler_t::replace) + "\n";
}

}  // namespace marac
