// End to end: the notify_ca_file setting reaches the running service's HTTPS client. A
// throwaway CA signs the loopback Telegram stand-in's certificate; the service trusts it only
// when notify_ca_file names it.
#include <doctest/doctest.h>

#include "tests/cmd/operations/operations_fixture.hpp"
#include "tests/core/notify/tls_test_server.hpp"

using namespace dp::test;

namespace {

/// The settings that send Telegram messages to `server` over HTTPS, plus the HTTP port.
std::vector<std::string> telegram_settings(const TlsTestServer& server, int http_port) {
  return {"telegram_api_url=https://127.0.0.1:" + std::to_string(server.port()),
          "telegram_bot_token=77:E2E", "telegram_chat_id=-500",
          "http_port=" + std::to_string(http_port), "http_bind=127.0.0.1"};
}

double telegram_metric(int http_port, const std::string& name) {
  return metric_value(parse_metrics(http_get(http_port, "/metrics").body), name,
                      {{"channel", "telegram"}})
      .value_or(0);
}

}  // namespace

TEST_CASE("with notify_ca_file the service's Telegram message arrives over verified HTTPS") {
  TempDir certificate_dir;
  const auto certificates = make_test_certificates(certificate_dir.path(), "IP:127.0.0.1");
  TlsTestServer telegram(certificates);
  WatchFixture fx;
  const int port = free_loopback_port();
  auto settings = telegram_settings(telegram, port);
  settings.push_back("notify_ca_file=" + certificates.ca_file.string());
  fx.start(settings);
  fx.drop("mystery.csv", "alpha,beta\n1,2\n");
  CHECK(wait_until([&] { return !telegram.received().empty(); }, 15s));
  INFO("service output:\n" << fx.service_output());
  const auto posts = telegram.received();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].target == "/bot77:E2E/sendMessage");
  const auto body = nlohmann::json::parse(posts[0].body);
  CHECK(body.at("chat_id") == "-500");
  CHECK(body.at("text").get<std::string>().find("file quarantined: mystery.csv") !=
        std::string::npos);
  CHECK(wait_until(
      [&] { return telegram_metric(port, "dataprocessor_notifications_sent_total") == 1; }, 5s));
  CHECK(telegram_metric(port, "dataprocessor_notifications_failed_total") == 0);
  CHECK(fx.stop() == 0);
}

TEST_CASE("without notify_ca_file the service refuses the private CA and counts the failure") {
  TempDir certificate_dir;
  const auto certificates = make_test_certificates(certificate_dir.path(), "IP:127.0.0.1");
  TlsTestServer telegram(certificates);
  WatchFixture fx;
  const int port = free_loopback_port();
  fx.start(telegram_settings(telegram, port));
  fx.drop("mystery.csv", "alpha,beta\n1,2\n");
  CHECK(wait_until(
      [&] { return telegram_metric(port, "dataprocessor_notifications_failed_total") == 1; }, 15s));
  INFO("service output:\n" << fx.service_output());
  CHECK(telegram.received().empty());
  CHECK(telegram.failed_handshakes() >= 1);
  CHECK(telegram_metric(port, "dataprocessor_notifications_sent_total") == 0);
  CHECK(fx.service_output().find("certificate verify failed") != std::string::npos);
  CHECK(fx.stop() == 0);
}
