// End to end: `--check FILE...` goes through the loading path but commits nothing, and prints
// what would load and what would be rejected.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "tests/cmd/ingest/ingest_fixture.hpp"

using namespace dp::test;

TEST_CASE("--check commits nothing and prints the would-be rejects") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_candidate.csv",
                                 traffic_csv(30, 1) + "31,1,2024-02-30T10:00:00Z,c\n" +
                                     traffic_rows(5, 40) + "41,1,2024-07-01T10:00:00Z\n");
  const auto run = fx.run({"--check", file.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("would load 35 rows into user_traffic, 2 rejected") != std::string::npos);
  CHECK(run.out.find("line 32:") != std::string::npos);
  CHECK(run.out.find("line 38:") != std::string::npos);
  // The schema exists (migrations ran), but no row, reject or ledger entry was committed.
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "0");
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files") == "0");
  CHECK(fx.scalar("SELECT count(*) FROM ingest.rejects") == "0");
  CHECK(fs::exists(file));
  CHECK_FALSE(fs::exists(fx.exports() / "rejects"));

  // Checking does not make the real load a duplicate.
  const auto load = fx.run({"--ingest", file.string()});
  INFO(describe(load));
  CHECK(load.exit_code == 0);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "35");
}

TEST_CASE("--check reports a file that would fail, and --limit applies to it too") {
  OneShotFixture fx;
  std::string mostly_bad = "user_id,source_id,referred_at,campaign_code\n";
  for (int i = 0; i < 10; ++i) {
    mostly_bad += "x" + std::to_string(i) + ",1,2024-07-01T10:00:00Z,c\n";
  }
  const auto bad = fx.data_file("user_traffic_bad.csv", mostly_bad);
  const auto run = fx.run({"--check", bad.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("would be failed") != std::string::npos);
  CHECK(run.out.find("max_reject_ratio") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files") == "0");

  const auto good = fx.data_file("user_traffic_long.csv", traffic_csv(100, 1));
  const auto limited = fx.run({"--check", "--limit", "7", good.string()});
  INFO(describe(limited));
  CHECK(limited.exit_code == 0);
  CHECK(limited.out.find("would load 7 rows") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files") == "0");
}

TEST_CASE("--check is a reader: it finishes while staging and the ledger refuse every write") {
  OneShotFixture fx;
  REQUIRE(fx.run({"--init-db"}).exit_code == 0);
  const auto file = fx.data_file("user_traffic_read_only.csv", traffic_csv(500, 1));
  // SHARE mode lets readers through and makes any INSERT or COPY wait; lock_timeout turns
  // such a wait into an error, so a --check that wrote anything would fail here.
  pqxx::connection holder(fx.conninfo());
  pqxx::work hold(holder);
  hold.exec0("LOCK TABLE staging.user_traffic, ingest.files, ingest.rejects IN SHARE MODE");
  const auto run = fx.run({"--check", file.string()}, {{"PGOPTIONS", "-c lock_timeout=3000"}});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("would load 500 rows into user_traffic, 0 rejected") != std::string::npos);
}
