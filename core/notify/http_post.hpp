#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace dp::notify {

/// The parts of an http:// or https:// URL a POST needs.
struct PostUrl {
  bool https = false;
  std::string host;
  std::string port;
  /// Path and query, "/" at least.
  std::string target;
};

/// Splits a notification URL; nullopt for anything but http:// or https:// with a host.
std::optional<PostUrl> parse_post_url(const std::string& url);

/// TLS settings of the notification client: verification (chain and host name) is always on;
/// `ca_file` is trusted in addition to the system store (a private CA, or a test's own CA).
struct TlsOptions {
  std::string ca_file;
};

/// Called on the io thread when a POST ends: empty on a 2xx answer, else why it failed.
using PostDone = std::function<void(const std::string& error)>;

/// Sends notification POSTs asynchronously on the service's io_context, each bounded by a
/// timeout, so a dead endpoint costs one pending operation and never blocks loading.
class HttpPoster {
 public:
  /// Throws std::runtime_error when the CA file cannot be read.
  HttpPoster(boost::asio::io_context& io, const TlsOptions& tls);
  ~HttpPoster();
  HttpPoster(const HttpPoster&) = delete;
  HttpPoster& operator=(const HttpPoster&) = delete;

  /// Starts one POST of `body`; `done` is always called exactly once, on the io thread.
  void post(const PostUrl& url, const std::string& content_type, std::string body,
            std::chrono::milliseconds timeout, PostDone done);
  /// Aborts every POST still in flight (each `done` reports the abort), so that shutdown is
  /// bounded by its own drain time, not by a hanging endpoint's timeout. Io thread.
  void cancel_all();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dp::notify
