#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Support desk: cases (headerless, fully quoted), referring to analysts and products.
void register_cases_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
