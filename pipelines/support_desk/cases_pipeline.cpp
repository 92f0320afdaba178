#include "pipelines/support_desk/cases_pipeline.hpp"

#include <memory>

#include "models/cases_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_cases_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "cases",
      .file_patterns = {"cases*.csv"},
      .header_signature = {},
      .dialect = headerless_dialect(),
      .model = &models::cases_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
