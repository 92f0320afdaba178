#pragma once

#include <utility>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace dp::test {

/// What the loopback endpoint does with each POST.
enum class EndpointBehaviour { kAnswer200, kAnswer500, kHang };

/// One request the endpoint received.
struct ReceivedPost {
  std::string target;
  std::string body;
};

/// A loopback HTTP endpoint on its own thread that records POSTs: the notification tests
/// deliver to it instead of Telegram or a real webhook.
class NotifyTestServer {
 public:
  explicit NotifyTestServer(EndpointBehaviour behaviour) : behaviour_(behaviour) {
    namespace asio = boost::asio;
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~NotifyTestServer() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& connection : connections_) {
        connection->stream.close();
      }
    });
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  std::vector<ReceivedPost> received() const {
    const std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket socket) : stream(std::move(socket)) {}
    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code error,
                                  boost::asio::ip::tcp::socket socket) {
      if (error) {
        return;
      }
      auto connection = std::make_shared<Connection>(std::move(socket));
      connections_.push_back(connection);
      boost::beast::http::async_read(
          connection->stream, connection->buffer, connection->request,
          [this, connection](boost::system::error_code read_error, std::size_t) {
            if (read_error) {
              return;
            }
            {
              const std::lock_guard lock(mutex_);
              received_.push_back(
                  {std::string(connection->request.target()), connection->request.body()});
            }
            if (behaviour_ == EndpointBehaviour::kHang) {
              return;
            }
            auto& response = connection->response;
            response.version(11);
            response.result(behaviour_ == EndpointBehaviour::kAnswer200 ? 200 : 500);
            response.body() = behaviour_ == EndpointBehaviour::kAnswer200
                                  ? "{\"ok\":true}"
                                  : "{\"ok\":false,\"description\":\"broken\"}";
            response.keep_alive(false);
            response.prepare_payload();
            boost::beast::http::async_write(connection->stream, response,
                                            [connection](boost::system::error_code, std::size_t) {
                                              connection->stream.close();
                                            });
          });
      accept();
    });
  }

  EndpointBehaviour behaviour_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::vector<std::shared_ptr<Connection>> connections_;
  mutable std::mutex mutex_;
  std::vector<ReceivedPost> received_;
  std::thread thread_;
};

}  // namespace dp::test
