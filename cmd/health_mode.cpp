#include <utility>

#include "cmd/health_mode.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "cmd/modes.hpp"

namespace dp::cmd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string probe_http(const std::string& host, int port, const std::string& path,
                       std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, path, 11);
  request.set(bhttp::field::host, fmt::format("{}:{}", host, port));
  request.set(bhttp::field::user_agent, "dataprocessor --health");
  request.keep_alive(false);
  bhttp::response<bhttp::string_body> response;
  std::string failure = "timed out";
  bool done = false;

  beast::error_code parse_error;
  const auto address = asio::ip::make_address(host, parse_error);
  if (parse_error) {
    return fmt::format("{} is not an IP address", host);
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  stream.expires_after(timeout);
  stream.async_connect(endpoint, [&](beast::error_code error) {
    if (error) {
      failure = fmt::format("cannot connect to {}:{}: {}", host, port, error.message());
      done = true;
      return;
    }
    bhttp::async_write(stream, request, [&](beast::error_code write_error, std::size_t) {
      if (write_error) {
        failure = fmt::format("cannot send the request: {}", write_error.message());
        done = true;
        return;
      }
      bhttp::async_read(stream, buffer, response, [&](beast::error_code read_error, std::size_t) {
        done = true;
        if (read_error) {
          failure = fmt::format("no answer from {}:{}: {}", host, port, read_error.message());
        } else if (response.result_int() != 200) {
          std::string body = response.body();
          if (const auto newline = body.find('\n'); newline != std::string::npos) {
            body.resize(newline);
          }
          failure = fmt::format("{} answered {} {}", path, response.result_int(), body);
        } else {
          failure.clear();
        }
      });
    });
  });
  io.run_for(timeout + std::chrono::milliseconds(100));
  if (!done) {
    return fmt::format("no answer from {}:{}{} within {} ms", host, port, path, timeout.count());
  }
  return failure;
}

int run_health(const config::Settings& settings) {
  if (settings.http_port == 0) {
    std::fprintf(stderr, "unhealthy: the HTTP server is disabled (http_port = 0)\n");
    return kExitWorkFailed;
  }
  std::string host = settings.http_bind;
  if (host.empty() || host == "0.0.0.0") {
    host = "127.0.0.1";
  } else if (host == "::") {
    host = "::1";
  }
  const auto failure = probe_http(host, settings.http_port, "/healthz", std::chrono::seconds(3));
  if (!failure.empty()) {
    std::fprintf(stderr, "unhealthy: %s\n", failure.c_str());
    return kExitWorkFailed;
  }
  std::printf("healthy\n");
  return kExitOk;
}

}  // namespace dp::cmd
