#include <utility>

#include "core/http/http_server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/http/readiness_probe.hpp"
#include "core/metrics/metrics_registry.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct Answer {
  int status = 0;
  std::string body;
  std::string content_type;
};

/// A plain blocking client, as Prometheus or a probe would be.
Answer get(int port, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port)));
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, target, 11);
  request.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response);
  return {static_cast<int>(response.result_int()), response.body(),
          std::string(response[bhttp::field::content_type])};
}

/// The server on its own io thread, stopped and joined at the end of the test.
struct RunningServer {
  asio::io_context io;
  dp::http::HttpServer server{io, "127.0.0.1", 0};
  std::thread thread;

  void start() {
    server.start();
    thread = std::thread([this] { io.run(); });
  }
  ~RunningServer() {
    asio::post(io, [this] { server.stop(); });
    thread.join();
  }
};

bool wait_until(const std::function<bool()>& condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("/healthz answers 200 ok, unknown paths 404, several requests in a row") {
  RunningServer running;
  running.server.route("/healthz", [] {
    return dp::http::HttpResponse{200, "text/plain", "ok\n"};
  });
  running.start();
  for (int i = 0; i < 3; ++i) {
    const auto answer = get(running.server.port(), "/healthz?probe=1");
    CHECK(answer.status == 200);
    CHECK(answer.body == "ok\n");
  }
  CHECK(get(running.server.port(), "/nothing").status == 404);
}

TEST_CASE("/readyz turns 503 with the reason while the cached probe fails") {
  std::atomic<bool> database_up{false};
  dp::http::ReadinessProbe probe(
      [&]() -> std::optional<std::string> {
        if (!database_up) {
          return "database unreachable: connection refused";
        }
        return std::nullopt;
      },
      std::chrono::milliseconds(20));
  RunningServer running;
  running.server.route("/readyz", [&probe] {
    const auto state = probe.state();
    return state.ready ? dp::http::HttpResponse{200, "text/plain", "ready\n"}
                       : dp::http::HttpResponse{503, "text/plain", state.reason + "\n"};
  });
  running.start();
  REQUIRE(wait_until([&] { return probe.checked(); }));
  auto answer = get(running.server.port(), "/readyz");
  CHECK(answer.status == 503);
  CHECK(answer.body == "database unreachable: connection refused\n");
  database_up = true;
  REQUIRE(wait_until([&] { return probe.state().ready; }));
  answer = get(running.server.port(), "/readyz");
  CHECK(answer.status == 200);
}

TEST_CASE("a slow readiness check does not block the event loop") {
  dp::http::ReadinessProbe probe(
      []() -> std::optional<std::string> {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        throw std::runtime_error("database unreachable: timeout\nsecond line");
      },
      std::chrono::milliseconds(10));
  RunningServer running;
  running.server.route("/readyz", [&probe] {
    const auto state = probe.state();
    return dp::http::HttpResponse{state.ready ? 200 : 503, "text/plain", state.reason};
  });
  running.start();
  const auto started = std::chrono::steady_clock::now();
  const auto answer = get(running.server.port(), "/readyz");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(200));
  CHECK(answer.status == 503);
  REQUIRE(wait_until([&] { return probe.checked(); }));
  CHECK(probe.state().reason == "database unreachable: timeout");
}

TEST_CASE("/metrics serves the registry in the exposition format") {
  dp::metrics::MetricsRegistry registry;
  registry.describe("demo_total", dp::metrics::MetricType::kCounter, "Demo.");
  registry.add("demo_total", {{"pipeline", "x"}}, 5);
  RunningServer running;
  running.server.route("/metrics", [&registry] {
    return dp::http::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                  registry.render()};
  });
  running.start();
  const auto answer = get(running.server.port(), "/metrics");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(answer.body.find("demo_total{pipeline=\"x\"} 5\n") != std::string::npos);
}

TEST_CASE("an address that is in use is reported with the setting names") {
  RunningServer running;
  running.start();
  asio::io_context io;
  dp::http::HttpServer second(io, "127.0.0.1", running.server.port());
  CHECK_THROWS_WITH_AS(second.start(), doctest::Contains("http_port"), std::runtime_error);
}

namespace {

/// The server with small limits on its own io thread.
struct LimitedServer {
  explicit LimitedServer(dp::http::HttpLimits limits) : server(io, "127.0.0.1", 0, limits) {
    server.route("/healthz", [] { return dp::http::HttpResponse{200, "text/plain", "ok\n"}; });
    server.start();
    thread = std::thread([this] { io.run(); });
  }
  ~LimitedServer() {
    asio::post(io, [this] { server.stop(); });
    thread.join();
  }
  std::size_t open_connections() {
    std::promise<std::size_t> count;
    asio::post(io, [&] { count.set_value(server.open_connections()); });
    return count.get_future().get();
  }
  asio::io_context io;
  dp::http::HttpServer server;
  std::thread thread;
};

/// Whether the server closed `socket` (a read returns end of file or an error).
bool closed_by_server(asio::ip::tcp::socket& socket) {
  char byte = 0;
  beast::error_code error;
  socket.read_some(asio::buffer(&byte, 1), error);
  return static_cast<bool>(error);
}

}  // namespace

TEST_CASE("at the connection limit idle connections make room, and /healthz still answers") {
  dp::http::HttpLimits limits;
  limits.max_connections = 4;
  limits.client_timeout = std::chrono::seconds(30);
  LimitedServer running(limits);
  asio::io_context client_io;
  std::vector<asio::ip::tcp::socket> idle;
  for (int i = 0; i < 20; ++i) {
    idle.emplace_back(client_io);
    idle.back().connect(asio::ip::tcp::endpoint(
        asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(running.server.port())));
  }
  CHECK(wait_until([&] { return running.open_connections() == 4; }));
  const auto started = std::chrono::steady_clock::now();
  const auto answer = get(running.server.port(), "/healthz");
  CHECK(answer.status == 200);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK(running.open_connections() <= 4);
  // The oldest idle connections were the ones closed.
  CHECK(closed_by_server(idle.front()));
}

TEST_CASE("a client that does not send its request in time is disconnected") {
  dp::http::HttpLimits limits;
  limits.client_timeout = std::chrono::milliseconds(300);
  LimitedServer running(limits);
  asio::io_context client_io;
  asio::ip::tcp::socket slow(client_io);
  slow.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                       static_cast<unsigned short>(running.server.port())));
  asio::write(slow, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  const auto started = std::chrono::steady_clock::now();
  CHECK(closed_by_server(slow));
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= std::chrono::milliseconds(200));
  CHECK(waited < std::chrono::seconds(3));
  CHECK(wait_until([&] { return running.open_connections() == 0; }));
}

TEST_CASE("a failing handler answers 500 without its error text") {
  RunningServer running;
  running.server.route("/boom", []() -> dp::http::HttpResponse {
    throw std::runtime_error("host=db.internal user=admin");
  });
  running.start();
  const auto answer = get(running.server.port(), "/boom");
  CHECK(answer.status == 500);
  CHECK(answer.body == "internal error\n");
}
