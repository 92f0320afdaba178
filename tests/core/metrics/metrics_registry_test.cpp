#include "core/metrics/metrics_registry.hpp"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/ingest/load_types.hpp"
#include "core/metrics/service_metrics.hpp"

namespace {

/// Parses exposition text back into "name{labels}" → value, skipping comments.
std::map<std::string, double> parse_samples(const std::string& text) {
  std::map<std::string, double> samples;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    const auto value = line.substr(space + 1);
    samples[line.substr(0, space)] = value == "+Inf" ? 1e300 : std::stod(value);
  }
  return samples;
}

}  // namespace

TEST_CASE("counters, gauges and label escaping render in the exposition format") {
  dp::metrics::MetricsRegistry registry;
  registry.describe("demo_files_total", dp::metrics::MetricType::kCounter, "Files seen.");
  registry.add("demo_files_total", {{"pipeline", "a"}, {"outcome", "loaded"}});
  registry.add("demo_files_total", {{"pipeline", "a"}, {"outcome", "loaded"}}, 2);
  registry.add("demo_files_total", {{"pipeline", "we\"ird\\name\n"}});
  registry.set("demo_queue_depth", {}, 7);
  const auto text = registry.render();
  CHECK(text.find("# HELP demo_files_total Files seen.\n") != std::string::npos);
  CHECK(text.find("# TYPE demo_files_total counter\n") != std::string::npos);
  CHECK(text.find("# TYPE demo_queue_depth gauge\n") != std::string::npos);
  const auto samples = parse_samples(text);
  CHECK(samples.at("demo_files_total{pipeline=\"a\",outcome=\"loaded\"}") == 3);
  CHECK(samples.at("demo_files_total{pipeline=\"we\\\"ird\\\\name\\n\"}") == 1);
  CHECK(samples.at("demo_queue_depth") == 7);
  CHECK(registry.value("demo_files_total", {{"pipeline", "a"}, {"outcome", "loaded"}}) == 3);
}

TEST_CASE("a histogram has cumulative buckets, +Inf, sum and count") {
  dp::metrics::MetricsRegistry registry;
  registry.describe_histogram("demo_seconds", "Durations.", {0.1, 1, 10});
  for (const double value : {0.05, 0.5, 0.5, 5.0, 50.0}) {
    registry.observe("demo_seconds", {}, value);
  }
  const auto samples = parse_samples(registry.render());
  CHECK(samples.at("demo_seconds_bucket{le=\"0.1\"}") == 1);
  CHECK(samples.at("demo_seconds_bucket{le=\"1\"}") == 3);
  CHECK(samples.at("demo_seconds_bucket{le=\"10\"}") == 4);
  CHECK(samples.at("demo_seconds_bucket{le=\"+Inf\"}") == 5);
  CHECK(samples.at("demo_seconds_count") == 5);
  CHECK(samples.at("demo_seconds_sum") == doctest::Approx(56.05));
}

TEST_CASE("the replica's constant label comes first on every series, histograms included") {
  dp::metrics::MetricsRegistry registry;
  registry.set_constant_labels({{"replica", "node-a-7"}});
  registry.add("demo_files_total", {{"outcome", "loaded"}});
  registry.set("demo_queue_depth", {}, 2);
  registry.describe_histogram("demo_seconds", "Durations.", {1});
  registry.observe("demo_seconds", {}, 0.5);
  const auto samples = parse_samples(registry.render());
  CHECK(samples.at("demo_files_total{replica=\"node-a-7\",outcome=\"loaded\"}") == 1);
  CHECK(samples.at("demo_queue_depth{replica=\"node-a-7\"}") == 2);
  CHECK(samples.at("demo_seconds_bucket{replica=\"node-a-7\",le=\"1\"}") == 1);
  CHECK(samples.at("demo_seconds_count{replica=\"node-a-7\"}") == 1);
  // Values are still read by a series' own labels.
  CHECK(registry.value("demo_files_total", {{"outcome", "loaded"}}) == 1);
}

TEST_CASE("concurrent writers lose no increments") {
  dp::metrics::MetricsRegistry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry] {
      for (int i = 0; i < 10000; ++i) {
        registry.add("demo_total", {{"k", "v"}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(registry.value("demo_total", {{"k", "v"}}) == 40000);
}

TEST_CASE("service metrics count outcomes by pipeline and outcome") {
  dp::metrics::MetricsRegistry registry;
  dp::metrics::declare_service_metrics(registry);
  dp::ingest::LoadOutcome loaded;
  loaded.status = dp::ingest::LoadStatus::kLoaded;
  loaded.pipeline = "user_traffic";
  loaded.rows_loaded = 100;
  loaded.rows_rejected = 2;
  loaded.size_bytes = 4096;
  loaded.seconds = 0.3;
  dp::ingest::LoadOutcome quarantined;
  quarantined.status = dp::ingest::LoadStatus::kQuarantined;
  dp::metrics::record_outcome(registry, loaded);
  dp::metrics::record_outcome(registry, loaded);
  dp::metrics::record_outcome(registry, quarantined);
  dp::metrics::record_waiting(registry, 3, std::chrono::seconds(42));
  const auto text = registry.render();
  const auto samples = parse_samples(text);
  CHECK(samples.at("dataprocessor_files_total{pipeline=\"user_traffic\",outcome=\"loaded\"}") == 2);
  CHECK(samples.at("dataprocessor_files_total{pipeline=\"none\",outcome=\"quarantined\"}") == 1);
  CHECK(samples.at("dataprocessor_rows_loaded_total{pipeline=\"user_traffic\"}") == 200);
  CHECK(samples.at("dataprocessor_rows_rejected_total{pipeline=\"user_traffic\"}") == 4);
  CHECK(samples.at("dataprocessor_bytes_loaded_total") == 8192);
  CHECK(samples.at("dataprocessor_load_duration_seconds_count") == 2);
  CHECK(samples.at("dataprocessor_load_duration_seconds_bucket{le=\"0.5\"}") == 2);
  CHECK(samples.at("dataprocessor_import_files_waiting") == 3);
  CHECK(samples.at("dataprocessor_import_oldest_file_age_seconds") == 42);
  CHECK(text.find("# TYPE dataprocessor_notifications_failed_total counter") != std::string::npos);
}
