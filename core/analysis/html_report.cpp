#include "core/analysis/html_report.hpp"

#include <ctime>

#include <fmt/format.h>

#include "core/analysis/report_charts.hpp"
#include "core/analysis/report_style.hpp"
#include "core/analysis/report_table.hpp"
#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

std::string figures(const std::vector<ReportChart>& charts) {
  std::string out;
  for (const auto& chart : charts) {
    out += fmt::format(
        "<figure class=\"{}\">\n{}<figcaption>Source: view {}</figcaption>\n</figure>\n",
        chart.wide ? "wide" : "half", chart.svg, html_escape(chart.source_view));
  }
  return out;
}

std::string section(const SectionSpec& spec, const ReportData& data) {
  const ViewRows none;
  const auto rows_of = [&](const std::string& id) -> const ViewRows& {
    const auto it = data.rows.find(id);
    return it == data.rows.end() ? none : it->second;
  };
  std::vector<ReportChart> charts;
  for (const auto& chart : spec.charts) {
    charts.push_back(draw_chart(chart, rows_of(chart.id)));
  }
  std::string body = figures(charts);
  for (const auto& table : spec.tables) {
    body += render_report_table(table, rows_of(table.id));
  }
  return fmt::format(
      "<section id=\"{}\">\n<h2>{}</h2>\n<div class=\"grid\">\n{}</div>\n</section>\n",
      html_escape(spec.id), html_escape(spec.title), body);
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
  for (const auto& [name, count] : batch.counts) {
    out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", html_escape(name),
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

std::string render_report_html(const ReportSpec& spec, const ReportData& data,
                               const std::string& generated_at) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>DataProcessor analysis report</title>\n<style>";
  page += kReportCss;
  page += "</style>\n</head>\n<body>\n";
  page += header(data, generated_at);
  page += "<main>\n";
  for (const auto& part : spec.sections) {
    page += section(part, data);
  }
  page += "</main>\n";
  page +=
      "<footer>Every number on this page comes from the views in schema <code>analysis</code>; "
      "each view is also exported as a CSV file next to this page. Times are UTC.</footer>\n";
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace dp::analysis
