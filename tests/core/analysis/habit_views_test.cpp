// The habits views on rows inserted into the warehouse, checked against totals computed here
// from the same rows: per day, per habit, per calendar period (across year boundaries and an
// ISO week spanning two years), active users, and the report's helper views.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "tests/core/analysis/views_test_support.hpp"

using namespace dp::test;

namespace {

struct Habit {
  int key;
  std::string name;
  std::string category;
};

/// Two versions of `reading` (its category changed on 2021-01-02).
const std::vector<Habit> kHabits = {{1, "reading", "brainy"},
                                    {2, "reading", "hobby"},
                                    {3, "running", "sport"},
                                    {4, "meditation", "mind"}};
const std::map<int, std::string> kCategories = {
    {1, "brainy"}, {2, "hobby"}, {3, "sport"}, {4, "mind"}};
const std::map<int, std::int64_t> kUsers = {{1, 4104}, {2, 5122806233}, {3, 77}};

/// One agg_daily row: day, habit version, user key, minutes, records.
struct Agg {
  std::string day;
  int habit_key;
  int user_key;
  double minutes;
  int records;
};

const std::vector<Agg> kRows = {
    {"2020-12-31", 1, 1, 10, 1},    // Thursday of ISO week 2020-W53
    {"2021-01-01", 1, 1, 15, 2},    // Friday of the same week, another year
    {"2021-01-03", 2, 1, 20, 1},    // Sunday, same week, reading's new category
    {"2021-01-04", 2, 1, 40, 1},    // Monday: a new week
    {"2021-01-04", 3, 2, 30, 1},    //
    {"2021-01-01", 3, 2, 60, 3},    //
    {"2021-01-15", 2, 1, 5, 1},     //
    {"2022-01-15", 2, 1, 7, 1},     // the same month a year later must not merge
    {"2024-12-30", 4, 3, 12.5, 1},  // Monday of ISO week 2025-W01
    {"2025-01-02", 4, 3, 8, 1},     // same ISO week, next calendar year
    {"2024-12-30", 3, 1, 25, 2},    //
};

const Habit& habit(int key) {
  return *std::find_if(kHabits.begin(), kHabits.end(),
                       [&](const Habit& h) { return h.key == key; });
}

int category_key(const std::string& name) {
  for (const auto& [key, category] : kCategories) {
    if (category == name) {
      return key;
    }
  }
  return -1;
}

void seed(const WarehouseDatabase& database) {
  seed_file_and_calendar(database);
  std::string sql;
  for (const auto& [key, name] : kCategories) {
    sql += fmt::format(
        "INSERT INTO dim_category (category_key, category_name, inserted_batch, "
        "updated_batch) VALUES ({}, '{}', 1, 1);\n",
        key, name);
  }
  sql += fmt::format(
      "INSERT INTO dim_habit (habit_key, habit_name, category_key, valid_from, valid_to, "
      "inserted_batch, updated_batch) VALUES "
      "(1, 'reading', 1, '1900-01-01', '2021-01-02', 1, 1), "
      "(2, 'reading', 2, '2021-01-02', '9999-12-31', 1, 1), "
      "(3, 'running', 3, '1900-01-01', '9999-12-31', 1, 1), "
      "(4, 'meditation', 4, '1900-01-01', '9999-12-31', 1, 1);\n");
  for (const auto& [key, user_id] : kUsers) {
    sql += fmt::format(
        "INSERT INTO dim_user (user_key, user_id, inserted_batch, updated_batch) "
        "VALUES ({}, {}, 1, 1);\n",
        key, user_id);
  }
  for (const auto& row : kRows) {
    sql += fmt::format(
        "INSERT INTO agg_daily (date_key, habit_key, user_key, category_key, "
        "total_duration_minutes, record_count, inserted_batch, updated_batch) "
        "VALUES ({}, {}, {}, {}, {}, {}, 1, 1);\n",
        date_key(row.day), row.habit_key, row.user_key, category_key(habit(row.habit_key).category),
        row.minutes, row.records);
  }
  database.exec(sql);
}

struct Totals {
  double minutes = 0;
  double records = 0;
  void add(const Agg& row) {
    minutes += row.minutes;
    records += row.records;
  }
};

class HabitWarehouse {
 public:
  HabitWarehouse() {
    seed(database_);
    build_project_views(database_);
  }
  std::vector<TextRow> rows(const std::string& sql) const { return database_.rows(sql); }

