// End to end: notifications of the running service and of `--pipeline`, delivered to a loopback
// webhook: stale files, scheduled warehouse runs with their retry, and the pipeline lock.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "tests/cmd/operations/operations_fixture.hpp"

using namespace dp::test;

namespace {

std::string webhook_url(const NotifyTestServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/hook";
}

bool has_event(const NotifyTestServer& server, const std::string& name) {
  const auto names = webhook_event_names(server);
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The first webhook body with this event name (REQUIREs that there is one).
nlohmann::json first_event(const NotifyTestServer& server, const std::string& name) {
  for (const auto& event : webhook_events(server)) {
    if (event.at("event") == name) {
      return event;
    }
  }
  FAIL("no " << name << " event");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a file left open in imports/ past stale_after gives exactly one webhook alert") {
  NotifyTestServer webhook(EndpointBehaviour::kAnswer200);
  WatchFixture fx;
  fx.start({"stale_after=2s", "webhook_url=" + webhook_url(webhook)});
  // A writer that never finishes: the file stays pending however long the test waits.
  const auto path = fx.imports() / "user_traffic_unfinished.csv";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  const std::string partial = std::string(kUserTrafficHeader) + "1000001,1,2024-0";
  REQUIRE(::write(fd, partial.data(), partial.size()) == static_cast<ssize_t>(partial.size()));

  // Stale after 2 s, noticed by the next 5-second check.
  CHECK(wait_until([&] { return !webhook.received().empty(); }, 12s, 100ms));
  // One more check period: the same file is not reported again.
  std::this_thread::sleep_for(6s);
  ::close(fd);
  INFO("service output:\n" << fx.service_output());
  const auto events = webhook_events(webhook);
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("event") == "stale_file");
  CHECK(events[0].at("subject") == "user_traffic_unfinished.csv");
  CHECK(contains(events[0].at("text").get<std::string>(), "stale file in imports/"));
  CHECK(contains(fx.service_output(), "without being loaded (stale_after)"));
  CHECK(fx.stop() == 0);
}

TEST_CASE("a scheduled warehouse run that fails is retried after pipeline_retry_delay_s") {
  NotifyTestServer webhook(EndpointBehaviour::kAnswer200);
  WarehouseSqlFolder sql("gated");
  WatchFixture fx;
  const int port = free_loopback_port();
  fx.start({"sql_dir=" + sql.path().string(), "pipeline_interval=1s", "pipeline_retries=1",
            "pipeline_retry_delay_s=3s", "webhook_url=" + webhook_url(webhook),
            "http_port=" + std::to_string(port), "http_bind=127.0.0.1"});

  // The first run fails at step gate (its table does not exist yet).
  CHECK(wait_until([&] { return has_event(webhook, "warehouse_failed"); }, 10s, 20ms));
  fx.db().exec("CREATE TABLE public.warehouse_gate (id int)");
  CHECK(wait_until([&] { return has_event(webhook, "warehouse_succeeded"); }, 10s));
  INFO("service output:\n" << fx.service_output());

  const auto names = webhook_event_names(webhook);
  REQUIRE(names.size() >= 4);
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 4) ==
        std::vector<std::string>{"warehouse_started", "warehouse_failed", "warehouse_started",
                                 "warehouse_succeeded"});
  const auto failed = first_event(webhook, "warehouse_failed");
  CHECK(failed.at("subject") == "batch 1");
  CHECK(contains(failed.at("detail").get<std::string>(), "step gate failed"));
  CHECK(contains(failed.at("detail").get<std::string>(), "warehouse_gate"));
  const auto succeeded = first_event(webhook, "warehouse_succeeded");
  CHECK(succeeded.at("subject") == "batch 2");
  CHECK(contains(succeeded.at("detail").get<std::string>(), "7 rows written"));

  CHECK(fx.scalar("SELECT status FROM datawarehouse.etl_runs WHERE batch_id = 1") == "failed");
  CHECK(fx.scalar("SELECT status FROM datawarehouse.etl_runs WHERE batch_id = 2") == "succeeded");
  // The retry waited for the retry delay (3 s), not for the next tick (1 s).
  const auto gap =
      std::stod(fx.scalar("SELECT extract(epoch FROM b.started_at - a.finished_at) FROM "
                          "datawarehouse.etl_runs a, datawarehouse.etl_runs b "
                          "WHERE a.batch_id = 1 AND b.batch_id = 2"));
  CHECK(gap >= 2.9);
  CHECK(gap < 8.0);

  const auto samples = parse_metrics(http_get(port, "/metrics").body);
  CHECK(metric_value(samples, "dataprocessor_warehouse_last_run_success") == 1.0);
  CHECK(metric_value(samples, "dataprocessor_warehouse_last_run_timestamp_seconds").value_or(0) >
        0);
  CHECK(metric_value(samples, "dataprocessor_notifications_sent_total", {{"channel", "webhook"}})
            .value_or(0) >= 4);

  const auto stopping = std::chrono::steady_clock::now();
  CHECK(fx.stop() == 0);
  const auto stop_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count();
  MESSAGE("SIGTERM to exit with a 1 s schedule: " << stop_seconds << " s");
  CHECK(stop_seconds < 10);
}

