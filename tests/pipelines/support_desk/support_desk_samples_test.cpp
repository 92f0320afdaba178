// Support-desk extracts: headerless, fully quoted, CRLF; snapshot years from file names.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/pipelines/kind_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {
namespace {

std::filesystem::path desk(const std::string& name) {
  return sample_file("support_desk/" + name);
}

TEST_CASE("analysts_YYYY.csv: 200 rows each, snapshot_year from the name, quoted skill lists") {
  for (int year = 2010; year <= 2014; ++year) {
    CAPTURE(year);
    const auto converted =
        convert_file(desk("analysts_" + std::to_string(year) + ".csv"), "analyst_snapshots");
    CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    CHECK(converted.rows == 200);
  }
  const auto converted = convert_file(desk("analysts_2010.csv"), "analyst_snapshots");
  TestDatabase db;
  REQUIRE(load_into(db, kind("analyst_snapshots"), converted) == 200);
  // Line 1: "178-4260","Person178_2010","Team1","E,F,C","2010-01-03 22:18:07","2010-10-14 ...".
  CHECK(db.scalar("SELECT aid || '|' || name || '|' || team || '|' || skills || '|' || "
                  "created_at || '|' || updated_at || '|' || snapshot_year "
                  "FROM staging.analyst_snapshots WHERE line_no = 1") ==
        "178-4260|Person178_2010|Team1|E,F,C|2010-01-03 22:18:07|2010-10-14 21:34:57.009465|2010");
  // Line 4 has `""` for skills: NULL.
  CHECK(db.scalar("SELECT coalesce(skills, 'NULL') FROM staging.analyst_snapshots "
                  "WHERE line_no = 4") == "NULL");
  CHECK(db.scalar("SELECT count(*) FROM staging.analyst_snapshots WHERE skills IS NULL") == "46");
}

TEST_CASE("analysts.csv (the change file): snapshot_year NULL, updated_at is the change time") {
  const auto converted =
      convert_file(fixture("analyst_snapshots/analysts.csv"), "analyst_snapshots");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  TestDatabase db;
  REQUIRE(load_into(db, kind("analyst_snapshots"), converted) == 3);
  CHECK(db.scalar("SELECT count(*) FROM staging.analyst_snapshots "
                  "WHERE snapshot_year IS NULL") == "3");
  CHECK(db.scalar("SELECT name || '|' || skills || '|' || updated_at FROM "
                  "staging.analyst_snapshots WHERE line_no = 3") ==
        "Zoë \"Z\" Müller|F,D,J|2015-06-30 23:59:59.999999");
}

TEST_CASE("analysts_2012.csv.gz: the year comes from the name without .gz") {
  const auto converted =
      convert_file(fixture("analyst_snapshots/analysts_2012.csv.gz"), "analyst_snapshots");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 200);
  TestDatabase db;
  load_into(db, kind("analyst_snapshots"), converted);
  CHECK(db.scalar("SELECT DISTINCT snapshot_year FROM staging.analyst_snapshots") == "2012");
}

/// The snapshot_year one analysts row gets when its file is called `name`; "NULL" for none.
std::string snapshot_year_for(const std::string& name) {
  TempDir dir;
  const auto path = dir.path() / name;
  std::ofstream(path) << "\"1-1\",\"A\",\"T\",\"E\",\"2010-01-01 00:00:00\","
                         "\"2010-01-02 00:00:00\"\r\n";
  const auto converted = convert_file(path, "analyst_snapshots");
  TestDatabase db;
  REQUIRE(load_into(db, kind("analyst_snapshots"), converted) == 1);
  return db.scalar("SELECT coalesce(snapshot_year::text, 'NULL') FROM staging.analyst_snapshots");
}

