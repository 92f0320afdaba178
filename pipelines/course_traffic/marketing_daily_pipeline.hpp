#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Course traffic: daily marketing figures per source; repeated (source_name, date) pairs are
/// separate campaign days and all load.
void register_marketing_daily_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
