// End to end: the ledger remembers content, not names.
#include <doctest/doctest.h>

#include <thread>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

TEST_CASE("the same bytes under two names: one load and one duplicate") {
  WatchFixture fx;
  fx.start();
  const auto content = user_traffic_csv(120);
  fx.drop("user_traffic_monday.csv", content);
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "1"));
  fx.drop("user_traffic_monday_copy.csv", content);
  CHECK(
      fx.wait_for("SELECT string_agg(original_name || ':' || status, ',' ORDER BY file_id) "
                  "FROM ingest.files",
                  "user_traffic_monday.csv:loaded,user_traffic_monday_copy.csv:duplicate"));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 120);
  CHECK(fx.scalar("SELECT d.duplicate_of = l.file_id FROM ingest.files d, ingest.files l "
                  "WHERE d.status = 'duplicate' AND l.status = 'loaded'") == "t");
  // Both leave imports/ for .processed/: the duplicate was decided, not lost.
  CHECK(wait_until(
      [&] {
        return regular_files(fx.processed()) ==
               std::set<std::string>{"user_traffic_monday.csv", "user_traffic_monday_copy.csv"};
      },
      10s));
  CHECK(fx.stop() == 0);
}

TEST_CASE("changed bytes under the same name: two loads, and the archive never overwrites") {
  WatchFixture fx;
  fx.start();
  fx.drop("user_traffic_daily.csv", user_traffic_csv(30, 1));
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "1"));
  CHECK(wait_until([&] { return regular_files(fx.imports()).empty(); }, 10s));
  fx.drop("user_traffic_daily.csv", user_traffic_csv(45, 1000));
  CHECK(
      fx.wait_for("SELECT string_agg(original_name || ':' || status || ':' || rows_loaded, ',' "
                  "ORDER BY file_id) FROM ingest.files",
                  "user_traffic_daily.csv:loaded:30,user_traffic_daily.csv:loaded:45"));
  CHECK(fx.count("SELECT count(*) FROM staging.user_traffic") == 75);
  CHECK(fx.count("SELECT count(DISTINCT file_id) FROM staging.user_traffic") == 2);
  // The second file took a numbered name beside the first instead of replacing it.
  CHECK(wait_until(
      [&] {
        return regular_files(fx.processed()) ==
               std::set<std::string>{"user_traffic_daily.csv", "user_traffic_daily-1.csv"};
      },
      10s));
  CHECK(read_file_text(fx.processed() / "user_traffic_daily.csv") == user_traffic_csv(30, 1));
  CHECK(read_file_text(fx.processed() / "user_traffic_daily-1.csv") == user_traffic_csv(45, 1000));
  CHECK(fx.stop() == 0);
}