TEST_CASE("snapshot years are read from analysts_YYYY names only") {
  CHECK(snapshot_year_for("analysts_2014.csv") == "2014");
  CHECK(snapshot_year_for("ANALYSTS_2011.CSV") == "2011");
  CHECK(snapshot_year_for("analysts-2012_fixed.csv") == "2012");
  CHECK(snapshot_year_for("analysts.csv") == "NULL");
  CHECK(snapshot_year_for("analysts_20141.csv") == "NULL");
  CHECK(snapshot_year_for("analysts_changes.csv") == "NULL");
  CHECK(snapshot_year_for("analysts_201.csv") == "NULL");
}

TEST_CASE("cases: 400 rows in cases.csv, 100 in each yearly file") {
  const auto all = convert_file(desk("cases.csv"), "cases");
  CHECK_MESSAGE(all.rejects.empty(), all.describe_rejects());
  CHECK(all.rows == 400);
  for (int year = 2011; year <= 2014; ++year) {
    CAPTURE(year);
    const auto yearly =
        convert_file(desk("by_year/cases_" + std::to_string(year) + ".csv"), "cases");
    CHECK_MESSAGE(yearly.rejects.empty(), yearly.describe_rejects());
    CHECK(yearly.rows == 100);
  }
  TestDatabase db;
  REQUIRE(load_into(db, kind("cases"), all) == 400);
  CHECK(db.scalar("SELECT cid || '|' || priority || '|' || created_at || '|' || aid || '|' || pid "
                  "FROM staging.cases WHERE line_no = 1") ==
        "15-2908_2011|3|2011-01-01 16:40:03|81-9684|862-9201");
  CHECK(db.scalar("SELECT string_agg(priority || ':' || n, ',' ORDER BY priority) FROM "
                  "(SELECT priority, count(*) AS n FROM staging.cases GROUP BY priority) AS p") ==
        "1:125,2:139,3:136");
}

TEST_CASE("logs: every row loads with its microseconds, the yearly files add up") {
  const auto all = convert_file(desk("logs.csv"), "case_logs");
  CHECK_MESSAGE(all.rejects.empty(), all.describe_rejects());
  CHECK(all.rows == 3043);
  const std::array<std::uint64_t, 4> yearly_rows = {815, 799, 807, 622};
  for (int year = 2011; year <= 2014; ++year) {
    CAPTURE(year);
    const auto yearly =
        convert_file(desk("by_year/logs_" + std::to_string(year) + ".csv"), "case_logs");
    CHECK_MESSAGE(yearly.rejects.empty(), yearly.describe_rejects());
    CHECK(yearly.rows == yearly_rows[static_cast<std::size_t>(year - 2011)]);
  }
  TestDatabase db;
  REQUIRE(load_into(db, kind("case_logs"), all) == 3043);
  CHECK(db.scalar("SELECT logged_at || '|' || cid || '|' || event FROM staging.case_logs "
                  "WHERE line_no = 1") ==
        "2011-01-01 23:18:19.718387|15-2908_2011|Assigned to analyst");
  CHECK(db.scalar("SELECT string_agg(event || ':' || n, ',' ORDER BY event) FROM "
                  "(SELECT event, count(*) AS n FROM staging.case_logs GROUP BY event) AS e") ==
        "Assigned to analyst:375,Close:375,Response:2293");
}

TEST_CASE("logs: an event other than the three known ones is rejected, saying which") {
  const auto converted = convert_file(fixture("case_logs/unknown_events.csv"), "case_logs");
  CHECK(converted.rows == 3);
  REQUIRE(converted.rejects.size() == 3);
  CHECK(converted.rejects[0].line == 2);
  CHECK(converted.rejects[0].column == "event");
  CHECK(converted.rejects[0].value == "Reopened");
  CHECK(converted.rejects[0].kind == csv::RowErrorKind::kBadValue);
  CHECK(converted.rejects[0].message ==
        "column event: \"Reopened\" is not an allowed value (expected \"Assigned to analyst\", "
        "\"Response\" or \"Close\")");
  CHECK(converted.rejects[1].line == 3);  // `close`: events are compared exactly
  CHECK(converted.rejects[1].value == "close");
  CHECK(converted.rejects[2].line == 4);
  CHECK(converted.rejects[2].kind == csv::RowErrorKind::kMissingValue);
  TestDatabase db;
  load_into(db, kind("case_logs"), converted);
  CHECK(db.scalar("SELECT string_agg(logged_at::text, ',' ORDER BY line_no) FROM "
                  "staging.case_logs") ==
        "2011-01-01 23:18:19.718387,2011-01-02 05:00:00.000001,2011-01-03 06:00:00");
}

