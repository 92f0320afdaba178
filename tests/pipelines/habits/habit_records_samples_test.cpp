// Habit tracker dumps: the CRLF sample, epoch seconds to timestamptz, empty is_premium.
#include <doctest/doctest.h>

#include "tests/pipelines/kind_test_support.hpp"

namespace dp::test {
namespace {

TEST_CASE("habit_records_sample.csv: 40 rows, none rejected, converted values") {
  const auto converted =
      convert_file(sample_file("habits/habit_records_sample.csv"), "habit_records");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 40);
  CHECK(converted.warnings.empty());

  TestDatabase db;
  REQUIRE(load_into(db, kind("habit_records"), converted) == 40);
  // Line 2: running,sport,4101,20,4101,,Olga,,false,ru,1694875351 (CRLF line ends).
  CHECK(db.scalar("SELECT habit_name || '|' || category_name || '|' || user_id || '|' || "
                  "chat_id || '|' || duration_minutes || '|' || coalesce(username, 'NULL') || '|' "
                  "|| first_name || '|' || coalesce(last_name, 'NULL') || '|' || is_premium || '|' "
                  "|| language_code || '|' || record_date_unix || '|' || "
                  "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                  "FROM staging.habit_records WHERE line_no = 2") ==
        "running|sport|4101|4101|20|NULL|Olga|NULL|false|ru|1694875351|2023-09-16 14:42:31");
  // recorded_at is exactly the epoch second, on every row.
  CHECK(db.scalar("SELECT count(*) FROM staging.habit_records "
                  "WHERE recorded_at <> to_timestamp(record_date_unix)") == "0");
  // User ids beyond 32 bits.
  CHECK(db.scalar("SELECT count(*) FROM staging.habit_records WHERE user_id = 5122806233 "
                  "AND chat_id = 5122806233 AND username = 'amin_k' AND is_premium") == "8");
  // An empty is_premium is NULL, not false.
  CHECK(db.scalar("SELECT count(*) || '/' || count(is_premium) FROM staging.habit_records "
                  "WHERE first_name = 'Sara'") == "7/0");
  // Names in other scripts byte for byte.
  CHECK(db.scalar("SELECT DISTINCT first_name || ' ' || last_name || ' ' || language_code "
                  "FROM staging.habit_records WHERE user_id = 4103") == "Δημήτρης Παπαδόπουλος el");
  CHECK(db.scalar("SELECT DISTINCT last_name FROM staging.habit_records WHERE user_id = 4102") ==
        "Björk");
}

TEST_CASE("habit dumps: bad values are rejected by column, the rest of the file loads") {
  const auto converted = convert_file(fixture("habit_records/bad_values.csv"), "habit_records");
  CHECK(converted.rows == 2);
  REQUIRE(converted.rejects.size() == 4);
  CHECK(converted.rejects[0].line == 3);
  CHECK(converted.rejects[0].column == "is_premium");
  CHECK(converted.rejects[1].line == 4);
  CHECK(converted.rejects[1].column == "record_date_unix");
  CHECK(converted.rejects[2].line == 5);
  CHECK(converted.rejects[2].column == "duration_minutes");
  CHECK(converted.rejects[3].line == 6);
  CHECK(converted.rejects[3].column == "user_id");
  CHECK(converted.rejects[3].kind == csv::RowErrorKind::kMissingValue);
}

TEST_CASE("habit dumps: columns are found by name, in any order") {
  const auto converted =
      convert_file(fixture("habit_records/reordered_columns.csv"), "habit_records");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  TestDatabase db;
  load_into(db, kind("habit_records"), converted);
  CHECK(db.scalar("SELECT habit_name || '|' || duration_minutes || '|' || user_id || '|' || "
                  "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                  "FROM staging.habit_records") == "yoga|45.5|7|1970-01-01 00:00:10");
}

}  // namespace
}  // namespace dp::test
