#pragma once

#include <utility>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "tests/core/notify/notify_test_server.hpp"

namespace dp::test {

/// A throwaway certificate authority and a server certificate it signed, made with the
/// `openssl` command at test time so no key material lives in the repository.
struct TestCertificates {
  std::filesystem::path ca_file;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};

/// Creates the CA and a server certificate for `subject_alt_names` (e.g. "IP:127.0.0.1") in
/// `dir`; throws std::runtime_error when openssl fails.
inline TestCertificates make_test_certificates(const std::filesystem::path& dir,
                                               const std::string& subject_alt_names) {
  const auto run = [&](const std::string& command) {
    const std::string full = "cd '" + dir.string() + "' && " + command + " >>openssl.log 2>&1";
    if (std::system(full.c_str()) != 0) {
      throw std::runtime_error("openssl failed: " + command);
    }
  };
  std::ofstream(dir / "server.ext") << "subjectAltName=" << subject_alt_names << "\n"
                                    << "extendedKeyUsage=serverAuth\n";
  const std::string ec_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  run("openssl req -x509 " + ec_key + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=dp test CA'");
  run("openssl req " + ec_key + " -keyout server.key -out server.csr -subj '/CN=dp test server'");
  run("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile server.ext -out server.pem");
  return {dir / "ca.pem", dir / "server.pem", dir / "server.key"};
}

/// A loopback HTTPS endpoint on its own thread that answers every POST with 200 and records it;
/// handshakes the client refused are counted, so a test sees that verification failed.
class TlsTestServer {
 public:
  explicit TlsTestServer(const TestCertificates& certificates) {
    namespace asio = boost::asio;
    ssl_.use_certificate_chain_file(certificates.cert_file.string());
    ssl_.use_private_key_file(certificates.key_file.string(), asio::ssl::context::pem);
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsTestServer() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& connection : connections_) {
        boost::beast::get_lowest_layer(connection->stream).close();
      }
    });
    thread_.join();
  }
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  int port() const { return acceptor_.local_endpoint().port(); }
  std::vector<ReceivedPost> received() const {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  int failed_handshakes() const { return failed_handshakes_; }

 private:
  struct Connection {
    Connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& ssl)
        : stream(std::move(socket), ssl) {}
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept(
        [this](boost::system::error_code error, boost::asio::ip::tcp::socket socket) {
          if (error) {
            return;
          }
          auto connection = std::make_shared<Connection>(std::move(socket), ssl_);
          connections_.push_back(connection);
          connection->stream.async_handshake(
              boost::asio::ssl::stream_base::server,
              [this, connection](boost::system::error_code handshake_error) {
                if (handshake_error) {
                  ++failed_handshakes_;
                  return;
                }
                read(connection);
              });
          accept();
        });
  }

  void read(const std::shared_ptr<Connection>& connection) {
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
          auto& response = connection->response;
          response.version(11);
          response.result(200);
          response.body() = "{\"ok\":true}";
          response.keep_alive(false);
          response.prepare_payload();
          boost::beast::http::async_write(
              connection->stream, response, [connection](boost::system::error_code, std::size_t) {
                boost::beast::get_lowest_layer(connection->stream).close();
              });
        });
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context ssl_{boost::asio::ssl::context::tls_server};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::vector<std::shared_ptr<Connection>> connections_;
  mutable std::mutex mutex_;
  std::vector<ReceivedPost> received_;
  std::atomic<int> failed_handshakes_{0};
  std::thread thread_;
};

}  // namespace dp::test
