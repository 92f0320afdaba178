// End to end: a process killed with SIGKILL between PREPARE TRANSACTION of a parallel load's
// parts and their COMMIT PREPARED leaves prepared parts; the next start ends them as the ledger
// says, and every row of the file is in staging exactly once. The kill is real: the binary's
// test-only DP_TEST_KILL_AT hook raises SIGKILL at the named point.
#include <doctest/doctest.h>

#include <csignal>

#include "tests/cmd/ingest/ingest_fixture.hpp"

using namespace dp::test;

namespace {

constexpr int kRows = 20000;

std::string prepared(const OneShotFixture& fx) {
  return fx.scalar(
      "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database() "
      "AND gid LIKE 'dataprocessor_load_%'");
}

/// Every line of the file once in staging, under one loaded ledger row.
void check_loaded_exactly_once(const OneShotFixture& fx) {
  CHECK(prepared(fx) == "0");
  CHECK(fx.scalar("SELECT string_agg(status || ':' || rows_loaded, ',') FROM ingest.files "
                  "WHERE status = 'loaded'") == "loaded:" + std::to_string(kRows));
  CHECK(fx.scalar("SELECT count(*) || ':' || count(DISTINCT line_no) || ':' || min(line_no) || "
                  "':' || max(line_no) FROM staging.user_traffic") ==
        std::to_string(kRows) + ":" + std::to_string(kRows) + ":2:" + std::to_string(kRows + 1));
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic s JOIN ingest.files f "
                  "USING (file_id) WHERE f.status = 'loaded'") == std::to_string(kRows));
}

/// The part tables (inheritance children) of the staging table.
std::string part_tables(const OneShotFixture& fx) {
  return fx.scalar(
      "SELECT count(*) FROM pg_inherits WHERE inhparent = 'staging.user_traffic'::regclass");
}

}  // namespace

TEST_CASE(
    "kill -9 after the parts are prepared, before the ledger's commit: rolled back, loaded once") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic.csv", traffic_csv(kRows));
  const auto killed = fx.run({"--ingest", file.string(), "--set", "parallel_copy_min_bytes=0"},
                             {{"DP_TEST_KILL_AT", "parts_prepared"}});
  INFO(describe(killed));
  CHECK(killed.exit_code == 128 + SIGKILL);
  CHECK(killed.err.find("copying 2 parts side by side") != std::string::npos);
  // The ledger's transaction died with the process; the other part waits prepared, unseen.
  CHECK(prepared(fx) == "1");
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files") == "0");
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "0");
  // Its part tables were committed empty before the rows streamed.
  CHECK(part_tables(fx) == "2");

  const auto again = fx.run({"--ingest", file.string(), "--set", "parallel_copy_min_bytes=0"});
  INFO(describe(again));
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("0 prepared part(s) of stopped parallel loads committed, 1 rolled back") !=
        std::string::npos);
  CHECK(again.out.find("loaded " + std::to_string(kRows) + " rows") != std::string::npos);
  CHECK(again.err.find("dropped 2 empty part table(s) of stopped parallel loads") !=
        std::string::npos);
  check_loaded_exactly_once(fx);
  // Only the new load's part tables are left, and they hold all of its rows.
  CHECK(part_tables(fx) == "2");
  CHECK(fx.scalar("SELECT count(*) FROM ONLY staging.user_traffic") == "0");
}

TEST_CASE(
    "kill -9 after the ledger's commit, before COMMIT PREPARED: committed at the next start") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic.csv", traffic_csv(kRows));
  const auto killed = fx.run({"--ingest", file.string(), "--set", "parallel_copy_min_bytes=0"},
                             {{"DP_TEST_KILL_AT", "ledger_committed"}});
  INFO(describe(killed));
  CHECK(killed.exit_code == 128 + SIGKILL);
  // Decided: the ledger says loaded, part 0's rows are visible, the other part is prepared.
  CHECK(prepared(fx) == "1");
  CHECK(fx.scalar("SELECT string_agg(status, ',') FROM ingest.files") == "loaded");
  const auto visible = std::stoi(fx.scalar("SELECT count(*) FROM staging.user_traffic"));
  CHECK(visible > 0);
  CHECK(visible < kRows);
  // No warehouse batch takes the file while a part of it is prepared (V012).
  const auto batch = fx.scalar("SELECT datawarehouse.etl_begin_run('incremental')");
  CHECK(fx.scalar("SELECT count(*) FROM datawarehouse.etl_batch_files WHERE batch_id = " + batch) ==
        "0");

  const auto again = fx.run({"--ingest", file.string()});
  INFO(describe(again));
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("1 prepared part(s) of stopped parallel loads committed, 0 rolled back") !=
        std::string::npos);
  CHECK(again.out.find("duplicate") != std::string::npos);
  check_loaded_exactly_once(fx);
}

TEST_CASE("without the kill hook set the parallel load commits in one go") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic.csv", traffic_csv(kRows));
  const auto run = fx.run({"--ingest", file.string(), "--set", "parallel_copy_min_bytes=0", "--set",
                           "parallel_copy_streams=3"});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("copying 3 parts side by side") != std::string::npos);
  check_loaded_exactly_once(fx);
}
