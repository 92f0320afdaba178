// Warehouse scenario A through the real binary (checks: tests/sql/checks): three batches loaded
// with `dataprocessor --ingest` (analysts 2012 before 2011, logs before their cases, products
// before their groups, late and corrected habit records, a traffic source that changes
// channel, a corrected and then reopened case, the duplicated traffic key in two batches), each
// followed by `dataprocessor --pipeline`; then a run with nothing new, the analysis views, every
// check of tests/sql/checks, `--pipeline --full`, the comparison with the incremental build and
// every check again.
#include <doctest/doctest.h>

#include "tests/cmd/warehouse/scenario_files.hpp"
#include "tests/cmd/warehouse/warehouse_scenario_support.hpp"

using dp::test::CheckSet;
using dp::test::PipelineEnvironment;

TEST_CASE("scenario A: three incremental batches, an empty run and --full pass every check") {
  dp::test::use_far_time_zone();
  PipelineEnvironment env;
  // One connection: the steps run one after another (scenario B runs them side by side).
  env.settings().workers = 1;
  const dp::test::ScenarioFiles files(env.folder());
  const auto support = [&](const std::string& name) { return files.support(name); };
  const auto fixture = [&](const std::string& name) { return files.fixture(name); };

  env.ingest({files.traffic_sources(), files.user_traffic_part1, files.marketing_part1,
              fixture("marketing_partner_blog_and_podcast.csv"), files.habit_records_part1,
              support("analysts_2010.csv"), support("analysts_2012.csv"),
              support("by_year/cases_2011.csv"), support("by_year/cases_2012.csv"),
              support("by_year/logs_2012.csv"), support("by_year/logs_2013.csv"),
              files.products_only, support("PrioritySLA.csv"), files.title_data_part1,
              support("calendar.csv")});
  dp::test::pin_ledger_time(env, "traffic_sources.csv", "2023-01-01 00:00:00+00");
  dp::test::create_comparison_helpers(env);
  dp::test::run_pipeline_binary(env, false);

  env.ingest({support("analysts_2011.csv"), support("by_year/cases_2013.csv"),
              fixture("cases_unknown_analyst_no_logs.csv"), support("by_year/logs_2011.csv"),
              files.user_traffic_part2, files.habit_records_part2,
              fixture("traffic_sources_channel_change.csv"), files.title_data_part2,
              fixture("title_data_normalization_cases.csv"), files.products_lines_and_groups,
              files.marketing_part2});
  dp::test::pin_ledger_time(env, "traffic_sources_channel_change.csv", "2024-06-01 00:00:00+00");
  dp::test::run_pipeline_binary(env, false);

  env.ingest({support("analysts_2014.csv"), support("analysts_2013.csv"), fixture("analysts.csv"),
              support("by_year/cases_2014.csv"), support("cases.csv"),
              fixture("cases_correction.csv"), support("by_year/logs_2014.csv"),
              support("logs.csv"), fixture("logs_reopened_case.csv"),
              fixture("habit_records_late_and_recategorized.csv"),
              fixture("habit_records_year_boundary.csv"), files.user_traffic_part3_correction,
              fixture("user_traffic_unknown_source_and_channel_change.csv")});
  dp::test::run_pipeline_binary(env, false);

  dp::test::check_empty_run_then_full(env, CheckSet::kScenario, true);
}
