#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Support desk: the product hierarchy (headerless); an empty parent_pid marks a product line and
/// becomes NULL.
void register_products_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
