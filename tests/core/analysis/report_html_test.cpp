// report.html as a document: self-contained, escaped, every chart present, and the two states
// (no data yet / data from a named batch).
#include "core/analysis/html_report.hpp"

#include <doctest/doctest.h>

#include "core/analysis/chart_axis.hpp"
#include "core/analysis/report_charts.hpp"
#include "tests/core/analysis/svg_test_support.hpp"

using namespace dp::analysis;

namespace {

ReportData hostile_data() {
  ReportData data;
  ReportBatch batch;
  batch.batch_id = "7";
  batch.mode = "incremental";
  batch.finished_at = "2024-05-01 10:00:00";
  batch.habit_records = 12345;
  data.batch = batch;
  const auto day = days_from_civil({2020, 12, 31});
  data.active_users = {{day, 1}, {day + 4, 3}};
  data.duration_minutes = {{day, 10}, {day + 4, 40}};
  data.favourite_habits = {{"<script>alert(1)</script>", 90}, {"reading", 30}};
  data.categories = {{"brainy & mind", 90, 75.0}, {"sport", 30, 25.0}};
  data.referrals = {{days_from_civil({2024, 1, 1}), "Telegram \"Channel\"", 3},
                    {days_from_civil({2024, 3, 1}), "VK", 2}};
  data.funnel = {
      {"Email <Campaign>", "email", 10.5, 1000, 50, 5, 20, 0.05, 0.1, 2.1, 1.9048},
      {"Partner Blog", "referral", 150.5, 1000, 0, 0, 10, 0, std::nullopt, std::nullopt, 0.0664}};
  data.titles_by_pdl_count = {{"c'e'o", 100}, {"autónomo", 50}};
  data.titles_by_related_count = {{"owner & operator", 34}};
  data.teams = {{"Team<1>", "1", 31, 0.98, 3.61, 108.13, 1, 3, 100, 61.3},
                {"Unknown", "9", 1, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt, std::nullopt, std::nullopt}};
  return data;
}

}  // namespace

TEST_CASE("an empty warehouse gives a page that says there is no data yet, with every chart") {
  const auto page = render_report_html(ReportData{}, "2024-05-01 12:00:00 UTC");
  std::string error;
  const auto elements = dp::test::parse_markup(page, error);
  REQUIRE_MESSAGE(error.empty(), error);
  CHECK(page.find("No data yet.") != std::string::npos);
  CHECK(page.find("id=\"no-data\"") != std::string::npos);
  CHECK(page.find("Generated 2024-05-01 12:00:00 UTC") != std::string::npos);
  CHECK(page.find("warehouse batch") == std::string::npos);
  for (const auto& id : report_chart_ids()) {
    CAPTURE(id);
    CHECK(page.find("<svg id=\"" + id + "\"") != std::string::npos);
  }
}

TEST_CASE("the page names the batch, escapes every value and needs nothing from outside") {
  const auto page = render_report_html(hostile_data(), "2024-05-01 12:00:00 UTC");
  std::string error;
  const auto elements = dp::test::parse_markup(page, error);
  REQUIRE_MESSAGE(error.empty(), error);
  CHECK(page.find("warehouse batch <strong>7</strong> (incremental run, finished 2024-05-01 "
                  "10:00:00 UTC)") != std::string::npos);
  CHECK(page.find("12,345") != std::string::npos);
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
  for (const auto& id : report_chart_ids()) {
    CAPTURE(id);
    CHECK(page.find("<svg id=\"" + id + "\"") != std::string::npos);
  }
  // The funnel table shows rates as percentages and NULL ratios as a dash.
  CHECK(page.find("5.00 %") != std::string::npos);
  CHECK(page.find("1.90\u00d7") != std::string::npos);
  // An average above its SLA is marked.
  CHECK(page.find("<td class=\"num\">0.98</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num over\">3.61</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num over\">108.13</td>") != std::string::npos);
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
