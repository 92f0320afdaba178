// `--pipeline` as a user meets it: exit codes, messages and the summary, with small synthetic
// manifests (tests/data/warehouse) installed as the warehouse of a copy of sql/.
#include <doctest/doctest.h>

#include <future>

#include "tests/cmd/pipeline/pipeline_test_support.hpp"

using dp::test::PipelineEnvironment;
namespace fs = std::filesystem;

namespace {

/// A sql/ folder with the real migrations and `fixture` (tests/data/warehouse/<fixture>) as its
/// warehouse steps.
class SqlFolder {
 public:
  explicit SqlFolder(const std::string& fixture) {
    fs::copy(dp::test::source_sql_dir() / "migrations", dir_.path() / "migrations",
             fs::copy_options::recursive);
    fs::copy(fs::path(DP_TEST_DATA_DIR) / "warehouse" / fixture, dir_.path() / "warehouse",
             fs::copy_options::recursive);
  }
  const fs::path& path() const { return dir_.path(); }

 private:
  dp::test::TempDir dir_;
};

/// The table the synthetic steps write to.
void create_step_log(const PipelineEnvironment& env) {
  env.database().exec(
      "CREATE TABLE public.step_log (step text NOT NULL, started_at timestamptz NOT NULL, "
      "finished_at timestamptz, batch_id text, run_mode text, search_path text)");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a successful run exits 0 and prints every step and the reconciliation") {
  SqlFolder sql("diamond");
  PipelineEnvironment env(sql.path());
  create_step_log(env);
  std::string output;
  CHECK(env.pipeline(false, &output) == 0);
  CAPTURE(output);
  CHECK(contains(output, "pipeline run 1 (incremental): succeeded in"));
  CHECK(contains(output, "  left "));
  CHECK(contains(output, "demo_table"));
  // The staging tables exist even though nothing was loaded: steps may read all of them.
  CHECK(env.database().scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'") !=
        "0");
}

TEST_CASE("a failing step makes the run exit 1 with the step and the database's error") {
  SqlFolder sql("failing");
  PipelineEnvironment env(sql.path());
  create_step_log(env);
  std::string output;
  CHECK(env.pipeline(false, &output) == 1);
  CAPTURE(output);
  CHECK(contains(output, "): failed in"));
  CHECK(contains(output, "error: step bad failed: ERROR:  division by zero"));
  CHECK(contains(output, "not run: step bad failed"));
  CHECK(env.database().scalar("SELECT status FROM datawarehouse.etl_runs") == "failed");
}

TEST_CASE("a broken manifest exits 1 before the database is touched") {
  SqlFolder sql("cycle");
  PipelineEnvironment env(sql.path());
  std::string output;
  CHECK(env.pipeline(false, &output) == 1);
  CHECK(contains(output, "pipeline not started: the steps form a dependency cycle"));
  CHECK(env.database().scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'ingest'") == "0");
}

TEST_CASE("with pipeline_lock=fail a run while another is in progress exits 1 and says why") {
  SqlFolder sql("slow");
  PipelineEnvironment env(sql.path());
  create_step_log(env);
  REQUIRE(env.pipeline(false) == 0);  // creates the schemas; its own run takes a second
  auto failing = env.settings();
  failing.pipeline_lock = dp::config::PipelineLockPolicy::kFail;
  auto first = std::async(std::launch::async, [&env] { return env.pipeline(false); });
  while (env.database().scalar(
             "SELECT count(*) FROM datawarehouse.etl_runs WHERE status = 'running'") == "0") {
    REQUIRE(first.wait_for(std::chrono::milliseconds(5)) == std::future_status::timeout);
  }
  std::string output;
  CHECK(PipelineEnvironment::pipeline(failing, false, &output) == 1);
  CAPTURE(output);
  CHECK(contains(output,
                 "pipeline not started: the warehouse \"datawarehouse\" is being built by "
                 "the pipeline run of batch 2"));
  CHECK(first.get() == 0);
  CHECK(env.database().scalar("SELECT count(*) FROM datawarehouse.etl_runs") == "2");
}

TEST_CASE("dataprocessor --pipeline runs the warehouse build (the binary is wired to it)") {
  SqlFolder sql("diamond");
  PipelineEnvironment env(sql.path());
  create_step_log(env);
  const auto& settings = env.settings();
  const auto result = dp::util::run_process(
      {DP_BINARY_PATH, "--pipeline", "--full", "--set", "db_string=" + settings.db_string, "--set",
       "sql_dir=" + settings.sql_dir.string(), "--set", "logs_dir=" + settings.logs_dir.string()});
  CAPTURE(result.output);
  CHECK(result.exit_code == 0);
  CHECK(contains(result.output, "pipeline run 1 (full): succeeded in"));
  CHECK(env.database().scalar("SELECT min(run_mode) FROM step_log") == "full");
}
