// Applying sql/analysis: order, search_path, one transaction, and what a failure leaves behind.
#include "core/analysis/view_builder.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "core/analysis/analysis_error.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dp::analysis;
using dp::test::WarehouseDatabase;
using dp::test::write_text_file;
namespace fs = std::filesystem;

namespace {

/// The views issue 6 asks for; the SQL may add helpers (report_*), never drop one of these.
const std::vector<std::string> kRequiredViews = {"active_users_daily", "daily_view",
                                                 "habit_view",         "manager_titles",
                                                 "marketing_funnel",   "referrals_by_source_month",
                                                 "team_performance",   "team_performance_report",
                                                 "title_pdl_count",    "top_related_titles",
                                                 "user_period_summary"};

ViewBuildResult build(const WarehouseDatabase& database, const fs::path& views_dir) {
  dp::db::LibpqConnection connection(database.conninfo());
  ViewBuildOptions options;
  options.views_dir = views_dir;
  options.dw_schema = database.dw_schema();
  options.staging_schema = database.staging_schema();
  return build_analysis_views(connection, options);
}

std::vector<std::string> views_in(const WarehouseDatabase& database) {
  dp::db::LibpqConnection connection(database.conninfo());
  return list_analysis_views(connection);
}

}  // namespace

TEST_CASE("view files are applied subject by subject, in the order of their numbers") {
  dp::test::TempDir dir;
  write_text_file(dir.path() / "b" / "020_second.sql", "");
  write_text_file(dir.path() / "b" / "010_first.sql", "");
  write_text_file(dir.path() / "a" / "090_report.sql", "");
  write_text_file(dir.path() / "a" / ".010_hidden.sql", "");
  write_text_file(dir.path() / "a" / "README.md", "");
  const auto files = list_view_files(dir.path());
  REQUIRE(files.size() == 3);
  CHECK(files[0].lexically_relative(dir.path()) == "a/090_report.sql");
  CHECK(files[1].lexically_relative(dir.path()) == "b/010_first.sql");
  CHECK(files[2].lexically_relative(dir.path()) == "b/020_second.sql");

  const auto project = list_view_files(dp::test::source_views_dir());
  CHECK(project.size() >= kRequiredViews.size());
}

TEST_CASE("a missing or empty views folder is an error that says where it looked") {
  dp::test::TempDir dir;
  CHECK_THROWS_WITH_AS(list_view_files(dir.path() / "nope"), doctest::Contains("does not exist"),
                       AnalysisError);
  CHECK_THROWS_WITH_AS(list_view_files(dir.path()), doctest::Contains("no analysis view files"),
                       AnalysisError);
}

TEST_CASE("on an empty warehouse every view of the project is created and returns no rows") {
  WarehouseDatabase database;
  const auto result = build(database, dp::test::source_views_dir());
  for (const auto& view : kRequiredViews) {
    CAPTURE(view);
    CHECK(std::find(result.views.begin(), result.views.end(), view) != result.views.end());
  }
  CHECK(result.views == views_in(database));
  for (const auto& view : result.views) {
    CAPTURE(view);
    CHECK(database.scalar("SELECT count(*) FROM analysis." + view) == "0");
  }
}

TEST_CASE("the views resolve their tables in the configured warehouse schema") {
  WarehouseDatabase database("dw test", "stg x");
  const auto result = build(database, dp::test::source_views_dir());
  CHECK(std::find(result.views.begin(), result.views.end(), "daily_view") != result.views.end());
  // The view reads the table of the schema it was built against.
  CHECK(database.scalar("SELECT count(*) FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid "
                        "JOIN pg_class v ON v.oid = r.ev_class "
                        "JOIN pg_class t ON t.oid = d.refobjid "
                        "JOIN pg_namespace n ON n.oid = t.relnamespace "
                        "WHERE v.relname = 'daily_view' AND t.relname = 'agg_daily' "
                        "AND n.nspname = 'dw test'") != "0");
  dp::db::LibpqConnection connection(database.conninfo());
  CHECK(view_search_path(connection, "dw \"test\"", "stg x") ==
        "\"dw \"\"test\"\"\", \"stg x\", ingest, public");
}

TEST_CASE("a failing file rolls the whole build back and names the file, line and error") {
  WarehouseDatabase database;
  dp::test::TempDir dir;
  write_text_file(dir.path() / "a" / "010_good.sql",
                  "CREATE OR REPLACE VIEW analysis.good AS SELECT 1 AS one;\n");
  build(database, dir.path());
  REQUIRE(views_in(database) == std::vector<std::string>{"good"});

  write_text_file(dir.path() / "a" / "020_new.sql",
                  "CREATE OR REPLACE VIEW analysis.newer AS SELECT 2 AS two;\n");
  write_text_file(dir.path() / "b" / "010_broken.sql",
                  "-- a comment\n"
                  "CREATE OR REPLACE VIEW analysis.broken AS\n"
                  "SELECT no_such_column FROM agg_daily;\n");
  std::string message;
  try {
    build(database, dir.path());
  } catch (const AnalysisError& error) {
    message = error.what();
  }
  CHECK(message.find("analysis view file") != std::string::npos);
  CHECK(message.find("b/010_broken.sql line 3") != std::string::npos);
  CHECK(message.find("no_such_column") != std::string::npos);
  // Nothing of the failed build is visible; the previous views are intact.
  CHECK(views_in(database) == std::vector<std::string>{"good"});
  CHECK(database.scalar("SELECT one FROM analysis.good") == "1");
}

TEST_CASE("a rebuild drops views whose file is gone and lets a view change its columns") {
  WarehouseDatabase database;
  dp::test::TempDir dir;
  write_text_file(dir.path() / "s" / "010_x.sql",
                  "CREATE OR REPLACE VIEW analysis.x AS SELECT 1 AS a, 2 AS b;\n");
  write_text_file(dir.path() / "s" / "020_y.sql",
                  "CREATE OR REPLACE VIEW analysis.y AS SELECT a FROM analysis.x;\n");
  build(database, dir.path());
  CHECK(views_in(database) == std::vector<std::string>{"x", "y"});

  // CREATE OR REPLACE alone cannot rename or drop columns of an existing view.
  write_text_file(dir.path() / "s" / "010_x.sql",
                  "CREATE OR REPLACE VIEW analysis.x AS SELECT 'text'::text AS renamed;\n");
  fs::remove(dir.path() / "s" / "020_y.sql");
  const auto result = build(database, dir.path());
  CHECK(result.views == std::vector<std::string>{"x"});
  CHECK(database.scalar("SELECT renamed FROM analysis.x") == "text");
}
