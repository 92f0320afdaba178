// The report's declarations (sql/analysis/<subject>/report.toml): what they accept, what they
// refuse with the file, line and key, and that a new subject needs a file, not code.
#include "core/analysis/report_spec.hpp"

#include <doctest/doctest.h>

#include "core/analysis/html_report.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dp::analysis;

namespace {

constexpr const char* kSection = "[section]\nid = \"orders\"\ntitle = \"Orders\"\norder = 50\n";

constexpr const char* kChart =
    "[[chart]]\nid = \"chart-orders\"\ntype = \"bar\"\nview = \"orders_per_customer\"\n"
    "title = \"Orders per customer\"\nx = \"customer\"\ny = \"orders\"\n"
    "x_label = \"orders (count)\"\ny_label = \"customer\"\n";

std::string refusal(const std::string& text) {
  ReportSpec spec;
  try {
    parse_report_toml(text, "sql/analysis/orders/report.toml", spec);
  } catch (const ReportSpecError& error) {
    return error.what();
  }
  FAIL("accepted: " << text);
  return {};
}

}  // namespace

TEST_CASE("the repository's declarations load: one header, four sections, ten charts") {
  const auto spec = load_report_spec(dp::test::source_views_dir());
  CHECK(spec.meta.view == "report_meta");
  CHECK(spec.meta.counts.size() == 5);
  REQUIRE(spec.sections.size() == 4);
  CHECK(spec.sections.front().id == "habits");
  CHECK(chart_ids(spec).size() == 10);
}

TEST_CASE("a declared chart reads with its defaults") {
  ReportSpec spec;
  parse_report_toml(std::string(kSection) + kChart, "orders/report.toml", spec);
  REQUIRE(spec.sections.size() == 1);
  const auto& chart = spec.sections[0].charts.at(0);
  CHECK(chart.type == ChartType::kBar);
  CHECK(chart.y == std::vector<std::string>{"orders"});
  CHECK(chart.order == "customer");
  CHECK(chart.wide);
  CHECK(chart.limit == 0);
  CHECK(chart.series_when == chart.y);
}

TEST_CASE("mistakes are refused with the file, the line and the key") {
  const std::string base = std::string(kSection) + kChart;
  CHECK(refusal(base + "colour = \"red\"\n") ==
        "sql/analysis/orders/report.toml:14: chart[1].colour: unknown key in [[chart]]");
  CHECK(refusal(std::string(kSection) + "[[chart]]\nid = \"c\"\ntype = \"pie\"\n") ==
        "sql/analysis/orders/report.toml:7: chart[1].type: unknown chart type \"pie\" (line, bar "
        "or columns)");
  CHECK(refusal(base + "order = \"orders; DROP TABLE x\"\n").find("chart[1].order: ") !=
        std::string::npos);
  CHECK(refusal(std::string(kSection) + "[[chart]]\nid = \"c\"\ntype = \"bar\"\n"
                                        "view = \"x; DROP TABLE y\"\n")
            .find(":8: chart[1].view: \"x; DROP TABLE y\" is not a plain lower-case identifier") !=
        std::string::npos);
  CHECK(refusal(base + "height = \"tall\"\n").find("chart[1].height: expected a whole number") !=
        std::string::npos);
  CHECK(refusal(std::string(kSection) + "[[chart]]\nid = \"c\"\ntype = \"bar\"\n")
            .find("chart[1].view: missing (required)") != std::string::npos);
  CHECK(refusal(kChart).find("section: charts and tables need a [section]") != std::string::npos);
  CHECK(refusal("[section]\nid = \"Orders!\"\ntitle = \"x\"\n").find("section.id: ") !=
        std::string::npos);
  CHECK(refusal("[section\n").find("sql/analysis/orders/report.toml:1: ") == 0);
  CHECK(refusal(std::string(kSection) +
                "[[chart]]\nid = \"c\"\ntype = \"line\"\nview = \"v\"\ntitle = \"t\"\n"
                "x = \"day\"\ny = [\"a\", \"b\"]\nx_label = \"x\"\ny_label = \"y\"\n")
            .find("chart[1].y: only bar charts take several y columns") != std::string::npos);
}

TEST_CASE("the folder's files together: one [meta], ids unique across sections") {
  dp::test::TempDir dir;
  const auto views = dir.path();
  dp::test::write_text_file(views / "orders" / "report.toml", std::string(kSection) + kChart);
  CHECK_THROWS_WITH_AS(load_report_spec(views), doctest::Contains("declares [meta]"),
                       ReportSpecError);
  dp::test::write_text_file(views / "report" / "report.toml", "[meta]\nview = \"report_meta\"\n");
  CHECK(load_report_spec(views).sections.size() == 1);
  dp::test::write_text_file(
      views / "again" / "report.toml",
      "[meta]\nview = \"other\"\n[section]\nid = \"again\"\ntitle = \"A\"\n" + std::string(kChart));
  CHECK_THROWS_WITH_AS(load_report_spec(views), doctest::Contains("a second [meta]"),
                       ReportSpecError);
  dp::test::write_text_file(views / "again" / "report.toml",
                            "[section]\nid = \"again\"\ntitle = \"A\"\n" + std::string(kChart));
  CHECK_THROWS_WITH_AS(load_report_spec(views),
                       doctest::Contains("id \"chart-orders\" is used twice"), ReportSpecError);
}

TEST_CASE("a new subject is a report.toml: its section and chart appear, drawn from its rows") {
  dp::test::TempDir dir;
  const auto views = dir.path();
  dp::test::write_text_file(views / "report" / "report.toml", "[meta]\nview = \"report_meta\"\n");
  dp::test::write_text_file(views / "orders" / "report.toml", std::string(kSection) + kChart);
  const auto spec = load_report_spec(views);
  ReportData data;
  data.rows["chart-orders"] = {{"customer", "orders"}, {{"ACME", "12"}, {"Initech", "7"}}};
  const auto page = render_report_html(spec, data, "now");
  CHECK(page.find("<section id=\"orders\">\n<h2>Orders</h2>") != std::string::npos);
  CHECK(page.find("<svg id=\"chart-orders\"") != std::string::npos);
  CHECK(page.find("Initech") != std::string::npos);
  CHECK(page.find("Source: view analysis.orders_per_customer") != std::string::npos);
}
