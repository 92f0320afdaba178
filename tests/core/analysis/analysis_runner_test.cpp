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
/// The one view and declaration the report always needs (its header's batch), so a views folder
/// of its own can be built.
void write_report_stand_ins(const fs::path& views) {
  dp::test::write_text_file(views / "report" / "010_stand_ins.sql", R"sql(
CREATE VIEW analysis.report_meta AS SELECT 1 AS batch_id, 'full' AS mode, now() AS finished_at
  WHERE false;
)sql");
  dp::test::write_text_file(views / "report" / "report.toml", "[meta]\nview = \"report_meta\"\n");
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
