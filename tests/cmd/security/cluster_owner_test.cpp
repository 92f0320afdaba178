// End to end: the embedded cluster has one owner. An --ingest that started it does not take it
// away from a watcher that attached meanwhile.
#include <doctest/doctest.h>

#include "core/db/embedded_postgres.hpp"
#include "tests/cmd/operations/operations_fixture.hpp"

using namespace dp::test;

TEST_CASE("--ingest leaves the embedded cluster running for a watcher that uses it") {
  WatchFixture fx;
  const auto data_dir = fx.root() / "var";
  const auto big = fx.outside() / "user_traffic_big.csv";
  // Large enough that the load still runs when the watcher attaches (1.5M rows took 1.1 s once
  // staging lost its per-row key).
  write_large_user_traffic(big, 6'000'000);
  const std::vector<std::string> folders{"--set", "data_dir=" + data_dir.string(),
                                         "--set", "logs_dir=" + (fx.root() / "logs").string(),
                                         "--set", "exports_dir=" + fx.exports().string()};
  ProcessSpec ingest_spec;
  ingest_spec.args = {"--ingest", big.string()};
  ingest_spec.args.insert(ingest_spec.args.end(), folders.begin(), folders.end());
  ingest_spec.working_dir = fx.root();
  ingest_spec.output_file = fx.root() / "ingest.log";
  ServiceProcess ingest(ingest_spec);
  // Past its set-up (database, migrations, staging tables), into the long COPY.
  REQUIRE(ingest.wait_for_output("migrations", 120s));
  std::this_thread::sleep_for(200ms);

  // The watcher on the same data_dir finds the cluster running and reuses it.
  const int port = free_loopback_port();
  ProcessSpec watch_spec;
  watch_spec.args = fx.args({"http_port=" + std::to_string(port), "http_bind=127.0.0.1"});
  watch_spec.working_dir = fx.root();
  watch_spec.output_file = fx.root() / "watch.log";
  ServiceProcess watcher(watch_spec);
  INFO("watcher output:\n" << watcher.output());
  INFO("ingest output:\n" << ingest.output());
  REQUIRE(watcher.wait_for_output(" workers", 60s));
  CHECK(watcher.output().find("reusing it") != std::string::npos);
  REQUIRE_MESSAGE(ingest.running(), "the --ingest finished before the watcher attached");

  CHECK(ingest.wait_for_exit(300s) == 0);
  CHECK(ingest.output().find("left running") != std::string::npos);
  // The probe runs every 5 s: two periods later the watcher is still ready and still loads.
  std::this_thread::sleep_for(11s);
  CHECK(http_get(port, "/readyz").status == 200);
  fx.drop("user_traffic_after.csv", user_traffic_csv(10, 5'000'000));
  CHECK(wait_until([&] { return fs::exists(fx.processed() / "user_traffic_after.csv"); }, 60s));
  CHECK(watcher.terminate() == 0);
  CHECK(watcher.output().find("embedded PostgreSQL stopped") == std::string::npos);

  // Nobody owns it now: stop it so it does not outlive the test's folder.
  dp::db::EmbeddedPostgresOptions options;
  options.root = data_dir;
  dp::db::EmbeddedPostgres cluster(options);
  cluster.start();
  cluster.adopt_for_test();
  cluster.stop_for_test();
}
