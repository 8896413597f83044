// Invented person records for the agenda tests: one at 4 Wren Yard, LS6
// 2AB, female when a victim and male when a perpetrator.
#ifndef MARAC_TESTS_AGENDA_INVENTED_RECORDS_H_
#define MARAC_TESTS_AGENDA_INVENTED_RECORDS_H_

#include "marac/identity/person_record.h"

namespace marac {

inline PersonRecord Record(const char* id, const char* given,
                           const char* family, const char* dob, Role role) {
  PersonRecord r;
  r.record_id = id;
  r.source = "police";
  r.given_name = given;
  r.family_name = family;
  r.dob = dob;
  r.gender = role == Role::kVictim ? "F" : "M";
  r.address_line = "4 Wren Yard";
  r.postcode = "LS6 2AB";
  r.role = role;
  return r;
}

}  // namespace marac

#endif  // MARAC_TESTS_AGENDA_INVENTED_RECORDS_H_
