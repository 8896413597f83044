// Four invented person records as `marac import --records` reads them, for
// the CLI tests of the meeting cycle: Elspeth Marlowe and Corin Ashby at one
// address, Tamsin Oakes and Hal Venn.
#ifndef MARAC_TESTS_CLI_INVENTED_RECORDS_CSV_H_
#define MARAC_TESTS_CLI_INVENTED_RECORDS_CSV_H_

namespace marac {

inline constexpr const char* kInventedRecordsCsv =
    "record_id,given_name,family_name,dob,gender,postcode,address_line,"
    "role,incident_id\n"
    "V1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim,I1\n"
    "X1,Corin,Ashby,1985-02-11,m,LS6 2AB,1 Quay Row,perpetrator,I1\n"
    "V2,Tamsin,Oakes,1985-11-20,f,LS7 4QT,9 Fen Lane,victim,I2\n"
    "X2,Hal,Venn,1979-05-30,m,,,perpetrator,I2\n";

}  // namespace marac

#endif  // MARAC_TESTS_CLI_INVENTED_RECORDS_CSV_H_
