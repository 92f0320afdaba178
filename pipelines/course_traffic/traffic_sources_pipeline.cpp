#include "pipelines/course_traffic/traffic_sources_pipeline.hpp"

#include <memory>

#include "models/traffic_sources_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_traffic_sources_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "traffic_sources",
      .file_patterns = {"traffic_sources*.csv"},
      .header_signature = {"source_id", "name", "channel"},
      .dialect = {},
      .model = &models::traffic_sources_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
