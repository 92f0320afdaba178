#include "core/analysis/report_charts.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/analysis/bar_chart.hpp"
#include "core/analysis/column_chart.hpp"
#include "core/analysis/line_chart.hpp"
#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

constexpr double kWide = 1140;
constexpr double kHalf = 560;
/// Bars shown at most per ranking chart (the views may hold more rows).
constexpr std::size_t kTopBars = 10;
/// Distinct colours available; beyond them the smallest sources are merged into "Other".
constexpr std::size_t kMaxSeries = 10;

ChartFrame frame(std::string id, std::string title, std::string x_label, std::string y_label,
                 double width, double height) {
  return {std::move(id), std::move(title), std::move(x_label), std::move(y_label), width, height};
}

BarChartData single_series(const std::vector<NamedValue>& values, int decimals, std::string unit) {
  BarChartData data;
  data.decimals = decimals;
  data.unit = std::move(unit);
  for (std::size_t i = 0; i < values.size() && i < kTopBars; ++i) {
    data.groups.push_back({values[i].name, {values[i].value}, {}});
  }
  return data;
}

std::int64_t next_month(std::int64_t day) {
  auto date = civil_from_days(day);
  date.day = 1;
  if (++date.month > 12) {
    date.month = 1;
    ++date.year;
  }
  return days_from_civil(date);
}

StackedColumnData referral_columns(const std::vector<MonthlyReferrals>& rows) {
  StackedColumnData data;
  data.unit = "referrals";
  if (rows.empty()) {
    return data;
  }
  std::map<std::string, double> totals;
  std::int64_t first = rows.front().month;
  std::int64_t last = rows.front().month;
  for (const auto& row : rows) {
    totals[row.source] += row.referrals;
    first = std::min(first, row.month);
    last = std::max(last, row.month);
  }
  // Sources by total, largest first (the stack's bottom); the smallest merge into "Other".
  std::vector<std::pair<std::string, double>> ranked(totals.begin(), totals.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::map<std::string, std::size_t> series_of;
  const bool merge = ranked.size() > kMaxSeries;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (merge && i >= kMaxSeries - 1) {
      series_of[ranked[i].first] = kMaxSeries - 1;
    } else {
      series_of[ranked[i].first] = i;
      data.series.push_back(ranked[i].first);
    }
  }
  if (merge) {
    data.series.push_back("Other sources");
  }
  std::map<std::int64_t, std::size_t> column_of;
  for (std::int64_t month = first; month <= last; month = next_month(month)) {
    column_of[month] = data.columns.size();
    data.columns.push_back(format_iso_date(month).substr(0, 7));
  }
  data.values.assign(data.series.size(), std::vector<double>(data.columns.size(), 0.0));
  for (const auto& row : rows) {
    data.values[series_of[row.source]][column_of[row.month]] += row.referrals;
  }
  return data;
}

BarChartData funnel_bars(const std::vector<FunnelRow>& rows) {
  BarChartData data;
  data.series = {"impressions", "clicks", "leads"};
  data.scale = BarScale::kLog;
  for (const auto& row : rows) {
    data.groups.push_back({row.source, {row.impressions, row.clicks, row.leads}, {}});
  }
  return data;
}

/// Priorities that have measurements, in numeric order (1, 2, 3, ..., 10).
std::vector<std::string> measured_priorities(const std::vector<TeamRow>& rows) {
  std::set<std::pair<double, std::string>> ordered;
  for (const auto& row : rows) {
    if (row.avg_hours_to_assign || row.pct_assigned_within_sla) {
      ordered.insert({parse_number(row.priority).value_or(0), row.priority});
    }
  }
  std::vector<std::string> out;
  for (const auto& entry : ordered) {
    out.push_back(entry.second);
  }
  return out;
}

/// Teams × priorities; `pick` chooses the measure, `marker` the SLA drawn over each bar.
template <typename Pick, typename Marker>
BarChartData team_bars(const std::vector<TeamRow>& rows, Pick pick, Marker marker) {
  BarChartData data;
  const auto priorities = measured_priorities(rows);
  std::map<std::string, std::optional<double>> sla;
  for (const auto& row : rows) {
    if (row.assign_sla_hours) {
      sla[row.priority] = row.assign_sla_hours;
    }
  }
  for (const auto& priority : priorities) {
    const auto hours = sla[priority];
    data.series.push_back("priority " + priority +
                          (hours ? " (assign SLA " + format_compact(*hours) + " h)" : ""));
  }
  std::map<std::string, BarGroup> groups;
  for (const auto& row : rows) {
    const auto it = std::find(priorities.begin(), priorities.end(), row.priority);
    const auto value = pick(row);
    if (it == priorities.end() || !value) {
      continue;
    }
    auto& group = groups[row.team];
    group.label = row.team;
    group.values.resize(priorities.size());
    group.markers.resize(priorities.size());
    const auto index = static_cast<std::size_t>(it - priorities.begin());
    group.values[index] = value;
    group.markers[index] = marker(row);
  }
  for (auto& [team, group] : groups) {
    data.groups.push_back(std::move(group));
  }
  return data;
}

}  // namespace

