#include "pipelines/common/row_checks.hpp"

#include <stdexcept>
#include <utility>

namespace dp::pipelines {

csv::RowError make_row_error(const csv::CsvRow& row, csv::RowErrorKind kind, std::string column,
                             std::string value, std::string message) {
  csv::RowError error;
  error.kind = kind;
  error.line = row.line;
  error.byte_offset = row.byte_offset;
  error.column = std::move(column);
  error.value = std::move(value);
  error.raw_line = std::string(row.raw);
  error.message = std::move(message);
  return error;
}

std::optional<csv::RowError> check_field_range(const csv::CsvRow& row, std::size_t min_fields,
                                               std::size_t max_fields) {
  const std::size_t found = row.fields.size();
  if (found >= min_fields && found <= max_fields) {
    return std::nullopt;
  }
  const std::string expected =
      min_fields == max_fields ? std::to_string(min_fields)
                               : std::to_string(min_fields) + " to " + std::to_string(max_fields);
  return make_row_error(
      row,
      found < min_fields ? csv::RowErrorKind::kTooFewColumns : csv::RowErrorKind::kTooManyColumns,
      "", "", "expected " + expected + " columns, found " + std::to_string(found));
}

std::size_t model_column_index(const table::TableModel& model, std::string_view name) {
  for (std::size_t i = 0; i < model.columns.size(); ++i) {
    if (model.columns[i].name == name) {
      return i;
    }
  }
  throw std::logic_error("staging model " + model.table + " has no column " + std::string(name));
}

const table::ColumnModel& model_column(const table::TableModel& model, std::string_view name) {
  return model.columns[model_column_index(model, name)];
}

}  // namespace dp::pipelines
