// End to end: two replicas that both run the warehouse on a schedule. The pipeline's advisory
// lock lets one of them build at a time: batch ids follow each other, no two runs overlap, and
// a replica that finds the warehouse busy skips its tick instead of waiting on the lock.
#include <doctest/doctest.h>

#include <thread>

#include <pqxx/pqxx>

#include "tests/cmd/replicas/replica_fixture.hpp"

using namespace dp::test;

TEST_CASE("two replicas with scheduled warehouse runs: runs never overlap, batch ids in order") {
  ReplicaFixture replicas;
  auto& fx = replicas.fx;
  const std::vector<std::string> schedule{"pipeline_interval=1s", "pipeline_retry_delay_s=0"};
  replicas.start("w1", schedule);
  replicas.start("w2", schedule);
  for (int i = 0; i < 12; ++i) {
    fx.drop("user_traffic_tick_" + std::to_string(i) + ".csv",
            user_traffic_csv(50, static_cast<std::uint64_t>(i) * 1000 + 1));
    std::this_thread::sleep_for(500ms);
  }
  REQUIRE(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "12", 30s));
  // Long enough for both to have ticked many times after the last file.
  REQUIRE(wait_until(
      [&] {
        return fx.count("SELECT count(*) FROM datawarehouse.etl_runs WHERE status <> 'running'") >=
               12;
      },
      60s));
  CHECK(replicas.replica("w1").terminate() == 0);
  CHECK(replicas.replica("w2").terminate() == 0);

  INFO(replicas.all_output());
  const auto runs = fx.count("SELECT count(*) FROM datawarehouse.etl_runs");
  CHECK(fx.count("SELECT count(*) FROM datawarehouse.etl_runs WHERE status <> 'succeeded'") == 0);
  // Strictly sequential: batch ids 1..n without a gap, each run started after the previous ended.
  CHECK(fx.count("SELECT max(batch_id) - min(batch_id) + 1 FROM datawarehouse.etl_runs") == runs);
  CHECK(fx.count("SELECT count(*) FROM (SELECT started_at, lag(finished_at) OVER "
                 "(ORDER BY batch_id) AS previous_end FROM datawarehouse.etl_runs) r "
                 "WHERE started_at < previous_end") == 0);
  // Both replicas ran some of them; every loaded file reached the warehouse exactly once.
  const auto output = replicas.all_output(1 << 24);
  CHECK(fx.count("SELECT count(*) FROM datawarehouse.etl_batch_files") == 12);
  CHECK(fx.count("SELECT count(DISTINCT file_id) FROM datawarehouse.etl_batch_files") == 12);
  CHECK(output.find("waiting for") == std::string::npos);
  CHECK(output.find(" error [") == std::string::npos);
  CHECK(output.find("scheduled warehouse run failed") == std::string::npos);
  std::size_t skipped = 0;
  for (auto at = output.find("scheduled warehouse run skipped"); at != std::string::npos;
       at = output.find("scheduled warehouse run skipped", at + 1)) {
    ++skipped;
  }
  MESSAGE(runs << " scheduled runs by two replicas; " << skipped
               << " tick(s) skipped because the other replica was building");
}
