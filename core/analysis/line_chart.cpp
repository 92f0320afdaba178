#include "core/analysis/line_chart.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

constexpr std::size_t kMaxMarkers = 62;

/// Left margin: the rotated axis label, then the widest tick label.
double left_margin(const Axis& axis) {
  double widest = 0;
  for (const auto& tick : axis.ticks) {
    widest = std::max(widest, text_width(tick.label, kTickFont));
  }
  return 34 + widest + 10;
}

}  // namespace

std::string render_line_chart(const ChartFrame& frame, const std::vector<LineSeries>& series,
                              const LineChartOptions& options) {
  SvgCanvas canvas(frame);
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  double low = 0;
  double high = 0;
  std::vector<std::string> names;
  for (const auto& line : series) {
    names.push_back(line.name);
    for (const auto& point : line.points) {
      first = std::min(first, point.day);
      last = std::max(last, point.day);
      low = std::min(low, point.value);
      high = std::max(high, point.value);
    }
  }
  double top = 44;
  if (series.size() > 1) {
    top += canvas.legend(60, 48, frame.width - 80, names) + 4;
  }
  const bool empty = first > last;
  PlotArea area{0, top, frame.width - 28, frame.height - 58};
  const Axis y_axis =
      linear_axis(low, high, std::max(2, static_cast<int>(area.height() / 44)), options.integers);
  area.left = left_margin(y_axis);
  canvas.axis_labels(area);
  if (empty) {
    canvas.no_data(area);
    return canvas.finish();
  }
  canvas.value_axis_left(area, y_axis);

  // A single day still gets a visible span around it.
  const double x_min = static_cast<double>(first == last ? first - 1 : first);
  const double x_max = static_cast<double>(first == last ? last + 1 : last);
  const double label_width = text_width("0000-00-00", kTickFont) + 28;
  const auto ticks = date_ticks(static_cast<std::int64_t>(x_min), static_cast<std::int64_t>(x_max),
                                std::max(2, static_cast<int>(area.width() / label_width)));
  for (const auto& tick : ticks) {
    const double x = scale_linear(tick.value, x_min, x_max, area.left, area.right);
    canvas.line(x, area.top, x, area.bottom, "grid-x");
    canvas.line(x, area.bottom, x, area.bottom + 5, "axis");
    canvas.bottom_tick_label(x, area.bottom + 20, tick.label);
  }

  for (std::size_t i = 0; i < series.size(); ++i) {
    auto points = series[i].points;
    std::sort(points.begin(), points.end(),
              [](const DayValue& a, const DayValue& b) { return a.day < b.day; });
    std::vector<std::pair<double, double>> xy;
    for (const auto& point : points) {
      xy.emplace_back(
          scale_linear(static_cast<double>(point.day), x_min, x_max, area.left, area.right),
          scale_linear(point.value, y_axis.min, y_axis.max, area.bottom, area.top));
    }
    const auto colour = series_colour(i);
    canvas.polyline(xy, colour);
    if (points.size() <= kMaxMarkers) {
      for (std::size_t k = 0; k < points.size(); ++k) {
        canvas.circle(xy[k].first, xy[k].second, 3.5, colour,
                      fmt::format("{}: {} {}", format_iso_date(points[k].day),
                                  format_number(points[k].value, options.decimals), options.unit));
      }
    }
  }
  return canvas.finish();
}

}  // namespace dp::analysis
