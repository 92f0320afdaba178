// Support-desk views on cases inserted into the warehouse, checked against values computed
// here: per team (the analyst's team when assigned) and priority against the SLA, the support
// team's report layout, and the batch report.html names.
#include <doctest/doctest.h>

#include <map>

#include "tests/core/analysis/views_test_support.hpp"

using namespace dp::test;

namespace {

struct Priority {
  int id;
  double assign, response, resolve;
};
const std::map<int, Priority> kPriorities = {
    {1, {1, 1, 3, 100}}, {2, {2, 3, 24, 300}}, {3, {3, 24, 48, 900}}};

/// Analyst versions: a1 moved from Team1 to Team2 at 2012-01-01.
const std::map<int, std::string> kTeams = {
    {1, "Team1"}, {2, "Team2"}, {3, "Team1"}, {-1, "Unknown"}};

struct Case {
  std::string cid;
  int priority;  // 9: a priority without SLA (unknown member)
  int analyst_key;
  std::optional<double> assign, response, resolve;
};

const std::vector<Case> kCases = {
    {"c1", 1, 1, 0.5, 2, 50},
    {"c2", 1, 3, 1.5, 4, 120},
    {"c3", 1, 2, 1.0, 3, 100},  // exactly on the SLA counts as within it
    {"c4", 2, 1, 2.0, 20, std::nullopt},
    {"c5", 2, 1, std::nullopt, std::nullopt, std::nullopt},  // never assigned
    {"c6", 3, 2, 30, 40, 800},
    {"c7", 3, 2, 10, std::nullopt, 950},
    {"c8", 9, -1, std::nullopt, std::nullopt, std::nullopt},
    {"c9", 2, -1, 5, 25, 310},
};

std::string sql_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "NULL";
}

void seed(const WarehouseDatabase& database) {
  seed_file_and_calendar(database);
  std::string sql;
  for (const auto& [id, p] : kPriorities) {
    sql += fmt::format(
        "INSERT INTO dim_priority (priority_key, priority_id, priority_name, assign_sla_hours, "
        "response_sla_hours, resolve_sla_hours, inserted_batch, updated_batch) "
        "VALUES ({}, {}, 'P{}', {}, {}, {}, 1, 1);\n",
        id, id, id, p.assign, p.response, p.resolve);
  }
  sql +=
      "INSERT INTO dim_analyst (analyst_key, aid, analyst_name, team, valid_from, valid_to, "
      "inserted_batch, updated_batch) VALUES "
      "(1, 'a1', 'Ann', 'Team1', '1900-01-01', '2012-01-01', 1, 1), "
      "(2, 'a1', 'Ann', 'Team2', '2012-01-01', '9999-12-31', 1, 1), "
      "(3, 'a2', 'Bob', 'Team1', '1900-01-01', '9999-12-31', 1, 1);\n";
  int line = 1;
  for (const auto& c : kCases) {
    const bool known = kPriorities.count(c.priority) == 1;
    sql += fmt::format(
        "INSERT INTO fact_case (cid, priority, priority_key, analyst_key, created_at, assigned_at, "
        "created_date_key, assigned_date_key, first_response_date_key, closed_date_key, "
        "hours_to_assign, hours_to_response, hours_to_resolve, file_id, line_no, inserted_batch, "
        "updated_batch) VALUES ('{}', {}, {}, {}, '2012-06-01 08:00', {}, -1, -1, -1, -1, {}, {}, "
        "{}, 1, {}, 1, 1);\n",
        c.cid, c.priority, known ? c.priority : -1, c.analyst_key,
        c.assign ? fmt::format("TIMESTAMP '2012-06-01 08:00' + interval '{} hours'", *c.assign)
                 : "NULL",
        sql_number(c.assign), sql_number(c.response), sql_number(c.resolve), line++);
  }
  // Two successful runs and a later failed one: the report shows batch 2.
  sql +=
      "INSERT INTO etl_runs (batch_id, mode, status, started_at, finished_at) VALUES "
      "(1, 'full', 'succeeded', '2024-05-01 10:00+00', '2024-05-01 10:01+00'), "
      "(2, 'incremental', 'succeeded', '2024-05-02 10:00+00', '2024-05-02 10:02:03+00'), "
      "(3, 'incremental', 'failed', '2024-05-03 10:00+00', '2024-05-03 10:00:05+00');\n";
  database.exec(sql);
}

