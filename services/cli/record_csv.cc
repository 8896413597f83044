#include "services/cli/record_csv.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "lib/common/strict_json.h"
#include "marac/assess/instrument.h"
#include "marac/common/date.h"
#include "marac/identity/stable_ids.h"

namespace marac {
namespace {

struct Table {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> end_lines;  // Physical line where each row ends.
  std::vector<std::string> current;
  std::size_t line = 1;
};

void OnField(void* data, std::size_t length, void* table) {
  auto* t = static_cast<Table*>(table);
  t->current.emplace_back(static_cast<const char*>(data), length);
}

void OnRow(int, void* table) {
  auto* t = static_cast<Table*>(table);
  t->rows.push_back(std::move(t->current));
  t->end_lines.push_back(t->line);
  t->current.clear();
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

// Which header column feeds each record field, per format. An empty name:
// the format has no such column.
struct Layout {
  const char* record_id;
  const char* given_name;
  const char* family_name;
  const char* dob;
  const char* gender;
  const char* postcode;
  // The address line: these columns joined with spaces.
  std::array<const char*, 3> address_line;
  const char* town;
  const char* town_otherwise;  // Read when `town` is not a column.
  const char* email;
  const char* other_id;
  const char* role;
  bool dob_compact;   // YYYYMMDD, converted to YYYY-MM-DD.
  bool validate_dob;  // Refuse an impossible date (the project's own files).
  bool trim;          // FEBRL pads fields with a space.
};

constexpr Layout kMarac = {.record_id = "record_id",
                           .given_name = "given_name",
                           .family_name = "family_name",
                           .dob = "dob",
                           .gender = "gender",
                           .postcode = "postcode",
                           .address_line = {"address_line", "", ""},
                           .town = "town",
                           .town_otherwise = "",
                           .email = "email",
                           .other_id = "other_id",
                           .role = "role",
                           .dob_compact = false,
                           .validate_dob = true,
                           .trim = false};
constexpr Layout kFebrl = {
    .record_id = "rec_id",
    .given_name = "given_name",
    .family_name = "surname",
    .dob = "date_of_birth",
    .gender = "",
    .postcode = "postcode",
    .address_line = {"street_number", "address_1", "address_2"},
    .town = "suburb",
    .town_otherwise = "",
    .email = "",
    .other_id = "soc_sec_id",
    .role = "",
    .dob_compact = true,
    .validate_dob = false,
    .trim = true};
// fake_1000 (city, email) and historical_50k (postcode_fake, birth_place).
constexpr Layout kSplink = {.record_id = "unique_id",
                            .given_name = "first_name",
                            .family_name = "surname",
                            .dob = "dob",
                            .gender = "gender",
                            .postcode = "postcode_fake",
                            .address_line = {"", "", ""},
                            .town = "city",
                            .town_otherwise = "birth_place",
                            .email = "email",
                            .other_id = "",
                            .role = "",
                            .dob_compact = false,
                            .validate_dob = false,
                            .trim = false};

// Parses `csv_text` strictly (libcsv), each row with the physical line it
// ends on; at least a header row.
Result<Table> ParseCsv(std::string_view csv_text, const std::string& source) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return Internal("csv: cannot initialise the parser");
  }
  Table table;
  // Feed one physical line at a time, so each row knows its line.
  std::size_t start = 0;
  bool failed = false;
  while (start < csv_text.size() && !failed) {
    std::size_t end = csv_text.find('\n', start);
    end = end == std::string_view::npos ? csv_text.size() : end + 1;
    const std::size_t length = end - start;
    if (csv_parse(&parser, csv_text.data() + start, length, OnField, OnRow,
                  &table) != length) {
      failed = true;
      break;
    }
    start = end;
    ++table.line;
  }
  // A last row without a newline ends at csv_fini, on the last line.
  if (!csv_text.empty() && csv_text.back() != '\n') --table.line;
  if (!failed && csv_fini(&parser, OnField, OnRow, &table) != 0) failed = true;
  const std::string error = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) {
    return InvalidArgument(source + " line " + std::to_string(table.line),
                           "not valid CSV (" + error + ")");
  }
  if (table.rows.empty())
    return InvalidArgument(source, "empty: no header row");

  return table;
}

