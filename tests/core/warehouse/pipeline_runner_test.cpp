#include "core/warehouse/pipeline_runner.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

#include <pqxx/pqxx>

#include "core/warehouse/pipeline_lock.hpp"
#include "core/warehouse/step_manifest.hpp"
#include "tests/core/warehouse/warehouse_test_support.hpp"

using dp::test::WarehouseDatabase;
using dp::warehouse::build_warehouse;
using dp::warehouse::RunMode;
using dp::warehouse::RunReport;
using namespace std::chrono_literals;

namespace {

const dp::warehouse::StepReport& step_of(const RunReport& report, const std::string& name) {
  for (const auto& step : report.steps) {
    if (step.name == name) {
      return step;
    }
  }
  FAIL("no step " << name);
  throw std::logic_error("unreachable");
}

/// Whether step `a` ended before step `b` started, by the timestamps the steps recorded.
std::string ended_before(const WarehouseDatabase& db, const std::string& a, const std::string& b) {
  return db.scalar("SELECT (SELECT finished_at FROM step_log WHERE step = '" + a +
                   "') <= (SELECT started_at FROM step_log WHERE step = '" + b + "')");
}

/// Returns once `run` holds the lock and has opened its batch (its 1 s step is then running).
void wait_until_running(const WarehouseDatabase& db, std::future<RunReport>& run) {
  while (db.scalar("SELECT count(*) FROM " + WarehouseDatabase::dw("etl_runs") +
                   " WHERE status = 'running'") == "0") {
    REQUIRE(run.wait_for(5ms) == std::future_status::timeout);
  }
}

}  // namespace

TEST_CASE("steps run after their dependencies and independent steps overlap") {
  WarehouseDatabase db;
  const auto report = build_warehouse(db.options("diamond"));
  CHECK(report.status == "succeeded");
  CHECK(report.error.empty());
  CHECK(db.scalar("SELECT count(*) FROM step_log WHERE finished_at IS NOT NULL") == "4");
  CHECK(ended_before(db, "root", "left") == "t");
  CHECK(ended_before(db, "root", "right") == "t");
  CHECK(ended_before(db, "left", "join") == "t");
  CHECK(ended_before(db, "right", "join") == "t");
  // left and right (0.8 s each) ran at the same time on the two connections.
  CHECK(db.scalar("SELECT l.started_at < r.finished_at AND r.started_at < l.finished_at "
                  "FROM step_log l, step_log r WHERE l.step = 'left' AND r.step = 'right'") == "t");
  CHECK(step_of(report, "right").rows_affected == 3);
  CHECK(step_of(report, "join").rows_affected == 4);
}

TEST_CASE("with one worker the same steps run one after the other") {
  WarehouseDatabase db;
  auto options = db.options("diamond");
  options.workers = 1;
  CHECK(build_warehouse(options).succeeded());
  CHECK(db.scalar("SELECT count(*) FROM step_log l, step_log r WHERE l.step < r.step "
                  "AND l.started_at < r.finished_at AND r.started_at < l.finished_at") == "0");
}

TEST_CASE("each step sees the run's batch id, mode and search_path as session settings") {
  WarehouseDatabase db;
  auto options = db.options("diamond");
  options.mode = RunMode::kFull;
  const auto report = build_warehouse(options);
  REQUIRE(report.succeeded());
  CHECK(report.mode == "full");
  CHECK(db.scalar("SELECT count(DISTINCT batch_id) FROM step_log") == "1");
  CHECK(db.scalar("SELECT min(batch_id) FROM step_log") == std::to_string(report.batch_id));
  CHECK(db.scalar("SELECT min(run_mode) FROM step_log") == "full");
  CHECK(db.scalar("SELECT min(search_path) FROM step_log") ==
        "\"Dw test\", \"Stg test\", ingest, public");
}

