// The row codecs' SQL: one parameter per column in order, and an upsert
// that sets every column but the key (each table's round trip through its
// codec is in store_round_trip_test.cc).
#include <gtest/gtest.h>

#include "lib/store/rows.h"

namespace marac::rows {
namespace {

TEST(RowsTest, InsertBindsOneParameterPerColumnInOrder) {
  EXPECT_EQ(InsertSql("t", "a, b, c"),
            "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)");
}

TEST(RowsTest, AnUpsertSetsEveryColumnButTheKey) {
  EXPECT_EQ(InsertSql("t", "k, a, b", "k"),
            "INSERT INTO t (k, a, b) VALUES (?1, ?2, ?3) ON CONFLICT(k) DO "
            "UPDATE SET a = excluded.a, b = excluded.b");
  EXPECT_EQ(InsertSql(ReviewDecisionRow::kTable, ReviewDecisionRow::kColumns,
                      ReviewDecisionRow::kKey),
            "INSERT INTO review_decisions (record_id_l, record_id_r, same, "
            "decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5) ON "
            "CONFLICT(record_id_l, record_id_r) DO UPDATE SET same = "
            "excluded.same, decided_by = excluded.decided_by, decided_at = "
            "excluded.decided_at");
}

TEST(RowsTest, AssessmentsBeforeVersionThreeHaveNoInstrumentVersion) {
  EXPECT_EQ(AssessmentRow::Columns(2).find("instrument_version"),
            std::string::npos);
  EXPECT_NE(AssessmentRow::Columns(3).find(", instrument_version"),
            std::string::npos);
  EXPECT_NE(AssessmentRow::SelectColumns(2).find(", ''"), std::string::npos)
      << "read as empty";
}

}  // namespace
}  // namespace marac::rows
