#include "core/analysis/column_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

double value_at(const StackedColumnData& data, std::size_t series, std::size_t column) {
  if (series >= data.values.size() || column >= data.values[series].size()) {
    return 0;
  }
  return std::max(0.0, data.values[series][column]);
}

}  // namespace

std::string render_stacked_columns(const ChartFrame& frame, const StackedColumnData& data) {
  SvgCanvas canvas(frame);
  double top = 44;
  if (!data.series.empty()) {
    top += canvas.legend(60, 48, frame.width - 80, data.series) + 4;
  }
  std::vector<double> totals(data.columns.size(), 0.0);
  for (std::size_t c = 0; c < data.columns.size(); ++c) {
    for (std::size_t s = 0; s < data.series.size(); ++s) {
      totals[c] += value_at(data, s, c);
    }
  }
  const double high = totals.empty() ? 0 : *std::max_element(totals.begin(), totals.end());
  PlotArea area{0, top, frame.width - 28, frame.height - 58};
  const Axis axis = linear_axis(0, high, std::max(2, static_cast<int>(area.height() / 44)), true);
  double widest = 0;
  for (const auto& tick : axis.ticks) {
    widest = std::max(widest, text_width(tick.label, kTickFont));
  }
  area.left = 34 + widest + 10;
  canvas.axis_labels(area);
  if (data.columns.empty() || high <= 0) {
    canvas.no_data(area);
    return canvas.finish();
  }
  canvas.value_axis_left(area, axis);

  const double slot = area.width() / static_cast<double>(data.columns.size());
  const double column_width = std::max(1.0, slot * 0.72);
  double widest_label = 0;
  for (const auto& label : data.columns) {
    widest_label = std::max(widest_label, text_width(label, kTickFont));
  }
  // Label every n-th column so that labels keep at least 12 units between them.
  const auto every = static_cast<std::size_t>(std::max(1.0, std::ceil((widest_label + 12) / slot)));
  for (std::size_t c = 0; c < data.columns.size(); ++c) {
    const double x = area.left + slot * static_cast<double>(c) + (slot - column_width) / 2;
    double y = area.bottom;
    for (std::size_t s = 0; s < data.series.size(); ++s) {
      const double value = value_at(data, s, c);
      if (value <= 0) {
        continue;
      }
      const double height = scale_linear(value, 0, axis.max, 0, area.height());
      canvas.rect(x, y - height, column_width, height, series_colour(s),
                  fmt::format("{} \u00b7 {}: {} {}", data.columns[c], data.series[s],
                              format_number(value, 0), data.unit));
      y -= height;
    }
    if (c % every == 0) {
      const double middle = x + column_width / 2;
      canvas.line(middle, area.bottom, middle, area.bottom + 5, "axis");
      canvas.bottom_tick_label(middle, area.bottom + 20, data.columns[c]);
    }
  }
  return canvas.finish();
}

}  // namespace dp::analysis
