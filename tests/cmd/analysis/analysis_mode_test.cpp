// `--analysis` end to end: on an empty warehouse, on the sample files loaded with --ingest and
// built with --pipeline (every export parses back to its view; views agree with the raw
// files), with a broken view file, and beside a running pipeline.
#include <doctest/doctest.h>

#include <cmath>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "core/csv/csv_reader.hpp"
#include "core/warehouse/pipeline_lock.hpp"
#include "tests/cmd/analysis/analysis_test_support.hpp"
#include "tests/support/service_process.hpp"

using namespace dp::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> view_names(const std::string& conninfo) {
  std::vector<std::string> out;
  for (const auto& row : query_rows(conninfo,
                                    "SELECT table_name FROM information_schema.views "
                                    "WHERE table_schema = 'analysis' ORDER BY 1")) {
    out.push_back(*row[0]);
  }
  return out;
}

std::vector<std::string> columns_of(const std::string& conninfo, const std::string& view) {
  std::vector<std::string> out;
  for (const auto& row : query_rows(conninfo,
                                    "SELECT column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'analysis' AND table_name = '" +
                                        view + "' ORDER BY ordinal_position")) {
    out.push_back(*row[0]);
  }
  return out;
}

/// Every record of a raw sample file (the header too, where it has one).
std::vector<std::vector<std::string>> raw_records(const fs::path& path) {
  return read_csv_file(path);
}

std::string iso_day(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE(
    "--analysis on an empty warehouse succeeds with empty views, header-only CSVs and a "
    "report that says there is no data yet") {
  PipelineEnvironment environment;
  std::string output;
  REQUIRE(run_analysis_mode(environment.settings(), &output) == 0);
  CHECK(output.find("no data yet") != std::string::npos);
  const auto exports = environment.settings().exports_dir / "analysis";
  const auto views = view_names(environment.database().conninfo());
  REQUIRE(views.size() >= 11);
  for (const auto& view : views) {
    CAPTURE(view);
    const auto csv = read_csv_file(exports / (view + ".csv"));
    REQUIRE(csv.size() == 1);
    CHECK(csv[0] == columns_of(environment.database().conninfo(), view));
  }
  const auto report = read_text_file(exports / "report.html");
  CHECK(report.find("No data yet.") != std::string::npos);
  // Running it again changes nothing and still succeeds.
  REQUIRE(run_analysis_mode(environment.settings(), &output) == 0);
}

TEST_CASE("on the sample data every view is exported completely and parses back to its rows") {
  auto& run = SampleAnalysis::instance();
  INFO(run.output());
  REQUIRE(run.exit_code() == 0);
  const auto conninfo = run.environment().database().conninfo();
  const auto batch = query_rows(conninfo,
                                "SELECT max(batch_id) FROM datawarehouse.etl_runs "
                                "WHERE status = 'succeeded'");
  CHECK(run.output().find("warehouse batch " + *batch[0][0]) != std::string::npos);

  const auto views = view_names(conninfo);
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(run.exports())) {
    files.insert(entry.path().filename().string());
  }
  CHECK(files.count("report.html") == 1);
  CHECK(files.size() == views.size() + 1);  // nothing else, no temporary files
  for (const auto& view : views) {
    CAPTURE(view);
    const auto csv = read_csv_file(run.exports() / (view + ".csv"));
    REQUIRE(!csv.empty());
    CHECK(csv[0] == columns_of(conninfo, view));
    std::vector<std::vector<std::string>> from_csv(csv.begin() + 1, csv.end());
    std::vector<std::vector<std::string>> from_view;
    for (const auto& row : query_rows(conninfo, "SELECT * FROM analysis.\"" + view + "\"")) {
      std::vector<std::string> values;
      for (const auto& cell : row) {
        values.push_back(cell.value_or(""));
      }
      from_view.push_back(std::move(values));
    }
    CHECK(from_csv.size() == from_view.size());
    std::sort(from_csv.begin(), from_csv.end());
    std::sort(from_view.begin(), from_view.end());
    CHECK(from_csv == from_view);
    // The mode's summary reports the row count of each export.
    CHECK(run.output().find(view) != std::string::npos);
  }
  for (const std::string view :
       {"daily_view", "habit_view", "user_period_summary", "active_users_daily",
        "referrals_by_source_month", "marketing_funnel", "top_related_titles", "title_pdl_count",
        "manager_titles", "team_performance", "team_performance_report"}) {
    CAPTURE(view);
    CHECK(read_csv_file(run.exports() / (view + ".csv")).size() > 1);
  }
}

