#include <utility>

#include "core/notify/notifier.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <functional>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/metrics/metrics_registry.hpp"
#include "core/metrics/service_metrics.hpp"
#include "tests/core/notify/notify_test_server.hpp"
#include "tests/core/notify/run_until.hpp"

namespace {

using dp::notify::Event;
using dp::notify::EventKind;
using dp::test::EndpointBehaviour;
using dp::test::NotifyTestServer;
using dp::test::run_until;

std::string url_of(const NotifyTestServer& server, const std::string& path = {}) {
  return fmt::format("http://127.0.0.1:{}{}", server.port(), path);
}

}  // namespace

TEST_CASE("a failed file reaches Telegram and the webhook with the right texts") {
  NotifyTestServer server(EndpointBehaviour::kAnswer200);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::NotifierOptions options;
  options.telegram_api_url = url_of(server) + "/";
  options.telegram_bot_token = "123:SECRET";
  options.telegram_chat_id = "-1001";
  options.webhook_url = url_of(server, "/hooks/dp?x=1");
  dp::notify::Notifier notifier(io, options, &metrics);
  REQUIRE(notifier.enabled());
  notifier.notify({EventKind::kFileFailed, "user_traffic_01.csv", "43% rows rejected"});
  REQUIRE(run_until(io, [&] {
    return metrics.value(dp::metrics::kNotificationsSentTotal, {{"channel", "webhook"}}) == 1 &&
           metrics.value(dp::metrics::kNotificationsSentTotal, {{"channel", "telegram"}}) == 1;
  }));
  const auto posts = server.received();
  REQUIRE(posts.size() == 2);
  for (const auto& post : posts) {
    const auto body = nlohmann::json::parse(post.body);
    const std::string expected = "❌ file failed: user_traffic_01.csv — 43% rows rejected";
    if (post.target == "/bot123:SECRET/sendMessage") {
      CHECK(body.at("chat_id") == "-1001");
      CHECK(body.at("text") == expected);
    } else {
      CHECK(post.target == "/hooks/dp?x=1");
      CHECK(body.at("event") == "file_failed");
      CHECK(body.at("subject") == "user_traffic_01.csv");
      CHECK(body.at("detail") == "43% rows rejected");
      CHECK(body.at("text") == expected);
    }
  }
}

TEST_CASE("a burst of failures becomes a few messages and one summary per window") {
  NotifyTestServer server(EndpointBehaviour::kAnswer200);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::NotifierOptions options;
  options.webhook_url = url_of(server, "/hook");
  options.burst_limit = 3;
  options.summary_window = std::chrono::milliseconds(400);
  dp::notify::Notifier notifier(io, options, &metrics);
  for (int i = 0; i < 500; ++i) {
    notifier.notify({EventKind::kFileFailed, fmt::format("f{:03}.csv", i), "bad"});
  }
  REQUIRE(run_until(io, [&] {
    return metrics.value(dp::metrics::kNotificationsSentTotal, {{"channel", "webhook"}}) == 4;
  }));
  io.restart();
  io.run_for(std::chrono::milliseconds(300));
  const auto posts = server.received();
  REQUIRE(posts.size() == 4);
  CHECK(nlohmann::json::parse(posts[0].body).at("subject") == "f000.csv");
  const auto summary = nlohmann::json::parse(posts[3].body);
  CHECK(summary.at("text") ==
        "497 more files failed in the last 0.4 s: f003.csv, f004.csv, f005.csv, f006.csv, "
        "f007.csv, f008.csv, f009.csv, f010.csv, f011.csv, f012.csv, …");
}

