// Test helper: reads the FEBRL data sets under ../shared/data/febrl (comma
// and space separated, dates YYYYMMDD, truth in rec-<N>-...).
#ifndef MARAC_TESTS_IDENTITY_FEBRL_H_
#define MARAC_TESTS_IDENTITY_FEBRL_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "marac/identity/person_record.h"

namespace marac {

struct Febrl {
  std::vector<NormalisedRecord> records;
  std::vector<std::string> entity;  // The <N> of rec-<N>-org / rec-<N>-dup-k.
};

// Reads a FEBRL file (comma and space separated; dates YYYYMMDD).
inline bool LoadFebrl(const std::string& path, Febrl& out) {
  std::ifstream file(path);
  if (!file) return false;
  std::string line;
  std::getline(file, line);  // Header.
  while (std::getline(file, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    while (std::getline(row, field, ',')) {
      if (!field.empty() && field[0] == ' ') field.erase(0, 1);
      fields.push_back(field);
    }
    if (fields.size() < 11) continue;
    PersonRecord r;
    r.record_id = fields[0];
    r.given_name = fields[1];
    r.family_name = fields[2];
    r.address_line = fields[3] + " " + fields[4] + " " + fields[5];
    r.town = fields[6];
    r.postcode = fields[7];
    r.other_id = fields[10];
    const std::string& d = fields[9];
    if (d.size() == 8)
      r.dob = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
    out.records.push_back(Normalise(r));
    const std::size_t a = r.record_id.find('-');
    const std::size_t b = r.record_id.find('-', a + 1);
    out.entity.push_back(r.record_id.substr(a + 1, b - a - 1));
  }
  return true;
}

}  // namespace marac

#endif  // MARAC_TESTS_IDENTITY_FEBRL_H_
