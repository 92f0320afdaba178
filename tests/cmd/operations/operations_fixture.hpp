#pragma once

// What the end-to-end operations tests add to the watch fixture: a free loopback port for the
// service's HTTP server, a small HTTP GET client, a parser of the Prometheus text the service
// serves, and the events a loopback webhook received.

#include <utility>

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "tests/cmd/watch/watch_fixture.hpp"
#include "tests/core/notify/notify_test_server.hpp"

namespace dp::test {

/// A loopback port nobody listens on right now, for the service's http_port.
inline int free_loopback_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

/// Status and body of one answer; status 0 when nothing answered.
struct HttpAnswer {
  int status = 0;
  std::string body;
};

/// GET http://127.0.0.1:port/target with a 5 s limit.
inline HttpAnswer http_get(int port, const std::string& target) {
  namespace beast = boost::beast;
  namespace http = boost::beast::http;
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                  static_cast<unsigned short>(port)));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return {static_cast<int>(response.result_int()), response.body()};
  } catch (const std::exception&) {
    return {};
  }
}

/// One sample line of the exposition text.
struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// Parses `name{a="x",b="y"} value` lines; comments and blank lines are skipped.
inline std::vector<MetricSample> parse_metrics(const std::string& text) {
  std::vector<MetricSample> samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    MetricSample sample;
    const auto brace = line.find('{');
    const auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    if (brace != std::string::npos && brace < space) {
      sample.name = line.substr(0, brace);
      const auto close = line.rfind('}');
      REQUIRE(close != std::string::npos);
      std::string labels = line.substr(brace + 1, close - brace - 1);
      std::size_t at = 0;
      while (at < labels.size()) {
        const auto equals = labels.find("=\"", at);
        REQUIRE(equals != std::string::npos);
        const auto end = labels.find('"', equals + 2);
        REQUIRE(end != std::string::npos);
        sample.labels[labels.substr(at, equals - at)] = labels.substr(equals + 2, end - equals - 2);
        at = end + 1;
        if (at < labels.size() && labels[at] == ',') {
          ++at;
        }
      }
    } else {
      sample.name = line.substr(0, space);
    }
    sample.value = std::stod(line.substr(space + 1));
    samples.push_back(std::move(sample));
  }
  return samples;
}

/// The value of the series `name` whose labels are exactly `labels` besides the `replica` label
/// every series carries; nullopt when absent.
inline std::optional<double> metric_value(const std::vector<MetricSample>& samples,
                                          const std::string& name,
                                          const std::map<std::string, std::string>& labels = {}) {
  for (const auto& sample : samples) {
    auto own = sample.labels;
    own.erase("replica");
    if (sample.name == name && own == labels) {
      return sample.value;
    }
  }
  return std::nullopt;
}

/// The webhook JSON bodies a loopback endpoint received, in order of arrival.
inline std::vector<nlohmann::json> webhook_events(const NotifyTestServer& server) {
  std::vector<nlohmann::json> events;
  for (const auto& post : server.received()) {
    events.push_back(nlohmann::json::parse(post.body));
  }
  return events;
}

/// The "event" fields of the webhook bodies, in order.
inline std::vector<std::string> webhook_event_names(const NotifyTestServer& server) {
  std::vector<std::string> names;
  for (const auto& event : webhook_events(server)) {
    names.push_back(event.at("event").get<std::string>());
  }
  return names;
}

/// A sql/ folder with the real migrations and tests/data/warehouse/<fixture> as its warehouse
/// steps, so a test decides whether a run fails.
class WarehouseSqlFolder {
 public:
  explicit WarehouseSqlFolder(const std::string& fixture) {
    fs::copy(fs::path(DP_SOURCE_DIR) / "sql" / "migrations", dir_.path() / "migrations",
             fs::copy_options::recursive);
    fs::copy(fs::path(DP_TEST_DATA_DIR) / "warehouse" / fixture, dir_.path() / "warehouse",
             fs::copy_options::recursive);
  }
  const fs::path& path() const { return dir_.path(); }

 private:
  TempDir dir_;
};

}  // namespace dp::test
