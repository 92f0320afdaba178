// The hand-built SVG charts: well-formed and escaped markup, every chart with its title, axis
// labels and "no data" state, and geometry that follows the values and stays inside the chart.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/analysis/bar_chart.hpp"
#include "core/analysis/chart_axis.hpp"
#include "core/analysis/column_chart.hpp"
#include "core/analysis/line_chart.hpp"
#include "tests/core/analysis/svg_test_support.hpp"

using namespace dp::analysis;
using dp::test::elements_named;
using dp::test::MarkupElement;

namespace {

ChartFrame test_frame(double width = 800, double height = 320) {
  return {"chart-test", "Test <chart> & \"friends\"", "x axis (unit)", "y axis (unit)", width,
          height};
}

std::vector<MarkupElement> parse(const std::string& svg) {
  std::string error;
  auto elements = dp::test::parse_markup(svg, error);
  INFO(svg.substr(0, 2000));
  REQUIRE_MESSAGE(error.empty(), error);
  return elements;
}

std::vector<std::string> texts(const std::vector<MarkupElement>& elements) {
  std::vector<std::string> out;
  for (const auto& element : elements_named(elements, "text")) {
    out.push_back(element.text);
  }
  return out;
}

bool has_text(const std::vector<MarkupElement>& elements, const std::string& text) {
  const auto all = texts(elements);
  return std::find(all.begin(), all.end(), text) != all.end();
}

/// Every drawn shape and text lies inside the chart's viewBox.
void check_inside(const std::vector<MarkupElement>& elements, const ChartFrame& frame) {
  for (const auto& element : elements) {
    double x = 0;
    double y = 0;
    double w = 0;
    double h = 0;
    if (element.name == "rect") {
      x = element.number("x"), y = element.number("y");
      w = element.number("width"), h = element.number("height");
    } else if (element.name == "circle") {
      x = element.number("cx"), y = element.number("cy");
    } else if (element.name == "text") {
      x = element.number("x"), y = element.number("y");
    } else {
      continue;
    }
    CAPTURE(element.name);
    CAPTURE(element.text);
    CHECK(x >= 0);
    CHECK(y >= 0);
    CHECK(x + w <= frame.width + 0.5);
    CHECK(y + h <= frame.height + 0.5);
  }
}

}  // namespace

TEST_CASE("a line chart draws one marker per day, dated ticks and every label, escaped") {
  const auto first = days_from_civil({2023, 9, 16});
  LineSeries series{"users", {}};
  for (int i = 0; i < 10; ++i) {
    series.points.push_back({first + i, static_cast<double>(i % 4)});
  }
  const auto frame = test_frame();
  const auto svg = render_line_chart(frame, {series}, {true, 0, "users"});
  CHECK(svg.rfind("<svg id=\"chart-test\"", 0) == 0);
  const auto elements = parse(svg);
  CHECK(has_text(elements, "Test &lt;chart&gt; &amp; &quot;friends&quot;"));
  CHECK(has_text(elements, "x axis (unit)"));
  CHECK(has_text(elements, "y axis (unit)"));
  CHECK(has_text(elements, "2023-09-16"));
  CHECK(elements_named(elements, "polyline").size() == 1);
  const auto circles = elements_named(elements, "circle");
  REQUIRE(circles.size() == 10);
  // Later days lie further right; larger values higher up (smaller y).
  for (std::size_t i = 1; i < circles.size(); ++i) {
    CHECK(circles[i].number("cx") > circles[i - 1].number("cx"));
  }
  CHECK(circles[3].number("cy") < circles[1].number("cy"));
  CHECK(circles[0].number("cy") == circles[4].number("cy"));
  check_inside(elements, frame);
  CHECK_FALSE(has_text(elements, "No data yet"));
}

TEST_CASE("a chart without data keeps its title and axis labels and says there is no data yet") {
  const auto frame = test_frame();
  const std::vector<std::string> charts = {
      render_line_chart(frame, {{"users", {}}}, {}),
      render_bar_chart(frame, BarChartData{}),
      render_stacked_columns(frame, StackedColumnData{}),
  };
  for (const auto& svg : charts) {
    const auto elements = parse(svg);
    CHECK(has_text(elements, "No data yet"));
    CHECK(has_text(elements, "x axis (unit)"));
    CHECK(has_text(elements, "y axis (unit)"));
    CHECK(elements_named(elements, "title").size() == 1);
    CHECK(elements_named(elements, "polyline").empty());
  }
}

