#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/analysis/chart_axis.hpp"

namespace dp::analysis {

/// What every chart of the report has: an element id (tests and links find it), a title, the
/// label of each axis with its unit, and its size in SVG units (the page scales it to fit).
struct ChartFrame {
  std::string id;
  std::string title;
  std::string x_label;
  std::string y_label;
  double width = 1120;
  double height = 360;
};

/// The plot rectangle inside a chart, between the axes.
struct PlotArea {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

/// Fill colour of the n-th series: Tableau's ten colours, which stay distinguishable for most
/// colour-blind readers and in greyscale print; they repeat after ten.
std::string_view series_colour(std::size_t index);

/// Font sizes of the report's charts, shared so that margins computed from text widths match
/// what the browser draws.
inline constexpr double kTitleFont = 16;
inline constexpr double kLabelFont = 13;
inline constexpr double kTickFont = 12;

/// Builds one inline `<svg>` element as text. Every string that reaches the markup goes
/// through html_escape here, so chart code cannot forget it; styling comes from the page's
/// CSS classes (chart-title, axis-label, tick, grid, axis, value, legend, no-data).
class SvgCanvas {
 public:
  /// Opens the element with the frame's id, an accessible name and the title drawn on top.
  explicit SvgCanvas(const ChartFrame& frame);

  /// Text anchored at (x, y); `anchor` is start, middle or end; `rotate` turns it about (x, y).
  void text(double x, double y, std::string_view content, std::string_view css_class,
            std::string_view anchor = "start", double rotate = 0);
  void line(double x1, double y1, double x2, double y2, std::string_view css_class);
  /// A filled rectangle with a hover tooltip (`<title>`), e.g. a bar and its exact value.
  void rect(double x, double y, double width, double height, std::string_view colour,
            std::string_view tooltip);
  /// A line through `points` (already in SVG coordinates).
  void polyline(const std::vector<std::pair<double, double>>& points, std::string_view colour);
  /// A point marker with a tooltip.
  void circle(double x, double y, double radius, std::string_view colour, std::string_view tooltip);

  /// A tick label centred under `x`, shifted inwards where it would be cut at the chart's edge.
  void bottom_tick_label(double x, double y, std::string_view label);
  /// The frame's y-axis label (rotated, left edge) and x-axis label (bottom centre).
  void axis_labels(const PlotArea& area);
  /// Horizontal grid lines and left tick labels of a value axis mapped onto the plot's height.
  void value_axis_left(const PlotArea& area, const Axis& axis);
  /// A legend of coloured squares and names, wrapped to `max_width`, starting at (x, y); returns
  /// the height it took, so the plot can start below it.
  double legend(double x, double y, double max_width, const std::vector<std::string>& names);
  /// "No data yet" in the middle of the plot, for a chart whose view is still empty.
  void no_data(const PlotArea& area);

  /// Closes the element and returns the markup.
  std::string finish();

  const ChartFrame& frame() const { return frame_; }

 private:
  ChartFrame frame_;
  std::string out_;
};

/// The height SvgCanvas::legend will take for `names` wrapped to `max_width`, so a chart can
/// size itself before drawing.
double legend_height(double max_width, const std::vector<std::string>& names);

/// Where `value` falls between `from` and `to` on a linear axis.
double scale_linear(double value, double axis_min, double axis_max, double from, double to);

}  // namespace dp::analysis
