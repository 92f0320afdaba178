#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Course traffic: the list of traffic sources the other two files refer to.
void register_traffic_sources_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