TEST_CASE("team_performance_report.csv has the support team's layout: SLA row, then teams") {
  auto& run = SampleAnalysis::instance();
  REQUIRE(run.exit_code() == 0);
  const auto csv = read_csv_file(run.exports() / "team_performance_report.csv");
  REQUIRE(csv.size() >= 3);
  CHECK(csv[0] == std::vector<std::string>{"team", "priority_1", "priority_2", "priority_3"});
  // PrioritySLA.csv: id,name,Assign SLA,... — the SLA row holds the assign SLA per priority.
  const auto sla = raw_records(samples_dir() / "support_desk" / "PrioritySLA.csv");
  std::map<std::string, double> assign_sla;
  for (std::size_t i = 1; i < sla.size(); ++i) {
    assign_sla[sla[i][0]] = std::stod(sla[i][2]);
  }
  CHECK(csv[1][0] == "SLA");
  CHECK(std::stod(csv[1][1]) == assign_sla.at("1"));
  CHECK(std::stod(csv[1][2]) == assign_sla.at("2"));
  CHECK(std::stod(csv[1][3]) == assign_sla.at("3"));
  std::set<std::string> teams;
  for (std::size_t i = 2; i < csv.size(); ++i) {
    CHECK(csv[i][0] != "SLA");
    teams.insert(csv[i][0]);
    for (std::size_t c = 1; c < 4; ++c) {
      CHECK((csv[i][c].empty() || std::stod(csv[i][c]) >= 0));
    }
  }
  CHECK(teams.count("Team1") == 1);
  CHECK(teams.count("Team4") == 1);
}

