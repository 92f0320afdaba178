#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/svg_canvas.hpp"

namespace dp::analysis {

/// One value of a day (the day as days since 1970-01-01, see days_from_civil).
struct DayValue {
  std::int64_t day = 0;
  double value = 0;
};

/// A named line; points need not be sorted.
struct LineSeries {
  std::string name;
  std::vector<DayValue> points;
};

/// How values of a line chart are shown.
struct LineChartOptions {
  /// Whole-number axis steps (counts).
  bool integers = false;
  /// Decimals in tooltips.
  int decimals = 0;
  /// Unit in tooltips ("users", "min").
  std::string unit;
};

/// A time line chart (x: dates, y: values from zero): active users and minutes per day. With
/// more than one series a legend is drawn; with few points each point gets a marker.
std::string render_line_chart(const ChartFrame& frame, const std::vector<LineSeries>& series,
                              const LineChartOptions& options);

}  // namespace dp::analysis
