#pragma once

#include <string>
#include <vector>

#include "core/analysis/line_chart.hpp"
#include "core/analysis/report_data.hpp"
#include "core/analysis/report_spec.hpp"

namespace dp::analysis {

/// One chart of report.html: its inline SVG and the view its numbers come from (shown under
/// the chart so a reader can find the same numbers in the CSV exports).
struct ReportChart {
  std::string id;
  std::string svg;
  std::string source_view;
  /// Spans the page's full width (time lines, months, sources) rather than half of it.
  bool wide = true;
};

/// Draws a declared chart from its rows with the chart type it names (line, bar, columns).
ReportChart draw_chart(const ChartSpec& chart, const ViewRows& rows);

/// Days between the first and last given day that have no value get 0: a day without records
/// had no active users, and a line must not jump over it.
std::vector<DayValue> fill_missing_days(std::vector<DayValue> values);

}  // namespace dp::analysis
