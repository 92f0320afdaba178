#pragma once

#include <string>
#include <vector>

#include "core/analysis/report_data.hpp"

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

/// The DOM ids of every chart, in page order; the browser test checks each is rendered.
std::vector<std::string> report_chart_ids();

/// The habits charts: active users and minutes per day (lines), favourite habits and category
/// shares (bars).
std::vector<ReportChart> habit_charts(const ReportData& data);
/// Referrals by source per month (stacked columns) and the marketing funnel per source (bars on
/// a log scale).
std::vector<ReportChart> traffic_charts(const ReportData& data);
/// The most common titles and the titles with the most related titles.
std::vector<ReportChart> job_title_charts(const ReportData& data);
/// Average hours to assign against the assign SLA, and the share assigned within it, per team
/// and priority.
std::vector<ReportChart> support_charts(const ReportData& data);

/// Days between the first and last given day that have no value get 0: a day without records
/// had no active users, and a line must not jump over it.
std::vector<DayValue> fill_missing_days(std::vector<DayValue> values);

}  // namespace dp::analysis