TEST_CASE("a scheduled tick that finds the pipeline lock held is skipped, not queued") {
  WarehouseSqlFolder sql("gated");
  WatchFixture fx;
  fx.db().exec("CREATE TABLE public.warehouse_gate (id int)");
  // What a manual --pipeline run holds while it builds the warehouse.
  pqxx::connection holder(fx.db().conninfo());
  pqxx::nontransaction(holder).exec(
      "SELECT pg_advisory_lock(hashtextextended('dataprocessor pipeline datawarehouse', 0))");
  fx.start({"sql_dir=" + sql.path().string(), "pipeline_interval=1s"});
  CHECK(fx.service().wait_for_output("scheduled warehouse run skipped", 10s));
  INFO("service output:\n" << fx.service_output());
  CHECK(fx.count("SELECT count(*) FROM datawarehouse.etl_runs") == 0);
  pqxx::nontransaction(holder).exec(
      "SELECT pg_advisory_unlock(hashtextextended('dataprocessor pipeline datawarehouse', 0))");
  CHECK(fx.wait_for("SELECT count(*) > 0 FROM datawarehouse.etl_runs WHERE status = 'succeeded'",
                    "t", 10s));
  CHECK(fx.stop() == 0);
}

TEST_CASE("--pipeline delivers started and succeeded, or failed with the step, before it exits") {
  NotifyTestServer webhook(EndpointBehaviour::kAnswer200);
  WarehouseSqlFolder sql("gated");
  TestDatabase db;
  TempDir dir;
  ProcessSpec spec;
  spec.args = {"--pipeline",
               "--set",
               "sql_dir=" + sql.path().string(),
               "--set",
               "webhook_url=" + webhook_url(webhook),
               "--set",
               "http_port=0",
               "--set",
               "logs_dir=" + dir.path().string()};
  spec.working_dir = dir.path();
  spec.output_file = dir.path() / "pipeline.out";
  spec.env = {{"DB_STRING", db.conninfo()}};

  auto result = run_to_completion(spec, 60s);
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  CHECK(result.exit_code == 1);
  // Delivered before the process ended: no waiting here.
  CHECK(webhook_event_names(webhook) ==
        std::vector<std::string>{"warehouse_started", "warehouse_failed"});
  CHECK(contains(first_event(webhook, "warehouse_failed").at("detail").get<std::string>(),
                 "step gate failed"));

  db.exec("CREATE TABLE public.warehouse_gate (id int)");
  const auto started = std::chrono::steady_clock::now();
  result = run_to_completion(spec, 60s);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(result.exit_code == 0);
  MESSAGE("--pipeline with webhook notifications took " << seconds << " s");
  const auto names = webhook_event_names(webhook);
  REQUIRE(names.size() == 4);
  CHECK(names[2] == "warehouse_started");
  CHECK(names[3] == "warehouse_succeeded");
  CHECK(webhook_events(webhook)[3].at("subject") == "batch 2");
}

TEST_CASE("a webhook that never answers slows neither loading nor a clean stop past its bound") {
  NotifyTestServer webhook(EndpointBehaviour::kHang);
  WatchFixture fx;
  fx.start({"notify_on_success=true", "webhook_url=" + webhook_url(webhook)});
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    fx.drop("user_traffic_hang_" + std::to_string(i) + ".csv",
            user_traffic_csv(50, 1000 * static_cast<std::uint64_t>(i + 1)));
  }
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "10", 30s));
  const auto load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("10 files loaded in " << load_seconds << " s with a hanging webhook");
  CHECK(load_seconds < 15);
  // The first message hangs; the others wait in the bounded queue.
  CHECK(wait_until([&] { return webhook.received().size() == 1; }, 5s));

  const auto stopping = std::chrono::steady_clock::now();
  CHECK(fx.stop() == 0);
  const auto stop_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count();
  MESSAGE("SIGTERM to exit with a hanging webhook: " << stop_seconds << " s");
  // Bounded by the notifier's shutdown drain (5 s), inside docker's 10 s stop timeout; not by
  // the delivery timeout (10 s) nor by the queue's length.
  CHECK(stop_seconds < 8);
}

TEST_CASE("SIGTERM during a scheduled run lets it finish, announces it, and exits 0") {
  NotifyTestServer webhook(EndpointBehaviour::kAnswer200);
  WarehouseSqlFolder sql("slow");
  WatchFixture fx;
  fx.db().exec(
      "CREATE TABLE public.step_log (step text NOT NULL, started_at timestamptz NOT NULL, "
      "finished_at timestamptz, batch_id text, run_mode text, search_path text)");
  fx.start({"sql_dir=" + sql.path().string(), "pipeline_interval=1s",
            "webhook_url=" + webhook_url(webhook)});
  REQUIRE(wait_until([&] { return has_event(webhook, "warehouse_started"); }, 10s, 20ms));
  // The run's only step sleeps 1 s: it is in flight now.
  const auto stopping = std::chrono::steady_clock::now();
  CHECK(fx.stop() == 0);
  const auto stop_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count();
  MESSAGE("SIGTERM to exit during a 1 s scheduled run: " << stop_seconds << " s");
  INFO("service output:\n" << fx.service_output());
  CHECK(stop_seconds < 5);
  CHECK(fx.scalar("SELECT string_agg(status, ',' ORDER BY batch_id) FROM "
                  "datawarehouse.etl_runs") == "succeeded");
  CHECK(webhook_event_names(webhook) ==
        std::vector<std::string>{"warehouse_started", "warehouse_succeeded"});
}
