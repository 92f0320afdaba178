#include "pipelines/common/mapped_row_converter.hpp"

#include <stdexcept>

#include "pipelines/common/row_checks.hpp"

namespace dp::pipelines {

MappedRowConverter::MappedRowConverter(const table::TableModel& model,
                                       const std::vector<std::string>* header,
                                       pipeline::ExtraColumns extra_columns)
    : model_(model), mapping_(table::map_columns(model, header, extra_columns)) {}

std::optional<csv::RowError> MappedRowConverter::convert(const csv::CsvRow& row,
                                                         table::CopyRowWriter& out) {
  if (auto error = table::check_field_count(row, mapping_.expected_fields)) {
    return error;
  }
  if (auto error = check_row(row)) {
    return error;
  }
  for (std::size_t column = 0; column < model_.columns.size(); ++column) {
    const int field = mapping_.field_index[column];
    auto error = field >= 0 ? table::write_field(model_.columns[column], row,
                                                 static_cast<std::size_t>(field), out)
                            : write_derived(column, row, out);
    if (error) {
      return error;
    }
  }
  return std::nullopt;
}

std::size_t MappedRowConverter::field_of(std::string_view name) const {
  const int field = mapping_.field_index[model_column_index(model_, name)];
  if (field < 0) {
    throw std::logic_error("column " + std::string(name) + " of " + model_.table +
                           " has no source field");
  }
  return static_cast<std::size_t>(field);
}

std::optional<csv::RowError> MappedRowConverter::check_row(const csv::CsvRow&) const {
  return std::nullopt;
}

std::optional<csv::RowError> MappedRowConverter::write_derived(std::size_t, const csv::CsvRow&,
                                                               table::CopyRowWriter& out) const {
  out.put_null();
  return std::nullopt;
}

}  // namespace dp::pipelines
