#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/csv/csv_row.hpp"
#include "core/csv/row_error.hpp"
#include "core/table/table_model.hpp"

namespace dp::pipelines {

/// A reject for `row` with its position and original text filled in, so that every custom
/// converter reports rows the same way.
csv::RowError make_row_error(const csv::CsvRow& row, csv::RowErrorKind kind, std::string column,
                             std::string value, std::string message);

/// Rejects a row whose field count is outside [min_fields, max_fields] (pipeline::check_field_count
/// for kinds whose rows may be shorter), with the same message shape ("expected 2 to 21 columns,
/// found 1").
std::optional<csv::RowError> check_field_range(const csv::CsvRow& row, std::size_t min_fields,
                                               std::size_t max_fields);

/// The column of `model` named `name`; throws std::logic_error when a kind asks for a column its
/// own model lacks (a programming error, found by the first test).
const table::ColumnModel& model_column(const table::TableModel& model, std::string_view name);

/// Index of that column in the model's column list.
std::size_t model_column_index(const table::TableModel& model, std::string_view name);

}  // namespace dp::pipelines
