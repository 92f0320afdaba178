// End to end: a load cut short by a crash or a shutdown leaves nothing half-done behind, and the
// next start loads the file exactly once.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

// Large enough that its COPY runs for seconds on a busy 2-core machine.
constexpr std::uint64_t kBigRows = 800'000;

/// Rows the server has taken from the running COPY into this database (pg_stat_progress_copy).
long long copy_progress(const WatchFixture& fx) {
  return fx.count(
      "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy "
      "WHERE datname = current_database()");
}

bool copy_running(const WatchFixture& fx) {
  return fx.count(
             "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
             "AND pid <> pg_backend_pid() AND query LIKE 'COPY%' AND state <> 'idle'") > 0;
}

/// Drops the big file and waits until a quarter of its rows have gone into the COPY.
fs::path drop_big_file_and_wait_for_copy(WatchFixture& fx) {
  const auto staged = fx.outside() / "user_traffic_big.csv";
  write_large_user_traffic(staged, kBigRows);
  const auto target = fx.imports() / "user_traffic_big.csv";
  fs::rename(staged, target);
  const bool under_way = wait_until(
      [&] { return copy_progress(fx) > static_cast<long long>(kBigRows / 4); }, 120s, 20ms);
  INFO("service output:\n" << fx.service_output());
  REQUIRE(under_way);
  REQUIRE(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'loaded'") == 0);
  if (std::getenv("PARALLEL_COPY_MIN_BYTES") != nullptr) {
    // The parallel variant (tests/CMakeLists.txt): the load really runs in parts.
    REQUIRE(fx.service_output().find("parts side by side") != std::string::npos);
  }
  return target;
}

/// After the restart: the file loads once, every line once, the ledger holds one loaded row.
void check_loaded_exactly_once(WatchFixture& fx) {
  CHECK(fx.wait_for("SELECT string_agg(status || ':' || rows_loaded, ',') FROM ingest.files",
                    "loaded:" + std::to_string(kBigRows), 180s));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == static_cast<long long>(kBigRows));
  CHECK(fx.count("SELECT count(*) FROM (SELECT file_id, line_no FROM staging.user_traffic "
                 "GROUP BY file_id, line_no HAVING count(*) > 1) twice") == 0);
  CHECK(fx.scalar("SELECT count(DISTINCT line_no) || ':' || min(line_no) || ':' || max(line_no) "
                  "FROM staging.user_traffic") ==
        std::to_string(kBigRows) + ":2:" + std::to_string(kBigRows + 1));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic s JOIN ingest.files f "
                 "USING (file_id) WHERE f.status = 'loaded'") == static_cast<long long>(kBigRows));
  CHECK(wait_until([&] { return fs::exists(fx.processed() / "user_traffic_big.csv"); }, 10s));
}

}  // namespace

TEST_CASE("kill -9 in the middle of a large load, then a restart: every row exactly once") {
  WatchFixture fx;
  fx.start();
  const auto file = drop_big_file_and_wait_for_copy(fx);
  CHECK(fx.service().kill_hard() == 128 + SIGKILL);

  // The server sees the client gone and rolls the unit of work back: no rows, no ledger row.
  CHECK(wait_until([&] { return !copy_running(fx); }, 30s, 50ms));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 0);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 0);
  CHECK(fs::exists(file));

  fx.start();
  check_loaded_exactly_once(fx);
  CHECK(fx.count("SELECT count(*) FROM ingest.files") == 1);
  CHECK(fx.stop() == 0);
}

TEST_CASE("SIGTERM during a large load exits 0, and the next start loads what is left once") {
  WatchFixture fx;
  fx.start();
  const auto file = drop_big_file_and_wait_for_copy(fx);
  const auto stopped_at = std::chrono::steady_clock::now();
  CHECK(fx.stop() == 0);
  const auto shutdown = std::chrono::steady_clock::now() - stopped_at;
  INFO("service output:\n" << fx.service_output());
  // A stop rolls back at the next COPY message instead of finishing a long file.
  CHECK(shutdown < 20s);
  const auto loaded = fx.count("SELECT count(*) FROM ingest.files WHERE status = 'loaded'");
  if (loaded == 0) {
    // Rolled back: nothing visible, the file still waiting in imports/.
    CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 0);
    CHECK(fs::exists(file));
  } else {
    // Finished: complete and archived.
    CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") ==
          static_cast<long long>(kBigRows));
    CHECK_FALSE(fs::exists(file));
  }
  CHECK(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'loading'") == 0);

  fx.start();
  check_loaded_exactly_once(fx);
  CHECK(fx.stop() == 0);
}
