// End to end: SIGTERM and SIGINT stop the service cleanly (exit 0) and promptly: `docker stop`
// sends SIGTERM and kills the container 10 s later, so a slow stop becomes exit 137.
#include <doctest/doctest.h>

#include <csignal>

#include "tests/cmd/watch/watch_fixture.hpp"

using namespace dp::test;

namespace {

/// Seconds from the signal to the exit of a service that was idle.
double stop_idle_service(WatchFixture& fx, int signal_number, int& exit_code) {
  const auto sent = std::chrono::steady_clock::now();
  ::kill(fx.service().pid(), signal_number);
  const auto code = fx.service().wait_for_exit(60s);
  exit_code = code.value_or(-1);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
}

}  // namespace

TEST_CASE("SIGTERM of an idle service exits 0 well within docker's 10 s grace period") {
  WatchFixture fx;
  fx.start();
  fx.drop("user_traffic_one.csv", user_traffic_csv(3, 1));
  CHECK(fx.wait_for("SELECT status FROM ingest.files", "loaded"));
  int exit_code = -1;
  const double seconds = stop_idle_service(fx, SIGTERM, exit_code);
  INFO("service output:\n" << fx.service_output());
  CHECK(exit_code == 0);
  CHECK(seconds < 5.0);
  CHECK(fx.service_output().find("received SIGTERM") != std::string::npos);
}

TEST_CASE("SIGINT (Ctrl-C) stops the service like SIGTERM") {
  WatchFixture fx;
  fx.start();
  int exit_code = -1;
  const double seconds = stop_idle_service(fx, SIGINT, exit_code);
  INFO("service output:\n" << fx.service_output());
  CHECK(exit_code == 0);
  CHECK(seconds < 5.0);
  CHECK(fx.service_output().find("received SIGINT") != std::string::npos);
}
