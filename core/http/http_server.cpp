#include <utility>

#include "core/http/http_server.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace dp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

/// Requests are tiny GETs; anything bigger is not a probe.
constexpr std::uint64_t kMaxRequestBytes = 64 * 1024;
/// After a failed accept (out of descriptors, typically) the listener pauses this long, doubling
/// up to kMaxAcceptPause: accepting again at once would spin on the same error and starve the
/// workers of the descriptors they need to finish (and free) their files.
constexpr auto kFirstAcceptPause = std::chrono::milliseconds(50);
constexpr auto kMaxAcceptPause = std::chrono::milliseconds(1000);

}  // namespace

class Session;

/// The listener and its routes, shared with the sessions through weak pointers.
struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(asio::io_context& io_context, std::string address, int requested_port,
              HttpLimits client_limits)
      : io(io_context),
        acceptor(io_context),
        accept_pause(io_context),
        bind_address(std::move(address)),
        port(requested_port),
        limits(client_limits) {}

  void accept();
  void admit(tcp::socket socket);
  void pause_accepting(const beast::error_code& error);
  HttpResponse dispatch(const bhttp::request<bhttp::string_body>& request) const;

  asio::io_context& io;
  tcp::acceptor acceptor;
  asio::steady_timer accept_pause;
  std::chrono::milliseconds next_pause = kFirstAcceptPause;
  std::string bind_address;
  int port = 0;
  HttpLimits limits;
  std::uint64_t accepted = 0;
  bool stopped = false;
  std::map<std::string, HttpHandler, std::less<>> routes;
  std::set<std::shared_ptr<Session>> sessions;
};

/// One client connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::weak_ptr<ServerState> server, std::uint64_t sequence,
          std::chrono::milliseconds timeout)
      : stream_(std::move(socket)),
        server_(std::move(server)),
        sequence_(sequence),
        timeout_(timeout) {}

  void read() {
    request_ = {};
    parser_.emplace();
    parser_->body_limit(kMaxRequestBytes);
    parser_->header_limit(static_cast<std::uint32_t>(kMaxRequestBytes));
    waiting_ = true;
    stream_.expires_after(timeout_);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->on_read(error);
                      });
  }

  /// Whether the connection only waits for a request (idle keep-alive, or a client that sends
  /// nothing): such a one gives way to a new connection at the limit.
  bool waiting() const { return waiting_; }
  /// Accept order: the oldest waiting connection gives way first.
  std::uint64_t sequence() const { return sequence_; }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void on_read(beast::error_code error) {
    const auto server = server_.lock();
    if (error || !server || server->stopped) {
      finish();
      return;
    }
    waiting_ = false;
    request_ = parser_->release();
    const HttpResponse answer = server->dispatch(request_);
    response_ = {};
    response_.version(request_.version());
    response_.result(static_cast<unsigned>(answer.status));
    response_.set(bhttp::field::server, "dataprocessor");
    response_.set(bhttp::field::content_type, answer.content_type);
    response_.keep_alive(request_.keep_alive());
    response_.body() = request_.method() == bhttp::verb::head ? std::string() : answer.body;
    response_.prepare_payload();
    if (request_.method() == bhttp::verb::head) {
      response_.content_length(answer.body.size());
    }
    stream_.expires_after(timeout_);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code write_error, std::size_t) {
                         self->on_write(write_error);
                       });
  }

  void on_write(beast::error_code error) {
    if (error || !response_.keep_alive()) {
      finish();
      return;
    }
    read();
  }

  void finish() {
    close();
    if (const auto server = server_.lock()) {
      server->sessions.erase(shared_from_this());
    }
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
  std::weak_ptr<ServerState> server_;
  std::uint64_t sequence_;
  std::chrono::milliseconds timeout_;
  bool waiting_ = false;
};

