#include "core/analysis/html_report.hpp"

#include <ctime>

#include <fmt/format.h>

#include "core/analysis/report_charts.hpp"
#include "core/analysis/report_style.hpp"
#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

std::string optional_number(const std::optional<double>& value, int decimals,
                            const std::string& suffix = "") {
  return value ? format_number(*value, decimals) + suffix : std::string("\u2013");
}

std::string percent(const std::optional<double>& ratio) {
  return ratio ? format_number(*ratio * 100, 2) + " %" : std::string("\u2013");
}

std::string figures(const std::vector<ReportChart>& charts) {
  std::string out;
  for (const auto& chart : charts) {
    out += fmt::format(
        "<figure class=\"{}\">\n{}<figcaption>Source: view {}</figcaption>\n</figure>\n",
        chart.wide ? "wide" : "half", chart.svg, html_escape(chart.source_view));
  }
  return out;
}

std::string section(const std::string& id, const std::string& title, const std::string& body) {
  return fmt::format(
      "<section id=\"{}\">\n<h2>{}</h2>\n<div class=\"grid\">\n{}</div>\n</section>\n", id,
      html_escape(title), body);
}

std::string funnel_table(const std::vector<FunnelRow>& rows) {
  if (rows.empty()) {
    return {};
  }
  std::string out =
      "<div class=\"table-wrap\"><h3>Marketing funnel per source</h3>\n<table id=\"table-funnel\">"
      "<thead><tr><th>Source</th><th>Channel</th><th class=\"num\">Ad spend</th>"
      "<th class=\"num\">Impressions</th><th class=\"num\">Clicks</th><th class=\"num\">Leads</th>"
      "<th class=\"num\">Revenue</th><th class=\"num\">CTR</th><th class=\"num\">Lead rate</th>"
      "<th class=\"num\">Cost per lead</th><th class=\"num\">ROAS</th></tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        html_escape(row.source), html_escape(row.channel), optional_number(row.ad_spend, 2),
        optional_number(row.impressions, 0), optional_number(row.clicks, 0),
        optional_number(row.leads, 0), optional_number(row.revenue, 2), percent(row.ctr),
        percent(row.lead_rate), optional_number(row.cost_per_lead, 2),
        optional_number(row.roas, 2, "\u00d7"));
  }
  return out + "</tbody></table></div>\n";
}

/// An average in hours next to its SLA; marked when it exceeds the SLA.
std::string hours_cell(const std::optional<double>& hours, const std::optional<double>& sla) {
  const bool over = hours && sla && *hours > *sla;
  return fmt::format("<td class=\"num{}\">{}</td><td class=\"num\">{}</td>", over ? " over" : "",
                     optional_number(hours, 2), optional_number(sla, 0));
}

std::string team_table(const std::vector<TeamRow>& rows) {
  if (rows.empty()) {
    return {};
  }
  std::string out =
      "<div class=\"table-wrap\"><h3>Team performance per priority (hours from case "
      "creation; red: average above the SLA)</h3>\n<table id=\"table-teams\"><thead><tr>"
      "<th>Team</th><th>Priority</th><th class=\"num\">Cases</th>"
      "<th class=\"num\">Avg h to assign</th><th class=\"num\">Assign SLA h</th>"
      "<th class=\"num\">Avg h to respond</th><th class=\"num\">Response SLA h</th>"
      "<th class=\"num\">Avg h to resolve</th><th class=\"num\">Resolve SLA h</th>"
      "<th class=\"num\">Assigned within SLA</th></tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>{}{}{}"
        "<td class=\"num\">{}</td></tr>\n",
        html_escape(row.team), html_escape(row.priority), format_number(row.cases, 0),
        hours_cell(row.avg_hours_to_assign, row.assign_sla_hours),
        hours_cell(row.avg_hours_to_response, row.response_sla_hours),
        hours_cell(row.avg_hours_to_resolve, row.resolve_sla_hours),
        optional_number(row.pct_assigned_within_sla, 1, " %"));
  }
  return out + "</tbody></table></div>\n";
}

std::string header(const ReportData& data, const std::string& generated_at) {
  std::string out = "<header>\n<h1>DataProcessor analysis report</h1>\n";
  if (!data.batch) {
    out += fmt::format(
        "<p class=\"meta\">Generated {}. The warehouse has no data yet.</p>\n"
        "<p class=\"banner\" id=\"no-data\"><strong>No data yet.</strong> Drop files into "
        "<code>imports/</code> (or run <code>dataprocessor --ingest FILE...</code>), build the "
        "warehouse with <code>dataprocessor --pipeline</code>, then run "
        "<code>dataprocessor --analysis</code> again.</p>\n</header>\n",
        html_escape(generated_at));
    return out;
  }
  const auto& batch = *data.batch;
  out += fmt::format(
      "<p class=\"meta\" id=\"report-meta\">Generated {} from warehouse batch <strong>{}</strong> "
      "({} run, finished {} UTC).</p>\n<dl class=\"counts\">\n",
      html_escape(generated_at), html_escape(batch.batch_id), html_escape(batch.mode),
      html_escape(batch.finished_at));
  const std::pair<const char*, std::int64_t> counts[] = {
      {"Referrals", batch.referrals},
      {"Marketing source-days", batch.marketing_days},
      {"Job titles", batch.job_titles},
      {"Habit records", batch.habit_records},
      {"Support cases", batch.cases}};
  for (const auto& [name, count] : counts) {
    out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", name,
                       format_number(static_cast<double>(count), 0));
  }
  return out + "</dl>\n</header>\n";
}

}  // namespace

std::string format_generated_at(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string render_report_html(const ReportData& data, const std::string& generated_at) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>DataProcessor analysis report</title>\n<style>";
  page += kReportCss;
  page += "</style>\n</head>\n<body>\n";
  page += header(data, generated_at);
  page += "<main>\n";
  page += section("habits", "Habits", figures(habit_charts(data)));
  page += section("course-traffic", "Course traffic",
                  figures(traffic_charts(data)) + funnel_table(data.funnel));
  page += section("job-titles", "Job titles", figures(job_title_charts(data)));
  page += section("support-desk", "Support desk",
                  figures(support_charts(data)) + team_table(data.teams));
  page += "</main>\n";
  page +=
      "<footer>Every number on this page comes from the views in schema <code>analysis</code>; "
      "each view is also exported as a CSV file next to this page. Times are UTC.</footer>\n";
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace dp::analysis
