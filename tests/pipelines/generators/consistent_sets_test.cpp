// The subjects' files agree with each other the way the warehouse will join them.
#include <memory>

#include "tests/pipelines/generators/generator_test_support.hpp"

namespace dp::test {
namespace {

/// A subject's files generated and loaded into a database of their own, each file with its own
/// file id, so that the checks below can join them as the warehouse will. Owned by the test
/// case: a cache kept in a static would be torn down after the test cluster at exit.
struct LoadedSubject {
  TempDir dir;
  TestDatabase db;
};

std::unique_ptr<LoadedSubject> loaded_subject(const std::string& subject, std::uint64_t rows) {
  auto loaded = std::make_unique<LoadedSubject>();
  const auto files = generate(subject, rows, loaded->dir.path(), 11);
  std::int64_t file_id = 0;
  for (const auto& file : files) {
    CAPTURE(file.path.filename().string());
    const auto& pipeline = kind_of(file.path);
    const auto converted = convert_file(file.path, pipeline, true, ++file_id);
    REQUIRE_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    REQUIRE(load_into(loaded->db, pipeline, converted) == file.rows);
  }
  return loaded;
}

std::unique_ptr<LoadedSubject> support_desk() {
  return loaded_subject("support_desk", 2000);
}

}  // namespace

TEST_CASE(
    "support_desk: five snapshots of 1,000 analysts, each sorted by created_at, aids unique") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT string_agg(snapshot_year || ':' || n, ',' ORDER BY snapshot_year) "
                  "FROM (SELECT snapshot_year, count(DISTINCT aid) AS n "
                  "FROM staging.analyst_snapshots WHERE snapshot_year IS NOT NULL "
                  "GROUP BY snapshot_year) AS s") ==
        "2010:1000,2011:1000,2012:1000,2013:1000,2014:1000");
  CHECK(db.scalar("SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER "
                  "(PARTITION BY file_id ORDER BY line_no) AS disorder "
                  "FROM staging.analyst_snapshots WHERE snapshot_year IS NOT NULL) AS d "
                  "WHERE disorder") == "0");
}

TEST_CASE("support_desk: between snapshots analysts leave and join, change team, skills and name") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  const std::string pairs =
      "FROM staging.analyst_snapshots AS a JOIN staging.analyst_snapshots AS b "
      "ON a.aid = b.aid AND b.snapshot_year = a.snapshot_year + 1 ";
  const auto leavers = std::stoi(db.scalar(
      "SELECT count(*) FROM staging.analyst_snapshots AS a WHERE snapshot_year = 2010 AND "
      "NOT EXISTS (SELECT 1 FROM staging.analyst_snapshots AS b WHERE b.aid = a.aid AND "
      "b.snapshot_year = 2011)"));
  CHECK(leavers > 150);
  CHECK(leavers < 350);
  CHECK(std::stoi(db.scalar("SELECT count(*) " + pairs + "WHERE a.team <> b.team")) > 50);
  CHECK(std::stoi(db.scalar("SELECT count(*) " + pairs +
                            "WHERE coalesce(a.skills, '') <> coalesce(b.skills, '')")) > 50);
  CHECK(std::stoi(db.scalar("SELECT count(*) " + pairs +
                            "WHERE b.name LIKE 'Upd%' AND a.name NOT LIKE 'Upd%'")) > 50);
  // A new hire appears in the snapshot of the year they were hired.
  CHECK(db.scalar("SELECT count(*) FROM staging.analyst_snapshots "
                  "WHERE extract(year FROM created_at) > snapshot_year") == "0");
  // Skill lists: distinct letters, comma-separated, quoted in the file.
  CHECK(db.scalar("SELECT count(*) FROM staging.analyst_snapshots "
                  "WHERE skills !~ '^[A-K](,[A-K])*$'") == "0");
  CHECK(std::stoi(db.scalar("SELECT count(*) FROM staging.analyst_snapshots "
                            "WHERE skills LIKE '%,%'")) > 1000);
}

