#include "pipelines/course_traffic/user_traffic_pipeline.hpp"

#include <memory>

#include "models/user_traffic_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_user_traffic_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "user_traffic",
      .file_patterns = {"user_traffic*.csv"},
      .header_signature = {"user_id", "source_id", "referred_at", "campaign_code"},
      .dialect = {},
      .model = &models::user_traffic_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