// A row must have the header's number of fields.
Status CheckWidth(const std::vector<std::string>& fields, std::size_t width,
                  const std::string& where) {
  if (fields.size() == width) return Status::Ok();
  return InvalidArgument(where, "expected " + std::to_string(width) +
                                    " fields, got " +
                                    std::to_string(fields.size()));
}

// A file of rows under a header that must hold `columns`: each row's
// fields in that order, with the line it ends on. Field counts and text
// are checked as for records.
struct Rows {
  std::vector<std::vector<std::string>> fields;
  std::vector<std::size_t> lines;
};
// Columns named with a trailing '?' may be empty.
Result<Rows> ReadColumns(std::string_view text, const std::string& source,
                         std::span<const char* const> columns) {
  MARAC_ASSIGN_OR_RETURN(const Table table, ParseCsv(text, source));
  std::vector<std::size_t> at;
  std::vector<std::string> names;
  std::vector<bool> optional;
  std::vector<bool> may_be_absent;
  for (const char* column : columns) {
    std::string name = column;
    may_be_absent.push_back(!name.empty() && name.back() == '~');
    if (may_be_absent.back()) name.pop_back();
    optional.push_back(may_be_absent.back() ||
                       (!name.empty() && name.back() == '?'));
    if (!may_be_absent.back() && optional.back()) name.pop_back();
    names.push_back(name);
  }
  constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    const auto it = std::find(table.rows[0].begin(), table.rows[0].end(), name);
    if (it == table.rows[0].end()) {
      if (may_be_absent[k]) {
        at.push_back(kAbsent);
        continue;
      }
      return InvalidArgument(source + " line 1", "no \"" + name + "\" column");
    }
    at.push_back(static_cast<std::size_t>(it - table.rows[0].begin()));
  }
  Rows out;
  const std::size_t width = table.rows[0].size();
  for (std::size_t row = 1; row < table.rows.size(); ++row) {
    const std::vector<std::string>& fields = table.rows[row];
    const std::string where =
        source + " line " + std::to_string(table.end_lines[row]);
    if (fields.size() == 1 && fields[0].empty()) continue;  // A blank line.
    MARAC_RETURN_IF_ERROR(CheckWidth(fields, width, where));
    std::vector<std::string> wanted;
    for (std::size_t k = 0; k < at.size(); ++k) {
      if (at[k] == kAbsent) {
        wanted.emplace_back();
        continue;
      }
      const std::string& v = fields[at[k]];
      if (ShownText(v, v.size() + 8) != v) {
        return InvalidArgument(where + ": " + names[k],
                               "not valid UTF-8 text, or holds control "
                               "characters");
      }
      if (v.empty() && !optional[k]) {
        return InvalidArgument(where + ": " + names[k], "empty");
      }
      wanted.push_back(v);
    }
    out.fields.push_back(std::move(wanted));
    out.lines.push_back(table.end_lines[row]);
  }
  return out;
}

}  // namespace

