#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Course traffic: which user came from which traffic source when. A repeated key with a changed
/// campaign_code is loaded as it stands; line_no tells the later correction apart for the
/// warehouse.
void register_user_traffic_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
