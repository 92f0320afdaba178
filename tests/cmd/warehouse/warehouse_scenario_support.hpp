#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include "tests/cmd/pipeline/pipeline_test_support.hpp"

namespace dp::test {

/// Which checks of tests/sql/checks a state of the warehouse must pass: the generic ones hold
/// for any loads, the scenario ones know the fixtures and batches of scenario A. The comparison
/// checks (incremental_equals_full, empty_run_changes_nothing, analysis_views_empty) need
/// snapshots or an empty warehouse and are run by name.
enum class CheckSet { kGeneric, kScenario };

/// Sessions of the binary and of the checks run in a time zone far from UTC:
/// nothing in the warehouse may depend on the session's TimeZone. libpq reads PGOPTIONS.
inline void use_far_time_zone() {
  ::setenv("PGOPTIONS", "-c TimeZone=Pacific/Chatham", 1);
}

/// The check files of a set, sorted by name; the SQL files stay the only source of each check.
inline std::vector<std::filesystem::path> check_files(CheckSet set) {
  std::vector<std::filesystem::path> checks;
  for (const auto& entry : std::filesystem::directory_iterator(sql_checks_dir())) {
    const auto name = entry.path().filename().string();
    const bool comparison = name == "incremental_equals_full.sql" ||
                            name == "empty_run_changes_nothing.sql" ||
                            name == "analysis_views_empty.sql";
    const bool scenario = name.rfind("scenario_", 0) == 0;
    if (entry.path().extension() != ".sql" || comparison ||
        (scenario && set == CheckSet::kGeneric)) {
      continue;
    }
    checks.push_back(entry.path());
  }
  std::sort(checks.begin(), checks.end());
  return checks;
}

/// Runs every check of a set against the environment's database (each prints its offending
/// rows when it fails).
inline void run_checks(const PipelineEnvironment& env, CheckSet set, const std::string& when) {
  INFO("checks " << when);
  const auto checks = check_files(set);
  REQUIRE(checks.size() >= (set == CheckSet::kScenario ? 16u : 9u));
  for (const auto& check : checks) {
    env.check(check);
  }
}

/// Runs one named check of tests/sql/checks.
inline void run_check(const PipelineEnvironment& env, const std::string& name) {
  env.check(sql_checks_dir() / name);
}

/// `dataprocessor --pipeline [--full]` (the built binary); requires success.
inline std::string run_pipeline_binary(const PipelineEnvironment& env, bool full) {
  std::vector<std::string> args{"--pipeline"};
  if (full) {
    args.emplace_back("--full");
  }
  const auto result = env.run_binary(args);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  return result.output;
}

/// `dataprocessor --analysis` (the built binary): the analysis views the scenario checks read.
inline void build_analysis_binary(const PipelineEnvironment& env) {
  const auto result = env.run_binary({"--analysis"});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
}

/// Sets the ledger time of a loaded file (what the file's arrival time would have been):
/// traffic_sources files carry no time of their own, so their versions start at that time and
/// the scenario checks know which referrals fall before and after a change.
inline void pin_ledger_time(const PipelineEnvironment& env, const std::string& original_name,
                            const std::string& timestamptz) {
  pqxx::connection connection(env.database().conninfo());
  pqxx::work work(connection);
  const auto result = work.exec_params(
      "UPDATE ingest.files SET started_at = $1::timestamptz, finished_at = $1::timestamptz "
      "WHERE original_name = $2 AND status = 'loaded'",
      timestamptz, original_name);
  work.commit();
  REQUIRE(result.affected_rows() == 1);
}

/// The comparison helpers of tests/sql/fixtures/compare.sql (schema dp_cmp), once the warehouse
/// tables exist.
inline void create_comparison_helpers(const PipelineEnvironment& env) {
  env.exec(read_text(sql_fixture("compare.sql")));
}

/// Copies the warehouse tables as they are (keys and batch ids included) into schema `target`.
inline void snapshot_raw(const PipelineEnvironment& env, const std::string& target) {
  pqxx::connection connection(env.database().conninfo());
  pqxx::nontransaction work(connection);
  work.exec(env.step_search_path(connection));
  work.exec_params("SELECT dp_cmp.snapshot_raw($1, $2)", env.settings().dw_schema, target);
}

/// After incremental runs: a run with nothing new changes nothing (batch ids included), then
/// `--full` in the same database rebuilds the same content; the checks hold after both.
inline void check_empty_run_then_full(const PipelineEnvironment& env, CheckSet set,
                                      bool with_analysis) {
  snapshot_raw(env, "dp_snap_raw_before");
  const auto empty_run = run_pipeline_binary(env, false);
  CHECK(empty_run.find(", 0 ledger files") != std::string::npos);
  snapshot_raw(env, "dp_snap_raw_after");
  run_check(env, "empty_run_changes_nothing.sql");

  if (with_analysis) {
    build_analysis_binary(env);
  }
  run_checks(env, set, "after the incremental runs");

  env.exec("SELECT dp_cmp.snapshot('dp_snap_incremental')");
  const auto full = run_pipeline_binary(env, true);
  CHECK(full.find("(full): succeeded") != std::string::npos);
  env.exec("SELECT dp_cmp.snapshot('dp_snap_full')");
  run_check(env, "incremental_equals_full.sql");
  run_checks(env, set, "after --full");
}

}  // namespace dp::test
