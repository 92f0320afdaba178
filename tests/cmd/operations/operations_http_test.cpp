// End to end: the running service's /metrics, /healthz and /readyz as a monitoring system sees
// them, after loading known files and while its database is stopped.
#include <doctest/doctest.h>

#include "tests/cmd/operations/operations_fixture.hpp"
#include "tests/support/stoppable_cluster.hpp"

using namespace dp::test;

TEST_CASE("/metrics counts the loaded and quarantined files and rows per pipeline") {
  WatchFixture fx;
  const int port = free_loopback_port();
  fx.start({"http_port=" + std::to_string(port), "http_bind=127.0.0.1"});
  fx.drop("user_traffic_a.csv", user_traffic_csv(10, 1));
  fx.drop("user_traffic_b.csv", user_traffic_csv(25, 100));
  // A header no kind knows: quarantined, counted under pipeline "none".
  fx.drop("mystery.csv", "alpha,beta\n1,2\n");
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "2", 30s));
  CHECK(wait_until(
      [&] {
        return fs::exists(fx.imports() / ".failed" / "mystery.csv") ||
               regular_files(fx.imports()).empty();
      },
      10s));

  std::vector<MetricSample> samples;
  CHECK(wait_until(
      [&] {
        const auto answer = http_get(port, "/metrics");
        samples = parse_metrics(answer.body);
        return answer.status == 200 &&
               metric_value(samples, "dataprocessor_files_total",
                            {{"pipeline", "user_traffic"}, {"outcome", "loaded"}}) == 2.0 &&
               metric_value(samples, "dataprocessor_files_total",
                            {{"pipeline", "none"}, {"outcome", "quarantined"}}) == 1.0;
      },
      10s));
  INFO("service output:\n" << fx.service_output());
  CHECK(metric_value(samples, "dataprocessor_rows_loaded_total", {{"pipeline", "user_traffic"}}) ==
        35.0);
  CHECK(metric_value(samples, "dataprocessor_load_duration_seconds_count") == 2.0);
  CHECK(metric_value(samples, "dataprocessor_files_total",
                     {{"pipeline", "user_traffic"}, {"outcome", "failed"}}) == std::nullopt);
  CHECK(metric_value(samples, "dataprocessor_queue_depth") == 0.0);
  CHECK(metric_value(samples, "dataprocessor_database_up").has_value());

  const auto health = http_get(port, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(http_get(port, "/nothing-here").status == 404);
  CHECK(fx.stop() == 0);
}

TEST_CASE("/readyz answers 200, then 503 with the reason while the database is stopped") {
  StoppableCluster private_cluster;
  auto& cluster = private_cluster.server();

  WatchFixture fx;
  const int port = free_loopback_port();
  fx.start({"http_port=" + std::to_string(port), "http_bind=127.0.0.1"},
           cluster.conninfo("postgres"));
  HttpAnswer ready;
  CHECK(wait_until(
      [&] {
        ready = http_get(port, "/readyz");
        return ready.status == 200;
      },
      10s));
  CHECK(ready.body == "ready\n");

  cluster.stop_for_test();
  HttpAnswer down;
  // The probe connects every 5 s; its cached answer changes within one period.
  CHECK(wait_until(
      [&] {
        down = http_get(port, "/readyz");
        return down.status == 503;
      },
      12s, 200ms));
  INFO("service output:\n" << fx.service_output());
  // What is wrong, and nothing about where or who: the port is reachable by whatever shares
  // the network, the detail is in the service's log.
  CHECK(down.body == "database unreachable\n");
  CHECK(down.body.find(cluster.socket_dir().string()) == std::string::npos);
  CHECK(down.body.find("user") == std::string::npos);
  CHECK(fx.service_output().find("readiness: database unreachable: ") != std::string::npos);
  // Liveness stays green: restarting the service would not bring the database back.
  CHECK(http_get(port, "/healthz").status == 200);
  CHECK(metric_value(parse_metrics(http_get(port, "/metrics").body), "dataprocessor_database_up") ==
        0.0);

  cluster.start();
  CHECK(wait_until([&] { return http_get(port, "/readyz").status == 200; }, 12s, 200ms));
  CHECK(fx.stop() == 0);
}