TEST_CASE("a hanging endpoint neither blocks the caller nor grows the queue") {
  NotifyTestServer server(EndpointBehaviour::kHang);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::NotifierOptions options;
  options.webhook_url = url_of(server, "/hook");
  options.timeout = std::chrono::milliseconds(300);
  options.queue_capacity = 5;
  options.burst_limit = 100000;
  dp::notify::Notifier notifier(io, options, &metrics);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    notifier.notify({EventKind::kFileFailed, fmt::format("f{}.csv", i), "bad"});
  }
  const auto enqueue_time = std::chrono::steady_clock::now() - started;
  MESSAGE("enqueueing 1000 events took "
          << std::chrono::duration<double, std::milli>(enqueue_time).count() << " ms");
  CHECK(enqueue_time < std::chrono::milliseconds(200));
  REQUIRE(run_until(io, [&] {
    return metrics.value(dp::metrics::kNotificationsFailedTotal, {{"channel", "webhook"}}) >= 2;
  }));
  CHECK(metrics.value(dp::metrics::kNotificationsDroppedTotal, {{"channel", "webhook"}}) >= 990);
  CHECK(metrics.value(dp::metrics::kNotificationsSentTotal, {{"channel", "webhook"}}) == 0);
}

TEST_CASE("stop() with a hanging endpoint releases the io_context after the shutdown drain") {
  NotifyTestServer server(EndpointBehaviour::kHang);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::NotifierOptions options;
  options.webhook_url = url_of(server, "/hook");
  options.timeout = std::chrono::seconds(10);
  options.shutdown_drain = std::chrono::milliseconds(300);
  dp::notify::Notifier notifier(io, options, &metrics);
  for (int i = 0; i < 3; ++i) {
    notifier.notify({EventKind::kFileFailed, fmt::format("f{}.csv", i), "bad"});
  }
  REQUIRE(run_until(io, [&] { return server.received().size() == 1; }));
  const auto stopping = std::chrono::steady_clock::now();
  notifier.stop();
  io.restart();
  io.run_for(std::chrono::seconds(15));
  const auto drained = std::chrono::steady_clock::now() - stopping;
  MESSAGE("io_context released " << std::chrono::duration<double>(drained).count()
                                 << " s after stop()");
  CHECK(drained < std::chrono::seconds(2));
  CHECK(server.received().size() == 1);
  CHECK(metrics.value(dp::metrics::kNotificationsFailedTotal, {{"channel", "webhook"}}) == 1);
}

TEST_CASE("an endpoint answering 500 or refusing connections is counted as failed") {
  NotifyTestServer server(EndpointBehaviour::kAnswer500);
  boost::asio::io_context io;
  dp::metrics::MetricsRegistry metrics;
  dp::notify::NotifierOptions options;
  options.webhook_url = url_of(server, "/hook");
  options.telegram_api_url = "http://127.0.0.1:1";
  options.telegram_bot_token = "t";
  options.telegram_chat_id = "c";
  dp::notify::Notifier notifier(io, options, &metrics);
  notifier.notify({EventKind::kWarehouseFailed, "batch 7", "step dim_title: deadlock"});
  REQUIRE(run_until(io, [&] {
    return metrics.value(dp::metrics::kNotificationsFailedTotal, {{"channel", "webhook"}}) == 1 &&
           metrics.value(dp::metrics::kNotificationsFailedTotal, {{"channel", "telegram"}}) == 1;
  }));
  CHECK(nlohmann::json::parse(server.received().at(0).body).at("text") ==
        "❌ warehouse run failed: batch 7 — step dim_title: deadlock");
}

TEST_CASE("URLs are parsed into scheme, host, port and target") {
  const auto https = dp::notify::parse_post_url("https://api.telegram.org/bot1/sendMessage");
  REQUIRE(https);
  CHECK(https->https);
  CHECK(https->host == "api.telegram.org");
  CHECK(https->port == "443");
  CHECK(https->target == "/bot1/sendMessage");
  const auto plain = dp::notify::parse_post_url("http://127.0.0.1:9000");
  REQUIRE(plain);
  CHECK(plain->port == "9000");
  CHECK(plain->target == "/");
  CHECK_FALSE(dp::notify::parse_post_url("ftp://x/y"));
  CHECK_FALSE(dp::notify::parse_post_url("https:///path"));
}
