#include "core/analysis/svg_canvas.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

constexpr std::array<std::string_view, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                       "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                       "#9c755f", "#bab0ac"};

/// Coordinates with one decimal: enough for a screen, and it keeps the page small.
std::string num(double value) {
  return fmt::format("{:.1f}", value);
}

constexpr double kLegendRow = 20;
constexpr double kLegendSwatch = 12;

struct LegendItem {
  double x = 0;
  double y = 0;
  std::string label;
};

/// Where each legend entry goes: left to right, wrapping to a new row at `max_width`.
std::vector<LegendItem> layout_legend(double x, double y, double max_width,
                                      const std::vector<std::string>& names) {
  std::vector<LegendItem> items;
  double cursor = x;
  double row_y = y;
  for (const auto& name : names) {
    auto label = truncate_to_width(name, kTickFont, 220);
    const double width = kLegendSwatch + 6 + text_width(label, kTickFont) + 18;
    if (cursor > x && cursor + width > x + max_width) {
      cursor = x;
      row_y += kLegendRow;
    }
    items.push_back({cursor, row_y, std::move(label)});
    cursor += width;
  }
  return items;
}

}  // namespace

double legend_height(double max_width, const std::vector<std::string>& names) {
  const auto items = layout_legend(0, 0, max_width, names);
  return items.empty() ? 0 : items.back().y + kLegendRow;
}

std::string_view series_colour(std::size_t index) {
  return kPalette[index % kPalette.size()];
}

double scale_linear(double value, double axis_min, double axis_max, double from, double to) {
  if (axis_max - axis_min == 0) {
    return from;
  }
  return from + (value - axis_min) / (axis_max - axis_min) * (to - from);
}

SvgCanvas::SvgCanvas(const ChartFrame& frame) : frame_(frame) {
  out_ = fmt::format(
      "<svg id=\"{}\" class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"{}-title\" preserveAspectRatio=\"xMidYMin meet\">\n"
      "<title id=\"{}-title\">{}</title>\n",
      html_escape(frame.id), num(frame.width), num(frame.height), html_escape(frame.id),
      html_escape(frame.id), html_escape(frame.title));
  text(12, 24, frame.title, "chart-title");
}

void SvgCanvas::text(double x, double y, std::string_view content, std::string_view css_class,
                     std::string_view anchor, double rotate) {
  const std::string transform =
      rotate == 0 ? std::string()
                  : fmt::format(" transform=\"rotate({} {} {})\"", num(rotate), num(x), num(y));
  out_ += fmt::format("<text x=\"{}\" y=\"{}\" class=\"{}\" text-anchor=\"{}\"{}>{}</text>\n",
                      num(x), num(y), html_escape(css_class), html_escape(anchor), transform,
                      html_escape(content));
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, std::string_view css_class) {
  out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\"/>\n", num(x1),
                      num(y1), num(x2), num(y2), html_escape(css_class));
}

void SvgCanvas::rect(double x, double y, double width, double height, std::string_view colour,
                     std::string_view tooltip) {
  out_ += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
      num(x), num(y), num(std::max(width, 0.0)), num(std::max(height, 0.0)), html_escape(colour),
      html_escape(tooltip));
}

void SvgCanvas::polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view colour) {
  std::string coordinates;
  for (const auto& [x, y] : points) {
    coordinates += num(x) + "," + num(y) + " ";
  }
  out_ += fmt::format("<polyline class=\"series\" points=\"{}\" stroke=\"{}\"/>\n", coordinates,
                      html_escape(colour));
}

void SvgCanvas::circle(double x, double y, double radius, std::string_view colour,
                       std::string_view tooltip) {
  out_ +=
      fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"><title>{}</title></circle>\n",
                  num(x), num(y), num(radius), html_escape(colour), html_escape(tooltip));
}

void SvgCanvas::bottom_tick_label(double x, double y, std::string_view label) {
  const double half = text_width(label, kTickFont) / 2;
  text(std::clamp(x, half + 4, frame_.width - half - 4), y, label, "tick", "middle");
}

void SvgCanvas::axis_labels(const PlotArea& area) {
  const double middle_y = (area.top + area.bottom) / 2;
  text(18, middle_y, frame_.y_label, "axis-label", "middle", -90);
  text((area.left + area.right) / 2, frame_.height - 12, frame_.x_label, "axis-label", "middle");
}

void SvgCanvas::value_axis_left(const PlotArea& area, const Axis& axis) {
  for (const auto& tick : axis.ticks) {
    const double y = scale_linear(tick.value, axis.min, axis.max, area.bottom, area.top);
    line(area.left, y, area.right, y, tick.value == axis.min ? "axis" : "grid");
    text(area.left - 8, y + 4, tick.label, "tick", "end");
  }
  line(area.left, area.top, area.left, area.bottom, "axis");
}

double SvgCanvas::legend(double x, double y, double max_width,
                         const std::vector<std::string>& names) {
  const auto items = layout_legend(x, y, max_width, names);
  for (std::size_t i = 0; i < items.size(); ++i) {
    out_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                        num(items[i].x), num(items[i].y - kLegendSwatch + 2), num(kLegendSwatch),
                        num(kLegendSwatch), series_colour(i));
    text(items[i].x + kLegendSwatch + 6, items[i].y + 1, items[i].label, "legend");
  }
  return legend_height(max_width, names);
}

void SvgCanvas::no_data(const PlotArea& area) {
  out_ +=
      fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"no-data-box\"/>\n",
                  num(area.left), num(area.top), num(area.width()), num(area.height()));
  text((area.left + area.right) / 2, (area.top + area.bottom) / 2, "No data yet", "no-data",
       "middle");
}

std::string SvgCanvas::finish() {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace dp::analysis
