#include "pipelines/support_desk/calendar_pipeline.hpp"

#include <memory>

#include "models/calendar_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_calendar_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "calendar",
      .file_patterns = {"calendar*.csv"},
      .header_signature = {},
      .dialect = headerless_dialect(),
      .model = &models::calendar_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
