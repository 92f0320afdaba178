// report.html as a document, drawn from the repository's report.toml declarations: self-contained,
// escaped, every declared chart present, the two states (no data yet / data from a named batch),
// and the number formats the declarations give (the views keep full precision).
#include "core/analysis/html_report.hpp"

#include <doctest/doctest.h>

#include "core/analysis/chart_axis.hpp"
#include "core/analysis/report_charts.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"
#include "tests/core/analysis/svg_test_support.hpp"

using namespace dp::analysis;

namespace {

using Cells = std::vector<std::optional<std::string>>;

ViewRows rows(std::vector<std::string> columns, std::vector<Cells> values) {
  return {std::move(columns), std::move(values)};
}

ReportSpec repository_spec() {
  return load_report_spec(dp::test::source_views_dir());
}

ReportData hostile_data() {
  ReportData data;
  data.batch = ReportBatch{"7", "incremental", "2024-05-01 10:00:00", {{"Habit records", 12345}}};
  data.rows["chart-active-users"] =
      rows({"record_day", "active_users"}, {{"2020-12-31", "1"}, {"2021-01-04", "3"}});
  data.rows["chart-favourite-habits"] = rows(
      {"habit_name", "total_duration"}, {{"<script>alert(1)</script>", "90"}, {"reading", "30"}});
  data.rows["chart-referrals"] =
      rows({"month", "referrals", "source_name"},
           {{"2024-01-01", "3", "Telegram \"Channel\""}, {"2024-03-01", "2", "VK"}});
  data.rows["table-funnel"] =
      rows({"source_name", "channel", "ad_spend", "impressions", "clicks", "leads", "revenue",
            "ctr", "lead_rate", "cost_per_lead", "roas"},
           {{"Email <Campaign>", "email", "10.5", "1000", "50", "5", "20", "0.05", "0.1", "2.1",
             "1.904761904761904761"},
            {"Partner Blog", "referral", "150.5", "1000", "0", "0", "10", "0", std::nullopt,
             std::nullopt, "0.066445182724252492"}});
  data.rows["chart-titles-pdl"] =
      rows({"job_title", "pdl_count"}, {{"c'e'o", "100"}, {"autónomo", "50"}});
  const std::vector<std::string> team_columns{"team",
                                              "priority",
                                              "cases",
                                              "avg_hours_to_assign",
                                              "assign_sla_hours",
                                              "avg_hours_to_response",
                                              "response_sla_hours",
                                              "avg_hours_to_resolve",
                                              "resolve_sla_hours",
                                              "pct_assigned_within_sla"};
  const std::vector<Cells> teams{
      {"Team<1>", "1", "31", "0.98", "1", "3.61", "3", "108.13", "100", "61.3"},
      {"Team<1>", "2", "12", "5.5", "3", "7", "8", "20", "48", "40"},
      {"Unknown", "9", "1", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
       std::nullopt, std::nullopt}};
  data.rows["table-teams"] = rows(team_columns, teams);
  data.rows["chart-team-sla-hours"] = rows(team_columns, teams);
  data.rows["chart-team-sla-share"] = rows(team_columns, teams);
  return data;
}

}  // namespace

TEST_CASE("an empty warehouse gives a page that says there is no data yet, with every chart") {
  const auto spec = repository_spec();
  const auto page = render_report_html(spec, ReportData{}, "2024-05-01 12:00:00 UTC");
  std::string error;
  const auto elements = dp::test::parse_markup(page, error);
  REQUIRE_MESSAGE(error.empty(), error);
  CHECK(page.find("No data yet.") != std::string::npos);
  CHECK(page.find("id=\"no-data\"") != std::string::npos);
  CHECK(page.find("Generated 2024-05-01 12:00:00 UTC") != std::string::npos);
  CHECK(page.find("warehouse batch") == std::string::npos);
  REQUIRE(chart_ids(spec).size() == 10);
  for (const auto& id : chart_ids(spec)) {
    CAPTURE(id);
    CHECK(page.find("<svg id=\"" + id + "\"") != std::string::npos);
  }
  // Sections in their declared order.
  const auto habits = page.find("<section id=\"habits\"");
  const auto traffic = page.find("<section id=\"course-traffic\"");
  const auto titles = page.find("<section id=\"job-titles\"");
  const auto support = page.find("<section id=\"support-desk\"");
  CHECK(habits < traffic);
  CHECK(traffic < titles);
  CHECK(titles < support);
  CHECK(support != std::string::npos);
}

TEST_CASE("the page names the batch, escapes every value and needs nothing from outside") {
  const auto spec = repository_spec();
  const auto page = render_report_html(spec, hostile_data(), "2024-05-01 12:00:00 UTC");
  std::string error;
  const auto elements = dp::test::parse_markup(page, error);
  REQUIRE_MESSAGE(error.empty(), error);
  CHECK(page.find("warehouse batch <strong>7</strong> (incremental run, finished 2024-05-01 "
                  "10:00:00 UTC)") != std::string::npos);
  CHECK(page.find("<dt>Habit records</dt><dd>12,345</dd>") != std::string::npos);
  CHECK(page.find("id=\"no-data\"") == std::string::npos);
  // Self-contained: no script, no external style sheet, image or font, nothing to fetch.
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("http") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  // Values arrive escaped, wherever they are shown.
  CHECK(page.find("<script>alert(1)") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("Email &lt;Campaign&gt;") != std::string::npos);
  CHECK(page.find("Team&lt;1&gt;") != std::string::npos);
  CHECK(page.find("c&#39;e&#39;o") != std::string::npos);
  CHECK(page.find("Telegram &quot;Channel&quot;") != std::string::npos);
  CHECK(page.find("autónomo") != std::string::npos);
  for (const auto& id : chart_ids(spec)) {
    CAPTURE(id);
    CHECK(page.find("<svg id=\"" + id + "\"") != std::string::npos);
  }
  // The funnel table rounds the full-precision ratios: rates as percentages, NULL as a dash.
  CHECK(page.find("<td class=\"num\">5.00 %</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num\">1.90\u00d7</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num\">0.07\u00d7</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num\">\u2013</td>") != std::string::npos);
  // An average above its SLA is marked.
  CHECK(page.find("<td class=\"num\">0.98</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num over\">3.61</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num over\">108.13</td>") != std::string::npos);
  // One bar series per priority that has a measure, named with its SLA.
  CHECK(page.find("priority 1 (assign SLA 1 h)") != std::string::npos);
  CHECK(page.find("priority 2 (assign SLA 3 h)") != std::string::npos);
  CHECK(page.find("priority 9") == std::string::npos);
}

TEST_CASE("the generation time is printed in UTC") {
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1609459199));
  CHECK(format_generated_at(when) == "2020-12-31 23:59:59 UTC");
}

TEST_CASE("missing days between the first and the last become zero, duplicates add up") {
  const auto day = days_from_civil({2020, 12, 30});
  const auto filled = fill_missing_days({{day + 3, 2}, {day, 1}, {day + 3, 1}});
  REQUIRE(filled.size() == 4);
  CHECK(filled[0].value == 1);
  CHECK(filled[1].value == 0);
  CHECK(filled[2].value == 0);
  CHECK(filled[2].day == day + 2);
  CHECK(filled[3].value == 3);
}
