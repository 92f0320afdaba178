#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/table_model.hpp"

namespace dp::pipeline {

using table::ColumnModel;
using table::CopyRowWriter;
using table::TableModel;

/// Converts one text value into a column's type and writes it, so that every kind shares one
/// set of conversions. Empty text becomes NULL when the column is nullable. Returns an error
/// message (and writes nothing) when the value does not convert.
std::optional<std::string> write_value(const ColumnModel& column, std::string_view text,
                                       CopyRowWriter& out);

/// Converts field `field` of `row` into `column` and writes it: the building block of kinds
/// whose converter derives some columns itself. Returns the reject (kMissingValue for an empty
/// value in a NOT NULL column, kInvalidUtf8, or kBadValue) with the row's position and text.
std::optional<csv::RowError> write_field(const ColumnModel& column, const csv::CsvRow& row,
                                         std::size_t field, CopyRowWriter& out);

/// Rejects a row whose field count differs from `expected` ("expected 4 columns, found 3"),
/// so that every kind words and classifies that failure the same way.
std::optional<csv::RowError> check_field_count(const csv::CsvRow& row, std::size_t expected);

/// A header name as every kind matches it: a leading BOM and surrounding blanks dropped, ASCII
/// letters lower-cased, so that `" User_ID"` and `user_id` name one column.
std::string header_key(std::string_view name);

/// For each model column with a `source`, the index of the CSV field it comes from; -1 for
/// derived columns. With a header, names match case-insensitively after trimming; without one,
/// model columns with a source take fields in order. Throws FileRejected naming a
/// missing column; reports extra header columns as warnings (or rejects, per `extra`).
struct ColumnMapping {
  std::vector<int> field_index;
  std::size_t expected_fields = 0;
  std::vector<std::string> warnings;
};
ColumnMapping map_columns(const TableModel& model, const std::vector<std::string>* header,
                          ExtraColumns extra);

/// The converter most kinds need: fields mapped by ColumnMapping, each converted by write_value,
/// a row with too few or too many fields rejected. Kinds with derived columns wrap or replace it.
std::unique_ptr<RowConverter> make_model_converter(const TableModel& model,
                                                   const std::vector<std::string>* header,
                                                   ExtraColumns extra);

}  // namespace dp::pipeline