Result<RecordFormat> ParseRecordFormat(std::string_view name) {
  if (name == "marac") return RecordFormat::kMarac;
  if (name == "febrl") return RecordFormat::kFebrl;
  if (name == "splink") return RecordFormat::kSplink;
  return InvalidArgument("--format", "\"" + ShownText(name) +
                                         "\" is not a format (marac | febrl | "
                                         "splink)");
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Status ReadRecordCsv(std::string_view csv_text, const std::string& source,
                     RecordFormat format, std::vector<PersonRecord>& out) {
  const Layout& layout =
      format == RecordFormat::kMarac
          ? kMarac
          : (format == RecordFormat::kFebrl ? kFebrl : kSplink);
  MARAC_ASSIGN_OR_RETURN(const Table table, ParseCsv(csv_text, source));
  // The header: find each needed column.
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < table.rows[0].size(); ++c) {
    column.emplace(layout.trim ? Trim(table.rows[0][c]) : table.rows[0][c], c);
  }
  // The columns of the contract are required in the project's own format;
  // its optional columns, and every preset column but the id, may be absent
  // (fake_1000 has no postcode).
  const auto find = [&](const char* name,
                        bool required) -> Result<std::ptrdiff_t> {
    if (name[0] == '\0') return std::ptrdiff_t{-1};
    const auto it = column.find(name);
    if (it != column.end()) return static_cast<std::ptrdiff_t>(it->second);
    if (!required) return std::ptrdiff_t{-1};
    return InvalidArgument(source + " line 1",
                           std::string("no \"") + name + "\" column");
  };
  const bool own = format == RecordFormat::kMarac;
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_id,
                         find(layout.record_id, true));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_given,
                         find(layout.given_name, own));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_family,
                         find(layout.family_name, own));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_dob, find(layout.dob, own));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_gender,
                         find(layout.gender, own));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_postcode,
                         find(layout.postcode, own));
  std::array<std::ptrdiff_t, 3> c_address{};
  for (std::size_t k = 0; k < c_address.size(); ++k) {
    MARAC_ASSIGN_OR_RETURN(c_address[k],
                           find(layout.address_line[k], own && k == 0));
  }
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_role, find(layout.role, own));
  MARAC_ASSIGN_OR_RETURN(std::ptrdiff_t c_town, find(layout.town, false));
  if (c_town < 0) {
    MARAC_ASSIGN_OR_RETURN(c_town, find(layout.town_otherwise, false));
  }
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_email,
                         find(layout.email, false));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_other,
                         find(layout.other_id, false));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_incident,
                         find(own ? "incident_id" : "", false));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_trusted,
                         find(own ? "trusted_id" : "", false));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_previous,
                         find(own ? "previous_family_names" : "", false));
  MARAC_ASSIGN_OR_RETURN(const std::ptrdiff_t c_area,
                         find(own ? "area" : "", false));

  std::unordered_map<std::string, std::string> seen;  // id -> where
  for (const PersonRecord& r : out) seen.emplace(r.record_id, r.source);
  const std::size_t width = table.rows[0].size();
  for (std::size_t row = 1; row < table.rows.size(); ++row) {
    const std::vector<std::string>& fields = table.rows[row];
    const std::string where =
        source + " line " + std::to_string(table.end_lines[row]);
    if (fields.size() == 1 && fields[0].empty()) continue;  // A blank line.
    MARAC_RETURN_IF_ERROR(CheckWidth(fields, width, where));
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (ShownText(fields[c], fields[c].size() + 8) != fields[c]) {
        return InvalidArgument(where + ": " + ShownText(table.rows[0][c], 40),
                               "not valid UTF-8 text, or holds control "
                               "characters");
      }
    }
    const auto get = [&](std::ptrdiff_t c) {
      if (c < 0) return std::string();
      const std::string& v = fields[static_cast<std::size_t>(c)];
      return layout.trim ? Trim(v) : v;
    };
    PersonRecord r;
    r.source = source;
    r.record_id = get(c_id);
    if (r.record_id.empty())
      return InvalidArgument(where + ": record_id", "empty");
    if (const auto [it, inserted] = seen.emplace(r.record_id, where);
        !inserted) {
      return InvalidArgument(where + ": record_id",
                             "\"" + ShownText(r.record_id) +
                                 "\" is already used (" + it->second + ")");
    }
    r.given_name = get(c_given);
    r.family_name = get(c_family);
    r.gender = get(c_gender);
    r.postcode = get(c_postcode);
    for (const std::ptrdiff_t c : c_address) {
      const std::string part = get(c);
      if (part.empty()) continue;
      if (!r.address_line.empty()) r.address_line += ' ';
      r.address_line += part;
    }
    r.town = get(c_town);
    r.email = get(c_email);
    r.other_id = get(c_other);
    // Earlier surnames, separated by semicolons ("Hughes;Ward").
    const std::string previous = get(c_previous);
    for (std::size_t from = 0; from <= previous.size();) {
      std::size_t to = previous.find(';', from);
      if (to == std::string::npos) to = previous.size();
      std::string name =
          Trim(std::string_view(previous).substr(from, to - from));
      if (!name.empty()) r.previous_family_names.push_back(std::move(name));
      from = to + 1;
    }
    r.incident_id = get(c_incident);
    r.trusted_id = get(c_trusted);
    r.area = get(c_area);
    std::string dob = get(c_dob);
    // YYYYMMDD only when it is eight digits: slicing other bytes could
    // split a UTF-8 character (the fuzzer's finding).
    if (layout.dob_compact && dob.size() == 8 &&
        dob.find_first_not_of("0123456789") == std::string::npos) {
      dob = dob.substr(0, 4) + "-" + dob.substr(4, 2) + "-" + dob.substr(6, 2);
    }
    if (layout.validate_dob && !dob.empty()) {
      MARAC_RETURN_IF_ERROR(Date::Parse(where + ": dob", dob).status());
    }
    r.dob = dob;
    const std::string role = get(c_role);
    if (role == "victim") {
      r.role = Role::kVictim;
    } else if (role == "perpetrator") {
      r.role = Role::kPerpetrator;
    } else if (!role.empty()) {
      return InvalidArgument(where + ": role",
                             "\"" + ShownText(role) +
                                 "\" is not a role (victim | perpetrator | "
                                 "empty)");
    }
    out.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace marac

