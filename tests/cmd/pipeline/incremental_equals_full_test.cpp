// End-to-end: the sample files through the real loader (`dataprocessor --ingest`) and the real
// warehouse manifest (`--pipeline`). Incremental runs over several batches, in two different
// orders, must leave the same warehouse as `--full` (the SQL harness's comparison views in
// tests/sql/fixtures/compare.sql ignore surrogate keys and batch ids), a run with nothing new
// must change nothing, and the generic checks of tests/sql/checks must pass.
#include <doctest/doctest.h>

#include "tests/cmd/pipeline/pipeline_test_support.hpp"

using dp::test::PipelineEnvironment;
namespace fs = std::filesystem;

namespace {

/// The sample files, some split into parts, plus the SQL harness's fixtures, in three batches.
struct SampleBatches {
  std::vector<std::vector<fs::path>> batches;

  std::vector<fs::path> all() const {
    std::vector<fs::path> out;
    for (const auto& batch : batches) {
      out.insert(out.end(), batch.begin(), batch.end());
    }
    return out;
  }
};

SampleBatches sample_batches(const fs::path& work) {
  const auto data = dp::test::samples_dir();
  const auto support = data / "support_desk";
  const auto traffic = data / "course_traffic";
  const auto titles = data / "job_titles" / "2019_free_title_data.csv";
  const auto habits = data / "habits" / "habit_records_sample.csv";
  const auto fixture = [](const std::string& name) {
    return dp::test::sql_fixture("data/" + name);
  };
  using dp::test::split_lines;
  SampleBatches out;
  out.batches.push_back({
      data / "course_traffic" / "traffic_sources.csv",
      split_lines(traffic / "user_traffic.csv", work / "user_traffic_part1.csv", 2, 600, true),
      split_lines(traffic / "marketing_data_with_days.csv", work / "marketing_part1.csv", 2, 5001,
                  true),
      split_lines(habits, work / "habit_records_part1.csv", 2, 30, true),
      support / "analysts_2010.csv",
      support / "analysts_2012.csv",
      support / "by_year" / "cases_2011.csv",
      support / "by_year" / "cases_2012.csv",
      support / "by_year" / "logs_2012.csv",
      support / "by_year" / "logs_2013.csv",
      support / "products.csv",
      support / "PrioritySLA.csv",
      split_lines(titles, work / "title_data_part1.csv", 2, 2500, true),
      support / "calendar.csv",
  });
  out.batches.push_back({
      support / "analysts_2011.csv",
      support / "by_year" / "cases_2013.csv",
      fixture("cases_unknown_analyst_no_logs.csv"),
      support / "by_year" / "logs_2011.csv",
      split_lines(traffic / "user_traffic.csv", work / "user_traffic_part2.csv", 601, 1001, true),
      split_lines(habits, work / "habit_records_part2.csv", 31, 41, true),
      split_lines(titles, work / "title_data_part2.csv", 2501, 5001, true),
      fixture("title_data_normalization_cases.csv"),
      split_lines(traffic / "marketing_data_with_days.csv", work / "marketing_part2.csv", 5002,
                  10001, true),
      fixture("marketing_partner_blog_and_podcast.csv"),
  });
  out.batches.push_back({
      support / "analysts_2014.csv",
      support / "analysts_2013.csv",
      fixture("analysts.csv"),
      support / "by_year" / "cases_2014.csv",
      support / "cases.csv",
      fixture("cases_correction.csv"),
      support / "by_year" / "logs_2014.csv",
      support / "logs.csv",
      fixture("habit_records_late_and_recategorized.csv"),
      fixture("habit_records_year_boundary.csv"),
      split_lines(traffic / "user_traffic.csv", work / "user_traffic_part3_correction.csv", 1002,
                  1002, true),
      fixture("user_traffic_unknown_source_and_channel_change.csv"),
  });
  return out;
}

/// The comparison views (dp_cmp.*) of the SQL harness, created once the warehouse tables exist.
void create_comparison_views(const PipelineEnvironment& env) {
  env.exec(dp::test::read_text(dp::test::sql_fixture("compare.sql")));
}

/// Every check of tests/sql/checks that holds for any data set (the scenario checks assume the
/// SQL harness's own loads; the three comparison checks need snapshots taken around runs).
void run_generic_checks(const PipelineEnvironment& env) {
  std::vector<fs::path> checks;
  for (const auto& entry : fs::directory_iterator(dp::test::sql_checks_dir())) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".sql" || name.rfind("scenario_", 0) == 0 ||
        name == "incremental_equals_full.sql" || name == "empty_run_changes_nothing.sql" ||
        name == "analysis_views_empty.sql") {
      continue;
    }
    checks.push_back(entry.path());
  }
  std::sort(checks.begin(), checks.end());
  REQUIRE(checks.size() > 3);
  for (const auto& check : checks) {
    env.check(check);
  }
}