TEST_CASE("every run is a batch row with per-step duration, rows and attempts") {
  WarehouseDatabase db;
  const auto first = build_warehouse(db.options("diamond"));
  db.exec("DELETE FROM step_log");
  const auto second = build_warehouse(db.options("diamond"));
  CHECK(second.batch_id == first.batch_id + 1);
  const auto runs = WarehouseDatabase::dw("etl_runs");
  CHECK(db.scalar("SELECT string_agg(mode || ':' || status, ',' ORDER BY batch_id) FROM " + runs) ==
        "incremental:succeeded,incremental:succeeded");
  CHECK(db.scalar("SELECT bool_and(finished_at >= started_at) FROM " + runs) == "t");
  const auto steps = WarehouseDatabase::dw("etl_run_steps");
  CHECK(db.scalar("SELECT count(*) FROM " + steps +
                  " WHERE batch_id = " + std::to_string(second.batch_id) +
                  " AND status = 'succeeded' AND attempts = 1") == "4");
  CHECK(db.scalar("SELECT duration_ms >= 800 FROM " + steps +
                  " WHERE step = 'left' AND batch_id = " + std::to_string(second.batch_id)) == "t");
  CHECK(db.scalar("SELECT rows_affected FROM " + steps + " WHERE step = 'right' AND batch_id = " +
                  std::to_string(second.batch_id)) == "3");
}

TEST_CASE("a failing step stops its dependents, the others finish, and the run fails naming it") {
  WarehouseDatabase db;
  const auto report = build_warehouse(db.options("failing"));
  CHECK(report.status == "failed");
  CHECK(report.error.find("step bad failed") != std::string::npos);
  CHECK(report.error.find("division by zero") != std::string::npos);
  CHECK(step_of(report, "bad").status == "failed");
  CHECK(step_of(report, "bad").attempts == 1);  // a data error is not retried
  CHECK(step_of(report, "independent").status == "succeeded");
  CHECK(step_of(report, "after_bad").status == "skipped");
  CHECK(step_of(report, "after_after_bad").status == "skipped");
  // Only the steps that ran left a trace; bad's own work was rolled back.
  CHECK(db.scalar("SELECT string_agg(step, ',' ORDER BY step) FROM step_log") == "a,independent");
  const auto batch = std::to_string(report.batch_id);
  CHECK(db.scalar("SELECT status || ' ' || error FROM " + WarehouseDatabase::dw("etl_runs") +
                  " WHERE batch_id = " + batch)
            .find("failed step bad failed: ERROR:  division by zero") == 0);
  CHECK(db.scalar("SELECT string_agg(step || '=' || status, ',' ORDER BY step) FROM " +
                  WarehouseDatabase::dw("etl_run_steps") + " WHERE batch_id = " + batch) ==
        "a=succeeded,after_after_bad=skipped,after_bad=skipped,bad=failed,independent=succeeded");
  CHECK(db.scalar("SELECT error FROM " + WarehouseDatabase::dw("etl_run_steps") +
                  " WHERE step = 'after_bad'") == "not run: step bad failed");
}

TEST_CASE("a cyclic manifest is rejected before the database is touched") {
  WarehouseDatabase db;
  CHECK_THROWS_AS(build_warehouse(db.options("cycle")), dp::warehouse::ManifestError);
  CHECK(db.scalar("SELECT count(*) FROM " + WarehouseDatabase::dw("etl_runs")) == "0");
  CHECK(db.scalar("SELECT count(*) FROM step_log") == "0");
}

TEST_CASE("a serialization failure is retried and the retry succeeds") {
  WarehouseDatabase db;
  const auto report = build_warehouse(db.options("flaky"));
  CHECK(report.succeeded());
  CHECK(step_of(report, "flaky").attempts == 2);
  CHECK(step_of(report, "flaky").rows_affected == 3);
  CHECK(db.scalar("SELECT attempts FROM " + WarehouseDatabase::dw("etl_run_steps")) == "2");
  // The first attempt's work was rolled back: one row, from the second attempt.
  CHECK(db.scalar("SELECT count(*) FROM step_log WHERE finished_at IS NOT NULL") == "1");
}

TEST_CASE("without retries the same transient failure fails the run") {
  WarehouseDatabase db;
  auto options = db.options("flaky");
  options.retries = 0;
  const auto report = build_warehouse(options);
  CHECK(report.status == "failed");
  CHECK(report.error.find("simulated serialization failure") != std::string::npos);
  CHECK(report.error.find("SQLSTATE 40001") != std::string::npos);
}

