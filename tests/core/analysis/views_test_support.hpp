#pragma once

#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/core/analysis/analysis_db_support.hpp"

namespace dp::test {

/// An expected cell of a view: text, a number within a tolerance (rounded SQL output is
/// compared with the exact value computed in the test), or NULL.
struct Expected {
  enum class Kind { kText, kNumber, kNull } kind = Kind::kNull;
  std::string text;
  double number = 0;
  double tolerance = 1e-9;
};

inline Expected text_cell(std::string value) {
  return {Expected::Kind::kText, std::move(value), 0, 0};
}
/// A number rounded by the view to `decimals` places: within half a unit of the last place.
inline Expected number_cell(double value, int decimals = 9) {
  return {Expected::Kind::kNumber, {}, value, 0.5 * std::pow(10.0, -decimals) + 1e-9};
}
inline Expected null_cell() {
  return {};
}
inline Expected optional_cell(const std::optional<double>& value, int decimals = 9) {
  return value ? number_cell(*value, decimals) : null_cell();
}

using ExpectedRow = std::vector<Expected>;

inline std::string describe(const TextRow& row) {
  std::string out;
  for (const auto& cell : row) {
    out += (cell ? *cell : std::string("NULL")) + " | ";
  }
  return out;
}

inline std::string describe(const ExpectedRow& row) {
  std::string out;
  for (const auto& cell : row) {
    switch (cell.kind) {
      case Expected::Kind::kText:
        out += cell.text;
        break;
      case Expected::Kind::kNumber:
        out += fmt::format("{}", cell.number);
        break;
      case Expected::Kind::kNull:
        out += "NULL";
        break;
    }
    out += " | ";
  }
  return out;
}

/// Compares a view's rows (in order) with the rows the test computed.
inline void check_rows(const std::vector<TextRow>& actual,
                       const std::vector<ExpectedRow>& expected) {
  std::string actual_text;
  std::string expected_text;
  for (const auto& row : actual) {
    actual_text += describe(row) + "\n";
  }
  for (const auto& row : expected) {
    expected_text += describe(row) + "\n";
  }
  INFO("actual:\n" << actual_text << "expected:\n" << expected_text);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t r = 0; r < actual.size(); ++r) {
    REQUIRE(actual[r].size() == expected[r].size());
    for (std::size_t c = 0; c < actual[r].size(); ++c) {
      CAPTURE(r);
      CAPTURE(c);
      const auto& cell = actual[r][c];
      const auto& want = expected[r][c];
      switch (want.kind) {
        case Expected::Kind::kNull:
          CHECK_FALSE(cell.has_value());
          break;
        case Expected::Kind::kText:
          REQUIRE(cell.has_value());
          CHECK(*cell == want.text);
          break;
        case Expected::Kind::kNumber:
          REQUIRE(cell.has_value());
          CHECK(std::fabs(std::stod(*cell) - want.number) <= want.tolerance);
          break;
      }
    }
  }
}

/// Calendar arithmetic for expected values, done with <chrono> (independent of the SQL and of
/// the report's own date code).
inline std::chrono::year_month_day ymd(const std::string& iso) {
  return {std::chrono::year(std::stoi(iso.substr(0, 4))),
          std::chrono::month(static_cast<unsigned>(std::stoi(iso.substr(5, 2)))),
          std::chrono::day(static_cast<unsigned>(std::stoi(iso.substr(8, 2))))};
}

inline std::string iso(const std::chrono::year_month_day& date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

/// The Monday of the ISO week holding `day` (which may lie in the previous year).
inline std::string iso_week_start(const std::string& day) {
  const std::chrono::sys_days date{ymd(day)};
  const unsigned weekday = std::chrono::weekday(date).iso_encoding();  // Monday = 1
  return iso(std::chrono::year_month_day(date - std::chrono::days(weekday - 1)));
}

inline std::string month_start(const std::string& day) {
  return day.substr(0, 8) + "01";
}
inline std::string year_start(const std::string& day) {
  return day.substr(0, 5) + "01-01";
}

}  // namespace dp::test

#include "core/analysis/view_builder.hpp"

namespace dp::test {

/// The ledger file every test fact points to, and dim_date rows from 2020-12-01 to 2025-01-31
/// (the facts' date keys must exist).
inline void seed_file_and_calendar(const WarehouseDatabase& database) {
  database.exec(
      "INSERT INTO ingest.files (file_id, sha256, original_name, size_bytes, pipeline, status) "
      "VALUES (1, 'test', 'test.csv', 1, 'test', 'loaded');"
      "INSERT INTO dim_date (date_key, date, year, quarter, quarter_name, month, month_name, "
      "  month_short, day_of_month, day_of_year, iso_day_of_week, day_name, day_short, iso_week, "
      "  iso_year, is_weekend, inserted_batch) "
      "SELECT to_char(d, 'YYYYMMDD')::int, d, extract(year FROM d), extract(quarter FROM d), "
      "  'Q' || extract(quarter FROM d), extract(month FROM d), to_char(d, 'FMMonth'), "
      "  to_char(d, 'Mon'), extract(day FROM d), extract(doy FROM d), extract(isodow FROM d), "
      "  to_char(d, 'FMDay'), to_char(d, 'Dy'), extract(week FROM d), extract(isoyear FROM d), "
      "  extract(isodow FROM d) >= 6, 0 "
      "FROM generate_series(DATE '2020-12-01', DATE '2025-01-31', INTERVAL '1 day') AS g(t), "
      "  LATERAL (SELECT t::date AS d) x");
}

/// Builds the project's views on `database` (its schemas).
inline void build_project_views(const WarehouseDatabase& database) {
  db::LibpqConnection connection(database.conninfo());
  analysis::ViewBuildOptions options;
  options.views_dir = source_views_dir();
  options.dw_schema = database.dw_schema();
  options.staging_schema = database.staging_schema();
  analysis::build_analysis_views(connection, options);
}

/// YYYYMMDD key of an ISO date.
inline std::string date_key(const std::string& day) {
  return day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
}

}  // namespace dp::test
