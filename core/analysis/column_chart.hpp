#pragma once

#include <string>
#include <vector>

#include "core/analysis/svg_canvas.hpp"

namespace dp::analysis {

/// Stacked columns: one column per category on the x axis (months), one coloured part per
/// series (traffic sources), so both the total and its make-up read at a glance.
struct StackedColumnData {
  /// Column labels, in order (shown thinned out when they would overlap).
  std::vector<std::string> columns;
  std::vector<std::string> series;
  /// values[series][column]; missing entries count as zero.
  std::vector<std::vector<double>> values;
  /// Unit in tooltips ("referrals").
  std::string unit;
};

std::string render_stacked_columns(const ChartFrame& frame, const StackedColumnData& data);

}  // namespace dp::analysis
