#include "services/wire/convert.h"

#include <algorithm>
#include <array>
#include <bit>
#include <set>
#include <span>

namespace marac {
namespace {

constexpr std::size_t kMaxIdBytes = 128;
constexpr int kMaxIncidents = 10000;
constexpr int kMaxChildren = 50;

std::string Path(std::string_view field, std::string_view child) {
  if (field.empty()) return std::string(child);
  return std::string(field) + "." + std::string(child);
}

std::string Index(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The checkers, each given its field's path as a callable that builds it:
// the path is made only for a violation, so a valid request (the scoring
// path runs thousands of times a second) builds no strings.
template <typename PathFn>
void CheckIdAt(std::string_view id, const PathFn& path, bool optional,
               FieldViolations& violations) {
  if (id.empty()) {
    if (!optional) violations.Add(path(), "required");
    return;
  }
  if (id.size() > kMaxIdBytes) {
    violations.Add(path(), "longer than 128 bytes");
    return;
  }
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      violations.Add(path(), "not an id (printable ASCII without spaces)");
      return;
    }
  }
}

template <typename PathFn>
void CheckTextAt(std::string_view text, const PathFn& path,
                 const WireLimits& limits, FieldViolations& violations) {
  if (text.size() > limits.max_string_bytes) {
    violations.Add(path(), "longer than " +
                               std::to_string(limits.max_string_bytes) +
                               " bytes (the configured string limit)");
  }
}

template <typename PathFn>
std::optional<Date> DateAt(const v1::Date& date, const PathFn& path,
                           FieldViolations& violations) {
  const Date d{date.year(), date.month(), date.day()};
  if (!d.IsValid()) {
    violations.Add(path(),
                   "not a calendar date (year 1..9999, month 1..12, a day "
                   "of that month)");
    return std::nullopt;
  }
  return d;
}

template <typename PathFn>
std::optional<Date> EventDateAt(const v1::Date& date, const PathFn& path,
                                const WireLimits& limits,
                                FieldViolations& violations) {
  const std::optional<Date> d = DateAt(date, path, violations);
  if (!d) return std::nullopt;
  if (*d < limits.earliest) {
    violations.Add(path(), "before " + limits.earliest.ToString() +
                               ", too early to be right");
    return std::nullopt;
  }
  if (*d > limits.latest) {
    violations.Add(path(),
                   "in the future (today is " + limits.latest.ToString() + ")");
    return std::nullopt;
  }
  return d;
}

// A path known whole.
auto Whole(std::string_view field) {
  return [field] { return std::string(field); };
}
// "parent.child", built on demand; `parent` is itself such a callable.
template <typename PathFn>
auto Child(const PathFn& parent, std::string_view child) {
  return [parent, child] { return Path(parent(), child); };
}
// "parent[i]", on demand.
template <typename PathFn>
auto Element(const PathFn& parent, int i) {
  return [parent, i] { return Index(parent(), i); };
}

}  // namespace

void CheckLabel(std::string_view text, std::string_view field, bool optional,
                FieldViolations& violations) {
  if (text.empty()) {
    if (!optional) violations.Add(std::string(field), "required");
  } else if (text.size() > kMaxIdBytes) {
    violations.Add(std::string(field), "longer than 128 bytes");
  } else if (std::any_of(text.begin(), text.end(), [](char c) {
               return IsControl(static_cast<unsigned char>(c));
             })) {
    violations.Add(std::string(field), "holds a control character");
  }
}

namespace {

// Whether the list at `field` is within the limit; a violation if not.
bool CheckListSize(int size, std::string_view field, const WireLimits& limits,
                   FieldViolations& violations) {
  if (static_cast<std::size_t>(size) <= limits.max_list_items) return true;
  violations.Add(std::string(field), "more than " +
                                         std::to_string(limits.max_list_items) +
                                         " items (the configured list limit)");
  return false;
}

std::string KnownInstruments(const InstrumentSet& instruments) {
  std::string out;
  for (const auto& instrument : instruments.all()) {
    if (!out.empty()) out += ", ";
    out += instrument->id();
  }
  return out;
}

// Writes each finding straight into its list of the message.
class WireFindings final : public FindingSink {
 public:
  explicit WireFindings(v1::RiskScore* out) : out_(out) {}
  void Add(FindingKind kind, std::string_view id, std::string_view reason,
           std::span<const int> items) override {
    v1::Finding* w = List(kind)->Add();
    // assign, not set_reason(data, size): that builds a temporary string
    // first (protobuf 3.21 without Abseil), and assign reuses the capacity
    // of a recycled message.
    w->mutable_id()->assign(id.data(), id.size());
    w->mutable_reason()->assign(reason.data(), reason.size());
    w->mutable_items()->Add(items.begin(), items.end());
  }

