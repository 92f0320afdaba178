#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "core/table/model_converter.hpp"
#include "core/table/table_model.hpp"

namespace dp::pipelines {

/// The generic conversion (fields mapped by header name or position, field count checked, each
/// value converted by write_value) with two hooks, for kinds that derive a column the file does
/// not carry or that check a rule spanning a whole row.
class MappedRowConverter : public pipeline::RowConverter {
 public:
  /// Maps the model onto the header (or onto positions when `header` is null); throws
  /// pipeline::FileRejected naming a missing column.
  MappedRowConverter(const table::TableModel& model, const std::vector<std::string>* header,
                     pipeline::ExtraColumns extra_columns);

  std::optional<csv::RowError> convert(const csv::CsvRow& row, table::CopyRowWriter& out) final;
  std::vector<std::string> warnings() const override { return mapping_.warnings; }

 protected:
  /// The CSV field index of the sourced model column `name`.
  std::size_t field_of(std::string_view name) const;
  /// Runs after the field count is known to be right and before anything is written, so that a
  /// row-level rule can reject without leaving a partial tuple; accepts by default.
  virtual std::optional<csv::RowError> check_row(const csv::CsvRow& row) const;
  /// Writes model column `column`, which has no source; writes NULL by default.
  virtual std::optional<csv::RowError> write_derived(std::size_t column, const csv::CsvRow& row,
                                                     table::CopyRowWriter& out) const;

  const table::TableModel& model() const { return model_; }

 private:
  const table::TableModel& model_;
  table::ColumnMapping mapping_;
};

}  // namespace dp::pipelines
