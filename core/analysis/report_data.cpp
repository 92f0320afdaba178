#include "core/analysis/report_data.hpp"

#include <set>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

/// The columns a chart draws from, each once, in a fixed order.
std::vector<std::string> chart_columns(const ChartSpec& chart) {
  std::vector<std::string> columns{chart.x};
  columns.insert(columns.end(), chart.y.begin(), chart.y.end());
  for (const auto* extra : {&chart.series, &chart.marker, &chart.series_marker}) {
    if (!extra->empty()) {
      columns.push_back(*extra);
    }
  }
  columns.insert(columns.end(), chart.series_when.begin(), chart.series_when.end());
  return columns;
}

std::vector<std::string> table_columns(const TableSpec& table) {
  std::vector<std::string> columns;
  for (const auto& column : table.columns) {
    columns.push_back(column.column);
    if (!column.over.empty()) {
      columns.push_back(column.over);
    }
  }
  return columns;
}

/// SELECT of the declared columns (names checked to be plain identifiers by report_spec).
ViewRows query(db::LibpqConnection& connection, const std::string& view,
               std::vector<std::string> columns, const std::string& order) {
  ViewRows out;
  std::set<std::string> seen;
  std::string select;
  for (auto& column : columns) {
    if (seen.insert(column).second) {
      select += (select.empty() ? "" : ", ") + column;
      out.columns.push_back(column);
    }
  }
  const auto result = connection.exec(fmt::format("SELECT {} FROM analysis.{}{}", select, view,
                                                  order.empty() ? "" : " ORDER BY " + order));
  for (int row = 0; row < result.rows(); ++row) {
    std::vector<std::optional<std::string>> values;
    for (int column = 0; column < result.columns(); ++column) {
      values.push_back(result.value(row, column));
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

}  // namespace

std::size_t ViewRows::index(const std::string& column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) {
      return i;
    }
  }
  throw AnalysisError("report: column " + column + " was not read");
}

ReportData load_report_data(db::LibpqConnection& connection, const ReportSpec& spec) {
  ReportData data;
  std::vector<std::string> meta_columns{
      "batch_id", "mode", "to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"};
  for (const auto& count : spec.meta.counts) {
    meta_columns.push_back(count.column);
  }
  std::string select;
  for (const auto& column : meta_columns) {
    select += (select.empty() ? "" : ", ") + column;
  }
  if (const auto result =
          connection.exec(fmt::format("SELECT {} FROM analysis.{}", select, spec.meta.view));
      result.rows() > 0) {
    ReportBatch batch;
    batch.batch_id = std::string(result.get(0, 0));
    batch.mode = std::string(result.get(0, 1));
    batch.finished_at = std::string(result.get(0, 2));
    for (std::size_t i = 0; i < spec.meta.counts.size(); ++i) {
      const auto value = parse_number(result.get(0, static_cast<int>(i) + 3)).value_or(0);
      batch.counts.emplace_back(spec.meta.counts[i].label, static_cast<std::int64_t>(value));
    }
    data.batch = std::move(batch);
  }
  for (const auto& section : spec.sections) {
    for (const auto& chart : section.charts) {
      data.rows[chart.id] = query(connection, chart.view, chart_columns(chart), chart.order);
    }
    for (const auto& table : section.tables) {
      data.rows[table.id] = query(connection, table.view, table_columns(table), table.order);
    }
  }
  return data;
}

}  // namespace dp::analysis