/// Average of the present values; nullopt when there are none.
struct Average {
  double sum = 0;
  int count = 0;
  void add(const std::optional<double>& value) {
    if (value) {
      sum += *value;
      ++count;
    }
  }
  std::optional<double> get() const {
    return count == 0 ? std::nullopt : std::optional<double>(sum / count);
  }
};

class SupportWarehouse {
 public:
  SupportWarehouse() {
    seed(database_);
    build_project_views(database_);
  }
  std::vector<TextRow> rows(const std::string& sql) const { return database_.rows(sql); }

 private:
  WarehouseDatabase database_;
};

}  // namespace

TEST_CASE("team_performance measures each team and priority against the SLA") {
  SupportWarehouse warehouse;
  struct Group {
    int cases = 0;
    int within = 0;
    Average assign, response, resolve;
  };
  std::map<std::pair<std::string, int>, Group> groups;
  for (const auto& c : kCases) {
    auto& group = groups[{kTeams.at(c.analyst_key), c.priority}];
    ++group.cases;
    group.assign.add(c.assign);
    group.response.add(c.response);
    group.resolve.add(c.resolve);
    const auto sla = kPriorities.find(c.priority);
    if (sla != kPriorities.end() && c.assign && *c.assign <= sla->second.assign) {
      ++group.within;
    }
  }
  std::vector<ExpectedRow> expected;
  for (const auto& [key, group] : groups) {
    const auto sla = kPriorities.find(key.second);
    const bool has_sla = sla != kPriorities.end();
    expected.push_back(
        {text_cell(key.first), number_cell(key.second), number_cell(group.cases),
         optional_cell(group.assign.get(), 2), optional_cell(group.response.get(), 2),
         optional_cell(group.resolve.get(), 2),
         has_sla ? number_cell(sla->second.assign) : null_cell(),
         has_sla ? number_cell(sla->second.response) : null_cell(),
         has_sla ? number_cell(sla->second.resolve) : null_cell(),
         has_sla ? number_cell(100.0 * group.within / group.cases, 1) : null_cell()});
  }
  // a1's cases before and after the move count for different teams.
  CHECK(groups.at({"Team1", 1}).cases == 2);
  CHECK(groups.at({"Team2", 1}).cases == 1);
  check_rows(warehouse.rows("SELECT team, priority, cases, avg_hours_to_assign, "
                            "avg_hours_to_response, avg_hours_to_resolve, assign_sla_hours, "
                            "response_sla_hours, resolve_sla_hours, pct_assigned_within_sla "
                            "FROM analysis.team_performance ORDER BY team, priority"),
             expected);
}

TEST_CASE("team_performance_report: an SLA row, then each team's hours to assign per priority") {
  SupportWarehouse warehouse;
  std::map<std::string, std::map<int, Average>> teams;
  for (const auto& c : kCases) {
    if (c.assign) {
      teams[kTeams.at(c.analyst_key)][c.priority].add(c.assign);
    }
  }
  std::vector<ExpectedRow> expected = {
      {text_cell("SLA"), number_cell(1, 2), number_cell(3, 2), number_cell(24, 2)}};
  for (auto& [team, priorities] : teams) {
    expected.push_back({text_cell(team), optional_cell(priorities[1].get(), 2),
                        optional_cell(priorities[2].get(), 2),
                        optional_cell(priorities[3].get(), 2)});
  }
  // The view's own order is the layout: SLA first, then the teams.
  check_rows(warehouse.rows("SELECT * FROM analysis.team_performance_report"), expected);
}

TEST_CASE("report_meta names the last successful batch and what the warehouse holds") {
  SupportWarehouse warehouse;
  check_rows(warehouse.rows("SELECT batch_id, mode, finished_at, cases, referrals "
                            "FROM analysis.report_meta"),
             {{text_cell("2"), text_cell("incremental"), text_cell("2024-05-02 10:02:03+00"),
               number_cell(static_cast<double>(kCases.size())), number_cell(0)}});
}
