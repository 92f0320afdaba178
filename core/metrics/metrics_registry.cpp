#include "core/metrics/metrics_registry.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace dp::metrics {

namespace {

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

std::string series_key(const Labels& labels) {
  std::string key;
  for (const auto& [name, value] : labels) {
    key += name;
    key += '\x1f';
    key += value;
    key += '\x1e';
  }
  return key;
}

std::string format_number(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  if (std::isnan(value)) {
    return "NaN";
  }
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<std::int64_t>(value));
  }
  return fmt::format("{}", value);
}

std::string label_text(const Labels& labels, const std::string& extra_name = {},
                       const std::string& extra_value = {}) {
  if (labels.empty() && extra_name.empty()) {
    return {};
  }
  std::string text = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    text += fmt::format("{}{}=\"{}\"", first ? "" : ",", name, escape_label_value(value));
    first = false;
  }
  if (!extra_name.empty()) {
    text += fmt::format("{}{}=\"{}\"", first ? "" : ",", extra_name, extra_value);
  }
  text += "}";
  return text;
}

}  // namespace

std::string escape_label_value(const std::string& value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

MetricsRegistry::Family& MetricsRegistry::family_locked(const std::string& name, MetricType type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
  }
  return it->second;
}

void MetricsRegistry::describe(const std::string& name, MetricType type, const std::string& help) {
  const std::lock_guard lock(mutex_);
  auto& family = family_locked(name, type);
  family.type = type;
  family.help = help;
}

void MetricsRegistry::describe_histogram(const std::string& name, const std::string& help,
                                         std::vector<double> bounds) {
  const std::lock_guard lock(mutex_);
  auto& family = family_locked(name, MetricType::kHistogram);
  family.type = MetricType::kHistogram;
  family.help = help;
  family.bounds = std::move(bounds);
}

void MetricsRegistry::add(const std::string& name, const Labels& labels, double delta) {
  const std::lock_guard lock(mutex_);
  auto& series = family_locked(name, MetricType::kCounter).series[series_key(labels)];
  series.labels = labels;
  series.value += delta;
}

void MetricsRegistry::set(const std::string& name, const Labels& labels, double value) {
  const std::lock_guard lock(mutex_);
  auto& series = family_locked(name, MetricType::kGauge).series[series_key(labels)];
  series.labels = labels;
  series.value = value;
}

void MetricsRegistry::observe(const std::string& name, const Labels& labels, double value) {
  const std::lock_guard lock(mutex_);
  auto& family = family_locked(name, MetricType::kHistogram);
  auto& series = family.series[series_key(labels)];
  series.labels = labels;
  series.bucket_counts.resize(family.bounds.size(), 0);
  for (std::size_t i = 0; i < family.bounds.size(); ++i) {
    if (value <= family.bounds[i]) {
      ++series.bucket_counts[i];
    }
  }
  series.value += value;
  ++series.count;
}

void MetricsRegistry::clear_series(const std::string& name) {
  const std::lock_guard lock(mutex_);
  if (const auto it = families_.find(name); it != families_.end()) {
    it->second.series.clear();
  }
}

double MetricsRegistry::value(const std::string& name, const Labels& labels) const {
  const std::lock_guard lock(mutex_);
  const auto family = families_.find(name);
  if (family == families_.end()) {
    return 0;
  }
  const auto series = family->second.series.find(series_key(labels));
  return series == family->second.series.end() ? 0 : series->second.value;
}

void MetricsRegistry::set_constant_labels(Labels labels) {
  const std::lock_guard lock(mutex_);
  constant_labels_ = std::move(labels);
}

std::string MetricsRegistry::render() const {
  const std::lock_guard lock(mutex_);
  const auto label_text = [this](const Labels& labels, const std::string& extra_name = {},
                                 const std::string& extra_value = {}) {
    if (constant_labels_.empty()) {
      return dp::metrics::label_text(labels, extra_name, extra_value);
    }
    Labels all = constant_labels_;
    all.insert(all.end(), labels.begin(), labels.end());
    return dp::metrics::label_text(all, extra_name, extra_value);
  };
  std::string out;
  for (const auto& [name, family] : families_) {
    if (!family.help.empty()) {
      out += fmt::format("# HELP {} {}\n", name, family.help);
    }
    out += fmt::format("# TYPE {} {}\n", name, type_name(family.type));
    for (const auto& [key, series] : family.series) {
      if (family.type != MetricType::kHistogram) {
        out +=
            fmt::format("{}{} {}\n", name, label_text(series.labels), format_number(series.value));
        continue;
      }
      for (std::size_t i = 0; i < family.bounds.size(); ++i) {
        out += fmt::format("{}_bucket{} {}\n", name,
                           label_text(series.labels, "le", format_number(family.bounds[i])),
                           series.bucket_counts[i]);
      }
      out += fmt::format("{}_bucket{} {}\n", name, label_text(series.labels, "le", "+Inf"),
                         series.count);
      out += fmt::format("{}_sum{} {}\n", name, label_text(series.labels),
                         format_number(series.value));
      out += fmt::format("{}_count{} {}\n", name, label_text(series.labels), series.count);
    }
  }
  return out;
}

}  // namespace dp::metrics