TEST_CASE(
    "support_desk: the change file updates analysts of the last snapshot in the following year") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  const auto changes =
      std::stoi(db.scalar("SELECT count(*) FROM staging.analyst_snapshots "
                          "WHERE snapshot_year IS NULL"));
  CHECK(changes > 50);
  CHECK(changes < 200);
  // Listed in the order the changes happened.
  CHECK(db.scalar("SELECT count(*) FROM (SELECT updated_at < lag(updated_at) OVER "
                  "(ORDER BY line_no) AS disorder FROM staging.analyst_snapshots "
                  "WHERE snapshot_year IS NULL) AS d WHERE disorder") == "0");
  CHECK(db.scalar("SELECT count(*) FROM staging.analyst_snapshots AS c WHERE "
                  "c.snapshot_year IS NULL AND (extract(year FROM c.updated_at) <> 2015 OR "
                  "NOT EXISTS (SELECT 1 FROM staging.analyst_snapshots AS s WHERE "
                  "s.aid = c.aid AND s.snapshot_year = 2014))") == "0");
}

TEST_CASE("support_desk: cases: 500 a year, assigned to analysts employed when the year began") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT string_agg(y || ':' || n, ',' ORDER BY y) FROM (SELECT "
                  "extract(year FROM created_at)::int AS y, count(*) AS n FROM staging.cases "
                  "GROUP BY 1) AS c") == "2011:500,2012:500,2013:500,2014:500");
  CHECK(db.scalar("SELECT count(*) FROM staging.cases AS c WHERE NOT EXISTS (SELECT 1 FROM "
                  "staging.analyst_snapshots AS a WHERE a.aid = c.aid AND "
                  "a.snapshot_year = extract(year FROM c.created_at) - 1)") == "0");
  CHECK(db.scalar("SELECT count(DISTINCT cid) FROM staging.cases") == "2000");
  CHECK(db.scalar("SELECT min(priority) || '-' || max(priority) FROM staging.cases") == "1-3");
}

TEST_CASE("support_desk: cases are about products (leaves of the hierarchy)") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT count(*) FROM staging.cases AS c WHERE NOT EXISTS (SELECT 1 FROM "
                  "staging.products AS p JOIN staging.products AS g ON g.pid = p.parent_pid "
                  "JOIN staging.products AS l ON l.pid = g.parent_pid "
                  "WHERE p.pid = c.pid AND l.parent_pid IS NULL)") == "0");
  CHECK(db.scalar("SELECT count(DISTINCT pid) = count(*) FROM staging.products") == "t");
}

TEST_CASE(
    "support_desk: logs: every case's events in order, after its creation, files sorted by time") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT count(*) FROM staging.case_logs AS l WHERE NOT EXISTS "
                  "(SELECT 1 FROM staging.cases AS c WHERE c.cid = l.cid AND "
                  "c.created_at <= l.logged_at)") == "0");
  CHECK(db.scalar("SELECT count(*) FROM (SELECT logged_at < lag(logged_at) OVER "
                  "(PARTITION BY file_id ORDER BY line_no) AS disorder "
                  "FROM staging.case_logs) AS d WHERE disorder") == "0");
  // Per case: first Assigned, last Close, Responses between.
  CHECK(db.scalar("SELECT count(*) FROM (SELECT cid, array_agg(event ORDER BY logged_at) AS e "
                  "FROM staging.case_logs GROUP BY cid) AS per_case WHERE "
                  "e[1] <> 'Assigned to analyst' OR e[cardinality(e)] <> 'Close' OR "
                  "cardinality(e) < 3 OR NOT (e[2:cardinality(e) - 1] <@ ARRAY['Response'])") ==
        "0");
  const auto cases_with_logs =
      std::stoi(db.scalar("SELECT count(DISTINCT cid) FROM staging.case_logs"));
  CHECK(cases_with_logs > 1800);
  CHECK(cases_with_logs < 2000);
  // Responses per case are heavy-tailed: most cases have few, some many.
  CHECK(std::stoi(db.scalar("SELECT max(n) FROM (SELECT count(*) AS n FROM staging.case_logs "
                            "GROUP BY cid) AS c")) >= 12);
}