 private:
  google::protobuf::RepeatedPtrField<v1::Finding>* List(FindingKind kind) {
    switch (kind) {
      case FindingKind::kCriterionMet:
        return out_->mutable_criteria();
      case FindingKind::kCriterionNotMet:
        return out_->mutable_criteria_not_met();
      case FindingKind::kHighHarmIndicator:
        return out_->mutable_high_harm_indicators();
      case FindingKind::kPrompt:
        break;
    }
    return out_->mutable_prompts();
  }
  v1::RiskScore* out_;
};

void AddItems(std::uint64_t mask,
              google::protobuf::RepeatedField<std::int32_t>* out) {
  out->Reserve(std::popcount(mask));
  for (; mask != 0; mask &= mask - 1) out->Add(std::countr_zero(mask) + 1);
}

constexpr struct {
  v1::Criterion wire;
  Criterion core;
} kCriteria[] = {
    {v1::CRITERION_VISIBLE_HIGH_RISK, Criterion::kVisibleHighRisk},
    {v1::CRITERION_PROFESSIONAL_JUDGEMENT, Criterion::kProfessionalJudgement},
    {v1::CRITERION_POTENTIAL_ESCALATION, Criterion::kPotentialEscalation},
    {v1::CRITERION_REPEAT, Criterion::kRepeat},
};

constexpr struct {
  v1::ReferralSource wire;
  ReferralSource core;
} kSources[] = {
    {v1::REFERRAL_SOURCE_POLICE, ReferralSource::kPolice},
    {v1::REFERRAL_SOURCE_IDVA, ReferralSource::kIdva},
    {v1::REFERRAL_SOURCE_HEALTH, ReferralSource::kHealth},
    {v1::REFERRAL_SOURCE_HOUSING, ReferralSource::kHousing},
    {v1::REFERRAL_SOURCE_CHILDRENS_SERVICES,
     ReferralSource::kChildrensServices},
    {v1::REFERRAL_SOURCE_ONE_STOP_SHOP, ReferralSource::kOneStopShop},
    {v1::REFERRAL_SOURCE_OTHER, ReferralSource::kOther},
};

void AgendaCaseToWire(const RankedCase& ranked, const AgendaMeeting& meeting,
                      v1::AgendaCase* out) {
  const AgendaCase& c = ranked.item;
  out->set_referral_id(c.referral_id);
  out->set_case_reference(c.case_reference);
  if (!c.given_name.empty() || !c.family_name.empty()) {
    out->set_initials(Initials(c.given_name, c.family_name));
  }
  if (c.date_of_birth && c.date_of_birth->IsValid() &&
      *c.date_of_birth <= meeting.date) {
    out->set_age_years(WholeYears(*c.date_of_birth, meeting.date));
  }
  out->set_area(c.area);
  out->set_agency(c.agency);
  DateToWire(c.referred_on, out->mutable_referred_on());
  out->set_rank(ranked.rank);
  out->set_priority(ranked.priority);
  for (const Contribution& k : ranked.contributions) {
    v1::Contribution* w = out->add_contributions();
    w->set_factor(k.factor);
    w->set_points(k.points);
    w->set_detail(k.detail);
  }
  out->set_days_waiting(ranked.days_waiting);
  out->set_escalated(ranked.escalated);
  out->set_under_18(ranked.under_18);
  out->set_grade(GradeToWire(c.grade));
  out->set_score(c.score);
  for (const std::string& s : c.criteria) out->add_criteria(s);
  for (const std::string& s : c.high_harm_indicators) {
    out->add_high_harm_indicators(s);
  }
  out->set_repeat(c.repeat);
  out->set_serial_perpetrator(c.serial_perpetrator);
  out->set_children(c.children);
}

}  // namespace