namespace marac {

Status ReadDecisionCsv(std::string_view csv_text, const std::string& source,
                       std::vector<DecisionRow>& out) {
  static constexpr const char* kColumns[] = {"record_id_l", "record_id_r",
                                             "decision"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::map<std::pair<std::string, std::string>, std::size_t> line_of;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::string where = source + " line " + std::to_string(rows.lines[k]);
    if (f[2] != "same" && f[2] != "not_same") {
      return InvalidArgument(
          where + ": decision",
          "'" + ShownText(f[2], 40) + "' is not same or not_same");
    }
    if (f[0] == f[1]) {
      return InvalidArgument(where + ": record_id_r",
                             "the same record as record_id_l");
    }
    const bool same = f[2] == "same";
    const auto key = std::minmax(f[0], f[1]);
    const auto [it, inserted] =
        line_of.try_emplace({key.first, key.second}, out.size());
    if (!inserted) {
      const DecisionRow& earlier = out[it->second];
      if (earlier.same != same) {
        return InvalidArgument(where + ": decision",
                               "contradicts line " +
                                   std::to_string(earlier.line) +
                                   " on the same pair");
      }
      continue;  // The same decision twice.
    }
    out.push_back({f[0], f[1], same, rows.lines[k]});
  }
  return Status::Ok();
}

Status ReadPersonIdCsv(std::string_view csv_text, const std::string& source,
                       std::map<std::string, std::string, std::less<>>& out) {
  static constexpr const char* kColumns[] = {"record_id", "person_id"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    std::uint64_t number = 0;
    if (!ParsePersonId(f[1], number)) {
      return InvalidArgument(
          source + " line " + std::to_string(rows.lines[k]) + ": person_id",
          "'" + ShownText(f[1], 40) + "' is not P and digits");
    }
    if (!out.emplace(f[0], f[1]).second) {
      return InvalidArgument(
          source + " line " + std::to_string(rows.lines[k]) + ": record_id",
          "'" + ShownText(f[0], 40) + "' appears twice");
    }
  }
  return Status::Ok();
}

namespace {

// A ';'-separated list; empty gives none.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string item = Trim(std::string_view(text).substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

// A whole number in [0, max] from `text`, or an error naming `field`.
Result<int> Count(const std::string& text, const std::string& field, int max) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(
        field, "'" + ShownText(text, 20) + "' is not a whole number");
  }
  const int value = std::stoi(text);
  if (value > max) {
    return InvalidArgument(field, "more than " + std::to_string(max));
  }
  return value;
}

std::string Where(const std::string& source, std::size_t line,
                  const char* field) {
  return source + " line " + std::to_string(line) + ": " + field;
}

