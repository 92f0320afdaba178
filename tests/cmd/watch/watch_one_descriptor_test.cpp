// End to end: one open file per load (issue 12, item 1). The hash, the header sniff and the
// rows come from one descriptor, and the file's identity is compared before the commit: a file
// appended to while it loads is rolled back and loaded once it has settled, a name renamed
// over and over never records one version's hash with another's rows, and a FIFO swapped in
// never blocks a worker.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <csignal>
#include <map>
#include <thread>

#include "core/util/sha256.hpp"
#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

TEST_CASE("one row appended while a 3M-row load copies: loaded once, with the appended row") {
  WatchFixture fx;
  fx.start();
  const auto staged = fx.outside() / "user_traffic_append.csv";
  write_large_user_traffic(staged, 3'000'000);
  const auto target = fx.imports() / "user_traffic_append.csv";
  fs::rename(staged, target);
  // Appended once the rows stream (a fixed 1.2 s was after the whole load once it got faster).
  REQUIRE(wait_until(
      [&] {
        return fx.count(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND state = 'active' AND query LIKE 'COPY %user_traffic%'") > 0;
      },
      60s));
  {
    std::ofstream out(target, std::ios::binary | std::ios::app);
    out << user_traffic_row(3'000'001);
  }
  CHECK(fx.wait_for("SELECT string_agg(status || ':' || rows_loaded, ',') FROM ingest.files",
                    "loaded:3000001", 300s));
  CHECK(wait_until([&] { return fs::exists(fx.processed() / "user_traffic_append.csv"); }, 30s));
  INFO("service output:\n" << fx.service_output());
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 3'000'001);
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic WHERE user_id = 4000001") == 1);
  // The append landed while the first attempt was loading: that attempt was rolled back.
  CHECK(fx.service_output().find("changed while loading") != std::string::npos);
  CHECK(fx.stop() == 0);
}

TEST_CASE("200 renames over one name while the service loads: each hash with its own rows") {
  WatchFixture fx;
  fx.start({"rescan_interval_s=1"});
  constexpr int kVersions = 200;
  constexpr std::uint64_t kRows = 2000;
  std::map<std::string, int> version_of_hash;
  for (int version = 0; version < kVersions; ++version) {
    const auto content = user_traffic_csv(kRows, static_cast<std::uint64_t>(version) * 10'000);
    version_of_hash[dp::util::sha256_hex(content)] = version;
    write_file(fx.outside() / ("v" + std::to_string(version)), content);
  }
  const auto target = fx.imports() / "user_traffic_race.csv";
  for (int version = 0; version < kVersions; ++version) {
    fs::rename(fx.outside() / ("v" + std::to_string(version)), target);
    std::this_thread::sleep_for(5ms);
  }
  // The last version stays in place and is loaded in the end.
  const auto last_hash = dp::util::sha256_hex(
      user_traffic_csv(kRows, static_cast<std::uint64_t>(kVersions - 1) * 10'000));
  CHECK(fx.wait_for(
      "SELECT count(*) FROM ingest.files WHERE status = 'loaded' AND sha256 = '" + last_hash + "'",
      "1", 120s));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 30s));
  INFO("service output:\n" << fx.service_output());

  pqxx::connection connection(fx.db().conninfo());
  pqxx::nontransaction work(connection);
  const auto loads = work.exec(
      "SELECT f.sha256, count(s.*), min(s.user_id), max(s.user_id) FROM ingest.files f "
      "LEFT JOIN staging.user_traffic s USING (file_id) WHERE f.status = 'loaded' "
      "GROUP BY f.file_id, f.sha256");
  MESSAGE(loads.size() << " of " << kVersions << " versions were loaded");
  std::set<int> loaded_versions;
  for (const auto& load : loads) {
    const auto found = version_of_hash.find(load[0].as<std::string>());
    REQUIRE(found != version_of_hash.end());
    const int version = found->second;
    CHECK(loaded_versions.insert(version).second);  // no version loaded twice
    // The rows recorded under this hash are that version's rows, all of them.
    CHECK(load[1].as<std::uint64_t>() == kRows);
    CHECK(load[2].as<std::uint64_t>() == 1'000'000 + static_cast<std::uint64_t>(version) * 10'000);
    CHECK(load[3].as<std::uint64_t>() ==
          1'000'000 + static_cast<std::uint64_t>(version) * 10'000 + kRows - 1);
  }
  CHECK(fx.count("SELECT count(*) FROM ingest.files WHERE status = 'duplicate'") == 0);
  CHECK(fx.stop() == 0);
}

TEST_CASE("a FIFO swapped in after the file was judged ready: quarantined, SIGTERM still exits") {
  WatchFixture fx;
  fx.start({"workers=1"});
  // The one worker is busy with a large file while the small one waits in the queue.
  write_large_user_traffic(fx.outside() / "user_traffic_big.csv", 1'000'000);
  fs::rename(fx.outside() / "user_traffic_big.csv", fx.imports() / "user_traffic_big.csv");
  REQUIRE(
      fx.wait_for("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND state = 'active' AND query LIKE 'COPY %'",
                  "1", 30s));
  fx.drop("user_traffic_swap.csv", user_traffic_csv(3, 5'000'000));
  std::this_thread::sleep_for(300ms);
  const auto fifo = fx.outside() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  fs::rename(fifo, fx.imports() / "user_traffic_swap.csv");

  CHECK(fx.wait_for("SELECT status FROM ingest.files WHERE original_name = 'user_traffic_big.csv'",
                    "loaded", 120s));
  CHECK(
      fx.wait_for("SELECT status || ':' || (error LIKE '%is a FIFO, not a regular file%') FROM "
                  "ingest.files WHERE original_name = 'user_traffic_swap.csv'",
                  "failed:true", 30s));
  CHECK(wait_until(
      [&] { return fs::is_fifo(fs::symlink_status(fx.failed() / "user_traffic_swap.csv")); }, 10s));
  // The worker is free: another file still loads, and the service stops on SIGTERM.
  fx.drop("user_traffic_after.csv", user_traffic_csv(2, 6'000'000));
  CHECK(
      fx.wait_for("SELECT status FROM ingest.files WHERE original_name = "
                  "'user_traffic_after.csv'",
                  "loaded"));
  INFO("service output:\n" << fx.service_output());
  CHECK(fx.service().terminate(10s) == 0);
}
