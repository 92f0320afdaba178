// Warehouse scenario B through the real binary (checks: tests/sql/checks): ten batches of three
// files in a largely reversed order (logs and the analyst change file first, the original
// traffic sources after their change), each followed by `dataprocessor --pipeline`; the run of
// the fifth batch fails in fact_case after dim_analyst committed its changes, and the next run
// must take up its files and repair the facts. Then an empty run, the generic checks,
// `--pipeline --full` and the comparison. Staging and warehouse live in schemas "stg" and "dw".
#include <doctest/doctest.h>

#include <fstream>

#include "tests/cmd/warehouse/scenario_files.hpp"
#include "tests/cmd/warehouse/warehouse_scenario_support.hpp"

using dp::test::CheckSet;
using dp::test::PipelineEnvironment;
namespace fs = std::filesystem;

namespace {

/// A copy of sql/ whose fact_case step fails: a run that stops after dim_analyst committed.
fs::path sql_with_failing_fact_case(const fs::path& target) {
  fs::copy(dp::test::source_sql_dir(), target, fs::copy_options::recursive);
  std::ofstream(target / "warehouse" / "support_desk" / "040_fact_case.sql", std::ios::trunc)
      << "SELECT 1 / 0 AS rows_affected;\n";
  return target;
}

}  // namespace

TEST_CASE("scenario B: ten reversed batches with a failed run in between equal --full") {
  dp::test::use_far_time_zone();
  PipelineEnvironment env;
  // Schema names other than the defaults prove that no warehouse SQL hard-codes them.
  env.settings().staging_schema = "stg";
  env.settings().dw_schema = "dw";
  const dp::test::ScenarioFiles files(env.folder());
  const auto support = [&](const std::string& name) { return files.support(name); };
  const auto fixture = [&](const std::string& name) { return files.fixture(name); };
  const std::vector<fs::path> order{
      fixture("logs_reopened_case.csv"),
      support("logs.csv"),
      fixture("analysts.csv"),
      support("analysts_2014.csv"),
      support("by_year/cases_2014.csv"),
      support("analysts_2012.csv"),
      fixture("habit_records_late_and_recategorized.csv"),
      files.user_traffic_part3_correction,
      fixture("traffic_sources_channel_change.csv"),
      fixture("marketing_partner_blog_and_podcast.csv"),
      files.products_lines_and_groups,
      fixture("title_data_normalization_cases.csv"),
      fixture("cases_correction.csv"),
      support("analysts_2010.csv"),
      support("cases.csv"),
      files.habit_records_sample(),
      files.user_traffic(),
      files.traffic_sources(),
      files.marketing_part2,
      files.products_only,
      files.title_data_part2,
      support("analysts_2011.csv"),
      support("analysts_2013.csv"),
      support("PrioritySLA.csv"),
      fixture("user_traffic_unknown_source_and_channel_change.csv"),
      fixture("cases_unknown_analyst_no_logs.csv"),
      files.title_data_part1,
      files.marketing_part1,
      fixture("habit_records_year_boundary.csv"),
      support("calendar.csv"),
  };
  const auto failing_sql = sql_with_failing_fact_case(env.folder() / "sql_failing_fact_case");

  for (std::size_t begin = 0; begin < order.size(); begin += 3) {
    const auto end = std::min(order.size(), begin + 3);
    env.ingest(std::vector<fs::path>(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                     order.begin() + static_cast<std::ptrdiff_t>(end)));
    if (begin == 0) {
      dp::test::create_comparison_helpers(env);
    }
    if (end == 15) {
      const auto failed = env.run_binary({"--pipeline"}, failing_sql);
      INFO(failed.output);
      REQUIRE(failed.exit_code == 1);
      CHECK(failed.output.find("fact_case") != std::string::npos);
      REQUIRE(env.rows("SELECT status FROM etl_run_steps WHERE step = 'dim_analyst' "
                       "ORDER BY batch_id DESC LIMIT 1") == std::vector<std::string>{"succeeded|"});
    } else {
      dp::test::run_pipeline_binary(env, false);
    }
  }

  dp::test::check_empty_run_then_full(env, CheckSet::kGeneric, false);
}
