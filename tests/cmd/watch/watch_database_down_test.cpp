// End to end: while the database is down, files wait in imports/ and the service keeps running;
// when it returns, every file loads.
#include <doctest/doctest.h>

#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"
#include "tests/support/stoppable_cluster.hpp"

using namespace dp::test;

TEST_CASE("the database stopped while files arrive, then started: every file loads") {
  StoppableCluster private_cluster;
  auto& cluster = private_cluster.server();
  const auto conninfo = cluster.conninfo("postgres");

  WatchFixture fx;
  fx.query_database(conninfo);
  fx.start({}, conninfo);
  fx.drop("user_traffic_before.csv", user_traffic_csv(10, 1));
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "1"));

  cluster.stop_for_test();
  for (int i = 1; i <= 3; ++i) {
    fx.drop("user_traffic_during_" + std::to_string(i) + ".csv",
            user_traffic_csv(20, 1000 * static_cast<std::uint64_t>(i)));
  }
  // Several retry rounds (db_retry_max_delay_s=1) while the server is away.
  std::this_thread::sleep_for(4s);
  INFO("service output:\n" << fx.service_output());
  CHECK(fx.service().running());
  CHECK(regular_files(fx.imports()) == std::set<std::string>{"user_traffic_during_1.csv",
                                                             "user_traffic_during_2.csv",
                                                             "user_traffic_during_3.csv"});
  CHECK_FALSE(fs::exists(fx.failed()));
  CHECK(fx.service_output().find("retried") != std::string::npos);

  cluster.start();
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "4", 60s));
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 4);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 70);
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  CHECK(regular_files(fx.processed()).size() == 4);
  CHECK_FALSE(fs::exists(fx.failed()));
  CHECK(fx.stop() == 0);
}
