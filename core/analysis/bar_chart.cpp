#include "core/analysis/bar_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

/// Position of `value` along the value axis, between `from` and `to`.
double place(double value, const Axis& axis, BarScale scale, double from, double to) {
  if (scale == BarScale::kLog) {
    const double v = std::max(value, axis.min);
    return scale_linear(std::log10(v), std::log10(axis.min), std::log10(axis.max), from, to);
  }
  return scale_linear(value, axis.min, axis.max, from, to);
}

struct Extent {
  double min_positive = 0;
  double max = 0;
  bool any = false;
};

Extent extent_of(const BarChartData& data) {
  Extent extent;
  const auto take = [&](const std::optional<double>& value) {
    if (!value) {
      return;
    }
    extent.any = true;
    extent.max = std::max(extent.max, *value);
    if (*value > 0 && (extent.min_positive == 0 || *value < extent.min_positive)) {
      extent.min_positive = *value;
    }
  };
  for (const auto& group : data.groups) {
    std::for_each(group.values.begin(), group.values.end(), take);
    std::for_each(group.markers.begin(), group.markers.end(), take);
  }
  return extent;
}

std::string value_text(double value, const BarChartData& data) {
  return format_number(value, data.decimals) + data.unit;
}

}  // namespace

std::string render_bar_chart(ChartFrame frame, const BarChartData& data) {
  const std::size_t series_count = std::max<std::size_t>(data.series.size(), 1);
  const double bar = series_count == 1 ? 20 : 13;
  const double group_height = bar * static_cast<double>(series_count) + 12;
  const bool has_legend = data.series.size() > 1 || !data.marker_name.empty();

  // Height: title, legend, rows, x axis. The marker's legend entry sits at the right end.
  const double legend_width = frame.width - 80 - (data.marker_name.empty() ? 0 : 160);
  const double legend_rows =
      has_legend ? std::max(legend_height(legend_width, data.series), 20.0) + 4 : 0;
  const double top = 44 + legend_rows;
  const auto rows = static_cast<double>(std::max<std::size_t>(data.groups.size(), 3));
  frame.height = std::max(frame.height, top + group_height * rows + 62);
  SvgCanvas canvas(frame);
  if (has_legend) {
    canvas.legend(60, 48, legend_width, data.series);
  }

  const Extent extent = extent_of(data);
  // Row labels take at most a third of the width; longer ones are cut with "…".
  const double label_room = frame.width / 3;
  double widest_label = 0;
  for (const auto& group : data.groups) {
    widest_label = std::max(
        widest_label, text_width(truncate_to_width(group.label, kTickFont, label_room), kTickFont));
  }
  double widest_value = 0;
  for (const auto& group : data.groups) {
    for (const auto& value : group.values) {
      if (value) {
        widest_value = std::max(widest_value, text_width(value_text(*value, data), kTickFont));
      }
    }
  }
  PlotArea area{34 + widest_label + 10, top, frame.width - widest_value - 24, frame.height - 58};
  canvas.axis_labels(area);
  if (!extent.any) {
    canvas.no_data(area);
    return canvas.finish();
  }

  const int max_ticks = std::max(2, static_cast<int>(area.width() / 70));
  const Axis axis = data.scale == BarScale::kLog
                        ? log_axis(extent.min_positive, extent.max)
                        : linear_axis(0, data.axis_max.value_or(extent.max), max_ticks, false);
  for (const auto& tick : axis.ticks) {
    const double x = place(tick.value, axis, data.scale, area.left, area.right);
    canvas.line(x, area.top, x, area.bottom, tick.value == axis.min ? "axis" : "grid-x");
    canvas.bottom_tick_label(x, area.bottom + 18, tick.label);
  }
  canvas.line(area.left, area.bottom, area.right, area.bottom, "axis");

  const double rows_height = group_height * static_cast<double>(data.groups.size());
  double y = area.top + std::max(0.0, (area.height() - rows_height) / 2);
  for (const auto& group : data.groups) {
    const double label_y = y + (group_height - 12) / 2 + 4;
    canvas.text(area.left - 8, label_y, truncate_to_width(group.label, kTickFont, label_room),
                "tick", "end");
    for (std::size_t s = 0; s < group.values.size(); ++s) {
      const double bar_y = y + bar * static_cast<double>(s);
      const auto& value = group.values[s];
      const std::string series_name = s < data.series.size() ? data.series[s] + ": " : "";
      std::optional<double> marker_x;
      if (s < group.markers.size() && group.markers[s]) {
        marker_x = place(*group.markers[s], axis, data.scale, area.left, area.right);
      }
      if (value) {
        const double end = place(*value, axis, data.scale, area.left, area.right);
        const bool drawable = data.scale == BarScale::kLinear || *value > 0;
        if (drawable) {
          canvas.rect(area.left, bar_y + 1, end - area.left, bar - 2, series_colour(s),
                      fmt::format("{}: {}{}", group.label, series_name, value_text(*value, data)));
        }
        // The value follows the bar, or the marker when the marker lies beyond the bar's end.
        const double after = std::max(drawable ? end : area.left, marker_x.value_or(0) + 2);
        canvas.text(after + 5, bar_y + bar / 2 + 4, value_text(*value, data), "value");
      }
      if (marker_x) {
        canvas.line(*marker_x, bar_y - 1, *marker_x, bar_y + bar + 1, "marker");
      }
    }
    y += group_height;
  }
  if (!data.marker_name.empty()) {
    const double x = frame.width - text_width(data.marker_name, kTickFont) - 40;
    canvas.line(x, 38, x, 52, "marker");
    canvas.text(x + 8, 49, data.marker_name, "legend");
  }
  return canvas.finish();
}

}  // namespace dp::analysis
