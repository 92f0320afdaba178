#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/analysis/svg_canvas.hpp"

namespace dp::analysis {

/// How values map to bar lengths.
enum class BarScale {
  /// From zero: durations, counts, percentages.
  kLinear,
  /// Powers of ten: values of very different sizes side by side (impressions and leads).
  kLog,
};

/// One row of a horizontal bar chart: a label and one bar per series (missing = no bar), with
/// an optional marker per series (e.g. the SLA the bar should stay under).
struct BarGroup {
  std::string label;
  std::vector<std::optional<double>> values;
  std::vector<std::optional<double>> markers;
};

/// A horizontal bar chart: one series draws plain bars, several draw grouped bars with a legend.
struct BarChartData {
  std::vector<std::string> series;
  std::vector<BarGroup> groups;
  BarScale scale = BarScale::kLinear;
  /// Decimals of the value printed at each bar's end.
  int decimals = 0;
  /// Appended to printed values (" %", " min").
  std::string unit;
  /// Fixed end of the value axis (100 for percentages); otherwise from the data.
  std::optional<double> axis_max;
  /// Legend entry of the markers, when there are any ("assign SLA").
  std::string marker_name;
};

/// Renders the chart; its height grows with the number of rows (frame.height is the minimum).
std::string render_bar_chart(ChartFrame frame, const BarChartData& data);

}  // namespace dp::analysis