TEST_CASE("bar lengths are proportional to the values on a linear scale from zero") {
  BarChartData data;
  data.groups = {{"a <b>", {100.0}, {}}, {"b", {50.0}, {}}, {"c", {0.0}, {}}};
  data.unit = " min";
  const auto frame = test_frame(560, 300);
  const auto elements = parse(render_bar_chart(frame, data));
  std::vector<MarkupElement> bars;
  for (const auto& rect : elements_named(elements, "rect")) {
    if (rect.attributes.count("fill") && rect.attributes.at("fill").front() == '#' &&
        rect.number("width") > 0 && rect.number("height") > 5) {
      bars.push_back(rect);
    }
  }
  REQUIRE(bars.size() >= 2);
  CHECK(bars[0].number("width") == doctest::Approx(2 * bars[1].number("width")).epsilon(0.02));
  CHECK(bars[0].number("x") == bars[1].number("x"));
  CHECK(has_text(elements, "a &lt;b&gt;"));
  CHECK(has_text(elements, "100 min"));
  CHECK(has_text(elements, "0 min"));
  check_inside(elements, frame);
}

TEST_CASE("long row labels are cut so they never reach into the plot") {
  BarChartData data;
  const std::string long_title(120, 'x');
  data.groups = {{long_title, {5.0}, {}}, {"short", {3.0}, {}}};
  const auto frame = test_frame(560, 300);
  const auto elements = parse(render_bar_chart(frame, data));
  CHECK_FALSE(has_text(elements, long_title));
  bool found_cut = false;
  for (const auto& text : texts(elements)) {
    found_cut = found_cut || (text.find("xxx") == 0 && text.find("\u2026") != std::string::npos);
  }
  CHECK(found_cut);
  check_inside(elements, frame);
}

TEST_CASE("log-scale grouped bars: a legend, larger values longer, zero drawn as a label only") {
  BarChartData data;
  data.series = {"impressions", "clicks", "leads"};
  data.scale = BarScale::kLog;
  data.groups = {{"Email", {796358.0, 19526.0, 2031.0}, {}},
                 {"New Podcast", {500.0, 10.0, 0.0}, {}}};
  const auto frame = test_frame(1140, 300);
  const auto svg = render_bar_chart(frame, data);
  const auto elements = parse(svg);
  CHECK(has_text(elements, "impressions"));
  CHECK(has_text(elements, "leads"));
  std::vector<double> widths;
  for (const auto& rect : elements_named(elements, "rect")) {
    if (rect.number("height") == doctest::Approx(11.0)) {  // grouped bars, not legend swatches
      widths.push_back(rect.number("width"));
    }
  }
  // 5 drawn bars: the zero lead has no bar.
  REQUIRE(widths.size() == 5);
  CHECK(widths[0] > widths[1]);
  CHECK(widths[1] > widths[2]);
  CHECK(widths[3] > widths[4]);
  CHECK(has_text(elements, "0"));
  check_inside(elements, frame);
}

TEST_CASE("markers show each bar's target and get a legend entry") {
  BarChartData data;
  data.series = {"priority 1", "priority 2"};
  data.scale = BarScale::kLog;
  data.marker_name = "assign SLA";
  data.groups = {{"Team1", {0.98, 3.29}, {1.0, 3.0}}, {"Team2", {0.99, 2.51}, {1.0, 3.0}}};
  const auto elements = parse(render_bar_chart(test_frame(1140, 300), data));
  std::size_t markers = 0;
  for (const auto& line : elements_named(elements, "line")) {
    markers += line.attributes.at("class") == "marker" ? 1 : 0;
  }
  CHECK(markers == 4 + 1);  // one per bar, one in the legend
  CHECK(has_text(elements, "assign SLA"));
}

TEST_CASE("stacked columns: heights add up per column and labels are thinned to fit") {
  StackedColumnData data;
  data.series = {"Telegram", "VK"};
  for (int i = 0; i < 36; ++i) {
    data.columns.push_back("2023-" + std::to_string(10 + i));
  }
  data.values = {std::vector<double>(36, 10.0), std::vector<double>(36, 30.0)};
  data.values[0][5] = 0;
  const auto frame = test_frame(1140, 400);
  const auto elements = parse(render_stacked_columns(frame, data));
  double column_0 = 0;
  double column_5 = 0;
  double first_x = -1;
  double sixth_x = -1;
  std::vector<double> xs;
  for (const auto& rect : elements_named(elements, "rect")) {
    if (rect.attributes.count("fill") == 0 || rect.number("y") < 60) {
      continue;  // legend swatches
    }
    xs.push_back(rect.number("x"));
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  REQUIRE(xs.size() == 36);
  first_x = xs[0];
  sixth_x = xs[5];
  for (const auto& rect : elements_named(elements, "rect")) {
    if (rect.number("x") == first_x) {
      column_0 += rect.number("height");
    }
    if (rect.number("x") == sixth_x) {
      column_5 += rect.number("height");
    }
  }
  CHECK(column_0 == doctest::Approx(column_5 * 40.0 / 30.0).epsilon(0.02));
  std::size_t labels = 0;
  for (const auto& text : texts(elements)) {
    labels += text.rfind("2023-", 0) == 0 ? 1 : 0;
  }
  CHECK(labels > 3);
  CHECK(labels < 36);
  check_inside(elements, frame);
}
