#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace dp::http {

/// What a route answers; plain text by default, which suits probes and the metrics format.
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

/// Produces the response of one GET route. Runs on the io thread, so it must not block:
/// anything slow (a database probe) is computed elsewhere and cached.
using HttpHandler = std::function<HttpResponse()>;

/// What one client may take: the port is reachable by whatever shares the network, and its
/// descriptors come out of the same budget as the loads' files and database connections.
struct HttpLimits {
  /// Open connections at most; at the limit the oldest connection that is only waiting for a
  /// request makes room, and when every one is busy the new one is closed at once.
  int max_connections = 64;
  /// Time a client gets to send a whole request, and to read the answer.
  std::chrono::milliseconds client_timeout{std::chrono::seconds(10)};
};

/// Minimal HTTP/1.1 server for /healthz, /readyz and /metrics on the service's own io_context:
/// no extra thread, so a /healthz answer proves that the event loop is responsive.
class HttpServer {
 public:
  /// `port` 0 picks a free port (tests); the service disables the server before getting here.
  HttpServer(boost::asio::io_context& io, std::string bind_address, int port,
             HttpLimits limits = {});
  /// Closes the listener and every open connection; never throws.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Registers the handler of `GET path` (exact match, query string ignored). Before start().
  void route(const std::string& path, HttpHandler handler);
  /// Binds and starts accepting; throws std::runtime_error naming the address when it cannot.
  void start();
  /// Stops accepting and closes open connections so that io_context::run() can return.
  void stop();
  /// The port actually bound (differs from the requested one when that was 0).
  int port() const;
  /// Connections open right now (tests and metrics).
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace dp::http
