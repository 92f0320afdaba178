#include "core/db/connect.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/db/embedded_postgres.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

using namespace std::chrono_literals;

TEST_CASE("connecting succeeds at once when the server is up") {
  dp::test::TestDatabase database;
  dp::db::RetryPolicy policy;
  auto connection = dp::db::connect_with_retry(database.conninfo(), "test", policy);
  CHECK(connection->is_open());
}

TEST_CASE("a missing database is reported at once, not retried forever") {
  dp::db::RetryPolicy policy;
  policy.give_up_after = 60s;
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(
      dp::db::connect_with_retry(
          dp::test::TestCluster::instance().conninfo("no_such_database_here"), "test", policy),
      doctest::Contains("does not exist"), dp::db::FatalConnectError);
  CHECK(std::chrono::steady_clock::now() - started < 30s);
}

TEST_CASE("connecting waits with backoff until a late server comes up") {
  dp::test::TempDir dir;
  dp::db::EmbeddedPostgresOptions options;
  options.root = dir.path();
  options.fsync = false;
  options.system_user = "dp_pgtest";
  dp::db::EmbeddedPostgres late(options);
  dp::db::RetryPolicy policy;
  policy.first_delay = 100ms;
  policy.max_delay = 400ms;
  policy.give_up_after = 120s;
  auto connected = std::async(std::launch::async, [&] {
    return dp::db::connect_with_retry(late.conninfo(), "late", policy)->is_open();
  });
  CHECK(connected.wait_for(1500ms) == std::future_status::timeout);
  late.start();
  CHECK(connected.get());
}

TEST_CASE("giving up after the configured time, or when asked to stop") {
  dp::db::RetryPolicy policy;
  policy.first_delay = 50ms;
  policy.give_up_after = 500ms;
  const std::string nowhere = "host=/nonexistent-socket-dir port=1 dbname=x connect_timeout=1";
  CHECK_THROWS_WITH_AS(dp::db::connect_with_retry(nowhere, "nowhere", policy),
                       doctest::Contains("still unreachable"), dp::db::FatalConnectError);
  policy.give_up_after = 0ms;
  policy.should_stop = [] { return true; };
  CHECK_THROWS_WITH_AS(dp::db::connect_with_retry(nowhere, "nowhere", policy),
                       doctest::Contains("stopped while waiting"), dp::db::FatalConnectError);
}

TEST_CASE("permanent failures are recognised by their message") {
  CHECK(dp::db::is_permanent_connect_failure(
      "FATAL:  password authentication failed for user \"x\""));
  CHECK(dp::db::is_permanent_connect_failure("FATAL:  database \"x\" does not exist"));
  CHECK_FALSE(
      dp::db::is_permanent_connect_failure("could not connect to server: Connection refused"));
}