void ServerState::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code error, tcp::socket socket) {
    if (self->stopped || !self->acceptor.is_open()) {
      return;
    }
    if (error) {
      self->pause_accepting(error);
      return;
    }
    self->next_pause = kFirstAcceptPause;
    self->admit(std::move(socket));
    self->accept();
  });
}

void ServerState::admit(tcp::socket socket) {
  if (sessions.size() >= static_cast<std::size_t>(limits.max_connections)) {
    std::shared_ptr<Session> oldest_waiting;
    for (const auto& session : sessions) {
      if (session->waiting() &&
          (!oldest_waiting || session->sequence() < oldest_waiting->sequence())) {
        oldest_waiting = session;
      }
    }
    if (!oldest_waiting) {
      spdlog::debug("http: {} connections busy; a new one is closed", sessions.size());
      beast::error_code ignored;
      socket.close(ignored);
      return;
    }
    sessions.erase(oldest_waiting);
    oldest_waiting->close();
  }
  auto session = std::make_shared<Session>(std::move(socket), shared_from_this(), ++accepted,
                                           limits.client_timeout);
  sessions.insert(session);
  session->read();
}

void ServerState::pause_accepting(const beast::error_code& error) {
  spdlog::warn("http: accept failed ({}); accepting again in {} ms", error.message(),
               next_pause.count());
  accept_pause.expires_after(next_pause);
  next_pause = std::min(next_pause * 2, std::chrono::milliseconds(kMaxAcceptPause));
  accept_pause.async_wait([self = shared_from_this()](const beast::error_code& wait_error) {
    if (!wait_error && !self->stopped && self->acceptor.is_open()) {
      self->accept();
    }
  });
}

HttpResponse ServerState::dispatch(const bhttp::request<bhttp::string_body>& request) const {
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
    return {405, "text/plain; charset=utf-8", "method not allowed\n"};
  }
  std::string_view target(request.target().data(), request.target().size());
  if (const auto query = target.find('?'); query != std::string_view::npos) {
    target = target.substr(0, query);
  }
  const auto route = routes.find(target);
  if (route == routes.end()) {
    return {404, "text/plain; charset=utf-8", "not found\n"};
  }
  try {
    return route->second();
  } catch (const std::exception& error) {
    spdlog::warn("http: handler of {} failed: {}", target, error.what());
    // The detail stays in the log: whoever reaches the port learns nothing about the internals.
    return {500, "text/plain; charset=utf-8", "internal error\n"};
  }
}

struct HttpServer::Impl : ServerState {
  using ServerState::ServerState;
};

HttpServer::HttpServer(asio::io_context& io, std::string bind_address, int port, HttpLimits limits)
    : impl_(std::make_shared<Impl>(io, std::move(bind_address), port, limits)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::route(const std::string& path, HttpHandler handler) {
  impl_->routes[path] = std::move(handler);
}

void HttpServer::start() {
  beast::error_code error;
  const auto address = asio::ip::make_address(impl_->bind_address, error);
  if (error) {
    throw std::runtime_error(fmt::format("http_bind \"{}\" is not an IP address: {}",
                                         impl_->bind_address, error.message()));
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->port));
  impl_->acceptor.open(endpoint.protocol(), error);
  if (!error) {
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  }
  if (!error) {
    impl_->acceptor.bind(endpoint, error);
  }
  if (!error) {
    impl_->acceptor.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{} (http_bind, http_port): {}",
                                         impl_->bind_address, impl_->port, error.message()));
  }
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  spdlog::info("http: listening on {}:{} (/healthz, /readyz, /metrics)", impl_->bind_address,
               impl_->port);
}

void HttpServer::stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->accept_pause.cancel();
  const auto sessions = std::move(impl_->sessions);
  impl_->sessions.clear();
  for (const auto& session : sessions) {
    session->close();
  }
}

int HttpServer::port() const {
  return impl_->port;
}

std::size_t HttpServer::open_connections() const {
  return impl_->sessions.size();
}

}  // namespace dp::http