TEST_CASE("on the sample data the views agree with totals computed from the raw files") {
  auto& run = SampleAnalysis::instance();
  REQUIRE(run.exit_code() == 0);
  const auto conninfo = run.environment().database().conninfo();
  const auto data = samples_dir();

  SUBCASE("referrals per month and source, with the corrected duplicate counted once") {
    std::map<std::string, std::pair<std::string, std::string>> sources;  // id -> name, channel
    for (const auto& r : raw_records(data / "course_traffic" / "traffic_sources.csv")) {
      sources[r[0]] = {r[1], r[2]};
    }
    std::set<std::tuple<std::string, std::string, std::string>> keys;
    std::map<std::pair<std::string, std::string>, std::pair<int, std::set<std::string>>> months;
    const auto rows = raw_records(data / "course_traffic" / "user_traffic.csv");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& r = rows[i];  // user_id, source_id, referred_at (UTC, ISO 8601), campaign
      if (!keys.insert({r[0], r[1], r[2]}).second) {
        continue;
      }
      auto& entry = months[{r[2].substr(0, 7) + "-01", sources.at(r[1]).first}];
      ++entry.first;
      entry.second.insert(r[0]);
    }
    const auto view = query_rows(conninfo,
                                 "SELECT month, source_name, channel, referrals, users "
                                 "FROM analysis.referrals_by_source_month");
    REQUIRE(view.size() == months.size());
    for (const auto& row : view) {
      CAPTURE(*row[1]);
      const auto& entry = months.at({*row[0], *row[1]});
      CHECK(std::stoi(*row[3]) == entry.first);
      CHECK(std::stoul(*row[4]) == entry.second.size());
    }
  }

  SUBCASE("the marketing funnel's sums per source") {
    struct Sums {
      double spend = 0, impressions = 0, clicks = 0, leads = 0, revenue = 0;
    };
    std::map<std::string, Sums> sums;
    const auto rows = raw_records(data / "course_traffic" / "marketing_data_with_days.csv");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      auto& s = sums[rows[i][0]];  // source_name,channel_type,date,ad_spend,impressions,...
      s.spend += std::stod(rows[i][3]);
      s.impressions += std::stod(rows[i][4]);
      s.clicks += std::stod(rows[i][5]);
      s.leads += std::stod(rows[i][6]);
      s.revenue += std::stod(rows[i][7]);
    }
    const auto view = query_rows(conninfo,
                                 "SELECT source_name, ad_spend, impressions, clicks, leads, "
                                 "revenue, ctr, roas FROM analysis.marketing_funnel");
    REQUIRE(view.size() == sums.size());
    for (const auto& row : view) {
      CAPTURE(*row[0]);
      const auto& s = sums.at(*row[0]);
      CHECK(std::stod(*row[1]) == doctest::Approx(s.spend).epsilon(1e-9));
      CHECK(std::stod(*row[2]) == s.impressions);
      CHECK(std::stod(*row[3]) == s.clicks);
      CHECK(std::stod(*row[4]) == s.leads);
      CHECK(std::stod(*row[5]) == doctest::Approx(s.revenue).epsilon(1e-9));
      CHECK(std::fabs(std::stod(*row[6]) - s.clicks / s.impressions) <= 0.00005 + 1e-12);
      CHECK(std::fabs(std::stod(*row[7]) - s.revenue / s.spend) <= 0.00005 + 1e-12);
    }
  }

  SUBCASE("the funnel's ratios keep full precision: the view does not round them") {
    // Each ratio against the same quotient in exact numeric arithmetic on the view's own sums:
    // round(…, 4) or round(…, 2) in the view would differ here by up to 5e-5 or 5e-3.
    const auto differences = query_rows(
        conninfo,
        "SELECT source_name, ctr - clicks::numeric / nullif(impressions, 0), "
        "lead_rate - leads::numeric / nullif(clicks, 0), "
        "cost_per_lead - ad_spend / nullif(leads, 0), roas - revenue / nullif(ad_spend, 0), "
        "scale(ctr), scale(roas) FROM analysis.marketing_funnel");
    REQUIRE(!differences.empty());
    int finer_than_4_decimals = 0;
    for (const auto& row : differences) {
      CAPTURE(*row[0]);
      for (int column = 1; column <= 4; ++column) {
        if (row[column]) {
          CHECK(std::stod(*row[column]) == 0.0);
        }
      }
      finer_than_4_decimals += (row[5] && std::stoi(*row[5]) > 4) ? 1 : 0;
      finer_than_4_decimals += (row[6] && std::stoi(*row[6]) > 4) ? 1 : 0;
    }
    CHECK(finer_than_4_decimals > 0);
  }

  SUBCASE("dim_product: one row per product of products.csv (level 3), plus the unknown -1") {
    std::map<std::string, std::pair<std::string, std::string>> nodes;  // pid -> name, parent
    for (const auto& r : raw_records(data / "support_desk" / "products.csv")) {
      nodes[r[0]] = {r[1], r[2]};
    }
    const auto level = [&](std::string pid) {
      int depth = 1;
      while (!nodes.at(pid).second.empty()) {
        pid = nodes.at(pid).second;
        ++depth;
      }
      return depth;
    };
    std::map<std::string, std::pair<std::string, std::string>> products;  // pid -> group, line
    for (const auto& [pid, node] : nodes) {
      if (level(pid) >= 3) {
        const auto& group = node.second;
        products[pid] = {nodes.at(group).first, nodes.at(nodes.at(group).second).first};
      }
    }
    REQUIRE(products.size() == 1000);
    const auto table = run.environment().settings().dw_schema + ".dim_product";
    const auto rows =
        query_rows(conninfo, "SELECT pid, product_group_name, product_line_name FROM " + table +
                                 " WHERE product_key <> -1");
    CHECK(rows.size() == products.size());
    for (const auto& row : rows) {
      CAPTURE(*row[0]);
      REQUIRE(products.count(*row[0]) == 1);
      CHECK(*row[1] == products.at(*row[0]).first);
      CHECK(*row[2] == products.at(*row[0]).second);
    }
    const auto unknown =
        query_rows(conninfo, "SELECT count(*) FROM " + table + " WHERE product_key = -1");
    CHECK(*unknown.at(0)[0] == "1");
  }

  SUBCASE("active users and minutes per UTC day from the habit records") {
    std::map<std::string, std::set<std::string>> users;
    std::map<std::string, double> minutes;
    const auto rows = raw_records(data / "habits" / "habit_records_sample.csv");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      // habit,category,user_id,duration,...,record_date_unix (last)
      const auto seconds = std::stoll(rows[i].back());
      const std::chrono::sys_days day{std::chrono::floor<std::chrono::days>(
          std::chrono::sys_seconds(std::chrono::seconds(seconds)))};
      const auto text = iso_day(day);
      users[text].insert(rows[i][2]);
      minutes[text] += std::stod(rows[i][3]);
    }
    const auto active =
        query_rows(conninfo, "SELECT record_day, active_users FROM analysis.active_users_daily");
    REQUIRE(active.size() == users.size());
    for (const auto& row : active) {
      CAPTURE(*row[0]);
      CHECK(std::stoul(*row[1]) == users.at(*row[0]).size());
    }
    const auto daily = query_rows(conninfo,
                                  "SELECT record_day, sum(total_duration) FROM analysis.daily_view "
                                  "GROUP BY 1");
    REQUIRE(daily.size() == minutes.size());
    for (const auto& row : daily) {
      CAPTURE(*row[0]);
      CHECK(std::stod(*row[1]) == minutes.at(*row[0]));
    }
  }

  SUBCASE("the most common titles: the largest pdl count per title") {
    std::map<std::string, long long> pdl;
    const auto rows = raw_records(data / "job_titles" / "2019_free_title_data.csv");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      auto& count = pdl[rows[i][0]];
      count = std::max(count, std::stoll(rows[i][1]));
    }
    std::vector<std::pair<std::string, long long>> ranked(pdl.begin(), pdl.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    const auto view = query_rows(conninfo,
                                 "SELECT job_title, pdl_count FROM analysis.title_pdl_count "
                                 "ORDER BY pdl_count DESC, job_title");
    REQUIRE(view.size() == 10);
    for (std::size_t i = 0; i < view.size(); ++i) {
      CAPTURE(i);
      // The top titles are plain lower-case ASCII, so normalization leaves them as they are.
      CHECK(*view[i][0] == ranked[i].first);
      CHECK(std::stoll(*view[i][1]) == ranked[i].second);
    }
  }
}

