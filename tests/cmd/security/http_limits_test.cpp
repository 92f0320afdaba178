// End to end: whatever can reach the HTTP port cannot starve the service. 300 idle sockets
// against a service limited to 256 descriptors: files still load, /healthz still answers, and
// the service does not spin on accept errors.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "tests/cmd/operations/operations_fixture.hpp"
#include "tests/cmd/security/security_fixture.hpp"

using namespace dp::test;

namespace {

/// The watcher under `prlimit --nofile=256` (prlimit execs, so its pid is the service's).
std::unique_ptr<ServiceProcess> start_limited(const WatchFixture& fx, int port,
                                              const std::vector<std::string>& extra) {
  ProcessSpec spec;
  spec.binary = "/usr/bin/prlimit";
  spec.args = {"--nofile=256:256", "--", DP_BINARY_PATH};
  std::vector<std::string> settings{"http_port=" + std::to_string(port), "http_bind=127.0.0.1"};
  settings.insert(settings.end(), extra.begin(), extra.end());
  for (const auto& arg : fx.args(settings)) {
    spec.args.push_back(arg);
  }
  spec.working_dir = fx.root();
  spec.output_file = fx.root() / "limited-service.log";
  spec.env = {{"DB_STRING", fx.db().conninfo()}};
  auto service = std::make_unique<ServiceProcess>(spec);
  const bool watching = service->wait_for_output(" workers", 60s);
  INFO("service output:\n" << service->output());
  REQUIRE(watching);
  return service;
}

/// Opens `count` connections that never send a byte.
std::vector<boost::asio::ip::tcp::socket> open_idle(boost::asio::io_context& io, int port,
                                                    int count) {
  std::vector<boost::asio::ip::tcp::socket> sockets;
  for (int i = 0; i < count; ++i) {
    sockets.emplace_back(io);
    boost::system::error_code ignored;
    sockets.back().connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                       static_cast<unsigned short>(port)),
        ignored);
  }
  return sockets;
}

/// CPU seconds the process uses over `span`.
double cpu_over(pid_t pid, std::chrono::milliseconds span) {
  const double before = cpu_seconds(pid);
  std::this_thread::sleep_for(span);
  return cpu_seconds(pid) - before;
}

}  // namespace

TEST_CASE("300 idle sockets with 256 descriptors: files load, /healthz answers, no spin") {
  WatchFixture fx;
  const int port = free_loopback_port();
  auto service = start_limited(fx, port, {});
  boost::asio::io_context io;
  auto idle = open_idle(io, port, 300);
  std::this_thread::sleep_for(1s);
  const double busy = cpu_over(service->pid(), 3s);
  MESSAGE("CPU time over 3 s with 300 idle sockets: " << busy << " s");
  CHECK(busy < 0.5);
  const auto started = std::chrono::steady_clock::now();
  const auto health = http_get(port, "/healthz");
  const auto waited = std::chrono::steady_clock::now() - started;
  MESSAGE("/healthz answered in "
          << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() << " ms");
  CHECK(health.status == 200);
  CHECK(waited < 1s);
  for (int i = 1; i <= 5; ++i) {
    fx.drop("user_traffic_" + std::to_string(i) + ".csv", user_traffic_csv(50, 1000 * i));
  }
  CHECK(fx.wait_for("SELECT count(*) FROM ingest.files WHERE status = 'loaded'", "5", 60s));
  INFO("service output:\n" << service->output());
  CHECK(service->terminate() == 0);
}

TEST_CASE("out of descriptors, accepting backs off instead of spinning, then recovers") {
  WatchFixture fx;
  const int port = free_loopback_port();
  // No connection limit to speak of: the descriptors run out and accept fails with EMFILE.
  auto service =
      start_limited(fx, port, {"http_max_connections=100000", "http_client_timeout_s=3s"});
  boost::asio::io_context io;
  {
    auto idle = open_idle(io, port, 300);
    CHECK(service->wait_for_output("accept failed", 10s));
    const double busy = cpu_over(service->pid(), 3s);
    MESSAGE("CPU time over 3 s while accept fails: " << busy << " s");
    CHECK(busy < 0.5);
  }
  // The idle clients are gone (and the server's ends timed out): the port serves again.
  CHECK(wait_until([&] { return http_get(port, "/healthz").status == 200; }, 15s, 200ms));
  INFO("service output:\n" << service->output());
  CHECK(service->terminate() == 0);
}
