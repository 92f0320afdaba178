// The course-traffic samples through the real reader, each kind's converter and a real COPY.
#include <doctest/doctest.h>

#include "tests/pipelines/kind_test_support.hpp"

namespace dp::test {
namespace {

TEST_CASE("user_traffic.csv: 1,001 rows, none rejected, ISO timestamps with Z kept as UTC") {
  const auto converted =
      convert_file(sample_file("course_traffic/user_traffic.csv"), "user_traffic");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 1001);

  TestDatabase db;
  REQUIRE(load_into(db, kind("user_traffic"), converted) == 1001);
  // Line 2 is `478,8,2024-07-30T23:27:05Z,TAJD-2024-2023`.
  CHECK(db.scalar("SELECT user_id || '|' || source_id || '|' || "
                  "to_char(referred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '|' || "
                  "campaign_code FROM staging.user_traffic WHERE line_no = 2") ==
        "478|8|2024-07-30 23:27:05|TAJD-2024-2023");
  CHECK(db.scalar("SELECT max(user_id) FROM staging.user_traffic") == "99995");
}

TEST_CASE("user_traffic.csv: the repeated key loads twice and line_no tells the correction") {
  // (73703, 7, 2024-04-13T22:37:24Z) appears on lines 1001 and 1002 with different campaign
  // codes: staging keeps both, the warehouse takes the later line.
  const auto converted =
      convert_file(sample_file("course_traffic/user_traffic.csv"), "user_traffic");
  TestDatabase db;
  load_into(db, kind("user_traffic"), converted);
  CHECK(db.scalar("SELECT string_agg(line_no || ':' || campaign_code, ',' ORDER BY line_no) "
                  "FROM staging.user_traffic WHERE user_id = 73703 AND source_id = 7 AND "
                  "referred_at = '2024-04-13T22:37:24Z'") ==
        "1001:KLXB-2025-2023,1002:XXXX-2025-2023");
  CHECK(db.scalar("SELECT count(*) FROM (SELECT 1 FROM staging.user_traffic GROUP BY user_id, "
                  "source_id, referred_at HAVING count(*) > 1) AS repeated") == "1");
}

TEST_CASE("marketing_data_with_days.csv: 10,000 rows, amounts exact, repeated days kept") {
  const auto converted =
      convert_file(sample_file("course_traffic/marketing_data_with_days.csv"), "marketing_daily");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 10000);

  TestDatabase db;
  REQUIRE(load_into(db, kind("marketing_daily"), converted) == 10000);
  CHECK(db.scalar("SELECT source_name || '|' || channel_type || '|' || date || '|' || ad_spend "
                  "|| '|' || impressions || '|' || clicks || '|' || leads || '|' || revenue "
                  "FROM staging.marketing_daily WHERE line_no = 2") ==
        "Email Campaign|email|2023-04-25|2542.89|796358|19526|2031|19880.74");
  // `2988.1` and `1977.0` as the file writes them become numeric(14,2) values.
  CHECK(db.scalar("SELECT revenue::text FROM staging.marketing_daily WHERE "
                  "source_name = 'Facebook Ads' AND date = '2024-01-16' AND clicks = 13128") ==
        "2988.10");
  CHECK(db.scalar("SELECT ad_spend::text FROM staging.marketing_daily WHERE "
                  "source_name = 'Avito.ru' AND date = '2023-11-22' AND clicks = 31439") ==
        "1977.00");
  // The README's 2,931 repeated (source_name, date) pairs: every row of them loads.
  CHECK(db.scalar("SELECT count(*) || '/' || sum(n) FROM (SELECT count(*) AS n FROM "
                  "staging.marketing_daily GROUP BY source_name, date HAVING count(*) > 1) AS r") ==
        "2931/7484");
}

TEST_CASE("traffic_sources.csv: the ten sources, names matching the marketing file") {
  const auto converted =
      convert_file(sample_file("course_traffic/traffic_sources.csv"), "traffic_sources");
  CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
  CHECK(converted.rows == 10);

  TestDatabase db;
  REQUIRE(load_into(db, kind("traffic_sources"), converted) == 10);
  CHECK(
      db.scalar("SELECT string_agg(source_id || '=' || name || '/' || channel, ';' "
                "ORDER BY source_id) FROM staging.traffic_sources WHERE source_id IN (1, 5, 10)") ==
      "1=University Ads/ads;5=HH.ru/job;10=Facebook Ads/ads");
}

TEST_CASE("course traffic rejects name the line, the column and the reason") {
  const auto converted = convert_file(fixture("user_traffic/bad_values.csv"), "user_traffic");
  CHECK(converted.rows == 2);
  REQUIRE(converted.rejects.size() == 4);
  CHECK(converted.rejects[0].line == 3);
  CHECK(converted.rejects[0].column == "user_id");
  CHECK(converted.rejects[0].kind == csv::RowErrorKind::kBadValue);
  CHECK(converted.rejects[1].line == 4);
  CHECK(converted.rejects[1].column == "referred_at");
  CHECK(converted.rejects[2].line == 5);
  CHECK(converted.rejects[2].kind == csv::RowErrorKind::kMissingValue);
  CHECK(converted.rejects[2].column == "source_id");
  CHECK(converted.rejects[3].line == 6);
  CHECK(converted.rejects[3].kind == csv::RowErrorKind::kTooFewColumns);
  CHECK(converted.rejects[3].message == "expected 4 columns, found 3");
}

}  // namespace
}  // namespace dp::test
