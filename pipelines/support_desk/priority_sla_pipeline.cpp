#include "pipelines/support_desk/priority_sla_pipeline.hpp"

#include <memory>

#include "models/priority_sla_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_priority_sla_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "priority_sla",
      .file_patterns = {"prioritysla*.csv"},
      .header_signature = {"id", "name", "Assign SLA", "Response SLA", "Resolve SLA"},
      .dialect = {},
      .model = &models::priority_sla_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
