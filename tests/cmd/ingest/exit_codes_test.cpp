// End to end: bad usage and bad configuration exit with code 2 and a message that says what is
// wrong, before any work is done.
#include <doctest/doctest.h>

#include "tests/cmd/ingest/ingest_fixture.hpp"

using namespace dp::test;

TEST_CASE("an unknown flag exits 2 and names the flag") {
  OneShotFixture fx;
  const auto run = fx.run({"--ingest", "--frobnicate", "x.csv"});
  INFO(describe(run));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("--frobnicate") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'ingest'") == "0");
}

TEST_CASE("two modes, or an option of another mode, exit 2 naming them") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_a.csv", traffic_csv(3, 1));
  const auto two_modes = fx.run({"--ingest", "--check", file.string()});
  INFO(describe(two_modes));
  CHECK(two_modes.exit_code == 2);
  CHECK(two_modes.err.find("--ingest") != std::string::npos);
  CHECK(two_modes.err.find("--check") != std::string::npos);

  const auto foreign = fx.run({"--ingest", "--full", file.string()});
  INFO(describe(foreign));
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("--full") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'ingest'") == "0");
}

TEST_CASE("a bad setting exits 2 naming the key, from the command line or the environment") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_a.csv", traffic_csv(3, 1));

  const auto bad_number = fx.run({"--ingest", file.string(), "--set", "workers=many"});
  INFO(describe(bad_number));
  CHECK(bad_number.exit_code == 2);
  CHECK(bad_number.err.find("workers") != std::string::npos);

  const auto bad_bool = fx.run({"--ingest", file.string()}, {{"DEV", "maybe"}});
  INFO(describe(bad_bool));
  CHECK(bad_bool.exit_code == 2);
  CHECK(bad_bool.err.find("dev") != std::string::npos);

  const auto bad_ratio = fx.run({"--ingest", file.string(), "--set", "max_reject_ratio=2"});
  INFO(describe(bad_ratio));
  CHECK(bad_ratio.exit_code == 2);
  CHECK(bad_ratio.err.find("max_reject_ratio") != std::string::npos);

  const auto unknown_key = fx.run({"--ingest", file.string(), "--set", "setle_ms=100"});
  INFO(describe(unknown_key));
  CHECK(unknown_key.exit_code == 2);
  CHECK(unknown_key.err.find("setle_ms") != std::string::npos);

  // Nothing was loaded by any of the refused runs.
  CHECK(fx.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'ingest'") == "0");
}

TEST_CASE("--ingest without files is a usage error") {
  OneShotFixture fx;
  const auto run = fx.run({"--ingest"});
  INFO(describe(run));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("FILE") != std::string::npos);
}