TEST_CASE("a step whose connection is terminated mid-statement is retried on a new connection") {
  WarehouseDatabase db;
  auto options = db.options("retry");
  std::atomic<bool> stop{false};
  // Terminates the backend running the victim step, once.
  auto killer = std::async(std::launch::async, [&] {
    pqxx::connection admin(db.database().conninfo());
    while (!stop) {
      pqxx::nontransaction work(admin);
      const auto killed = work.exec(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          "WHERE query LIKE '%retry-victim-marker%' AND pid <> pg_backend_pid() "
          "AND state = 'active'");
      if (!killed.empty()) {
        return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  });
  const auto report = build_warehouse(options);
  stop = true;
  CHECK(killer.get());
  CHECK(report.succeeded());
  CHECK(step_of(report, "victim").attempts == 2);
  CHECK(step_of(report, "victim").rows_affected == 11);
  CHECK(db.scalar("SELECT count(*) FROM step_log") == "1");
  CHECK(db.scalar("SELECT attempts FROM " + WarehouseDatabase::dw("etl_run_steps")) == "2");
}

TEST_CASE("two concurrent runs never overlap: the second waits for the lock") {
  WarehouseDatabase db;
  auto first = std::async(std::launch::async, [&] { return build_warehouse(db.options("slow")); });
  wait_until_running(db, first);
  auto second = std::async(std::launch::async, [&] { return build_warehouse(db.options("slow")); });
  CHECK(first.wait_for(0ms) == std::future_status::timeout);  // the second started meanwhile
  const auto a = first.get();
  const auto b = second.get();
  CHECK(a.succeeded());
  CHECK(b.succeeded());
  CHECK(b.batch_id == a.batch_id + 1);
  CHECK(db.scalar("SELECT count(*) FROM step_log") == "2");
  CHECK(db.scalar("SELECT count(*) FROM step_log l, step_log r WHERE l.batch_id < r.batch_id "
                  "AND r.started_at < l.finished_at") == "0");
  const auto runs = WarehouseDatabase::dw("etl_runs");
  CHECK(db.scalar("SELECT (SELECT finished_at FROM " + runs + " WHERE batch_id = " +
                  std::to_string(a.batch_id) + ") <= (SELECT started_at FROM " + runs +
                  " WHERE batch_id = " + std::to_string(b.batch_id) + ")") == "t");
}

TEST_CASE("with pipeline_lock=fail a second run exits at once with a message naming the holder") {
  WarehouseDatabase db;
  auto first = std::async(std::launch::async, [&] { return build_warehouse(db.options("slow")); });
  wait_until_running(db, first);
  auto options = db.options("slow");
  options.lock = dp::config::PipelineLockPolicy::kFail;
  try {
    build_warehouse(options);
    FAIL("the second run started");
  } catch (const dp::warehouse::PipelineBusy& busy) {
    const std::string message = busy.what();
    CHECK(message.find("is being built by the pipeline run of batch 1 (incremental") !=
          std::string::npos);
    CHECK(message.find("pipeline_lock=fail") != std::string::npos);
  }
  CHECK(first.get().succeeded());
  CHECK(db.scalar("SELECT count(*) FROM " + WarehouseDatabase::dw("etl_runs")) == "1");
}

TEST_CASE("a run left 'running' by a dead process is marked failed by the next run") {
  WarehouseDatabase db;
  {
    // A runner that started a run and died: the server releases its lock with the session.
    pqxx::connection dead(db.database().conninfo());
    pqxx::work work(dead);
    work.exec("SET LOCAL search_path = \"Dw test\", \"Stg test\", ingest, public");
    work.exec("SELECT etl_begin_run('incremental')");
    work.commit();
  }
  const auto report = build_warehouse(db.options("diamond"));
  CHECK(report.succeeded());
  CHECK(db.scalar("SELECT status || ': ' || error FROM " + WarehouseDatabase::dw("etl_runs") +
                  " WHERE batch_id = 1") ==
        "failed: abandoned: the runner stopped before finishing");
}