// Children in one cell: "given|family|date_of_birth|known_to" each, ';'
// between children, '+' between the agencies that know a child; the
// family name, date and agencies may be empty.
Result<std::vector<ChildInHousehold>> ReadChildren(const std::string& cell,
                                                   const std::string& field) {
  std::vector<ChildInHousehold> out;
  const std::vector<std::string> children = SplitList(cell);
  for (std::size_t i = 0; i < children.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
      const std::size_t bar = children[i].find('|', start);
      parts.push_back(
          Trim(std::string_view(children[i])
                   .substr(start, bar == std::string::npos ? std::string::npos
                                                           : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (parts.size() != 4) {
      return InvalidArgument(at, "'" + ShownText(children[i], 60) +
                                     "' is not given|family|date_of_birth|"
                                     "known_to (" +
                                     std::to_string(parts.size()) + " parts)");
    }
    ChildInHousehold c;
    c.given_name = parts[0];
    c.family_name = parts[1];
    if (!parts[2].empty()) {
      MARAC_ASSIGN_OR_RETURN(c.date_of_birth,
                             Date::Parse(at + ".date_of_birth", parts[2]));
    }
    std::string agencies = parts[3];
    std::replace(agencies.begin(), agencies.end(), '+', ';');
    c.known_to = SplitList(agencies);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Status ReadIncidentCsv(std::string_view csv_text, const std::string& source,
                       std::vector<StoredIncident>& out) {
  static constexpr const char* kColumns[] = {"incident_id",
                                             "occurred_on",
                                             "area",
                                             "victim_record_id",
                                             "perpetrator_record_ids?",
                                             "reported_by?",
                                             "crime~"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::vector<std::remove_reference_t<decltype(out)>::value_type> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const Result<Date> on =
        Date::Parse(Where(source, rows.lines[k], "occurred_on"), f[1]);
    if (!on.ok()) return on.status();
    std::optional<bool> crime;
    if (f[6] == "crime" || f[6] == "non_crime") {
      crime = f[6] == "crime";
    } else if (!f[6].empty()) {
      return InvalidArgument(Where(source, rows.lines[k], "crime"),
                             "'" + ShownText(f[6], 20) +
                                 "' is not crime or non_crime (leave it "
                                 "empty when not recorded)");
    }
    read.push_back({f[0], *on, f[2], f[3], SplitList(f[4]), f[5], crime});
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

Status ReadAssessmentCsv(std::string_view csv_text, const std::string& source,
                         std::vector<StoredAssessment>& out) {
  static constexpr const char* kColumns[] = {"assessment_id",
                                             "victim_record_id",
                                             "incident_id?",
                                             "instrument",
                                             "policy_version",
                                             "completed_on",
                                             "score?",
                                             "grade",
                                             "marac_referral",
                                             "criteria?",
                                             "high_harm_indicators?",
                                             "instrument_version~",
                                             "parent_assessment_id~",
                                             "safeguarding~",
                                             "officer_rationale~"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  const InstrumentSet built_in = InstrumentSet::BuiltIn();
  std::vector<std::remove_reference_t<decltype(out)>::value_type> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::size_t line = rows.lines[k];
    StoredAssessment a;
    a.assessment_id = f[0];
    a.victim_record_id = f[1];
    a.incident_id = f[2];
    a.instrument = f[3];
    a.policy_version = f[4];
    MARAC_ASSIGN_OR_RETURN(
        a.completed_on, Date::Parse(Where(source, line, "completed_on"), f[5]));
    const auto instrument = built_in.Find(a.instrument);
    // DARA and any other judgement-graded instrument: the officer's grade
    // and rationale, nothing counted.
    const bool judged = instrument.ok() && (*instrument)->judgement_graded();
    if (judged) {
      if (!f[6].empty() && f[6] != "0") {
        return InvalidArgument(Where(source, line, "score"),
                               a.instrument +
                                   " is graded by the officer, not counted: "
                                   "leave score empty");
      }
    } else {
      if (f[6].empty()) {
        return InvalidArgument(Where(source, line, "score"), "required");
      }
      MARAC_ASSIGN_OR_RETURN(a.score,
                             Count(f[6], Where(source, line, "score"), 100));
    }
    MARAC_ASSIGN_OR_RETURN(a.grade,
                           ParseGrade(Where(source, line, "grade"), f[7]));
    if (judged && a.grade == Grade::kNotGraded) {
      return InvalidArgument(Where(source, line, "grade"),
                             "the officer's grade for " + a.instrument +
                                 " is standard, medium or high");
    }
    if (f[8] != "true" && f[8] != "false") {
      return InvalidArgument(
          Where(source, line, "marac_referral"),
          "'" + ShownText(f[8], 20) + "' is not true or false");
    }
    a.marac_referral = f[8] == "true";
    a.criteria = SplitList(f[9]);
    a.high_harm_indicators = SplitList(f[10]);
    a.instrument_version = f[11];
    a.parent_assessment_id = f[12];
    MARAC_RETURN_IF_ERROR(CheckParentAssessment(
        Where(source, line, "parent_assessment_id"), built_in, a.instrument,
        a.assessment_id, a.parent_assessment_id));
    a.safeguarding = SplitList(f[13]);
    a.officer_rationale = f[14];
    if (judged && Trim(a.officer_rationale).empty()) {
      return InvalidArgument(Where(source, line, "officer_rationale"),
                             "required for " + a.instrument +
                                 ": the rationale the officer recorded");
    }
    if (!judged && !a.officer_rationale.empty()) {
      return InvalidArgument(
          Where(source, line, "officer_rationale"),
          "given, but " + a.instrument + " is graded by its yes-count");
    }
    if (a.instrument_version.empty()) {
      // Not given: the shipped definition of that instrument's version.
      if (!instrument.ok()) {
        return InvalidArgument(Where(source, line, "instrument_version"),
                               "empty, and '" + ShownText(a.instrument, 40) +
                                   "' is not a built-in instrument");
      }
      a.instrument_version = (*instrument)->version();
    }
    read.push_back(std::move(a));
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

Status ReadReferralCsv(std::string_view csv_text, const std::string& source,
                       std::vector<StoredReferral>& out) {
  static constexpr const char* kColumns[] = {
      "referral_id", "submission_id", "area", "agency", "source", "referred_on",
      "victim_record_id", "perpetrator_record_ids?", "incident_id?",
      "assessment_id?", "criteria?", "children_in_household",
      // The referral record's details.
      "referrer_name~", "referrer_role~", "referrer_contact~",
      "judgement_narrative~", "consent~", "relationship~", "children~",
      "language~", "interpreter_needed~", "safe_contact~", "excluded_agencies~",
      "gender_identity~", "ethnicity~", "disability~", "sexual_orientation~",
      "age_band~"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::vector<std::remove_reference_t<decltype(out)>::value_type> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::size_t line = rows.lines[k];
    StoredReferral r;
    r.referral_id = f[0];
    r.submission_id = f[1];
    r.area = f[2];
    r.agency = f[3];
    const Result<ReferralSource> kind = ParseReferralSource(f[4]);
    if (!kind.ok()) {
      return InvalidArgument(
          Where(source, line, "source"),
          kind.status().message().substr(std::string_view("source: ").size()));
    }
    r.source = *kind;
    MARAC_ASSIGN_OR_RETURN(
        r.referred_on, Date::Parse(Where(source, line, "referred_on"), f[5]));
    r.victim_record_id = f[6];
    r.perpetrator_record_ids = SplitList(f[7]);
    r.incident_id = f[8];
    r.assessment_id = f[9];
    r.criteria = SplitList(f[10]);
    MARAC_ASSIGN_OR_RETURN(
        r.children_in_household,
        Count(f[11], Where(source, line, "children_in_household"), 50));
    ReferralDetails& d = r.details;
    d.referrer = {f[12], f[13], f[14]};
    d.judgement_narrative = f[15];
    if (!f[16].empty()) {
      MARAC_ASSIGN_OR_RETURN(
          d.consent, ParseVictimConsent(Where(source, line, "consent"), f[16]));
    }
    if (!f[17].empty()) {
      MARAC_ASSIGN_OR_RETURN(
          d.relationship,
          ParseRelationship(Where(source, line, "relationship"), f[17]));
    }
    MARAC_ASSIGN_OR_RETURN(
        d.children, ReadChildren(f[18], Where(source, line, "children")));
    d.language = f[19];
    if (f[20] != "" && f[20] != "true" && f[20] != "false") {
      return InvalidArgument(
          Where(source, line, "interpreter_needed"),
          "'" + ShownText(f[20], 20) + "' is not true, false or empty");
    }
    d.interpreter_needed = f[20] == "true";
    d.safe_contact = f[21];
    d.excluded_agencies = SplitList(f[22]);
    d.equality = {f[23], f[24], f[25], f[26], f[27]};
    const Status details = CheckReferralDetails("", d, r.agency, r.referred_on,
                                                r.children_in_household);
    if (!details.ok()) {
      return Status(details.code(), source + " line " + std::to_string(line) +
                                        ": " + details.message());
    }
    read.push_back(std::move(r));
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

Status ReadIdvaSupportCsv(std::string_view csv_text, const std::string& source,
                          std::vector<IdvaSupport>& out) {
  static constexpr const char* kColumns[] = {"referral_id", "idva_service",
                                             "allocated_on", "engagement",
                                             "closed_on?"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::vector<IdvaSupport> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::size_t line = rows.lines[k];
    IdvaSupport x;
    x.referral_id = f[0];
    x.idva_service = f[1];
    MARAC_ASSIGN_OR_RETURN(
        x.allocated_on, Date::Parse(Where(source, line, "allocated_on"), f[2]));
    const Result<IdvaEngagement> engagement =
        ParseIdvaEngagement(Where(source, line, "engagement"), f[3]);
    if (!engagement.ok()) {
      return InvalidArgument(Where(source, line, "engagement"),
                             "'" + ShownText(f[3], 20) +
                                 "' is not not_known, engaged, declined or "
                                 "not_contactable");
    }
    x.engagement = *engagement;
    if (!f[4].empty()) {
      MARAC_ASSIGN_OR_RETURN(
          x.closed_on, Date::Parse(Where(source, line, "closed_on"), f[4]));
    }
    read.push_back(std::move(x));
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

namespace {

// A check written for named fields ("children: ..."), said of a CSV line.
Status AtLine(const std::string& source, std::size_t line, Status s) {
  if (s.ok()) return s;
  return Status(s.code(),
                source + " line " + std::to_string(line) + ": " + s.message());
}

}  // namespace

Status ReadVisitCsv(std::string_view csv_text, const std::string& source,
                    std::vector<OneStopShopVisit>& out) {
  static constexpr const char* kColumns[] = {
      "visit_id",          "visited_on",   "site",      "visitor_record_id~",
      "lives_in_borough~", "referred_by~", "children~", "gender~",
      "ethnicity~",        "feedback~"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::vector<OneStopShopVisit> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::size_t line = rows.lines[k];
    OneStopShopVisit v;
    v.visit_id = f[0];
    MARAC_ASSIGN_OR_RETURN(
        v.visited_on, Date::Parse(Where(source, line, "visited_on"), f[1]));
    v.site = f[2];
    v.visitor_record_id = f[3];
    if (f[4] == "yes" || f[4] == "no") {
      v.lives_in_borough = f[4] == "yes";
    } else if (!f[4].empty()) {
      return InvalidArgument(Where(source, line, "lives_in_borough"),
                             "'" + ShownText(f[4], 20) +
                                 "' is not yes or no (empty: not recorded)");
    }
    v.referred_by = f[5];
    if (!f[6].empty()) {
      MARAC_ASSIGN_OR_RETURN(const int children,
                             Count(f[6], Where(source, line, "children"), 50));
      v.children = children;
    }
    if (!f[7].empty()) {
      MARAC_ASSIGN_OR_RETURN(
          v.gender, ParseVisitorGender(Where(source, line, "gender"), f[7]));
    }
    v.ethnicity = f[8];
    if (!f[9].empty()) {
      MARAC_ASSIGN_OR_RETURN(
          v.feedback,
          ParseVisitFeedback(Where(source, line, "feedback"), f[9]));
    }
    MARAC_RETURN_IF_ERROR(AtLine(source, line, CheckOneStopShopVisit("", v)));
    read.push_back(std::move(v));
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

Status ReadSessionCsv(std::string_view csv_text, const std::string& source,
                      std::vector<OneStopShopSession>& out) {
  static constexpr const char* kColumns[] = {"session_id", "held_on", "site",
                                             "committed_agencies~",
                                             "attended_agencies~"};
  MARAC_ASSIGN_OR_RETURN(const Rows rows,
                         ReadColumns(csv_text, source, kColumns));
  std::vector<OneStopShopSession> read;
  for (std::size_t k = 0; k < rows.fields.size(); ++k) {
    const std::vector<std::string>& f = rows.fields[k];
    const std::size_t line = rows.lines[k];
    OneStopShopSession x;
    x.session_id = f[0];
    MARAC_ASSIGN_OR_RETURN(x.held_on,
                           Date::Parse(Where(source, line, "held_on"), f[1]));
    x.site = f[2];
    x.committed_agencies = SplitList(f[3]);
    x.attended_agencies = SplitList(f[4]);
    MARAC_RETURN_IF_ERROR(AtLine(source, line, CheckOneStopShopSession("", x)));
    read.push_back(std::move(x));
  }
  out.insert(out.end(), std::make_move_iterator(read.begin()),
             std::make_move_iterator(read.end()));
  return Status::Ok();
}

}  // namespace marac
