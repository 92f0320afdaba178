// Warehouse scenario C through the real binary (checks: tests/sql/checks): a warehouse built
// from nothing has every unknown member, and every analysis view exists and is empty.
#include <doctest/doctest.h>

#include "tests/cmd/warehouse/warehouse_scenario_support.hpp"

using dp::test::PipelineEnvironment;

TEST_CASE("scenario C: an empty warehouse has its unknown members and empty analysis views") {
  dp::test::use_far_time_zone();
  PipelineEnvironment env;
  dp::test::run_pipeline_binary(env, false);
  dp::test::build_analysis_binary(env);
  REQUIRE(env.database().scalar("SELECT count(*) FROM information_schema.views "
                                "WHERE table_schema = 'analysis'") != "0");
  dp::test::run_check(env, "analysis_views_empty.sql");
  dp::test::run_check(env, "unknown_members_present.sql");
}
