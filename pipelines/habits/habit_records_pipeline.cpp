#include "pipelines/habits/habit_records_pipeline.hpp"

#include <memory>

#include "core/table/value_parsers.hpp"
#include "models/habit_records_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"
#include "pipelines/common/mapped_row_converter.hpp"
#include "pipelines/common/row_checks.hpp"

namespace dp::pipelines {
namespace {

/// The generic mapping plus recorded_at, computed from the same field as record_date_unix.
class HabitRecordsConverter final : public MappedRowConverter {
 public:
  HabitRecordsConverter(const std::vector<std::string>* header,
                        pipeline::ExtraColumns extra_columns)
      : MappedRowConverter(models::habit_records_model(), header, extra_columns),
        epoch_field_(field_of("record_date_unix")),
        recorded_at_(model_column_index(model(), "recorded_at")) {}

 protected:
  std::optional<csv::RowError> write_derived(std::size_t column, const csv::CsvRow& row,
                                             table::CopyRowWriter& out) const override {
    if (column != recorded_at_) {
      out.put_null();
      return std::nullopt;
    }
    // record_date_unix was written (and so validated as an integer) before this column.
    const auto micros = table::parse_epoch_seconds(row.fields[epoch_field_]);
    if (!micros) {
      return make_row_error(row, csv::RowErrorKind::kBadValue, "recorded_at",
                            std::string(row.fields[epoch_field_]),
                            "column recorded_at: " + micros.error);
    }
    out.put_timestamp(*micros.value);
    return std::nullopt;
  }

 private:
  std::size_t epoch_field_;
  std::size_t recorded_at_;
};

}  // namespace

void register_habit_records_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "habit_records",
      .file_patterns = {"habit*.csv"},
      .header_signature = {"habit_name", "category_name", "user_id", "duration", "chat_id",
                           "username", "first_name", "last_name", "is_premium", "language_code",
                           "record_date_unix"},
      .dialect = {},
      .model = &models::habit_records_model(),
      .make_converter =
          [](const pipeline::FileContext&, const std::vector<std::string>* header,
             pipeline::ExtraColumns extra_columns) -> std::unique_ptr<pipeline::RowConverter> {
        return std::make_unique<HabitRecordsConverter>(header, extra_columns);
      },
  }));
}

}  // namespace dp::pipelines
