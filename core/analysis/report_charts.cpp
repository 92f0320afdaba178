#include "core/analysis/report_charts.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/analysis/bar_chart.hpp"
#include "core/analysis/chart_axis.hpp"
#include "core/analysis/column_chart.hpp"
#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

constexpr double kWide = 1140;
constexpr double kHalf = 560;

using Row = std::vector<std::optional<std::string>>;

std::string text(const Row& row, std::size_t column) {
  return row[column].value_or(std::string());
}

std::optional<double> number(const Row& row, std::size_t column) {
  return row[column] ? parse_number(*row[column]) : std::nullopt;
}

std::optional<std::int64_t> day(const Row& row, std::size_t column) {
  return row[column] ? parse_iso_date(*row[column]) : std::nullopt;
}

ChartFrame frame(const ChartSpec& chart) {
  return {chart.id,    chart.title, chart.x_label, chart.y_label, chart.wide ? kWide : kHalf,
          chart.height};
}

std::string replaced(std::string text, const std::string& placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

std::string line_chart(const ChartSpec& chart, const ViewRows& rows) {
  std::vector<DayValue> points;
  const auto x = rows.rows.empty() ? 0 : rows.index(chart.x);
  const auto y = rows.rows.empty() ? 0 : rows.index(chart.y.front());
  for (const auto& row : rows.rows) {
    if (const auto when = day(row, x)) {
      points.push_back({*when, number(row, y).value_or(0)});
    }
  }
  LineChartOptions options{chart.integers, chart.decimals, chart.unit};
  return render_line_chart(
      frame(chart),
      {{chart.series_name, chart.fill_missing_days ? fill_missing_days(points) : points}}, options);
}

BarChartData bar_options(const ChartSpec& chart) {
  BarChartData data;
  data.scale = chart.log_scale ? BarScale::kLog : BarScale::kLinear;
  data.decimals = chart.decimals;
  data.unit = chart.unit;
  data.axis_max = chart.axis_max;
  if (!chart.marker.empty()) {
    data.marker_name = chart.marker_name;
  }
  return data;
}

/// One group per row (in the query's order, at most `limit`), one bar per y column.
BarChartData bars_per_row(const ChartSpec& chart, const ViewRows& rows) {
  auto data = bar_options(chart);
  if (chart.y.size() > 1) {
    data.series = chart.y;
  }
  if (rows.rows.empty()) {
    return data;
  }
  const auto x = rows.index(chart.x);
  for (std::size_t r = 0; r < rows.rows.size() && (chart.limit == 0 || r < chart.limit); ++r) {
    const auto& row = rows.rows[r];
    BarGroup group;
    group.label = text(row, x);
    for (const auto& column : chart.y) {
      auto value = number(row, rows.index(column));
      group.values.push_back(chart.null_as_zero ? value.value_or(0) : value);
      if (!chart.marker.empty()) {
        group.markers.push_back(number(row, rows.index(chart.marker)));
      }
    }
    data.groups.push_back(std::move(group));
  }
  return data;
}

/// One group per x value (in label order), one bar per value of `series` that has a value
/// anywhere, in numeric order where the values are numbers (1, 2, …, 10).
BarChartData bars_per_series(const ChartSpec& chart, const ViewRows& rows) {
  auto data = bar_options(chart);
  if (rows.rows.empty()) {
    return data;
  }
  const auto x = rows.index(chart.x);
  const auto series = rows.index(chart.series);
  const auto y = rows.index(chart.y.front());
  std::set<std::pair<double, std::string>> ordered;
  std::map<std::string, std::optional<double>> label_marker;
  for (const auto& row : rows.rows) {
    const bool shown = std::any_of(
        chart.series_when.begin(), chart.series_when.end(),
        [&](const std::string& column) { return number(row, rows.index(column)).has_value(); });
    if (shown) {
      ordered.insert({parse_number(text(row, series)).value_or(0), text(row, series)});
    }
    if (!chart.series_marker.empty()) {
      if (const auto value = number(row, rows.index(chart.series_marker))) {
        label_marker[text(row, series)] = value;
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& entry : ordered) {
    names.push_back(entry.second);
    const auto marker = label_marker[entry.second];
    data.series.push_back(
        replaced(chart.series_label, "{series}", entry.second) +
        (marker ? replaced(chart.series_marker_label, "{marker}", format_compact(*marker)) : ""));
  }
  std::map<std::string, BarGroup> groups;
  for (const auto& row : rows.rows) {
    const auto it = std::find(names.begin(), names.end(), text(row, series));
    const auto value = number(row, y);
    if (it == names.end() || !value) {
      continue;
    }
    auto& group = groups[text(row, x)];
    group.label = text(row, x);
    group.values.resize(names.size());
    group.markers.resize(names.size());
    const auto index = static_cast<std::size_t>(it - names.begin());
    group.values[index] = value;
    if (!chart.marker.empty()) {
      group.markers[index] = number(row, rows.index(chart.marker));
    }
  }
  for (auto& [label, group] : groups) {
    data.groups.push_back(std::move(group));
  }
  return data;
}

std::int64_t month_of(std::int64_t day_number) {
  auto date = civil_from_days(day_number);
  date.day = 1;
  return days_from_civil(date);
}

std::int64_t next_month(std::int64_t day_number) {
  auto date = civil_from_days(day_number);
  date.day = 1;
  if (++date.month > 12) {
    date.month = 1;
    ++date.year;
  }
  return days_from_civil(date);
}

/// One column per month from the first to the last, one stacked part per series value (the
/// largest total at the bottom; beyond max_series the smallest are merged into one).
StackedColumnData monthly_columns(const ChartSpec& chart, const ViewRows& rows) {
  StackedColumnData data;
  data.unit = chart.unit;
  if (rows.rows.empty()) {
    return data;
  }
  const auto x = rows.index(chart.x);
  const auto series = rows.index(chart.series);
  const auto y = rows.index(chart.y.front());
  struct Point {
    std::int64_t month;
    std::string series;
    double value;
  };
  std::vector<Point> points;
  for (const auto& row : rows.rows) {
    if (const auto when = day(row, x)) {
      points.push_back({month_of(*when), text(row, series), number(row, y).value_or(0)});
    }
  }
  if (points.empty()) {
    return data;
  }
  std::map<std::string, double> totals;
  std::int64_t first = points.front().month;
  std::int64_t last = points.front().month;
  for (const auto& point : points) {
    totals[point.series] += point.value;
    first = std::min(first, point.month);
    last = std::max(last, point.month);
  }
  std::vector<std::pair<std::string, double>> ranked(totals.begin(), totals.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::map<std::string, std::size_t> series_of;
  const bool merge = chart.max_series > 0 && ranked.size() > chart.max_series;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (merge && i >= chart.max_series - 1) {
      series_of[ranked[i].first] = chart.max_series - 1;
    } else {
      series_of[ranked[i].first] = i;
      data.series.push_back(ranked[i].first);
    }
  }
  if (merge) {
    data.series.push_back(chart.other_series);
  }
  std::map<std::int64_t, std::size_t> column_of;
  for (std::int64_t month = first; month <= last; month = next_month(month)) {
    column_of[month] = data.columns.size();
    data.columns.push_back(format_iso_date(month).substr(0, 7));
  }
  data.values.assign(data.series.size(), std::vector<double>(data.columns.size(), 0.0));
  for (const auto& point : points) {
    data.values[series_of[point.series]][column_of[point.month]] += point.value;
  }
  return data;
}

}  // namespace

std::vector<DayValue> fill_missing_days(std::vector<DayValue> values) {
  std::sort(values.begin(), values.end(),
            [](const DayValue& a, const DayValue& b) { return a.day < b.day; });
  std::vector<DayValue> out;
  for (const auto& value : values) {
    while (!out.empty() && out.back().day + 1 < value.day) {
      out.push_back({out.back().day + 1, 0});
    }
    if (!out.empty() && out.back().day == value.day) {
      out.back().value += value.value;
    } else {
      out.push_back(value);
    }
  }
  return out;
}

ReportChart draw_chart(const ChartSpec& chart, const ViewRows& rows) {
  std::string svg;
  switch (chart.type) {
    case ChartType::kLine:
      svg = line_chart(chart, rows);
      break;
    case ChartType::kBar:
      svg = render_bar_chart(frame(chart), chart.series.empty() ? bars_per_row(chart, rows)
                                                                : bars_per_series(chart, rows));
      break;
    case ChartType::kColumns:
      svg = render_stacked_columns(frame(chart), monthly_columns(chart, rows));
      break;
  }
  return {chart.id, svg, "analysis." + chart.view, chart.wide};
}

}  // namespace dp::analysis
