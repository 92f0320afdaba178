#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Support desk: service levels per priority, in hours (the one support-desk file with a header).
void register_priority_sla_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