void CheckId(std::string_view id, std::string_view field, bool optional,
             FieldViolations& violations) {
  CheckIdAt(id, Whole(field), optional, violations);
}

void CheckText(std::string_view text, std::string_view field,
               const WireLimits& limits, FieldViolations& violations) {
  CheckTextAt(text, Whole(field), limits, violations);
}

void CheckPurpose(std::string_view purpose, std::string_view field,
                  const WireLimits& limits, FieldViolations& violations) {
  const bool blank = std::all_of(purpose.begin(), purpose.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  if (blank) {
    violations.Add(std::string(field),
                   "required: a read must say why (DPA 2018 s.62)");
    return;
  }
  CheckText(purpose, field, limits, violations);
  // Beyond the store's limit too (when the string limit is set higher).
  if (purpose.size() > kMaxPurposeBytes &&
      purpose.size() <= limits.max_string_bytes) {
    violations.Add(std::string(field), "longer than " +
                                           std::to_string(kMaxPurposeBytes) +
                                           " bytes (the purpose limit)");
  }
}

std::optional<Date> DateFromWire(const v1::Date& date, std::string_view field,
                                 FieldViolations& violations) {
  return DateAt(date, Whole(field), violations);
}

std::optional<Date> EventDateFromWire(const v1::Date& date,
                                      std::string_view field,
                                      const WireLimits& limits,
                                      FieldViolations& violations) {
  return EventDateAt(date, Whole(field), limits, violations);
}

void DateToWire(const Date& date, v1::Date* out) {
  out->set_year(date.year);
  out->set_month(date.month);
  out->set_day(date.day);
}

std::optional<WireAssessment> AssessmentFromWire(
    const v1::Assessment& a, const InstrumentSet& instruments,
    const WireLimits& limits, std::string_view field,
    FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  const auto at = Whole(field);
  CheckIdAt(a.assessment_id(), Child(at, "assessment_id"), false, violations);

  std::shared_ptr<const Instrument> instrument;
  if (a.instrument().empty()) {
    violations.Add(Path(field, "instrument"), "required");
  } else {
    Result<std::shared_ptr<const Instrument>> found =
        instruments.Find(a.instrument(), "instrument");
    if (found.ok()) {
      instrument = *std::move(found);
    } else {
      violations.Add(
          Path(field, "instrument"),
          "not a known instrument (" + KnownInstruments(instruments) + ")");
    }
  }

  std::optional<Date> completed_on;
  if (!a.has_completed_on()) {
    violations.Add(Path(field, "completed_on"), "required");
  } else {
    completed_on = EventDateAt(a.completed_on(), Child(at, "completed_on"),
                               limits, violations);
  }

  std::optional<Checklist> checklist;
  if (instrument) checklist.emplace(std::move(instrument));
  // One answer: to question `number`, at the field `path` builds. In the
  // dense list ANSWER_UNSPECIFIED marks a question not asked; in the map it
  // is refused (leave the question out instead).
  const auto record = [&](int number, int value, const auto& path,
                          bool in_order) {
    const auto beyond = [&](const Instrument& form) {
      violations.Add(path(), form.id() + " has questions 1-" +
                                 std::to_string(form.item_count()));
    };
    // The dense list is no longer than the form, whatever it holds.
    if (in_order && checklist &&
        number > checklist->instrument().item_count()) {
      beyond(checklist->instrument());
      return;
    }
    Answer answer = Answer::kNotAsked;
    switch (value) {
      case v1::ANSWER_YES:
        answer = Answer::kYes;
        break;
      case v1::ANSWER_NO:
        answer = Answer::kNo;
        break;
      case v1::ANSWER_NOT_KNOWN:
        answer = Answer::kNotKnown;
        break;
      case v1::ANSWER_UNSPECIFIED:
        if (in_order) return;
        violations.Add(path(),
                       "ANSWER_UNSPECIFIED is not an answer; leave out a "
                       "question that was not asked");
        return;
      default:
        violations.Add(path(), "not an Answer value");
        return;
    }
    if (!checklist) return;
    const Instrument& form = checklist->instrument();
    if (number < 1 || number > form.item_count()) {
      beyond(form);
      return;
    }
    const Status recorded = checklist->Record(number, answer);
    if (!recorded.ok()) violations.Add(path(), recorded.message());
  };
  const std::string_view too_many =
      " answers; no instrument has so many";  // After "more than 64".
  if (a.answers_size() > 0 && a.answers_in_order_size() > 0) {
    violations.Add(Path(field, "answers_in_order"),
                   "given with answers; give one or the other");
  } else if (a.answers_in_order_size() > kMaxItems) {
    violations.Add(
        Path(field, "answers_in_order"),
        "more than " + std::to_string(kMaxItems) + std::string(too_many));
  } else if (a.answers_in_order_size() > 0) {
    const auto list = Child(at, "answers_in_order");
    for (int k = 0; k < a.answers_in_order_size(); ++k) {
      record(k + 1, a.answers_in_order(k), Element(list, k), true);
    }
  } else if (a.answers_size() > kMaxItems) {
    // A checklist has at most kMaxItems questions, whatever the list limit.
    violations.Add(
        Path(field, "answers"),
        "more than " + std::to_string(kMaxItems) + std::string(too_many));
  } else {
    // In question order, so that violations come in that order: numbers
    // 1..kMaxItems by position, any others (each a violation) sorted.
    constexpr int kAbsent = -1;
    std::array<int, kMaxItems + 1> by_number;
    by_number.fill(kAbsent);
    std::vector<std::pair<int, int>> outside;
    for (const auto& [number, value] : a.answers()) {
      if (number >= 1 && number <= kMaxItems) {
        by_number[static_cast<std::size_t>(number)] = value;
      } else {
        outside.emplace_back(number, value);
      }
    }
    std::sort(outside.begin(), outside.end());
    const auto entry = [&](int number, int value) {
      // Built only for a violation: the happy path makes no strings.
      const auto path = [field, number] {
        return Path(field, "answers") + "." + std::to_string(number);
      };
      record(number, value, path, false);
    };
    auto rest = outside.begin();
    for (; rest != outside.end() && rest->first < 1; ++rest) {
      entry(rest->first, rest->second);
    }
    for (int number = 1; number <= kMaxItems; ++number) {
      const int value = by_number[static_cast<std::size_t>(number)];
      if (value != kAbsent) entry(number, value);
    }
    for (; rest != outside.end(); ++rest) entry(rest->first, rest->second);
  }

  const v1::CaseHistory& h = a.history();
  const auto hf = Child(at, "history");
  CaseHistory history;
  if (h.has_incident_on()) {
    history.incident_on = EventDateAt(h.incident_on(), Child(hf, "incident_on"),
                                      limits, violations);
  }
  if (h.has_incidents_last_12_months()) {
    const int n = h.incidents_last_12_months();
    if (n < 0 || n > kMaxIncidents) {
      violations.Add(Child(hf, "incidents_last_12_months")(),
                     "must be 0..10000");
    } else {
      history.incidents_last_12_months = n;
    }
    if (h.incident_dates_size() > 0) {
      violations.Add(Child(hf, "incident_dates")(),
                     "given with incidents_last_12_months; give one or the "
                     "other");
    }
  }
  if (h.incident_dates_size() > 0) {
    const auto dates = Child(hf, "incident_dates");
    if (CheckListSize(h.incident_dates_size(), dates(), limits, violations)) {
      for (int i = 0; i < h.incident_dates_size(); ++i) {
        const std::optional<Date> d = EventDateAt(
            h.incident_dates(i), Element(dates, i), limits, violations);
        if (d) history.incident_dates.push_back(*d);
      }
    }
  }
  if (h.has_last_marac_referral_on()) {
    history.last_marac_referral_on =
        EventDateAt(h.last_marac_referral_on(),
                    Child(hf, "last_marac_referral_on"), limits, violations);
  }
  const auto reason_field = Child(hf, "professional_judgement_reason");
  switch (h.professional_judgement()) {
    case v1::PROFESSIONAL_JUDGEMENT_UNSPECIFIED:
    case v1::PROFESSIONAL_JUDGEMENT_NONE:
      if (!h.professional_judgement_reason().empty()) {
        violations.Add(reason_field(),
                       "given, but professional_judgement is not REFER");
      }
      break;
    case v1::PROFESSIONAL_JUDGEMENT_REFER:
      history.professional_judgement = ProfessionalJudgement::kRefer;
      break;
    default:
      violations.Add(Child(hf, "professional_judgement")(),
                     "not a ProfessionalJudgement value");
  }
  CheckTextAt(h.professional_judgement_reason(), reason_field, limits,
              violations);
  history.professional_judgement_reason = h.professional_judgement_reason();

  if (violations.all().size() != before || !checklist || !completed_on) {
    return std::nullopt;
  }
  return WireAssessment{a.assessment_id(), *std::move(checklist), *completed_on,
                        std::move(history)};
}

void RiskScoreToWire(std::string_view assessment_id, const RiskScore& s,
                     v1::RiskScore* out) {
  out->mutable_assessment_id()->assign(assessment_id);
  out->set_instrument(s.instrument().id());
  out->set_instrument_version(s.instrument().version());
  out->set_policy_version(s.context->policy_version);
  out->set_score(s.score);
  out->set_answered(s.answered);
  AddItems(s.unanswered_items, out->mutable_unanswered_items());
  AddItems(s.not_known_items, out->mutable_not_known_items());
  out->set_max_possible_score(s.max_possible);
  if (s.ric_equivalent_score) {
    out->set_ric_equivalent_score(*s.ric_equivalent_score);
  }
  out->set_grade(GradeToWire(s.grade));
  out->set_incomplete(s.incomplete);
  out->set_could_be_high(s.could_be_high);
  out->set_marac_referral(s.marac_referral);
  WireFindings findings(out);
  DescribeFindings(s, findings);
}

std::optional<StoredReferral> ReferralFromWire(const v1::Referral& r,
                                               std::string_view agency,
                                               const WireLimits& limits,
                                               std::string_view field,
                                               FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  StoredReferral out;
  if (!r.referral_id().empty()) {
    violations.Add(Path(field, "referral_id"),
                   "set by the server; leave it empty");
  }
  if (!r.agency().empty()) {
    violations.Add(Path(field, "agency"),
                   "set by the server from the caller's agency; leave it "
                   "empty");
  }
  CheckLabel(r.area(), Path(field, "area"), false, violations);
  out.area = r.area();
  out.agency = std::string(agency);
  const auto source =
      std::find_if(std::begin(kSources), std::end(kSources),
                   [&](const auto& s) { return s.wire == r.source(); });
  if (source == std::end(kSources)) {
    violations.Add(Path(field, "source"),
                   r.source() == v1::REFERRAL_SOURCE_UNSPECIFIED
                       ? "required"
                       : "not a ReferralSource value");
  } else {
    out.source = source->core;
  }
  if (!r.has_referred_on()) {
    violations.Add(Path(field, "referred_on"), "required");
  } else if (const std::optional<Date> d =
                 EventDateFromWire(r.referred_on(), Path(field, "referred_on"),
                                   limits, violations)) {
    out.referred_on = *d;
  }
  CheckId(r.victim_record_id(), Path(field, "victim_record_id"), false,
          violations);
  out.victim_record_id = r.victim_record_id();
  const std::string perps = Path(field, "perpetrator_record_ids");
  if (CheckListSize(r.perpetrator_record_ids_size(), perps, limits,
                    violations)) {
    for (int i = 0; i < r.perpetrator_record_ids_size(); ++i) {
      CheckId(r.perpetrator_record_ids(i), Index(perps, i), false, violations);
      if (r.perpetrator_record_ids(i) == r.victim_record_id()) {
        violations.Add(Index(perps, i), "the victim's record");
      }
      out.perpetrator_record_ids.push_back(r.perpetrator_record_ids(i));
    }
  }
  CheckId(r.incident_id(), Path(field, "incident_id"), true, violations);
  out.incident_id = r.incident_id();
  CheckId(r.assessment_id(), Path(field, "assessment_id"), true, violations);
  out.assessment_id = r.assessment_id();
  const std::string criteria = Path(field, "criteria");
  std::set<int> seen;
  const int criteria_count =
      CheckListSize(r.criteria_size(), criteria, limits, violations)
          ? r.criteria_size()
          : 0;
  for (int i = 0; i < criteria_count; ++i) {
    const int c = r.criteria(i);
    const auto known = std::find_if(std::begin(kCriteria), std::end(kCriteria),
                                    [&](const auto& k) { return k.wire == c; });
    if (known == std::end(kCriteria)) {
      violations.Add(Index(criteria, i), c == v1::CRITERION_UNSPECIFIED
                                             ? "CRITERION_UNSPECIFIED is not "
                                               "a criterion"
                                             : "not a Criterion value");
    } else if (!seen.insert(c).second) {
      violations.Add(Index(criteria, i), "repeated");
    } else {
      out.criteria.emplace_back(CriterionName(known->core));
    }
  }
  if (r.children_in_household() < 0 ||
      r.children_in_household() > kMaxChildren) {
    violations.Add(Path(field, "children_in_household"), "must be 0..50");
  }
  out.children_in_household = r.children_in_household();
  if (violations.all().size() != before) return std::nullopt;
  return out;
}

void ReferralToWire(const StoredReferral& r, v1::Referral* out) {
  out->set_referral_id(r.referral_id);
  out->set_area(r.area);
  out->set_agency(r.agency);
  for (const auto& s : kSources) {
    if (s.core == r.source) out->set_source(s.wire);
  }
  DateToWire(r.referred_on, out->mutable_referred_on());
  out->set_victim_record_id(r.victim_record_id);
  for (const std::string& p : r.perpetrator_record_ids) {
    out->add_perpetrator_record_ids(p);
  }
  out->set_incident_id(r.incident_id);
  out->set_assessment_id(r.assessment_id);
  for (const std::string& name : r.criteria) {
    for (const auto& k : kCriteria) {
      if (CriterionName(k.core) == name) out->add_criteria(k.wire);
    }
  }
  out->set_children_in_household(r.children_in_household);
}

bool SameReferral(const StoredReferral& a, const StoredReferral& b) {
  return a.submission_id == b.submission_id && a.area == b.area &&
         a.agency == b.agency && a.source == b.source &&
         a.referred_on == b.referred_on &&
         a.victim_record_id == b.victim_record_id &&
         a.perpetrator_record_ids == b.perpetrator_record_ids &&
         a.incident_id == b.incident_id && a.assessment_id == b.assessment_id &&
         a.criteria == b.criteria &&
         a.children_in_household == b.children_in_household;
}

std::optional<PersonRecord> PersonRecordFromWire(const v1::PersonRecord& r,
                                                 const WireLimits& limits,
                                                 std::string_view field,
                                                 FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  PersonRecord out;
  CheckId(r.record_id(), Path(field, "record_id"), false, violations);
  out.record_id = r.record_id();
  CheckLabel(r.source(), Path(field, "source"), false, violations);
  out.source = r.source();
  const struct {
    const char* name;
    const std::string& value;
    std::string& into;
  } texts[] = {
      {"given_name", r.given_name(), out.given_name},
      {"middle_name", r.middle_name(), out.middle_name},
      {"family_name", r.family_name(), out.family_name},
      {"gender", r.gender(), out.gender},
      {"postcode", r.postcode(), out.postcode},
      {"address_line", r.address_line(), out.address_line},
      {"town", r.town(), out.town},
      {"email", r.email(), out.email},
      {"other_id", r.other_id(), out.other_id},
  };
  for (const auto& t : texts) {
    CheckText(t.value, Path(field, t.name), limits, violations);
    t.into = t.value;
  }
  const std::string previous = Path(field, "previous_family_names");
  if (CheckListSize(r.previous_family_names_size(), previous, limits,
                    violations)) {
    for (int i = 0; i < r.previous_family_names_size(); ++i) {
      CheckText(r.previous_family_names(i), Index(previous, i), limits,
                violations);
      out.previous_family_names.push_back(r.previous_family_names(i));
    }
  }
  if (r.has_date_of_birth()) {
    const std::string dob = Path(field, "date_of_birth");
    if (const std::optional<Date> d =
            DateFromWire(r.date_of_birth(), dob, violations)) {
      if (*d > limits.latest) {
        violations.Add(dob, "in the future");
      } else {
        out.dob = d->ToString();
      }
    }
  }
  switch (r.role()) {
    case v1::PERSON_ROLE_UNSPECIFIED:
      out.role = Role::kUnknown;
      break;
    case v1::PERSON_ROLE_VICTIM:
      out.role = Role::kVictim;
      break;
    case v1::PERSON_ROLE_PERPETRATOR:
      out.role = Role::kPerpetrator;
      break;
    default:
      violations.Add(Path(field, "role"), "not a PersonRole value");
  }
  CheckId(r.incident_id(), Path(field, "incident_id"), true, violations);
  out.incident_id = r.incident_id();
  CheckId(r.trusted_id(), Path(field, "trusted_id"), true, violations);
  out.trusted_id = r.trusted_id();
  if (violations.all().size() != before) return std::nullopt;
  return out;
}

void WeightTermToWire(const WeightTerm& term, v1::WeightTerm* out) {
  out->set_field(term.field);
  out->set_level(term.level);
  out->set_weight(term.weight);
}

void MeetingToWire(const Meeting& m, v1::Meeting* out) {
  out->set_meeting_id(m.meeting_id);
  out->set_area(m.area);
  DateToWire(m.date, out->mutable_date());
  DateToWire(m.referral_cutoff, out->mutable_referral_cutoff());
  out->set_capacity_cases(m.capacity_cases);
  out->set_capacity_minutes(m.capacity_minutes);
}

void AgendaToWire(const Agenda& agenda, v1::Agenda* out) {
  const AgendaMeeting& m = agenda.meeting;
  MeetingToWire({m.meeting_id, m.area, m.date, m.referral_cutoff,
                 m.capacity_cases, m.capacity_minutes},
                out->mutable_meeting());
  out->set_policy_version(agenda.policy_version);
  out->set_capacity(agenda.capacity);
  for (const RankedCase& c : agenda.listed) {
    AgendaCaseToWire(c, m, out->add_listed());
  }
  for (const DeferredCase& d : agenda.deferred) {
    DeferredCaseToWire(d, m, out->add_deferred());
  }
  for (const LeftOut& l : agenda.not_eligible) {
    NotEligibleToWire(l, out->add_not_eligible());
  }
  std::size_t plans = 0;
  for (const DeferredCase& d : agenda.deferred) plans += d.interim_safety_plan;
  const Agenda::Counted counted = agenda.counted.value_or(Agenda::Counted{
      agenda.deferred.size(), agenda.not_eligible.size(), plans});
  out->set_deferred_count(static_cast<std::int32_t>(counted.deferred));
  out->set_not_eligible_count(static_cast<std::int32_t>(counted.not_eligible));
  out->set_interim_safety_plans(
      static_cast<std::int32_t>(counted.interim_safety_plans));
}

void DeferredCaseToWire(const DeferredCase& d, const AgendaMeeting& meeting,
                        v1::DeferredCase* out) {
  AgendaCaseToWire(d.ranked, meeting, out->mutable_agenda_case());
  out->set_reason(d.reason);
  out->set_interim_safety_plan(d.interim_safety_plan);
}

void NotEligibleToWire(const LeftOut& l, v1::NotEligible* out) {
  out->set_referral_id(l.referral_id);
  out->set_reason(l.reason);
}

void StatisticsToWire(const Statistics& s, v1::Statistics* out) {
  DateToWire(s.from, out->mutable_period_start());
  DateToWire(s.to, out->mutable_period_end());
  for (const Figure& f : s.figures) {
    v1::Figure* w = out->add_figures();
    w->set_id(f.id);
    w->set_label(f.label);
    if (f.value) w->set_value(*f.value);
    if (f.national) w->set_national(*f.national);
    w->set_note(f.note);
  }
  for (const auto& [k, v] : s.referrals_by_agency) {
    (*out->mutable_referrals_by_agency())[k] = v;
  }
  for (const auto& [k, v] : s.referrals_by_source) {
    (*out->mutable_referrals_by_source())[k] = v;
  }
  for (const auto& [k, v] : s.idva_referrals_by_quarter) {
    (*out->mutable_idva_referrals_by_quarter())[k] = v;
  }
}

v1::Grade GradeToWire(std::optional<Grade> grade) {
  if (!grade) return v1::GRADE_UNSPECIFIED;
  switch (*grade) {
    case Grade::kStandard:
      return v1::GRADE_STANDARD;
    case Grade::kMedium:
      return v1::GRADE_MEDIUM;
    case Grade::kHigh:
      return v1::GRADE_HIGH;
    case Grade::kNotGraded:
      break;
  }
  return v1::GRADE_NOT_GRADED;
}

std::optional<Grade> GradeFromWire(v1::Grade grade) {
  switch (grade) {
    case v1::GRADE_STANDARD:
      return Grade::kStandard;
    case v1::GRADE_MEDIUM:
      return Grade::kMedium;
    case v1::GRADE_HIGH:
      return Grade::kHigh;
    case v1::GRADE_NOT_GRADED:
      return Grade::kNotGraded;
    default:
      return std::nullopt;
  }
}

void AuditEntryToWire(const AuditEntry& e, v1::AuditEntry* out) {
  out->set_sequence(e.sequence);
  out->set_at(e.at);
  out->set_user(e.user);
  out->set_role(e.role);
  out->set_agency(e.agency);
  out->set_purpose(e.purpose);
  out->set_action(e.action);
  out->set_object_type(e.object_type);
  for (const std::string& id : e.object_ids) out->add_object_ids(id);
  out->set_outcome(e.outcome);
  out->set_request_id(e.request_id);
  out->set_peer(e.peer);
  out->set_prev_hash(e.prev_hash);
  out->set_row_hash(e.row_hash);
}

void AuditVerificationToWire(const AuditVerification& v,
                             v1::VerifyAuditResponse* out) {
  out->set_intact(v.intact);
  out->set_entries(v.entries);
  out->set_head_sequence(v.head_sequence);
  out->set_head_hash(v.head_hash);
  out->set_broken_at(v.broken_at);
  out->set_problem(v.problem);
}

AuditEntry AuditEntryFromWire(const v1::AuditEntry& e) {
  return {e.sequence(),
          e.at(),
          e.user(),
          e.role(),
          e.agency(),
          e.purpose(),
          e.action(),
          e.object_type(),
          {e.object_ids().begin(), e.object_ids().end()},
          e.outcome(),
          e.request_id(),
          e.peer(),
          e.prev_hash(),
          e.row_hash()};
}

Status PersonRecordToWire(const PersonRecord& r, v1::PersonRecord* out) {
  out->set_record_id(r.record_id);
  out->set_source(r.source);
  out->set_given_name(r.given_name);
  out->set_middle_name(r.middle_name);
  out->set_family_name(r.family_name);
  for (const std::string& n : r.previous_family_names) {
    out->add_previous_family_names(n);
  }
  if (!r.dob.empty()) {
    const Result<Date> dob = Date::Parse("dob", r.dob);
    if (!dob.ok()) return dob.status();
    DateToWire(*dob, out->mutable_date_of_birth());
  }
  out->set_gender(r.gender);
  out->set_postcode(r.postcode);
  out->set_address_line(r.address_line);
  out->set_town(r.town);
  out->set_email(r.email);
  out->set_other_id(r.other_id);
  out->set_role(r.role == Role::kVictim        ? v1::PERSON_ROLE_VICTIM
                : r.role == Role::kPerpetrator ? v1::PERSON_ROLE_PERPETRATOR
                                               : v1::PERSON_ROLE_UNSPECIFIED);
  out->set_incident_id(r.incident_id);
  out->set_trusted_id(r.trusted_id);
  return Status::Ok();
}

v1::Answer AnswerToWire(Answer answer) {
  switch (answer) {
    case Answer::kYes:
      return v1::ANSWER_YES;
    case Answer::kNo:
      return v1::ANSWER_NO;
    case Answer::kNotKnown:
      return v1::ANSWER_NOT_KNOWN;
    default:
      return v1::ANSWER_UNSPECIFIED;
  }
}

// Ending at the last question asked keeps the list within any form the
// map's numbers fit, so a server whose instrument has fewer questions than
// the local definition refuses the list only where it would refuse the map.
void AnswersInOrderToWire(const Checklist& checklist, v1::Assessment* out) {
  const std::span<const Answer> answers = checklist.answers();
  std::size_t length = answers.size();
  while (length > 0 && answers[length - 1] == Answer::kNotAsked) --length;
  auto* list = out->mutable_answers_in_order();
  list->Reserve(static_cast<int>(length));
  for (std::size_t k = 0; k < length; ++k) list->Add(AnswerToWire(answers[k]));
}

}  // namespace marac
