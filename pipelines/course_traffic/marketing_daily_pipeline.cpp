#include "pipelines/course_traffic/marketing_daily_pipeline.hpp"

#include <memory>

#include "models/marketing_daily_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_marketing_daily_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "marketing_daily",
      .file_patterns = {"marketing*.csv"},
      .header_signature = {"source_name", "channel_type", "date", "ad_spend", "impressions",
                           "clicks", "leads", "revenue"},
      .dialect = {},
      .model = &models::marketing_daily_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
