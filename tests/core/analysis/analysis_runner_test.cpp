// build_analysis as a whole: every view exported, the report written, all files replaced
// together or not at all, and exports independent of the server's time zone.
#include "core/analysis/analysis_runner.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

#include "core/analysis/analysis_error.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dp::analysis;
using dp::test::WarehouseDatabase;
namespace fs = std::filesystem;

namespace {

AnalysisOptions options_for(const WarehouseDatabase& database, const fs::path& views_dir,
                            const fs::path& output_dir) {
  AnalysisOptions options;
  options.conninfo = database.conninfo();
  options.views_dir = views_dir;
  options.output_dir = output_dir;
  options.dw_schema = database.dw_schema();
  options.staging_schema = database.staging_schema();
  return options;
}

std::map<std::string, std::string> folder_contents(const fs::path& folder) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(folder)) {
    out[entry.path().filename().string()] = dp::test::read_text_file(entry.path());
  }
  return out;
}

/// Empty stand-ins for the views report.html reads, so that a test about files and formats
/// can run build_analysis with views of its own.
void write_report_stand_ins(const fs::path& views) {
  dp::test::write_text_file(views / "report" / "010_stand_ins.sql", R"sql(
CREATE VIEW analysis.report_meta AS SELECT 1 AS batch_id, 'full' AS mode, now() AS finished_at,
  0 AS referrals, 0 AS marketing_days, 0 AS job_titles, 0 AS habit_records, 0 AS cases WHERE false;
CREATE VIEW analysis.active_users_daily AS SELECT DATE '2020-01-01' AS record_day, 0 AS active_users WHERE false;
CREATE VIEW analysis.report_duration_daily AS SELECT DATE '2020-01-01' AS record_day, 0 AS total_duration WHERE false;
CREATE VIEW analysis.report_favourite_habits AS SELECT ''::text AS habit_name, 0 AS total_duration WHERE false;
CREATE VIEW analysis.report_category_share AS SELECT ''::text AS category_name, 0 AS total_duration, 0 AS share_pct WHERE false;
CREATE VIEW analysis.referrals_by_source_month AS SELECT DATE '2020-01-01' AS month, ''::text AS source_name, 0 AS referrals WHERE false;
CREATE VIEW analysis.marketing_funnel AS SELECT ''::text AS source_name, ''::text AS channel, 0 AS ad_spend, 0 AS impressions, 0 AS clicks, 0 AS leads, 0 AS revenue, 0 AS ctr, 0 AS lead_rate, 0 AS cost_per_lead, 0 AS roas WHERE false;
CREATE VIEW analysis.title_pdl_count AS SELECT ''::text AS job_title, 0 AS pdl_count WHERE false;
CREATE VIEW analysis.top_related_titles AS SELECT ''::text AS job_title, 0 AS related_count WHERE false;
CREATE VIEW analysis.team_performance AS SELECT ''::text AS team, 0 AS priority, 0 AS cases, 0 AS avg_hours_to_assign, 0 AS avg_hours_to_response, 0 AS avg_hours_to_resolve, 0 AS assign_sla_hours, 0 AS response_sla_hours, 0 AS resolve_sla_hours, 0 AS pct_assigned_within_sla WHERE false;
)sql");
}

}  // namespace

TEST_CASE("on an empty warehouse every view is exported as a header-only CSV beside the report") {
  WarehouseDatabase database;
  dp::test::TempDir dir;
  const auto out = dir.path() / "exports" / "analysis";
  const auto result = build_analysis(options_for(database, dp::test::source_views_dir(), out));
  CHECK_FALSE(result.batch_id.has_value());
  REQUIRE(result.exports.size() == result.views.views.size());

  std::set<std::string> expected_files{"report.html"};
  for (const auto& exported : result.exports) {
    CAPTURE(exported.view);
    expected_files.insert(exported.view + ".csv");
    CHECK(exported.rows == 0);
    CHECK(exported.path == out / (exported.view + ".csv"));
    // The header is the view's column list, in order.
    const auto columns = database.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'analysis' "
        "AND table_name = '" +
        exported.view + "' ORDER BY ordinal_position");
    std::vector<std::string> header;
    for (const auto& column : columns) {
      header.push_back(*column[0]);
    }
    const auto csv = dp::test::read_csv_file(exported.path);
    REQUIRE(csv.size() == 1);
    CHECK(csv[0] == header);
  }
  std::set<std::string> actual_files;
  for (const auto& [name, content] : folder_contents(out)) {
    actual_files.insert(name);
  }
  CHECK(actual_files == expected_files);
  const auto report = dp::test::read_text_file(out / "report.html");
  CHECK(report.find("No data yet.") != std::string::npos);
}

TEST_CASE("a run that fails part-way replaces none of the previous files") {
  WarehouseDatabase database;
  dp::test::TempDir dir;
  const auto views = dir.path() / "views";
  const auto out = dir.path() / "out";
  dp::test::write_text_file(views / "a" / "010_a.sql",
                            "CREATE OR REPLACE VIEW analysis.a AS SELECT 1 AS one;\n");
  dp::test::write_text_file(views / "z" / "010_z.sql",
                            "CREATE OR REPLACE VIEW analysis.z AS SELECT 2 AS two;\n");
  write_report_stand_ins(views);
  build_analysis(options_for(database, views, out));
  const auto before = folder_contents(out);
  REQUIRE(before.count("a.csv") == 1);
  REQUIRE(before.count("z.csv") == 1);

  // Same views, but z now fails when read — after a.csv was already streamed.
  dp::test::write_text_file(views / "z" / "010_z.sql",
                            "CREATE OR REPLACE VIEW analysis.z AS SELECT 1 / 0 AS two;\n");
  dp::test::write_text_file(views / "a" / "010_a.sql",
                            "CREATE OR REPLACE VIEW analysis.a AS SELECT 100 AS one;\n");
  CHECK_THROWS_WITH_AS(build_analysis(options_for(database, views, out)),
                       doctest::Contains("division by zero"), dp::db::PgError);
  CHECK(folder_contents(out) == before);
}

TEST_CASE("exported times are UTC in ISO format whatever the database's time zone") {
  WarehouseDatabase database;
  database.exec(
      "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', "
      "current_database(), 'Pacific/Chatham'); "
      "EXECUTE format('ALTER DATABASE %I SET DateStyle = %L', current_database(), "
      "'German, DMY'); END $$");
  dp::test::TempDir dir;
  const auto views = dir.path() / "views";
  write_report_stand_ins(views);
  dp::test::write_text_file(
      views / "t" / "010_times.sql",
      "CREATE VIEW analysis.times AS SELECT "
      "TIMESTAMPTZ '2020-12-31 23:30:00+00' AS at, DATE '2021-01-04' AS day;\n");
  build_analysis(options_for(database, views, dir.path() / "out"));
  CHECK(dp::test::read_text_file(dir.path() / "out" / "times.csv") ==
        "at,day\n2020-12-31 23:30:00+00,2021-01-04\n");
}
