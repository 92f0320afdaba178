// End to end: `--ingest FILE...` loads the named files once, leaves them where they are, and
// exits 0 only when every one of them loaded.
#include <doctest/doctest.h>

#include "tests/cmd/ingest/ingest_fixture.hpp"

using namespace dp::test;

TEST_CASE("--ingest loads the named files, leaves them in place and exits 0") {
  OneShotFixture fx;
  const auto first = fx.data_file("user_traffic_a.csv", traffic_csv(10, 1));
  const auto second = fx.data_file("user_traffic_b.csv", traffic_csv(25, 100));
  const auto run = fx.run({"--ingest", first.string(), second.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("loaded 10 rows into user_traffic") != std::string::npos);
  CHECK(run.out.find("loaded 25 rows into user_traffic") != std::string::npos);
  CHECK(fs::exists(first));
  CHECK(fs::exists(second));
  CHECK_FALSE(fs::exists(fx.imports() / ".processed"));
  CHECK(fx.scalar("SELECT string_agg(original_name || ':' || status || ':' || rows_loaded, ',' "
                  "ORDER BY file_id) FROM ingest.files") ==
        "user_traffic_a.csv:loaded:10,user_traffic_b.csv:loaded:25");
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "35");

  // The same files again: duplicates, nothing loaded twice, still a success.
  const auto again = fx.run({"--ingest", first.string()});
  INFO(describe(again));
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("duplicate") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "35");
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files WHERE status = 'duplicate'") == "1");
}

TEST_CASE("--ingest exits 1 when a file does not load, and still loads the others") {
  OneShotFixture fx;
  const auto good = fx.data_file("user_traffic_good.csv", traffic_csv(8, 1));
  const auto empty = fx.data_file("user_traffic_empty.csv", "");
  const auto unknown = fx.data_file("no_such_kind.csv", "a,b\n1,2\n");
  const auto run = fx.run({"--ingest", empty.string(), good.string(), unknown.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("user_traffic_empty.csv: failed") != std::string::npos);
  CHECK(run.out.find("no_such_kind.csv: quarantined") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "8");
  // Named files stay where they are, whatever their outcome.
  CHECK(fs::exists(good));
  CHECK(fs::exists(empty));
  CHECK(fs::exists(unknown));
  CHECK_FALSE(fs::exists(fx.imports() / ".failed"));

  const auto missing = fx.run({"--ingest", (fx.root() / "data" / "not_there.csv").string()});
  INFO(describe(missing));
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.find("not_there.csv") != std::string::npos);
}

TEST_CASE("--ingest of a file with rejects loads the good rows and exports the rejects") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_rejects.csv",
                                 traffic_csv(20, 1) + "12x,1,2024-07-01T10:00:00Z,c\n");
  const auto run = fx.run({"--ingest", file.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("loaded 20 rows into user_traffic, 1 rejected") != std::string::npos);
  CHECK(run.out.find("line 22") != std::string::npos);
  const auto exported = fx.exports() / "rejects" / "user_traffic_rejects.csv.rejects.csv";
  CHECK(read_file_text(exported).find("12x") != std::string::npos);
  CHECK(fx.scalar("SELECT line || ':' || column_name FROM ingest.rejects") == "22:user_id");
}

TEST_CASE("--limit N loads only the first N data rows") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_trial.csv", traffic_csv(40, 1));
  const auto run = fx.run({"--ingest", "--limit", "5", file.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("loaded 5 rows") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) || ':' || max(line_no) FROM staging.user_traffic") == "5:6");
  CHECK(fx.scalar("SELECT rows_loaded FROM ingest.files") == "5");

  const auto zero = fx.run({"--ingest", "--limit", "0", file.string()});
  INFO(describe(zero));
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--limit") != std::string::npos);
}

TEST_CASE("a trial load with --limit does not stop the whole file from loading later") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_new_feed.csv", traffic_csv(40, 1));
  const auto trial = fx.run({"--ingest", "--limit", "5", file.string()});
  INFO(describe(trial));
  CHECK(trial.exit_code == 0);
  CHECK(trial.out.find("trial load") != std::string::npos);
  CHECK(fx.scalar("SELECT status FROM ingest.files") == "trial");
  // The real load of the same bytes: its 35 other rows must not be lost as a "duplicate" of a
  // load that read only 5 of them.
  const auto full = fx.run({"--ingest", file.string()});
  INFO(describe(full));
  CHECK(full.exit_code == 0);
  CHECK(full.out.find("duplicate") == std::string::npos);
  // Each row once: the trial's 5 rows left staging when the full load committed.
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "40");
  CHECK(fx.scalar("SELECT count(DISTINCT line_no) FROM staging.user_traffic") == "40");
  CHECK(fx.scalar("SELECT string_agg(status || ':' || rows_loaded || ':' || "
                  "coalesce(row_limit::text, '-') || ':' || coalesce(superseded_by::text, '-'), "
                  "' ' ORDER BY file_id) FROM ingest.files") == "superseded:5:5:2 loaded:40:-:-");
  // A second full load of the same bytes is a duplicate again.
  const auto again = fx.run({"--ingest", file.string()});
  INFO(describe(again));
  CHECK(again.out.find("duplicate") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "40");
}