 private:
  WarehouseDatabase database_;
};

}  // namespace

TEST_CASE("daily_view and habit_view total each user's habits per day and over all time") {
  HabitWarehouse warehouse;
  std::map<std::tuple<std::string, std::string, std::int64_t, std::string>, Totals> daily;
  std::map<std::tuple<std::string, std::string, std::int64_t>, Totals> overall;
  for (const auto& row : kRows) {
    const auto& h = habit(row.habit_key);
    daily[{row.day, h.name, kUsers.at(row.user_key), h.category}].add(row);
    overall[{h.name, h.category, kUsers.at(row.user_key)}].add(row);
  }
  std::vector<ExpectedRow> expected_daily;
  for (const auto& [key, totals] : daily) {
    const auto& [day, name, user, category] = key;
    expected_daily.push_back({text_cell(day), text_cell(name), text_cell(std::to_string(user)),
                              text_cell(category), number_cell(totals.minutes),
                              number_cell(totals.records)});
  }
  check_rows(warehouse.rows("SELECT record_day, habit_name, user_id, category_name, "
                            "total_duration, total_records FROM analysis.daily_view "
                            "ORDER BY record_day, habit_name, user_id, category_name"),
             expected_daily);

  std::vector<ExpectedRow> expected_overall;
  for (const auto& [key, totals] : overall) {
    const auto& [name, category, user] = key;
    expected_overall.push_back({text_cell(name), text_cell(category),
                                text_cell(std::to_string(user)), number_cell(totals.minutes),
                                number_cell(totals.records)});
  }
  // A habit whose category changed has one row per category.
  check_rows(warehouse.rows("SELECT habit_name, category_name, user_id, total_duration, "
                            "total_records FROM analysis.habit_view "
                            "ORDER BY habit_name, category_name, user_id"),
             expected_overall);
}

TEST_CASE("user_period_summary sums calendar days, ISO weeks, months and years across years") {
  HabitWarehouse warehouse;
  // (user, period order, period, start, habit) -> totals
  std::map<std::tuple<std::int64_t, int, std::string, std::string, std::string>, Totals> periods;
  for (const auto& row : kRows) {
    const auto user = kUsers.at(row.user_key);
    const auto& name = habit(row.habit_key).name;
    periods[{user, 1, "day", row.day, name}].add(row);
    periods[{user, 2, "week", iso_week_start(row.day), name}].add(row);
    periods[{user, 3, "month", month_start(row.day), name}].add(row);
    periods[{user, 4, "year", year_start(row.day), name}].add(row);
  }
  std::vector<ExpectedRow> expected;
  for (const auto& [key, totals] : periods) {
    const auto& [user, order, period, start, name] = key;
    expected.push_back({text_cell(std::to_string(user)), text_cell(period), text_cell(start),
                        text_cell(name), number_cell(totals.minutes), number_cell(totals.records)});
  }
  const auto rows = warehouse.rows(
      "SELECT user_id, period, period_start, habit_name, total_duration, total_records "
      "FROM analysis.user_period_summary ORDER BY user_id, "
      "array_position(ARRAY['day', 'week', 'month', 'year'], period), period_start, habit_name");
  check_rows(rows, expected);

  // The cases that projects got wrong, spelled out.
  const auto find = [&](const std::string& user, const std::string& period,
                        const std::string& start, const std::string& name) -> TextRow {
    for (const auto& row : rows) {
      if (row[0] == user && row[1] == period && row[2] == start && row[3] == name) {
        return row;
      }
    }
    return {};
  };
  // ISO week 2020-W53 runs from Monday 2020-12-28 to Sunday 2021-01-03: one week, two years.
  CHECK(iso_week_start("2021-01-03") == "2020-12-28");
  REQUIRE(find("4104", "week", "2020-12-28", "reading").size() == 6);
  CHECK(std::stod(*find("4104", "week", "2020-12-28", "reading")[4]) == 45);
  CHECK(std::stod(*find("4104", "week", "2020-12-28", "reading")[5]) == 4);
  // 2025-W01 starts on 2024-12-30.
  CHECK(std::stod(*find("77", "week", "2024-12-30", "meditation")[4]) == 20.5);
  // Months and years stay apart across the boundary and across years.
  CHECK(std::stod(*find("4104", "month", "2020-12-01", "reading")[4]) == 10);
  CHECK(std::stod(*find("4104", "month", "2021-01-01", "reading")[4]) == 80);
  CHECK(std::stod(*find("4104", "month", "2022-01-01", "reading")[4]) == 7);
  CHECK(std::stod(*find("77", "year", "2024-01-01", "meditation")[4]) == 12.5);
  CHECK(std::stod(*find("77", "year", "2025-01-01", "meditation")[4]) == 8);
  CHECK(find("4104", "week", "2021-01-04", "reading").size() == 6);
}

