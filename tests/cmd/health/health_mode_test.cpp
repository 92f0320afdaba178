#include <utility>

#include "cmd/health_mode.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "cmd/modes.hpp"
#include "core/http/http_server.hpp"

namespace {

/// A real HttpServer on its own io thread, as watch mode runs it.
struct RunningServer {
  explicit RunningServer(int healthz_status) {
    server.route("/healthz", [healthz_status] {
      return dp::http::HttpResponse{healthz_status, "text/plain",
                                    healthz_status == 200 ? "ok\n" : "loop stuck\n"};
    });
    server.start();
    thread = std::thread([this] { io.run(); });
  }
  ~RunningServer() {
    boost::asio::post(io, [this] { server.stop(); });
    thread.join();
  }
  boost::asio::io_context io;
  dp::http::HttpServer server{io, "127.0.0.1", 0};
  std::thread thread;
};

/// A loopback port nothing listens on: bound once, then released.
int closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("--health exits 0 against a serving /healthz, with 0.0.0.0 mapped to loopback") {
  RunningServer running(200);
  dp::config::Settings settings;
  settings.http_bind = "0.0.0.0";
  settings.http_port = running.server.port();
  CHECK(dp::cmd::run_health(settings) == dp::cmd::kExitOk);
  CHECK(dp::cmd::probe_http("127.0.0.1", running.server.port(), "/healthz", std::chrono::seconds(3))
            .empty());
}

TEST_CASE("--health exits 1 with a reason when nothing listens or /healthz is not 200") {
  dp::config::Settings settings;
  settings.http_bind = "127.0.0.1";
  settings.http_port = closed_port();
  const auto started = std::chrono::steady_clock::now();
  CHECK(dp::cmd::run_health(settings) == dp::cmd::kExitWorkFailed);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
  CHECK(dp::cmd::probe_http("127.0.0.1", settings.http_port, "/healthz", std::chrono::seconds(3))
            .find("cannot connect") != std::string::npos);

  RunningServer failing(503);
  CHECK(dp::cmd::probe_http("127.0.0.1", failing.server.port(), "/healthz",
                            std::chrono::seconds(3)) == "/healthz answered 503 loop stuck");
  settings.http_port = 0;
  CHECK(dp::cmd::run_health(settings) == dp::cmd::kExitWorkFailed);
}

TEST_CASE("--health gives up after its timeout when the server accepts but never answers") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto started = std::chrono::steady_clock::now();
  const auto failure = dp::cmd::probe_http("127.0.0.1", silent.local_endpoint().port(), "/healthz",
                                           std::chrono::milliseconds(500));
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK_FALSE(failure.empty());
  CHECK(took >= std::chrono::milliseconds(450));
  CHECK(took < std::chrono::seconds(2));
}
