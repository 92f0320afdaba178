#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "tests/cmd/pipeline/pipeline_test_support.hpp"

namespace dp::test {

/// The files the warehouse scenarios load: the samples of samples/, the fixtures of
/// tests/sql/fixtures/data, and sample files split into parts (written into `work`) so that
/// keys arrive in several batches; the scenario checks know these names and contents.
class ScenarioFiles {
 public:
  explicit ScenarioFiles(const std::filesystem::path& work)
      : data_(samples_dir()), support_(data_ / "support_desk"), traffic_(data_ / "course_traffic") {
    const auto titles = data_ / "job_titles" / "2019_free_title_data.csv";
    const auto habits = habit_records_sample();
    user_traffic_part1 = split_lines(user_traffic(), work / "user_traffic_part1.csv", 2, 600, true);
    user_traffic_part2 =
        split_lines(user_traffic(), work / "user_traffic_part2.csv", 601, 1001, true);
    user_traffic_part3_correction =
        split_lines(user_traffic(), work / "user_traffic_part3_correction.csv", 1002, 1002, true);
    marketing_part1 = split_lines(traffic_ / "marketing_data_with_days.csv",
                                  work / "marketing_part1.csv", 2, 5001, true);
    marketing_part2 = split_lines(traffic_ / "marketing_data_with_days.csv",
                                  work / "marketing_part2.csv", 5002, 10001, true);
    habit_records_part1 = split_lines(habits, work / "habit_records_part1.csv", 2, 30, true);
    habit_records_part2 = split_lines(habits, work / "habit_records_part2.csv", 31, 41, true);
    title_data_part1 = split_lines(titles, work / "title_data_part1.csv", 2, 2500, true);
    title_data_part2 = split_lines(titles, work / "title_data_part2.csv", 2501, 5001, true);
    products_only = work / "products_only.csv";
    products_lines_and_groups = work / "products_lines_and_groups.csv";
    split_products(support("products.csv"), products_only, products_lines_and_groups);
  }

  /// A file of the Mini-ETL-Tool support-desk samples (analysts_Y, cases_Y, logs_Y, ...).
  std::filesystem::path support(const std::string& name) const { return support_ / name; }
  /// A file of tests/sql/fixtures/data.
  std::filesystem::path fixture(const std::string& name) const {
    return sql_fixture("data/" + name);
  }
  std::filesystem::path traffic_sources() const {
    return data_ / "course_traffic" / "traffic_sources.csv";
  }
  std::filesystem::path user_traffic() const { return traffic_ / "user_traffic.csv"; }
  std::filesystem::path habit_records_sample() const {
    return data_ / "habits" / "habit_records_sample.csv";
  }

  std::filesystem::path user_traffic_part1, user_traffic_part2, user_traffic_part3_correction;
  std::filesystem::path marketing_part1, marketing_part2;
  std::filesystem::path habit_records_part1, habit_records_part2;
  std::filesystem::path title_data_part1, title_data_part2;
  /// Products (level 3) without their groups and lines; the lines and groups (loaded later).
  std::filesystem::path products_only, products_lines_and_groups;

 private:
  /// Splits the product hierarchy: lines have no parent, groups have a line as
  /// parent, everything else is a product. Trailing CRs are dropped.
  static void split_products(const std::filesystem::path& source,
                             const std::filesystem::path& products,
                             const std::filesystem::path& lines_and_groups) {
    std::vector<std::string> rows;
    std::ifstream in(source, std::ios::binary);
    for (std::string row; std::getline(in, row);) {
      if (!row.empty() && row.back() == '\r') {
        row.pop_back();
      }
      rows.push_back(row);
    }
    // "pid","name","parent": the first and the last quoted field.
    const auto pid = [](const std::string& row) { return row.substr(1, row.find('"', 1) - 1); };
    const auto parent = [](const std::string& row) {
      const auto start = row.rfind(",\"") + 2;
      return row.substr(start, row.size() - start - 1);
    };
    std::set<std::string> line_pids;
    std::string lines, groups, others;
    for (const auto& row : rows) {
      if (parent(row).empty()) {
        line_pids.insert(pid(row));
        lines += row + "\n";
      }
    }
    for (const auto& row : rows) {
      if (parent(row).empty()) {
        continue;
      }
      (line_pids.count(parent(row)) != 0 ? groups : others) += row + "\n";
    }
    std::ofstream(products, std::ios::binary) << others;
    std::ofstream(lines_and_groups, std::ios::binary) << lines << groups;
  }

  std::filesystem::path data_, support_, traffic_;
};

}  // namespace dp::test
