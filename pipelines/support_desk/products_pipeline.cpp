#include "pipelines/support_desk/products_pipeline.hpp"

#include <memory>

#include "models/products_model.hpp"
#include "pipelines/common/declared_pipeline.hpp"

namespace dp::pipelines {

void register_products_pipeline(pipeline::PipelineRegistry& registry) {
  registry.add(std::make_unique<DeclaredPipeline>(PipelineDeclaration{
      .name = "products",
      .file_patterns = {"products*.csv"},
      .header_signature = {},
      .dialect = headerless_dialect(),
      .model = &models::products_model(),
      .make_converter = {},
  }));
}

}  // namespace dp::pipelines