TEST_CASE("support_desk: the calendar covers the cases and has the unknown-date row") {
  const auto subject = support_desk();
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT count(*) FROM staging.calendar") == "4019");
  CHECK(db.scalar("SELECT count(*) FROM staging.cases AS c WHERE NOT EXISTS (SELECT 1 FROM "
                  "staging.calendar AS d WHERE d.date = c.created_at::date)") == "0");
  CHECK(db.scalar("SELECT count(*) FROM staging.priority_sla") == "3");
}

TEST_CASE("course_traffic: sources shared by the three files, corrections present") {
  const auto subject = loaded_subject("course_traffic", 20000);
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT count(*) FROM staging.user_traffic AS u WHERE NOT EXISTS "
                  "(SELECT 1 FROM staging.traffic_sources AS s WHERE s.source_id = u.source_id)") ==
        "0");
  CHECK(db.scalar("SELECT count(*) FROM staging.marketing_daily AS m WHERE NOT EXISTS "
                  "(SELECT 1 FROM staging.traffic_sources AS s WHERE s.name = m.source_name AND "
                  "s.channel = m.channel_type)") == "0");
  // Repeated keys with another campaign code on the next line: the sample's correction quirk.
  const auto corrections = std::stoi(
      db.scalar("SELECT count(*) FROM staging.user_traffic AS a JOIN staging.user_traffic AS b ON "
                "b.line_no = a.line_no + 1 AND (a.user_id, a.source_id, a.referred_at) = "
                "(b.user_id, b.source_id, b.referred_at) AND a.campaign_code <> b.campaign_code"));
  CHECK(corrections > 10);
  CHECK(corrections < 100);
  CHECK(db.scalar("SELECT count(*) FROM staging.user_traffic WHERE referred_at < "
                  "'2023-06-07T00:00:00Z' OR referred_at >= '2025-06-08T00:00:00Z'") == "0");
  // Heavy tail: some users come back many times.
  CHECK(std::stoi(db.scalar("SELECT max(n) FROM (SELECT count(*) AS n FROM staging.user_traffic "
                            "GROUP BY user_id) AS u")) >= 10);
  CHECK(db.scalar("SELECT count(DISTINCT source_name) FROM staging.marketing_daily") == "10");
}

TEST_CASE("habits: a user keeps one name, language and premium flag across records") {
  const auto subject = loaded_subject("habits", 5000);
  const TestDatabase& db = subject->db;
  CHECK(db.scalar("SELECT count(*) FROM (SELECT user_id FROM staging.habit_records GROUP BY "
                  "user_id HAVING count(DISTINCT (first_name, coalesce(last_name, ''), "
                  "coalesce(username, ''), language_code, coalesce(is_premium::text, ''))) > 1) "
                  "AS u") == "0");
  CHECK(db.scalar("SELECT bool_and(user_id = chat_id) FROM staging.habit_records") == "t");
  CHECK(db.scalar("SELECT count(*) FROM staging.habit_records WHERE user_id > 4294967295") != "0");
  CHECK(db.scalar("SELECT count(*) FROM staging.habit_records WHERE is_premium IS NULL") != "0");
  CHECK(
      db.scalar("SELECT count(*) FROM staging.habit_records WHERE first_name ~ '[^\\x01-\\x7f]'") !=
      "0");
  CHECK(db.scalar("SELECT count(*) FROM (SELECT recorded_at < lag(recorded_at) OVER "
                  "(ORDER BY line_no) AS disorder FROM staging.habit_records) AS d "
                  "WHERE disorder") == "0");
}

}  // namespace dp::test