std::vector<std::string> report_chart_ids() {
  return {"chart-active-users",  "chart-duration",       "chart-favourite-habits",
          "chart-categories",    "chart-referrals",      "chart-funnel",
          "chart-titles-pdl",    "chart-titles-related", "chart-team-sla-hours",
          "chart-team-sla-share"};
}

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

std::vector<ReportChart> habit_charts(const ReportData& data) {
  std::vector<ReportChart> charts;
  charts.push_back({"chart-active-users",
                    render_line_chart(frame("chart-active-users", "Active users per day",
                                            "day (UTC)", "active users (count)", kWide, 330),
                                      {{"active users", fill_missing_days(data.active_users)}},
                                      {true, 0, "users"}),
                    "analysis.active_users_daily", true});
  charts.push_back({"chart-duration",
                    render_line_chart(frame("chart-duration", "Total habit time per day",
                                            "day (UTC)", "total duration (minutes)", kWide, 330),
                                      {{"minutes", fill_missing_days(data.duration_minutes)}},
                                      {false, 0, "min"}),
                    "analysis.report_duration_daily", true});
  charts.push_back({"chart-favourite-habits",
                    render_bar_chart(frame("chart-favourite-habits", "Favourite habits",
                                           "total duration (minutes)", "habit", kHalf, 360),
                                     single_series(data.favourite_habits, 0, " min")),
                    "analysis.report_favourite_habits", false});
  std::vector<NamedValue> shares;
  for (const auto& category : data.categories) {
    shares.push_back({category.name, category.share_pct.value_or(0)});
  }
  auto share_bars = single_series(shares, 1, " %");
  share_bars.axis_max = 100;
  charts.push_back(
      {"chart-categories",
       render_bar_chart(frame("chart-categories", "Habit categories",
                              "share of all recorded minutes (%)", "category", kHalf, 360),
                        share_bars),
       "analysis.report_category_share", false});
  return charts;
}

std::vector<ReportChart> traffic_charts(const ReportData& data) {
  std::vector<ReportChart> charts;
  charts.push_back(
      {"chart-referrals",
       render_stacked_columns(frame("chart-referrals", "Referrals by traffic source per month",
                                    "month (UTC)", "referrals (count)", kWide, 420),
                              referral_columns(data.referrals)),
       "analysis.referrals_by_source_month", true});
  charts.push_back({"chart-funnel",
                    render_bar_chart(frame("chart-funnel", "Marketing funnel per source (all time)",
                                           "count (log scale)", "traffic source", kWide, 360),
                                     funnel_bars(data.funnel)),
                    "analysis.marketing_funnel", true});
  return charts;
}

std::vector<ReportChart> job_title_charts(const ReportData& data) {
  std::vector<ReportChart> charts;
  charts.push_back({"chart-titles-pdl",
                    render_bar_chart(frame("chart-titles-pdl", "Most common job titles",
                                           "pdl count (people)", "job title", kHalf, 380),
                                     single_series(data.titles_by_pdl_count, 0, "")),
                    "analysis.title_pdl_count", false});
  charts.push_back(
      {"chart-titles-related",
       render_bar_chart(frame("chart-titles-related", "Titles with the most related titles",
                              "distinct related titles (count)", "job title", kHalf, 380),
                        single_series(data.titles_by_related_count, 0, "")),
       "analysis.top_related_titles", false});
  return charts;
}

std::vector<ReportChart> support_charts(const ReportData& data) {
  std::vector<ReportChart> charts;
  auto hours = team_bars(
      data.teams, [](const TeamRow& row) { return row.avg_hours_to_assign; },
      [](const TeamRow& row) { return row.assign_sla_hours; });
  hours.scale = BarScale::kLog;
  hours.decimals = 2;
  hours.unit = " h";
  hours.marker_name = "assign SLA";
  charts.push_back(
      {"chart-team-sla-hours",
       render_bar_chart(
           frame("chart-team-sla-hours", "Average time to assign a case against the SLA",
                 "hours from creation to assignment (log scale)", "team", kWide, 360),
           hours),
       "analysis.team_performance", true});
  auto share = team_bars(
      data.teams, [](const TeamRow& row) { return row.pct_assigned_within_sla; },
      [](const TeamRow&) { return std::optional<double>(); });
  share.decimals = 1;
  share.unit = " %";
  share.axis_max = 100;
  charts.push_back(
      {"chart-team-sla-share",
       render_bar_chart(frame("chart-team-sla-share", "Cases assigned within the assign SLA",
                              "share of the team's cases (%)", "team", kWide, 360),
                        share),
       "analysis.team_performance", true});
  return charts;
}

}  // namespace dp::analysis
