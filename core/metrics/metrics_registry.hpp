#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace dp::metrics {

/// Label name/value pairs of one series, e.g. {{"pipeline", "<kind>"}, {"outcome",
/// "loaded"}}; order is kept as given so the output is stable.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Kind of a metric family, as Prometheus' `# TYPE` line names it.
enum class MetricType { kCounter, kGauge, kHistogram };

/// Thread-safe store of counters, gauges and histograms that renders the Prometheus text
/// exposition format, so /metrics needs no client library. Workers and the io thread both write.
class MetricsRegistry {
 public:
  /// Declares a family (name, HELP text, TYPE) so it is rendered even before its first value.
  void describe(const std::string& name, MetricType type, const std::string& help);
  /// Declares a histogram with its upper bucket bounds (ascending; +Inf is implicit).
  void describe_histogram(const std::string& name, const std::string& help,
                          std::vector<double> bounds);
  /// Adds `delta` (>= 0) to a counter series; undeclared names are declared as counters.
  void add(const std::string& name, const Labels& labels = {}, double delta = 1);
  /// Sets a gauge series; undeclared names are declared as gauges.
  void set(const std::string& name, const Labels& labels, double value);
  /// Records one observation in a histogram declared with describe_histogram().
  void observe(const std::string& name, const Labels& labels, double value);
  /// Removes every series of a family (gauges whose label set changes, e.g. a last run).
  void clear_series(const std::string& name);
  /// Current value of a counter or gauge series, 0 when absent (tests, the stale check).
  double value(const std::string& name, const Labels& labels = {}) const;
  /// Labels put first on every series rendered (the replica's name), so that series from
  /// replicas scraped together stay apart without relabelling rules.
  void set_constant_labels(Labels labels);
  /// The whole registry in the Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  struct Series {
    Labels labels;
    double value = 0;
    std::vector<std::uint64_t> bucket_counts;
    std::uint64_t count = 0;
  };
  struct Family {
    MetricType type = MetricType::kCounter;
    std::string help;
    std::vector<double> bounds;
    std::map<std::string, Series> series;
  };
  Family& family_locked(const std::string& name, MetricType type);

  mutable std::mutex mutex_;
  Labels constant_labels_;
  std::map<std::string, Family> families_;
};

/// Escapes a label value for the exposition format (backslash, quote, newline).
std::string escape_label_value(const std::string& value);

}  // namespace dp::metrics