TEST_CASE("products: 1,502 rows, three levels, lines without a parent") {
  const auto converted = convert_file(desk("products.csv"), "products");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 1502);
  TestDatabase db;
  REQUIRE(load_into(db, kind("products"), converted) == 1502);
  CHECK(db.scalar("SELECT count(*) FROM staging.products WHERE parent_pid IS NULL") == "264");
  CHECK(db.scalar("SELECT count(*) FROM staging.products WHERE parent_pid = ''") == "0");
  // Every parent is a product of the file, and products hang below groups below lines.
  CHECK(db.scalar("SELECT count(*) FROM staging.products AS p LEFT JOIN staging.products AS parent "
                  "ON parent.pid = p.parent_pid WHERE p.parent_pid IS NOT NULL AND "
                  "parent.pid IS NULL") == "0");
  CHECK(db.scalar("SELECT count(*) FROM staging.products AS p JOIN staging.products AS g "
                  "ON g.pid = p.parent_pid JOIN staging.products AS l ON l.pid = g.parent_pid "
                  "WHERE l.parent_pid IS NULL") == "1000");
}

TEST_CASE("PrioritySLA.csv: three levels in hours, found by its header") {
  const auto converted = convert_file(desk("PrioritySLA.csv"), "priority_sla");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 3);
  TestDatabase db;
  REQUIRE(load_into(db, kind("priority_sla"), converted) == 3);
  CHECK(db.scalar("SELECT string_agg(id || ':' || name || ':' || assign_sla_hours || '/' || "
                  "response_sla_hours || '/' || resolve_sla_hours, ',' ORDER BY id) "
                  "FROM staging.priority_sla") ==
        "1:High:1/3/100,2:Normal:3/24/300,3:Low:24/48/900");
}

TEST_CASE("calendar.csv: 4,019 rows including the -1 row for unknown dates") {
  const auto converted = convert_file(desk("calendar.csv"), "calendar");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 4019);
  TestDatabase db;
  REQUIRE(load_into(db, kind("calendar"), converted) == 4019);
  // The unknown-date member loads as the dimension's -1 row.
  CHECK(db.scalar("SELECT date || '|' || day_of_month || '|' || day_of_month_text || '|' || "
                  "month_name || '|' || quarter_name || '|' || year || '|' || iso_weekday || '|' "
                  "|| day_name || '|' || week_of_year FROM staging.calendar WHERE date_key = -1") ==
        "1900-01-01|1|01|January|Q1|1900|1|Monday|0");
  CHECK(db.scalar("SELECT min(date) || '..' || max(date) FROM staging.calendar "
                  "WHERE date_key > 0") == "2010-01-01..2020-12-31");
  // Keys are the dates; weekdays agree with the server's ISO weekday.
  CHECK(
      db.scalar(
          "SELECT count(*) FROM staging.calendar WHERE date_key > 0 AND "
          "(date_key <> to_char(date, 'YYYYMMDD')::int OR "
          "iso_weekday <> extract(isodow FROM date) OR "
          "week_of_year <> (extract(doy FROM date)::int + 6 - extract(dow FROM date)::int) / 7)") ==
      "0");
  CHECK(db.scalar("SELECT month_text || '/' || month_short || '/' || day_short FROM "
                  "staging.calendar WHERE date_key = 20120229") == "02/Feb/Wed");
}

}  // namespace
}  // namespace dp::test