TEST_CASE("a broken view file fails --analysis with exit code 1 and keeps the previous exports") {
  PipelineEnvironment environment;
  const auto sql = environment.folder() / "sql";
  copy_tree(source_sql_dir(), sql);
  environment.settings().sql_dir = sql;
  REQUIRE(run_analysis_mode(environment.settings()) == 0);
  const auto exports = environment.settings().exports_dir / "analysis";
  const auto report_before = read_text_file(exports / "report.html");

  write_text_file(sql / "analysis" / "zz_broken" / "010_broken.sql",
                  "CREATE OR REPLACE VIEW analysis.broken AS\nSELECT * FROM no_such_table;\n");
  std::string output;
  CHECK(run_analysis_mode(environment.settings(), &output) == 1);
  CHECK(output.find("zz_broken/010_broken.sql line 2") != std::string::npos);
  CHECK(output.find("no_such_table") != std::string::npos);
  CHECK(read_text_file(exports / "report.html") == report_before);
  CHECK_FALSE(fs::exists(exports / "broken.csv"));

  SUBCASE("a missing views folder fails before touching the database") {
    environment.settings().sql_dir = environment.folder() / "nowhere";
    CHECK(run_analysis_mode(environment.settings(), &output) == 1);
    CHECK(output.find("does not exist") != std::string::npos);
  }
}

TEST_CASE("--analysis never reads a warehouse while a pipeline run is building it") {
  PipelineEnvironment environment;
  REQUIRE(run_analysis_mode(environment.settings()) == 0);  // migrates the database
  auto holder = std::make_unique<pqxx::connection>(environment.database().conninfo());
  auto lock = std::make_unique<dp::warehouse::PipelineLock>(
      *holder, environment.settings().dw_schema, dp::config::PipelineLockPolicy::kFail);

  SUBCASE("pipeline_lock=fail: it refuses at once") {
    auto settings = environment.settings();
    settings.pipeline_lock = dp::config::PipelineLockPolicy::kFail;
    std::string output;
    CHECK(run_analysis_mode(settings, &output) == 1);
    CHECK(output.find("is being built") != std::string::npos);
  }
  SUBCASE("pipeline_lock=wait: it waits for the run, then succeeds") {
    auto settings = environment.settings();
    settings.pipeline_lock = dp::config::PipelineLockPolicy::kWait;
    std::string output;
    auto analysis =
        std::async(std::launch::async, [&] { return run_analysis_mode(settings, &output); });
    // Wait until its lock request is queued behind ours in the server.
    CHECK(wait_until(
        [&] {
          return query_rows(environment.database().conninfo(),
                            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                            "AND database = (SELECT oid FROM pg_database "
                            "WHERE datname = current_database())")
                     .size() == 1;
        },
        std::chrono::seconds(60)));
    CHECK(analysis.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
    lock.reset();
    CHECK(analysis.get() == 0);
    CHECK(output.find("waiting for") != std::string::npos);
  }
}
