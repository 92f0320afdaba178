#include <utility>

#include "core/notify/http_post.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace dp::notify {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::optional<PostUrl> parse_post_url(const std::string& url) {
  PostUrl parsed;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    parsed.https = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority = authority.substr(at + 1);
  }
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    parsed.host = authority.substr(0, colon);
    parsed.port = authority.substr(colon + 1);
  } else {
    parsed.host = authority;
    parsed.port = parsed.https ? "443" : "80";
  }
  if (parsed.host.empty() || parsed.port.empty()) {
    return std::nullopt;
  }
  return parsed;
}

namespace {

/// One POST from resolve to the answer's status; keeps itself alive through its handlers.
class PostOperation : public std::enable_shared_from_this<PostOperation> {
 public:
  PostOperation(asio::io_context& io, asio::ssl::context& ssl, PostUrl url,
                const std::string& content_type, std::string body,
                std::chrono::milliseconds timeout, PostDone done)
      : resolver_(io),
        tcp_(io),
        tls_(io, ssl),
        url_(std::move(url)),
        timeout_(timeout),
        done_(std::move(done)) {
    request_.method(bhttp::verb::post);
    request_.target(url_.target);
    request_.version(11);
    request_.set(bhttp::field::host, url_.host);
    request_.set(bhttp::field::user_agent, "dataprocessor");
    request_.set(bhttp::field::content_type, content_type);
    request_.keep_alive(false);
    request_.body() = std::move(body);
    request_.prepare_payload();
  }

  /// Ends the POST at whatever stage it is; the pending handler reports the abort.
  void cancel() {
    resolver_.cancel();
    lowest().cancel();
  }

  void start() {
    if (url_.https) {
      if (!SSL_set_tlsext_host_name(tls_.native_handle(), url_.host.c_str())) {
        finish("cannot set the TLS server name");
        return;
      }
      tls_.set_verify_callback(asio::ssl::host_name_verification(url_.host));
    }
    lowest().expires_after(timeout_);
    resolver_.async_resolve(
        url_.host, url_.port,
        [self = shared_from_this()](beast::error_code error, tcp::resolver::results_type results) {
          if (error) {
            return self->finish(
                fmt::format("cannot resolve {}: {}", self->url_.host, error.message()));
          }
          self->lowest().async_connect(
              results, [self](beast::error_code connect_error, const tcp::endpoint&) {
                self->on_connect(connect_error);
              });
        });
  }

 private:
  beast::tcp_stream& lowest() { return url_.https ? beast::get_lowest_layer(tls_) : tcp_; }

  void on_connect(beast::error_code error) {
    if (error) {
      return finish(
          fmt::format("cannot connect to {}:{}: {}", url_.host, url_.port, error.message()));
    }
    if (!url_.https) {
      return write(tcp_);
    }
    tls_.async_handshake(asio::ssl::stream_base::client, [self = shared_from_this()](
                                                             beast::error_code handshake_error) {
      if (handshake_error) {
        return self->finish(fmt::format("TLS handshake with {} failed: {}", self->url_.host,
                                        handshake_error.message()));
      }
      self->write(self->tls_);
    });
  }

  template <class Stream>
  void write(Stream& stream) {
    bhttp::async_write(stream, request_,
                       [self = shared_from_this(), &stream](beast::error_code error, std::size_t) {
                         if (error) {
                           return self->finish(fmt::format("sending failed: {}", error.message()));
                         }
                         bhttp::async_read(stream, self->buffer_, self->response_,
                                           [self](beast::error_code read_error, std::size_t) {
                                             self->on_read(read_error);
                                           });
                       });
  }

  void on_read(beast::error_code error) {
    if (error) {
      return finish(fmt::format("no answer: {}", error.message()));
    }
    const auto status = response_.result_int();
    if (status < 200 || status >= 300) {
      std::string body = response_.body().substr(0, 200);
      if (const auto newline = body.find('\n'); newline != std::string::npos) {
        body.resize(newline);
      }
      return finish(fmt::format("HTTP {} {}", status, body));
    }
    finish({});
  }

  void finish(const std::string& error) {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(error);
    }
  }

  tcp::resolver resolver_;
  beast::tcp_stream tcp_;
  beast::ssl_stream<beast::tcp_stream> tls_;
  PostUrl url_;
  std::chrono::milliseconds timeout_;
  PostDone done_;
  bhttp::request<bhttp::string_body> request_;
  beast::flat_buffer buffer_;
  bhttp::response<bhttp::string_body> response_;
};

}  // namespace

struct HttpPoster::Impl {
  Impl(asio::io_context& io_context, const TlsOptions& tls)
      : io(io_context), ssl(asio::ssl::context::tls_client) {
    ssl.set_verify_mode(asio::ssl::verify_peer);
    beast::error_code error;
    ssl.set_default_verify_paths(error);
    if (error) {
      throw std::runtime_error(
          fmt::format("cannot load the system TLS trust store: {}", error.message()));
    }
    if (!tls.ca_file.empty()) {
      ssl.load_verify_file(tls.ca_file, error);
      if (error) {
        throw std::runtime_error(fmt::format(
            "notify_ca_file {}: cannot load it as a PEM bundle: {}", tls.ca_file, error.message()));
      }
    }
  }
  asio::io_context& io;
  asio::ssl::context ssl;
  /// POSTs that may still be running, for cancel_all().
  std::vector<std::weak_ptr<PostOperation>> in_flight;
};

HttpPoster::HttpPoster(asio::io_context& io, const TlsOptions& tls)
    : impl_(std::make_unique<Impl>(io, tls)) {}

HttpPoster::~HttpPoster() = default;

void HttpPoster::post(const PostUrl& url, const std::string& content_type, std::string body,
                      std::chrono::milliseconds timeout, PostDone done) {
  std::erase_if(impl_->in_flight,
                [](const std::weak_ptr<PostOperation>& operation) { return operation.expired(); });
  auto operation = std::make_shared<PostOperation>(impl_->io, impl_->ssl, url, content_type,
                                                   std::move(body), timeout, std::move(done));
  impl_->in_flight.push_back(operation);
  operation->start();
}

void HttpPoster::cancel_all() {
  for (const auto& weak : impl_->in_flight) {
    if (const auto operation = weak.lock()) {
      operation->cancel();
    }
  }
  impl_->in_flight.clear();
}

}  // namespace dp::notify
