#include "pipelines/support_desk/case_logs_pipeline.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "models/case_logs_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"
#include "pipelines/common/mapped_row_converter.hpp"
#include "pipelines/common/row_checks.hpp"

namespace dp::pipelines {
namespace {

/// The generic mapping plus the rule that event is one of the known three.
class CaseLogsConverter final : public MappedRowConverter {
 public:
  CaseLogsConverter(const std::vector<std::string>* header, pipeline::ExtraColumns extra_columns)
      : MappedRowConverter(models::case_logs_model(), header, extra_columns),
        event_field_(field_of("event")) {}

 protected:
  std::optional<csv::RowError> check_row(const csv::CsvRow& row) const override {
    const std::string_view event = row.fields[event_field_];
    if (event.empty() ||
        std::find(kCaseLogEvents.begin(), kCaseLogEvents.end(), event) != kCaseLogEvents.end()) {
      return std::nullopt;  // an empty event is reported as a missing value by the conversion
    }
    return make_row_error(row, csv::RowErrorKind::kBadValue, "event", std::string(event),
                          "column event: \"" + std::string(event) +
                              "\" is not a known event (expected \"Assigned to analyst\", "
                              "\"Response\" or \"Close\")");
  }

 private:
  std::size_t event_field_;
};

}  // namespace

void register_case_logs_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "case_logs",
      .file_patterns = {"logs*.csv"},
      .header_signature = {},
      .dialect = headerless_dialect(),
      .model = &models::case_logs_model(),
      .make_converter =
          [](const pipeline::FileContext&, const std::vector<std::string>* header,
             pipeline::ExtraColumns extra_columns) -> std::unique_ptr<pipeline::RowConverter> {
        return std::make_unique<CaseLogsConverter>(header, extra_columns);
      },
  }));
}

}  // namespace dp::pipelines