TEST_CASE("active_users_daily counts distinct users per day") {
  HabitWarehouse warehouse;
  std::map<std::string, std::set<int>> users;
  for (const auto& row : kRows) {
    users[row.day].insert(row.user_key);
  }
  std::vector<ExpectedRow> expected;
  for (const auto& [day, who] : users) {
    expected.push_back({text_cell(day), number_cell(static_cast<double>(who.size()))});
  }
  check_rows(warehouse.rows("SELECT record_day, active_users FROM analysis.active_users_daily "
                            "ORDER BY record_day"),
             expected);
}

TEST_CASE("the report's habit views: minutes per day, favourite habits, category shares") {
  HabitWarehouse warehouse;
  std::map<std::string, double> per_day;
  std::map<std::string, Totals> per_habit;
  std::map<std::string, double> per_category;
  double all = 0;
  for (const auto& row : kRows) {
    per_day[row.day] += row.minutes;
    per_habit[habit(row.habit_key).name].add(row);
    per_category[habit(row.habit_key).category] += row.minutes;
    all += row.minutes;
  }
  std::vector<ExpectedRow> days;
  for (const auto& [day, minutes] : per_day) {
    days.push_back({text_cell(day), number_cell(minutes)});
  }
  check_rows(warehouse.rows("SELECT record_day, total_duration FROM analysis.report_duration_daily "
                            "ORDER BY record_day"),
             days);

  std::vector<std::pair<std::string, Totals>> habits(per_habit.begin(), per_habit.end());
  std::sort(habits.begin(), habits.end(), [](const auto& a, const auto& b) {
    return std::tie(b.second.minutes, b.second.records, a.first) <
           std::tie(a.second.minutes, a.second.records, b.first);
  });
  std::vector<ExpectedRow> favourite;
  for (const auto& [name, totals] : habits) {
    favourite.push_back(
        {text_cell(name), number_cell(totals.minutes), number_cell(totals.records)});
  }
  // The view's own order is the ranking.
  check_rows(warehouse.rows("SELECT habit_name, total_duration, total_records "
                            "FROM analysis.report_favourite_habits"),
             favourite);

  std::vector<ExpectedRow> shares;
  for (const auto& [category, minutes] : per_category) {
    shares.push_back(
        {text_cell(category), number_cell(minutes), number_cell(100 * minutes / all, 1)});
  }
  check_rows(warehouse.rows("SELECT category_name, total_duration, share_pct "
                            "FROM analysis.report_category_share ORDER BY category_name"),
             shares);
}