/// Runs `--pipeline` (incremental) and requires success, returning the summary.
std::string run_incremental(PipelineEnvironment& env) {
  std::string output;
  const int code = env.pipeline(false, &output);
  INFO(output);
  REQUIRE(code == 0);
  return output;
}

/// The comparison views' tables of snapshot `schema`, by name.
std::vector<std::string> snapshot_tables(const PipelineEnvironment& env,
                                         const std::string& schema) {
  std::vector<std::string> names;
  for (auto row : env.rows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON "
                           "n.oid = c.relnamespace WHERE n.nspname = '" +
                           schema + "' AND c.relkind = 'r'")) {
    row.pop_back();  // the field separator
    names.push_back(row);
  }
  return names;
}

/// After incremental runs: a run with nothing new changes nothing, and --full in the same
/// database rebuilds exactly the same content.
void check_incremental_equals_full(PipelineEnvironment& env) {
  env.exec("SELECT dp_cmp.snapshot_raw('datawarehouse', 'dp_snap_raw_before')");
  const auto empty_run = run_incremental(env);
  CHECK(empty_run.find(", 0 ledger files") != std::string::npos);
  env.exec("SELECT dp_cmp.snapshot_raw('datawarehouse', 'dp_snap_raw_after')");
  env.check(dp::test::sql_checks_dir() / "empty_run_changes_nothing.sql");

  run_generic_checks(env);
  env.exec("SELECT dp_cmp.snapshot('dp_snap_incremental')");
  std::string output;
  REQUIRE(env.pipeline(true, &output) == 0);
  CHECK(output.find("(full): succeeded") != std::string::npos);
  env.exec("SELECT dp_cmp.snapshot('dp_snap_full')");
  env.check(dp::test::sql_checks_dir() / "incremental_equals_full.sql");
  run_generic_checks(env);
  // The comparison means something only if every table holds rows beyond its -1 member.
  for (const auto& table : snapshot_tables(env, "dp_snap_full")) {
    CAPTURE(table);
    CHECK(env.rows("SELECT 1 FROM dp_snap_full.\"" + table + "\" LIMIT 2").size() == 2);
  }
}

}  // namespace

TEST_CASE(
    "incremental runs over three batches equal a --full rebuild, in this and another "
    "database") {
  PipelineEnvironment env;
  const auto batches = sample_batches(env.folder());
  bool first = true;
  for (const auto& batch : batches.batches) {
    env.ingest(batch);
    if (first) {
      create_comparison_views(env);
      first = false;
    }
    const auto summary = run_incremental(env);
    CHECK(summary.find("): succeeded in") != std::string::npos);
    for (const char* subject : {"course_traffic", "job_titles", "habits", "support_desk"}) {
      CAPTURE(subject);
      CHECK(summary.find(std::string("  ") + subject + " ") != std::string::npos);
    }
  }
  check_incremental_equals_full(env);

  // A second database loaded with the same files in the same order, built once with --full:
  // the same ledger (file ids included), so the comparison views must hold the same rows.
  PipelineEnvironment rebuilt;
  rebuilt.ingest(batches.all());
  std::string output;
  REQUIRE(rebuilt.pipeline(true, &output) == 0);
  create_comparison_views(rebuilt);
  rebuilt.exec("SELECT dp_cmp.snapshot('dp_snap_full')");
  const std::string ledger = "SELECT file_id, sha256, status FROM ingest.files";
  REQUIRE(env.rows(ledger) == rebuilt.rows(ledger));
  const auto tables = snapshot_tables(env, "dp_snap_incremental");
  CHECK(tables.size() >= 10);
  for (const auto& table : tables) {
    CAPTURE(table);
    const std::string query = "SELECT * FROM dp_snap_incremental.\"" + table + "\"";
    const auto incremental = env.rows(query);
    const auto full = rebuilt.rows("SELECT * FROM dp_snap_full.\"" + table + "\"");
    CHECK(incremental.size() == full.size());
    CHECK(incremental == full);
  }
}

TEST_CASE(
    "one batch per few files in reversed order, with a changed traffic source, still "
    "equals --full") {
  PipelineEnvironment env;
  auto files = sample_batches(env.folder()).all();
  files.push_back(dp::test::sql_fixture("data/traffic_sources_channel_change.csv"));
  std::reverse(files.begin(), files.end());
  bool first = true;
  for (std::size_t begin = 0; begin < files.size(); begin += 6) {
    const auto end = std::min(files.size(), begin + 6);
    env.ingest(std::vector<fs::path>(files.begin() + static_cast<std::ptrdiff_t>(begin),
                                     files.begin() + static_cast<std::ptrdiff_t>(end)));
    if (first) {
      create_comparison_views(env);
      first = false;
    }
    run_incremental(env);
  }
  check_incremental_equals_full(env);
}
