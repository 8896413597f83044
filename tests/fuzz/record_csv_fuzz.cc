// libFuzzer target: any bytes through every CSV reader of the CLI (person
// records in the marac, febrl and splink layouts; decisions; earlier person
// ids; the incident, assessment, referral and IDVA imports), the records
// read through identity normalisation and comparison, and the bytes through
// the line reader of `marac score --jsonl`. Must never crash, leak or trip a
// sanitizer. Every refusal is kInvalidArgument and names the file first;
// an import refused appends nothing; what is read keeps the documented
// shape. Build with scripts/fuzz.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/common/strict_json.h"
#include "marac/common/date.h"
#include "marac/identity/person_record.h"
#include "marac/identity/stable_ids.h"
#include "services/cli/line_reader.h"
#include "services/cli/record_csv.h"

namespace marac {
namespace {

constexpr std::string_view kSource = "fuzz.csv";
// Records compared pairwise at most: comparison is quadratic.
constexpr std::size_t kMaxCompared = 24;

void Check(bool holds) {
  if (!holds) __builtin_trap();
}

// A refusal is an expected failure: kInvalidArgument, naming the file.
void CheckRefusal(const Status& status) {
  Check(status.code() == StatusCode::kInvalidArgument);
  Check(status.message().starts_with(kSource));
  Check(status.message().find(':') != std::string::npos);
}

// Text that reached a record is valid UTF-8 without control characters.
bool Shown(const std::string& text) {
  return ShownText(text, text.size() + 8) == text;
}

bool Trimmed(const std::string& text) {
  return text.empty() || (text.front() != ' ' && text.front() != '\t' &&
                          text.back() != ' ' && text.back() != '\t');
}

// A ';'-separated list as read: items non-empty, trimmed, without ';'.
void CheckList(const std::vector<std::string>& items) {
  for (const std::string& item : items) {
    Check(!item.empty() && Trimmed(item) && Shown(item));
    Check(item.find(';') == std::string::npos);
  }
}

// The family level Compare gives a crosswise name level.
FamilyLevel AsFamily(NameLevel level) {
  switch (level) {
    case NameLevel::kExact:
      return FamilyLevel::kExact;
    case NameLevel::kJaroWinkler92:
      return FamilyLevel::kJaroWinkler92;
    case NameLevel::kJaroWinkler88:
      return FamilyLevel::kJaroWinkler88;
    default:
      return FamilyLevel::kDifferent;  // Never crosswise.
  }
}

// A record compared with itself agrees on every field it has; the
// comparison of two records does not depend on their order, except that
// names found the wrong way round swap which level is given and family.
void CheckComparisons(const std::vector<PersonRecord>& records) {
  std::vector<NormalisedRecord> normalised;
  for (std::size_t k = 0; k < records.size() && k < kMaxCompared; ++k) {
    normalised.push_back(Normalise(records[k]));
  }
  for (const NormalisedRecord& n : normalised) {
    const ComparisonVector v = Compare(n, n);
    Check(v.given ==
          (n.given.empty() ? NameLevel::kMissing : NameLevel::kExact));
    Check(v.family ==
          (n.family.empty() ? FamilyLevel::kMissing : FamilyLevel::kExact));
    Check(v.dob == (n.dob.empty() ? DobLevel::kMissing : DobLevel::kExact));
    Check(v.postcode == (n.raw_postcode.empty() ? PostcodeLevel::kMissing
                                                : PostcodeLevel::kUnit));
    Check(v.address ==
          (n.address.empty() ? AddressLevel::kMissing : AddressLevel::kExact));
    Check(v.town == (n.town.empty() ? TextLevel::kMissing : TextLevel::kExact));
    Check(v.email ==
          (n.email.empty() ? TextLevel::kMissing : TextLevel::kExact));
    Check(v.other_id ==
          (n.other_id.empty() ? TextLevel::kMissing : TextLevel::kExact));
    Check(!v.names_swapped);
  }
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    for (std::size_t j = i + 1; j < normalised.size(); ++j) {
      ComparisonVector ab = Compare(normalised[i], normalised[j]);
      const ComparisonVector ba = Compare(normalised[j], normalised[i]);
      Check(ab.names_swapped == ba.names_swapped);
      if (ab.names_swapped) {
        Check(AsFamily(ab.given) == ba.family);
        Check(AsFamily(ba.given) == ab.family);
        ab.given = ba.given;
        ab.family = ba.family;
      }
      Check(ab == ba);
    }
  }
}

void FuzzRecords(std::string_view text, RecordFormat format) {
  // One record read earlier, from another file: ids must stay unique
  // across both, and it is left as it was.
  PersonRecord earlier;
  earlier.record_id = "r1";
  earlier.source = "earlier.csv";
  earlier.given_name = "Ada";
  std::vector<PersonRecord> records = {earlier};
  const Status status =
      ReadRecordCsv(text, std::string(kSource), format, records);
  Check(!records.empty() && records[0].record_id == "r1" &&
        records[0].source == "earlier.csv" && records[0].given_name == "Ada");
  if (!status.ok()) {
    CheckRefusal(status);
    return;
  }
  std::set<std::string_view> ids;
  for (std::size_t k = 1; k < records.size(); ++k) {
    const PersonRecord& r = records[k];
    Check(r.source == kSource);
    Check(!r.record_id.empty());
    for (const std::string* field :
         {&r.record_id, &r.given_name, &r.family_name, &r.dob, &r.gender,
          &r.postcode, &r.address_line, &r.town, &r.email, &r.other_id,
          &r.incident_id, &r.trusted_id}) {
      Check(Shown(*field));
      if (format == RecordFormat::kFebrl) Check(Trimmed(*field));
    }
    CheckList(r.previous_family_names);
    if (format == RecordFormat::kMarac && !r.dob.empty()) {
      Check(Date::Parse("dob", r.dob).ok());
    }
    if (format != RecordFormat::kMarac) {
      Check(r.role == Role::kUnknown && r.previous_family_names.empty() &&
            r.incident_id.empty() && r.trusted_id.empty());
    }
  }
  for (const PersonRecord& r : records) {
    Check(ids.insert(r.record_id).second);  // Unique across all of them.
  }
  CheckComparisons(records);
}

void FuzzDecisions(std::string_view text) {
  std::vector<DecisionRow> rows;
  const Status status = ReadDecisionCsv(text, std::string(kSource), rows);
  if (!status.ok()) {
    CheckRefusal(status);
    return;
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const DecisionRow& row : rows) {
    Check(!row.record_id_l.empty() && !row.record_id_r.empty());
    Check(row.record_id_l != row.record_id_r);
    Check(row.line >= 2);
    Check(pairs.insert(std::minmax(row.record_id_l, row.record_id_r)).second);
  }
}

void FuzzPersonIds(std::string_view text) {
  std::map<std::string, std::string, std::less<>> ids;
  const Status status = ReadPersonIdCsv(text, std::string(kSource), ids);
  if (!status.ok()) {
    CheckRefusal(status);
    return;
  }
  for (const auto& [record_id, person_id] : ids) {
    std::uint64_t number = 0;
    Check(!record_id.empty() && ParsePersonId(person_id, number));
  }
}

// Imports start from one element read earlier: a refusal leaves just it.
template <typename T, typename Read, typename Valid>
void FuzzImport(std::string_view text, Read read, Valid valid) {
  std::vector<T> out(1);
  const Status status = read(text, std::string(kSource), out);
  if (!status.ok()) {
    CheckRefusal(status);
    Check(out.size() == 1);
    return;
  }
  for (std::size_t k = 1; k < out.size(); ++k) valid(out[k]);
}

void FuzzImports(std::string_view text) {
  FuzzImport<StoredIncident>(
      text, ReadIncidentCsv, [](const StoredIncident& x) {
        Check(!x.incident_id.empty() && !x.area.empty() &&
              !x.victim_record_id.empty());
        CheckList(x.perpetrator_record_ids);
      });
  FuzzImport<StoredAssessment>(
      text, ReadAssessmentCsv, [](const StoredAssessment& x) {
        Check(!x.assessment_id.empty() && !x.victim_record_id.empty() &&
              !x.instrument.empty() && !x.policy_version.empty() &&
              !x.instrument_version.empty());
        Check(x.score >= 0 && x.score <= 100);
        CheckList(x.criteria);
        CheckList(x.high_harm_indicators);
      });
  FuzzImport<StoredReferral>(
      text, ReadReferralCsv, [](const StoredReferral& x) {
        Check(!x.referral_id.empty() && !x.submission_id.empty() &&
              !x.area.empty() && !x.agency.empty() &&
              !x.victim_record_id.empty());
        Check(x.children_in_household >= 0 && x.children_in_household <= 50);
        CheckList(x.perpetrator_record_ids);
        CheckList(x.criteria);
      });
  FuzzImport<IdvaSupport>(text, ReadIdvaSupportCsv, [](const IdvaSupport& x) {
    Check(!x.referral_id.empty() && !x.idva_service.empty());
  });
}

// The line reader gives back the input's lines in order, numbered from 1,
// each within the limit or reported too long.
void FuzzLineReader(std::string_view text) {
  constexpr std::size_t kMaxLine = 64;
  std::istringstream in{std::string(text)};
  LineReader reader(in, kMaxLine);
  std::size_t start = 0;
  std::size_t number = 0;
  std::string line;
  for (;;) {
    const LineReader::Outcome outcome = reader.Next(line);
    if (outcome == LineReader::Outcome::kEnd) break;
    Check(outcome != LineReader::Outcome::kReadError);
    Check(start < text.size());
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view want = text.substr(start, end - start);
    Check(reader.line_number() == ++number);
    if (want.size() > kMaxLine) {
      Check(outcome == LineReader::Outcome::kTooLong && line.empty());
    } else {
      Check(outcome == LineReader::Outcome::kLine && line == want);
    }
    start = end + 1;
  }
  Check(start >= text.size());
}

}  // namespace
}  // namespace marac

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const marac::RecordFormat format :
       {marac::RecordFormat::kMarac, marac::RecordFormat::kFebrl,
        marac::RecordFormat::kSplink}) {
    marac::FuzzRecords(text, format);
  }
  marac::FuzzDecisions(text);
  marac::FuzzPersonIds(text);
  marac::FuzzImports(text);
  marac::FuzzLineReader(text);
  return 0;
}
