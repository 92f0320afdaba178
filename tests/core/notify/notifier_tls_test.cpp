// Notification HTTPS against a loopback server whose certificate a throwaway CA signed:
// delivered when notify_ca_file names that CA, refused (and counted as failed) when only the
// system store is trusted or when the host name does not match the certificate.
#include <utility>

#include "core/notify/notifier.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/metrics/metrics_registry.hpp"
#include "core/metrics/service_metrics.hpp"
#include "tests/core/notify/run_until.hpp"
#include "tests/core/notify/tls_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using dp::notify::EventKind;
using dp::test::run_until;
using dp::test::TlsTestServer;

/// Telegram options pointing at the loopback server under `host`.
dp::notify::NotifierOptions telegram_at(const std::string& host, int port,
                                        const std::string& ca_file) {
  dp::notify::NotifierOptions options;
  options.telegram_api_url = fmt::format("https://{}:{}", host, port);
  options.telegram_bot_token = "42:TLS";
  options.telegram_chat_id = "-100";
  options.tls.ca_file = ca_file;
  options.timeout = std::chrono::seconds(3);
  return options;
}

double channel_count(const dp::metrics::MetricsRegistry& metrics, const char* name) {
  return metrics.value(name, {{"channel", "telegram"}});
}

}  // namespace

TEST_CASE("with notify_ca_file the Telegram message arrives over verified HTTPS") {
  dp::test::TempDir dir;
  const auto certificates = dp::test::make_test_certificates(dir.path(), "IP:127.0.0.1");
  TlsTestServer server(certificates);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::Notifier notifier(
      io, telegram_at("127.0.0.1", server.port(), certificates.ca_file.string()), &metrics);
  const auto started = std::chrono::steady_clock::now();
  notifier.notify({EventKind::kWarehouseSucceeded, "batch 3", "2 ledger file(s), 7 rows"});
  REQUIRE(run_until(
      io, [&] { return channel_count(metrics, dp::metrics::kNotificationsSentTotal) == 1; }));
  MESSAGE("HTTPS delivery (handshake included) took "
          << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                 .count()
          << " ms");
  const auto posts = server.received();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].target == "/bot42:TLS/sendMessage");
  const auto body = nlohmann::json::parse(posts[0].body);
  CHECK(body.at("chat_id") == "-100");
  CHECK(body.at("text") == "✅ warehouse run succeeded: batch 3 — 2 ledger file(s), 7 rows");
  CHECK(channel_count(metrics, dp::metrics::kNotificationsFailedTotal) == 0);
}

TEST_CASE("without notify_ca_file the private CA is not trusted: delivery fails and is counted") {
  dp::test::TempDir dir;
  const auto certificates = dp::test::make_test_certificates(dir.path(), "IP:127.0.0.1");
  TlsTestServer server(certificates);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::Notifier notifier(io, telegram_at("127.0.0.1", server.port(), ""), &metrics);
  notifier.notify({EventKind::kFileFailed, "a.csv", "bad"});
  REQUIRE(run_until(
      io, [&] { return channel_count(metrics, dp::metrics::kNotificationsFailedTotal) == 1; }));
  CHECK(channel_count(metrics, dp::metrics::kNotificationsSentTotal) == 0);
  CHECK(server.received().empty());
  CHECK(run_until(io, [&] { return server.failed_handshakes() == 1; }));
}

TEST_CASE("a certificate for another host name is refused even from the trusted CA") {
  dp::test::TempDir dir;
  // Valid for 127.0.0.1 only; the client connects by the name "localhost".
  const auto certificates = dp::test::make_test_certificates(dir.path(), "IP:127.0.0.1");
  TlsTestServer server(certificates);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::Notifier notifier(
      io, telegram_at("localhost", server.port(), certificates.ca_file.string()), &metrics);
  notifier.notify({EventKind::kFileFailed, "a.csv", "bad"});
  REQUIRE(run_until(
      io, [&] { return channel_count(metrics, dp::metrics::kNotificationsFailedTotal) == 1; }));
  CHECK(channel_count(metrics, dp::metrics::kNotificationsSentTotal) == 0);
  CHECK(server.received().empty());
}

TEST_CASE("an unreadable notify_ca_file is a start-up error that names the setting") {
  boost::asio::io_context io;
  auto options = telegram_at("127.0.0.1", 1, "/nonexistent/ca.pem");
  CHECK_THROWS_WITH_AS(dp::notify::Notifier(io, options, nullptr),
                       doctest::Contains("notify_ca_file /nonexistent/ca.pem"), std::runtime_error);
}
